//! `ocrtidy rules`: the rule registry.

use std::io::Write as _;

use anyhow::{Result, bail};
use ocrtidy::rules;

use super::{EXIT_OK, RulesArgs};

pub fn run(args: RulesArgs) -> Result<u8> {
    let selected: Vec<&ocrtidy::Rule> = match &args.id {
        Some(id) => match rules::find(id) {
            Some(rule) => vec![rule],
            None => {
                let known: Vec<&str> = rules::all().map(|r| r.id).collect();
                bail!("no rule {id:?}; the rules are: {}", known.join(", "));
            }
        },
        None => rules::all().collect(),
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
