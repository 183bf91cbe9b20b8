//! `confusion`: OCR character confusions ("1a" for "la", "tbe" for "the", "rn" for "m"),
//! from a table of rules that is data (`rules/confusions.toml`, and a user's own).
//!
//! A rule matches whole tokens (punctuation around them set aside), or pieces inside tokens,
//! with a regular expression, and proposes a replacement. It applies only when its conditions
//! hold: by default the token must not be a word and the replacement must be one (exactly one
//! reading is valid), the neighbouring tokens must be words (not numbers or references), and
//! lists of words that may not come right before or after it rule out known contexts
//! ("article 1a"). Numbers, identifiers, URLs, e-mail addresses and protected words are never
//! touched.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use regex::Regex;
use serde::Deserialize;

use super::Pass;
use super::words::{self, Token};
use crate::edit::Edit;
use crate::per_thread::PerThread;
use crate::pipeline::Context;
use crate::rules::Rule;
use crate::{Error, Lang, LangSetting};

/// The embedded table.
pub const DEFAULT_TOML: &str = include_str!("../../rules/confusions.toml");

/// One rule of the table, compiled.
#[derive(Debug, Clone)]
pub struct Confusion {
    /// The registry entry (id, summary, documentation, first example).
    pub rule: &'static Rule,
    pub langs: Vec<Lang>,
    /// Each thread searches its own copy ([`PerThread`]): the pass asks many tokens.
    pub pattern: PerThread<Regex>,
    pub replacement: String,
    pub scope: Scope,
    pub require_valid: bool,
    pub context_words: bool,
    pub not_after: HashSet<String>,
    pub not_before: HashSet<String>,
    pub confidence: f32,
    pub examples: Vec<Example>,
    /// Where the rule comes from ("rules/confusions.toml:12").
    pub origin: String,
}

/// What a pattern matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// The whole token.
    Token,
    /// Pieces inside the token.
    Within,
}

/// The table of confusion rules.
#[derive(Debug, Clone, Default)]
pub struct ConfusionTable {
    pub rules: Vec<Confusion>,
    /// The patterns of the rules of each language as one set, built on first use.
    sets: std::sync::OnceLock<Vec<LangSet>>,
}

/// The rules of one language, compiled together.
#[derive(Debug, Clone)]
struct LangSet {
    lang: Lang,
    /// Their patterns as one set.
    set: PerThread<regex::RegexSet>,
    /// The index in the table of each pattern of the set.
    rules: Vec<usize>,
    /// Strings one of which every match of every pattern starts with ("m", "rn", "1a"...),
    /// when there are such strings: a token holding none of them matches no pattern, which
    /// one search over the whole text tells at a fraction of the cost of a search per token.
    prefixes: Option<aho_corasick::AhoCorasick>,
}

/// The strings one of which every match of one of `patterns` starts with, or `None` when a
/// pattern has no such finite set (or one that matches the empty string).
fn required_prefixes<'a>(
    patterns: impl Iterator<Item = &'a str>,
) -> Option<aho_corasick::AhoCorasick> {
    let mut all: Vec<Vec<u8>> = Vec::new();
    for pattern in patterns {
        let hir = regex_syntax::parse(pattern).ok()?;
        let seq = regex_syntax::hir::literal::Extractor::new().extract(&hir);
        let literals = seq.literals()?;
        // Without white space in them, a token holding one of them is told by a search that
        // does not look for overlapping matches: a match that one found overlaps (or is) lies
        // in the same token.
        if literals.is_empty()
            || literals.iter().any(|l| {
                std::str::from_utf8(l.as_bytes())
                    .map_or(true, |l| l.is_empty() || l.contains(char::is_whitespace))
            })
        {
            return None;
        }
        all.extend(literals.iter().map(|l| l.as_bytes().to_vec()));
    }
    aho_corasick::AhoCorasick::new(&all).ok()
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
    lang: Vec<LangSetting>,
    pattern: toml::Spanned<String>,
    replacement: String,
    #[serde(default = "default_scope")]
    scope: Scope,
    #[serde(default = "yes")]
    require_valid: bool,
    #[serde(default = "yes")]
    context_words: bool,
    #[serde(default)]
    not_after: Vec<String>,
    #[serde(default)]
    not_before: Vec<String>,
    confidence: f32,
    why: String,
    risks: String,
    examples: Vec<ExampleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    before: String,
    after: String,
    /// The language to run it in (default: the rule's first).
    lang: Option<LangSetting>,
}

/// One example of a rule: a text in a language, and what the pipeline must make of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    pub lang: Lang,
    pub before: String,
    pub after: String,
}

fn default_scope() -> Scope {
    Scope::Token
}

fn yes() -> bool {
    true
}

static EMBEDDED: LazyLock<Arc<ConfusionTable>> = LazyLock::new(|| {
    let mut table = ConfusionTable::default();
    table
        .layer("rules/confusions.toml", DEFAULT_TOML, &[])
        .expect("the embedded confusion table is valid");
    Arc::new(table)
});

impl ConfusionTable {
    /// The embedded table, parsed once.
    pub fn embedded() -> Arc<ConfusionTable> {
        EMBEDDED.clone()
    }

    /// Add the rules of one file; a rule with the id of an existing one replaces it. Errors
    /// (unknown keys, bad regular expressions, ids that are not kebab-case or that are the id
    /// of a built-in rule, duplicate ids in the file) name the file and the line.
    /// `reserved` are ids that may not be used.
    pub fn layer(&mut self, name: &str, text: &str, reserved: &[&str]) -> Result<(), Error> {
        self.sets = std::sync::OnceLock::new();
        let file: TableFile = crate::settings::parse_toml(name, text)?;
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
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
            if !(0.0..=1.0).contains(&r.confidence) {
                return Err(err(format!("{}: confidence must be between 0 and 1", r.id)));
            }
            let pattern_line = line_of(r.pattern.span().start);
            let pattern = Regex::new(r.pattern.get_ref()).map_err(|e| Error::Config {
                name: name.to_owned(),
                line: pattern_line,
                message: format!("{}: bad pattern: {e}", r.id),
            })?;
            let langs: Vec<Lang> = r
                .lang
                .iter()
                .filter_map(|l| match l {
                    LangSetting::Fr => Some(Lang::Fr),
                    LangSetting::En => Some(Lang::En),
                    LangSetting::Auto => None,
                })
                .collect();
            if langs.is_empty() {
                return Err(err(format!(
                    "{}: lang must list \"fr\" and/or \"en\"",
                    r.id
                )));
            }
            let first = &r.examples[0];
            let rule: &'static Rule = Box::leak(Box::new(Rule {
                id: leak(r.id),
                pass: "confusion",
                summary: leak(r.summary),
                what: leak(format!(
                    "Replaces {} matching {} by {:?}{}{}.",
                    match r.scope {
                        Scope::Token => "a whole token",
                        Scope::Within => "pieces of a token",
                    },
                    r.pattern.get_ref(),
                    r.replacement,
                    if r.require_valid {
                        ", only when the token is not a word and the result is one"
                    } else {
                        ""
                    },
                    if r.context_words {
                        ", between words (not numbers or references)"
                    } else {
                        ""
                    }
                )),
                why: leak(r.why),
                example_before: leak(first.before.clone()),
                example_after: leak(format!("{}\n", first.after)),
                risks: leak(r.risks),
                layout: false,
                example_lang: match first.lang {
                    Some(LangSetting::En) => Lang::En,
                    Some(LangSetting::Fr) => Lang::Fr,
                    _ => langs[0],
                },
            }));
            let lower = |v: Vec<String>| v.into_iter().map(|w| w.to_lowercase()).collect();
            let confusion = Confusion {
                rule,
                langs: langs.clone(),
                pattern: PerThread::new(pattern),
                replacement: r.replacement,
                scope: r.scope,
                require_valid: r.require_valid,
                context_words: r.context_words,
                not_after: lower(r.not_after),
                not_before: lower(r.not_before),
                confidence: r.confidence,
                examples: r
                    .examples
                    .into_iter()
                    .map(|e| Example {
                        lang: match e.lang {
                            Some(LangSetting::En) => Lang::En,
                            Some(LangSetting::Fr) => Lang::Fr,
                            _ => langs[0],
                        },
                        before: e.before,
                        after: e.after,
                    })
                    .collect(),
                origin: format!("{name}:{line}"),
            };
            crate::rules::replace_or_push(&mut self.rules, confusion, |c| c.rule.id);
        }
        Ok(())
    }

    /// The registry entries of the rules.
    pub fn registry(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        self.rules.iter().map(|c| c.rule)
    }

    /// The rules of `lang` (by index) as one set of patterns, so that a token no rule matches
    /// costs one search, not one per rule.
    fn set_of(&self, lang: Lang) -> Option<&LangSet> {
        let sets = self.sets.get_or_init(|| {
            crate::lexicon::LANGS
                .iter()
                .filter_map(|&lang| {
                    let rules: Vec<usize> = (0..self.rules.len())
                        .filter(|&i| self.rules[i].langs.contains(&lang))
                        .collect();
                    let patterns = || rules.iter().map(|&i| self.rules[i].pattern.as_str());
                    let set = regex::RegexSet::new(patterns()).ok()?;
                    let prefixes = required_prefixes(patterns());
                    Some(LangSet {
                        lang,
                        set: PerThread::new(set),
                        rules,
                        prefixes,
                    })
                })
                .collect()
        });
        sets.iter().find(|s| s.lang == lang)
    }
}

/// Rules loaded from files live as long as the process.
pub(crate) fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// The checks every data-driven rule's id passes: kebab-case, not a built-in rule's id
/// (`reserved`), not seen before in the same file, and at least one example. The message
/// says what is wrong.
pub(crate) fn check_rule(
    id: &str,
    reserved: &[&str],
    seen: &mut HashSet<String>,
    examples: usize,
) -> Result<(), String> {
    if !is_kebab(id) {
        return Err(format!("rule id {id:?} is not kebab-case"));
    }
    if reserved.contains(&id) {
        return Err(format!("rule id {id:?} is a built-in rule"));
    }
    if !seen.insert(id.to_owned()) {
        return Err(format!("rule id {id:?} appears twice"));
    }
    if examples == 0 {
        return Err(format!("{id}: a rule needs at least one example"));
    }
    Ok(())
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The `confusion` pass.
pub struct ConfusionPass;

impl Pass for ConfusionPass {
    fn local(&self) -> bool {
        true
    }

    fn id(&self) -> &'static str {
        "confusion"
    }

    fn rules(&self) -> &'static [Rule] {
        // Its rules are data: see [`ConfusionTable::registry`].
        &[]
    }

    fn language_specific(&self) -> bool {
        true
    }

    fn run(&self, text: &str, ctx: &Context<'_>) -> Vec<Edit> {
        let table = ctx.confusions;
        let Some(LangSet {
            set,
            rules: active,
            prefixes,
            ..
        }) = table.set_of(ctx.lang).filter(|s| !s.rules.is_empty())
        else {
            return Vec::new();
        };
        // The tokens that hold a string some match would start with: the only ones a pattern
        // can match (every token when the patterns have no such strings). Each is found from
        // the match, and its neighbours, when asked for, by walking from it: no list of all
        // the tokens is made.
        let candidates: Box<dyn Iterator<Item = Token<'_>>> = match prefixes {
            Some(ac) => {
                let mut last_end = 0;
                Box::new(ac.find_iter(text).filter_map(move |m| {
                    if m.start() < last_end {
                        return None; // a second match in the token
                    }
                    let token = words::token_at(text, m.start());
                    last_end = token.end;
                    Some(token)
                }))
            }
            None => Box::new(words::token_iter(text)),
        };
        let mut edits = Vec::new();
        for token in candidates {
            let (core_start, core) = token_core(token.text);
            if core.is_empty() {
                continue;
            }
            // The rules whose pattern matches, in table order: most tokens match none, which
            // one search without a set of matches to fill says at less cost.
            // (Asked first only without the prefilter: the tokens it passes mostly match.)
            if (prefixes.is_none() && !set.is_match(core))
                || words::untouchable(core)
                || ctx.lexicon.is_protected(core)
            {
                continue;
            }
            // The matching rules in table order, the first that makes an edit winning: a few
            // patterns are asked one by one (each skips ahead to its literal), many at once
            // through the set.
            let try_rule = |k: usize| {
                apply(
                    &table.rules[active[k]],
                    ctx,
                    text,
                    &token,
                    token.start + core_start,
                    core,
                )
            };
            let found = if active.len() <= FEW_RULES {
                (0..active.len())
                    .filter(|&k| table.rules[active[k]].pattern.is_match(core))
                    .find_map(try_rule)
            } else {
                set.matches(core).iter().find_map(try_rule)
            };
            edits.extend(found);
        }
        edits
    }
}

/// Up to this many rules in a language, a candidate token is matched against each pattern
/// rather than against their set: on the embedded table (four or five rules a language) the
/// set's search and its set of matches cost several times the separate searches.
const FEW_RULES: usize = 8;

/// A token without the punctuation around it: its offset in the token, and the core.
fn token_core(token: &str) -> (usize, &str) {
    let start = token.len()
        - token
            .trim_start_matches(|c: char| !words::is_alphanumeric(c))
            .len();
    let core = token[start..].trim_end_matches(|c: char| !words::is_alphanumeric(c));
    (start, core)
}

/// Whether a neighbouring token is a word, as the `context_words` condition wants: letters,
/// no digits, and not an abbreviation of a reference ("F.", "op.", "ll.").
fn is_context_word(token: &str) -> bool {
    let (_, core) = token_core(token);
    let letters = core.chars().filter(|c| words::is_alphabetic(*c)).count();
    letters > 0
        && !core.chars().any(|c| c.is_ascii_digit())
        && !(token.ends_with('.') && letters <= 3 && !token.ends_with("..."))
}

/// The edit of `rule`, whose pattern matches `core` (the core of `token`, a token of `text`,
/// at byte `at`), if its conditions hold. The conditions are all required; the dictionary's,
/// which turn down most tokens, are asked first.
fn apply(
    rule: &Confusion,
    ctx: &Context<'_>,
    text: &str,
    token: &Token<'_>,
    at: usize,
    core: &str,
) -> Option<Edit> {
    let lang = ctx.lang;
    let lx = ctx.lexicon;
    if rule.require_valid {
        // Rules that look inside tokens match many words: a common word of the frequency list
        // is taken as a word without asking Hunspell. (Not for whole-token rules: the lists
        // hold OCR fragments such as "1a" and "tbe".)
        // And a token that is a word of any language with resources is left alone: an English
        // word quoted in French ("comes") is not a misread French one ("cornes").
        let langs = crate::lexicon::LANGS;
        let common = rule.scope == Scope::Within
            && langs
                .iter()
                .any(|&l| lx.frequency(l, core).is_some_and(|z| z >= 3.0));
        if common || langs.iter().any(|&l| lx.is_word(l, core)) {
            return None;
        }
    }
    // The nearest neighbours with letters or digits (punctuation standing alone is skipped),
    // in the same paragraph: a word's context stops at a blank line.
    let has_word = |t: &Token<'_>| t.text.contains(words::is_alphanumeric);
    let apart = |a: &Token<'_>, b: &Token<'_>| words::gap(text, a, b) == words::Gap::Blank;
    let prev = std::iter::successors(Some(*token), |t| {
        words::token_before(text, t).filter(|p| !apart(p, t))
    })
    .skip(1)
    .find(has_word)
    .map(|t| t.text);
    let next = std::iter::successors(Some(*token), |t| {
        words::token_after(text, t).filter(|n| !apart(t, n))
    })
    .skip(1)
    .find(has_word)
    .map(|t| t.text);
    if rule.context_words
        && (!prev.is_none_or(is_context_word) || !next.is_none_or(is_context_word))
    {
        return None;
    }
    // A neighbour's word, after any elision ("l'annexe": "annexe").
    let neighbour = |t: Option<&str>| {
        t.map(|t| {
            let core = token_core(t).1;
            core.rsplit(['\'', '’'])
                .next()
                .unwrap_or(core)
                .to_lowercase()
        })
    };
    if neighbour(prev).is_some_and(|p| rule.not_after.contains(&p))
        || neighbour(next).is_some_and(|n| rule.not_before.contains(&n))
    {
        return None;
    }
    let candidates: Vec<String> = match rule.scope {
        Scope::Token => vec![
            rule.pattern
                .replace(core, rule.replacement.as_str())
                .into_owned(),
        ],
        Scope::Within => within_candidates(rule, core),
    };
    // The valid reading; of several, the most frequent.
    let zipf_of = |w: &str| lx.frequency(lang, w).unwrap_or(0.0);
    let result = candidates
        .into_iter()
        .filter(|c| c != core)
        .filter(|c| !rule.require_valid || lx.is_word(lang, c))
        .max_by(|a, b| zipf_of(a).total_cmp(&zipf_of(b)))?;
    let zipf = lx
        .frequency(lang, &result)
        .map_or_else(|| "-".to_owned(), |z| format!("{z:.2}"));
    let evidence = format!(
        "{core} -> {result}{}; zipf {zipf}; context {} _ {}",
        if rule.require_valid {
            format!(": {core} unknown, {result} {lang} valid")
        } else {
            String::new()
        },
        prev.unwrap_or("^"),
        next.unwrap_or("$")
    );
    Some(Edit::new(
        at..at + core.len(),
        result,
        rule.rule.id,
        rule.confidence,
        evidence,
    ))
}

/// Readings of a token for a `within` rule: every combination of its matches replaced (up to
/// four matches), or all of them and each one alone (up to sixteen). A token with more
/// matches than that is not a word misread; it gets none (and no quadratic work).
fn within_candidates(rule: &Confusion, core: &str) -> Vec<String> {
    const MAX_MATCHES: usize = 16;
    let matches: Vec<regex::Match<'_>> =
        rule.pattern.find_iter(core).take(MAX_MATCHES + 1).collect();
    let n = matches.len();
    let subsets: Vec<u32> = match n {
        0..=4 => (1..(1u32 << n)).collect(),
        5..=MAX_MATCHES => std::iter::once((1u32 << n) - 1)
            .chain((0..n).map(|i| 1 << i))
            .collect(),
        _ => Vec::new(),
    };
    subsets
        .into_iter()
        .map(|mask| {
            let mut out = String::with_capacity(core.len());
            let mut last = 0;
            for (i, m) in matches.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    out.push_str(&core[last..m.start()]);
                    let piece = rule.pattern.replace(m.as_str(), rule.replacement.as_str());
                    out.push_str(&piece);
                    last = m.end();
                }
            }
            out.push_str(&core[last..]);
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The prefilter passes every token some pattern matches, and no pattern is left without
    /// one unless it has no strings to require.
    #[test]
    fn required_prefixes_find_every_token_a_pattern_matches() {
        let patterns = ["^1(a|e|es)$", "^1(['’]\\p{L}+)$", "rn", "m", "^([Tt])be$"];
        let ac = required_prefixes(patterns.iter().copied()).expect("finite prefixes");
        let set = regex::RegexSet::new(patterns).unwrap();
        for token in [
            "1a",
            "1es",
            "1’appel",
            "cornes",
            "homme",
            "tbe",
            "The",
            "la",
            "chose",
        ] {
            assert_eq!(ac.is_match(token), set.is_match(token), "{token}");
        }
        // A pattern that can match without any given string gives no prefilter.
        assert!(required_prefixes(["m", "x*"].into_iter()).is_none());
        assert!(required_prefixes(["m", "\\w"].into_iter()).is_none());
        assert!(required_prefixes(["(\\pL)1"].into_iter()).is_none());
        // Nor one with white space in its strings.
        assert!(required_prefixes(["m", "a b"].into_iter()).is_none());
    }
}
