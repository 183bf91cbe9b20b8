//! `boilerplate`: whole lines that are not part of the text (web navigation bars, share
//! buttons), from a table of rules that is data (`rules/boilerplate.toml`, and a user's own).

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::Deserialize;

use super::Pass;
use super::confusion::{check_rule, leak};
use crate::edit::Edit;
use crate::per_thread::PerThread;
use crate::pipeline::Context;
use crate::rules::Rule;
use crate::{Error, Lang};

/// The embedded table.
pub const DEFAULT_TOML: &str = include_str!("../../rules/boilerplate.toml");

/// One boilerplate rule, compiled.
#[derive(Debug, Clone)]
pub struct LineRule {
    pub rule: &'static Rule,
    /// Each thread searches its own copy ([`PerThread`]): the pass asks every line.
    pub pattern: PerThread<Regex>,
    pub require: Option<PerThread<Regex>>,
    /// (text, what the pipeline makes of it) pairs.
    pub examples: Vec<(String, String)>,
}

impl LineRule {
    /// Whether the rule removes this line.
    pub fn matches(&self, line: &str) -> bool {
        let line = line.trim();
        !line.is_empty()
            && self.pattern.is_match(line)
            && self.require.as_ref().is_none_or(|r| r.is_match(line))
    }
}

/// The table of boilerplate rules.
#[derive(Debug, Clone, Default)]
pub struct BoilerplateTable {
    pub rules: Vec<LineRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    #[serde(default, rename = "rule")]
    rules: Vec<toml::Spanned<RuleFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    summary: String,
    pattern: toml::Spanned<String>,
    require: Option<toml::Spanned<String>>,
    why: String,
    risks: String,
    examples: Vec<ExampleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    before: String,
    after: String,
}

static EMBEDDED: LazyLock<Arc<BoilerplateTable>> = LazyLock::new(|| {
    let mut table = BoilerplateTable::default();
    table
        .layer("rules/boilerplate.toml", DEFAULT_TOML, &[])
        .expect("the embedded boilerplate table is valid");
    Arc::new(table)
});

impl BoilerplateTable {
    /// The embedded table, parsed once.
    pub fn embedded() -> Arc<BoilerplateTable> {
        EMBEDDED.clone()
    }

    /// Add the rules of one file; a rule with the id of an existing one replaces it. Errors
    /// name the file and the line. `reserved` are ids that may not be used.
    pub fn layer(&mut self, name: &str, text: &str, reserved: &[&str]) -> Result<(), Error> {
        let file: TableFile = crate::settings::parse_toml(name, text)?;
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let compile = |s: &toml::Spanned<String>, id: &str| {
            Regex::new(s.get_ref())
                .map(PerThread::new)
                .map_err(|e| Error::Config {
                    name: name.to_owned(),
                    line: line_of(s.span().start),
                    message: format!("{id}: bad pattern: {e}"),
                })
        };
        let mut seen = HashSet::new();
        for spanned in file.rules {
            let line = line_of(spanned.span().start);
            let err = |message: String| Error::Config {
                name: name.to_owned(),
                line,
                message,
            };
            let r = spanned.into_inner();
            check_rule(&r.id, reserved, &mut seen, r.examples.len()).map_err(&err)?;
            let pattern = compile(&r.pattern, &r.id)?;
            let require = r.require.as_ref().map(|p| compile(p, &r.id)).transpose()?;
            let first = &r.examples[0];
            let rule: &'static Rule = Box::leak(Box::new(Rule {
                id: leak(r.id),
                pass: "boilerplate",
                summary: leak(r.summary),
                what: leak(format!(
                    "Removes a whole line matching {}{}.",
                    r.pattern.get_ref(),
                    r.require.as_ref().map_or(String::new(), |p| format!(
                        " that also matches {}",
                        p.get_ref()
                    ))
                )),
                why: leak(r.why),
                example_before: leak(first.before.clone()),
                example_after: leak(format!("{}\n", first.after)),
                risks: leak(r.risks),
                layout: false,
                example_lang: Lang::Unknown,
            }));
            let line_rule = LineRule {
                rule,
                pattern,
                require,
                examples: r
                    .examples
                    .into_iter()
                    .map(|e| (e.before, e.after))
                    .collect(),
            };
            crate::rules::replace_or_push(&mut self.rules, line_rule, |c| c.rule.id);
        }
        Ok(())
    }

    /// The registry entries of the rules.
    pub fn registry(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        self.rules.iter().map(|c| c.rule)
    }
}

/// The `boilerplate` pass.
pub struct Boilerplate;

impl Pass for Boilerplate {
    fn id(&self) -> &'static str {
        "boilerplate"
    }

    fn rules(&self) -> &'static [Rule] {
        // Its rules are data: see [`BoilerplateTable::registry`].
        &[]
    }

    fn run(&self, text: &str, ctx: &Context<'_>) -> Vec<Edit> {
        let table = ctx.boilerplate;
        if table.rules.is_empty() {
            return Vec::new();
        }
        let mut edits = Vec::new();
        let mut start = 0;
        for piece in text.split_inclusive('\n') {
            let line = piece.strip_suffix('\n').unwrap_or(piece);
            if let Some(rule) = table.rules.iter().find(|r| r.matches(line)) {
                edits.push(Edit::new(
                    start..start + piece.len(),
                    "",
                    rule.rule.id,
                    0.9,
                    format!("line matches {}", rule.pattern.as_str()),
                ));
            }
            start += piece.len();
        }
        edits
    }
}
