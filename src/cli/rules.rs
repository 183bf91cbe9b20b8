//! `ocrtidy rules`: the rule registry.

use std::io::Write as _;

use anyhow::{Result, bail};
use ocrtidy::{Document, Lang, LangSetting, Pipeline, Settings};

use super::{EXIT_DIFF, EXIT_OK, RulesArgs};

pub fn run(args: RulesArgs, rules_dir: Option<&std::path::Path>) -> Result<u8> {
    let pipeline = super::config::pipeline(rules_dir, None, Default::default())?;
    if args.test {
        return test_examples(&pipeline);
    }
    let all: Vec<&'static ocrtidy::Rule> = pipeline.rules().collect();
    let selected: Vec<&ocrtidy::Rule> = match &args.id {
        Some(id) => match all.iter().find(|r| r.id == id) {
            Some(rule) => vec![*rule],
            None => {
                let known: Vec<&str> = all.iter().map(|r| r.id).collect();
                bail!("no rule {id:?}; the rules are: {}", known.join(", "));
            }
        },
        None => all,
    };
    let mut out = String::new();
    if args.json {
        out = serde_json::to_string_pretty(&selected)?;
        out.push('\n');
    } else if args.id.is_some() {
        for rule in &selected {
            out.push_str(&doc(rule));
        }
    } else {
        let width = selected.iter().map(|r| r.id.len()).max().unwrap_or(0);
        let pass_width = selected.iter().map(|r| r.pass.len()).max().unwrap_or(0);
        for rule in &selected {
            out.push_str(&format!(
                "{:width$}  {:pass_width$}  {}\n",
                rule.id, rule.pass, rule.summary
            ));
        }
        out.push_str("\nRun `ocrtidy rules ID` for a rule's documentation.\n");
    }
    print(&out)?;
    Ok(EXIT_OK)
}

/// The full documentation of a rule, as text.
fn doc(rule: &ocrtidy::Rule) -> String {
    format!(
        "{id}  ({pass} pass{layout})\n{summary}\n\nWhat it does\n  {what}\n\nWhy\n  {why}\n\n\
         Example\n  before: {before}\n  after:  {after}\n\nRisks\n  {risks}\n",
        id = rule.id,
        pass = rule.pass,
        layout = if rule.layout { ", layout only" } else { "" },
        summary = rule.summary,
        what = rule.what,
        why = rule.why,
        before = ocrtidy::visible(rule.example_before),
        after = ocrtidy::visible(rule.example_after),
        risks = rule.risks,
    )
}

/// Print to standard output; a closed pipe (`ocrtidy rules | head`) is not an error.
pub fn print(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// `ocrtidy rules --test`: run every rule's examples (the documented one of each built-in
/// rule, all those of the confusion rules, the user's included) and report failures.
fn test_examples(pipeline: &Pipeline) -> Result<u8> {
    let mut cases: Vec<(&'static str, Lang, String, String)> = Vec::new();
    for rule in ocrtidy::rules::builtin() {
        let after = rule.example_after.trim_end_matches('\n').to_owned();
        cases.push((
            rule.id,
            rule.example_lang,
            rule.example_before.to_owned(),
            after,
        ));
    }
    for b in &pipeline.boilerplate().rules {
        for (before, after) in &b.examples {
            cases.push((b.rule.id, Lang::Unknown, before.clone(), after.clone()));
        }
    }
    for c in &pipeline.confusions().rules {
        for e in &c.examples {
            cases.push((c.rule.id, e.lang, e.before.clone(), e.after.clone()));
        }
    }
    let mut failures = 0;
    let mut out = String::new();
    for (id, lang, before, after) in &cases {
        let settings = Settings {
            width: (*id == "rewrap").then_some(64),
            lang: match lang {
                Lang::Fr => LangSetting::Fr,
                Lang::En => LangSetting::En,
                _ => LangSetting::Auto,
            },
            ..pipeline.settings().clone()
        };
        let run = Pipeline::new(pipeline.lexicon().clone(), settings)
            .with_confusions(pipeline.confusions().clone())
            .with_boilerplate(pipeline.boilerplate().clone());
        let mut doc = Document::new("example", before.clone());
        doc.lang = *lang;
        let got = run.run(&doc).text;
        if got.trim_end_matches('\n') != after {
            failures += 1;
            out.push_str(&format!(
                "FAIL {id}: {}\n  expected: {}\n  got:      {}\n",
                ocrtidy::visible(before),
                ocrtidy::visible(after),
                ocrtidy::visible(got.trim_end_matches('\n'))
            ));
        }
    }
    out.push_str(&format!(
        "{} passed, {failures} failed\n",
        cases.len() - failures
    ));
    print(&out)?;
    Ok(if failures > 0 { EXIT_DIFF } else { EXIT_OK })
}
