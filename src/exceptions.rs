//! Exceptions: edits a reviewer rejected, so that later runs do not make them again.
//!
//! An exception names a rule, optionally a file (its path relative to the input directory),
//! the raw text the edit replaced and some raw text either side of it. An edit of that rule
//! over exactly that text, in that context, is skipped with [`crate::SkipReason::Rejected`].
//! Matching on the text rather than on a line number keeps an exception valid when other
//! parts of the file change.
//!
//! Exceptions live in `exceptions.toml` in a rules directory, written by `ocrtidy review` and
//! `ocrtidy reject`, as an array of `[[reject]]` tables. The library parses and formats that
//! text; reading and writing the file is the caller's business.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::Error;

/// How many characters of raw text either side of an edit an exception keeps as context.
pub const CONTEXT_CHARS: usize = 30;

/// One rejected edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    /// The rule whose edit was rejected.
    pub rule: String,
    /// The file, as a path relative to the input directory with `/` separators; empty for
    /// every file.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// Raw text just before the edit.
    #[serde(default)]
    pub left: String,
    /// The raw text the edit replaced (empty for an insertion).
    #[serde(default)]
    pub text: String,
    /// Raw text just after the edit.
    #[serde(default)]
    pub right: String,
    /// What the rule would have made of it, for the reader; not used for matching.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub after: String,
}

impl Exception {
    /// The exception for an edit of `rule` over `range` of the raw text `raw`, in `file`,
    /// with [`CONTEXT_CHARS`] characters of context either side.
    pub fn capture(raw: &str, range: Range<usize>, rule: &str, file: &str, after: &str) -> Self {
        let before = &raw[..range.start];
        let left_start = before
            .char_indices()
            .rev()
            .nth(CONTEXT_CHARS - 1)
            .map_or(0, |(i, _)| i);
        let rest = &raw[range.end..];
        let right_end = rest
            .char_indices()
            .nth(CONTEXT_CHARS)
            .map_or(rest.len(), |(i, _)| i);
        Exception {
            rule: rule.to_owned(),
            file: file.replace('\\', "/"),
            left: before[left_start..].to_owned(),
            text: raw[range.clone()].to_owned(),
            right: rest[..right_end].to_owned(),
            after: after.to_owned(),
        }
    }

    /// Whether this exception covers an edit of its rule over `range` of `raw` in the
    /// document named `name`.
    fn matches(&self, name: &str, raw: &str, range: &Range<usize>) -> bool {
        raw.get(range.clone()) == Some(self.text.as_str())
            && raw[..range.start].ends_with(&self.left)
            && raw[range.end..].starts_with(&self.right)
            && (self.file.is_empty() || Path::new(name).ends_with(&self.file))
    }
}

/// The exceptions in force, by rule.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Exceptions {
    by_rule: HashMap<String, Vec<Exception>>,
    len: usize,
}

/// The file format: `[[reject]]` tables.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    reject: Vec<Exception>,
}

impl Exceptions {
    /// Parse an `exceptions.toml` text and add its exceptions. Errors name the file and line.
    pub fn layer(&mut self, name: &str, text: &str) -> Result<(), Error> {
        let file: File = crate::settings::parse_toml(name, text)?;
        for e in file.reject {
            self.add(e);
        }
        Ok(())
    }

    /// Add one exception (a duplicate is ignored).
    pub fn add(&mut self, exception: Exception) {
        let list = self.by_rule.entry(exception.rule.clone()).or_default();
        if !list.contains(&exception) {
            list.push(exception);
            self.len += 1;
        }
    }

    /// Number of exceptions.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether an edit of `rule` over `range` of `raw`, in the document named `name`, was
    /// rejected.
    pub fn rejects(&self, rule: &str, name: &str, raw: &str, range: &Range<usize>) -> bool {
        self.by_rule
            .get(rule)
            .is_some_and(|list| list.iter().any(|e| e.matches(name, raw, range)))
    }

    /// Whether `exception` is already in force.
    pub fn contains(&self, exception: &Exception) -> bool {
        self.by_rule
            .get(&exception.rule)
            .is_some_and(|list| list.contains(exception))
    }
}

/// The TOML text of `exceptions` as `[[reject]]` tables, to append to an `exceptions.toml`.
pub fn to_toml(exceptions: &[Exception]) -> String {
    let file = File {
        reject: exceptions.to_vec(),
    };
    toml::to_string(&file).expect("exceptions serialize")
}

/// The header of a new `exceptions.toml`.
pub const HEADER: &str = "\
# Edits a reviewer rejected (written by `ocrtidy review` and `ocrtidy reject`).
# An edit of `rule` over exactly `text` of the raw input, between `left` and `right`, in `file`
# (relative to the input directory; every file when absent), is not made again.
# `after` is what the rule would have written. Delete an entry to allow the edit again.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capture_and_match() {
        let raw = "Les réfl exions du comité.\nSuite.";
        let start = raw.find("réfl exions").unwrap();
        let range = start..start + "réfl exions".len();
        let e = Exception::capture(raw, range.clone(), "lig-split", "sub/a.txt", "réflexions");
        assert_eq!(e.left, "Les ");
        assert_eq!(e.right, " du comité.\nSuite.");
        let mut all = Exceptions::default();
        all.add(e.clone());
        assert!(all.rejects("lig-split", "raw/sub/a.txt", raw, &range));
        assert!(!all.rejects("lig-split", "raw/b.txt", raw, &range));
        assert!(!all.rejects("dehyphen", "raw/sub/a.txt", raw, &range));
        // Another context does not match.
        let other = "Nos réfl exions du comité.\nSuite.";
        let s = other.find("réfl").unwrap();
        assert!(!all.rejects("lig-split", "sub/a.txt", other, &(s..s + range.len())));
        // Earlier text may change: the context still matches.
        let shifted = format!("Préambule.\n{raw}");
        let s = shifted.find("réfl").unwrap();
        assert!(all.rejects("lig-split", "sub/a.txt", &shifted, &(s..s + range.len())));
    }

    #[test]
    fn context_is_bounded_in_characters() {
        let raw = format!("{}X{}", "é".repeat(50), "è".repeat(50));
        let s = raw.find('X').unwrap();
        let e = Exception::capture(&raw, s..s + 1, "r", "", "Y");
        assert_eq!(e.left.chars().count(), CONTEXT_CHARS);
        assert_eq!(e.right.chars().count(), CONTEXT_CHARS);
    }

    #[test]
    fn toml_round_trip_keeps_every_character() {
        let e = Exception {
            rule: "reflow".into(),
            file: "a b/c\"d.txt".into(),
            left: "tab\there \\ 'q' \"dq\" ''' \"\"\"".into(),
            text: "\n".into(),
            right: "  trailing  \n\nnext ✓".into(),
            after: " ".into(),
        };
        let text = format!("{HEADER}\n{}", to_toml(std::slice::from_ref(&e)));
        let mut all = Exceptions::default();
        all.layer("exceptions.toml", &text).unwrap();
        assert!(all.contains(&e));
        assert_eq!(all.len(), 1);
        // Appending to an existing file keeps it valid.
        let more = format!(
            "{text}\n{}",
            to_toml(&[Exception {
                rule: "x".into(),
                ..e
            }])
        );
        let mut all = Exceptions::default();
        all.layer("exceptions.toml", &more).unwrap();
        assert_eq!(all.len(), 2);
    }

    #[test]
    fn unknown_fields_are_errors_with_a_line() {
        let err = Exceptions::default()
            .layer("x.toml", "[[reject]]\nrule = \"a\"\ntexte = \"b\"\n")
            .unwrap_err();
        assert!(err.to_string().starts_with("x.toml:3:"), "{err}");
    }
}
