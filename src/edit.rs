//! Edits: what a pass proposes, and what the pipeline reports once it is applied.

use std::borrow::Cow;
use std::ops::Range;

use serde::Serialize;

/// A change proposed by a pass, over the text that pass saw.
///
/// `range` is a byte range in that text (on `char` boundaries); an empty range is an
/// insertion. The pipeline sorts a pass's edits, resolves overlaps and applies them.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: Cow<'static, str>,
    /// Stable kebab-case id of the rule that made the edit (see [`crate::rules`]).
    pub rule: &'static str,
    /// How sure the rule is, from 0 to 1.
    pub confidence: f32,
    /// Short, human-readable evidence ("U+FB01 LATIN SMALL LIGATURE FI").
    pub evidence: Cow<'static, str>,
}

impl Edit {
    pub fn new(
        range: Range<usize>,
        replacement: impl Into<Cow<'static, str>>,
        rule: &'static str,
        confidence: f32,
        evidence: impl Into<Cow<'static, str>>,
    ) -> Self {
        Edit {
            range,
            replacement: replacement.into(),
            rule,
            confidence,
            evidence: evidence.into(),
        }
    }

    /// An edit that replaces `text[range]` by `replacement`, shrunk to the part that really
    /// changes (the common prefix and suffix are left out), so reports point at the change.
    /// Returns `None` when nothing changes.
    pub fn minimal(
        text: &str,
        range: Range<usize>,
        replacement: &str,
        rule: &'static str,
        confidence: f32,
        evidence: impl Into<Cow<'static, str>>,
    ) -> Option<Self> {
        let old = &text[range.clone()];
        if old == replacement {
            return None;
        }
        let prefix = common_prefix(old, replacement);
        let suffix = common_suffix(&old[prefix..], &replacement[prefix..]);
        let start = range.start + prefix;
        let end = range.end - suffix;
        let new = &replacement[prefix..replacement.len() - suffix];
        Some(Edit::new(
            start..end,
            new.to_owned(),
            rule,
            confidence,
            evidence,
        ))
    }
}

/// Length in bytes of the longest common prefix of `a` and `b` that ends on a char boundary.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices()
        .zip(b.chars())
        .find(|((_, ca), cb)| ca != cb)
        .map_or_else(|| a.len().min(b.len()), |((i, _), _)| i)
}

/// Length in bytes of the longest common suffix of `a` and `b` that starts on a char boundary.
fn common_suffix(a: &str, b: &str) -> usize {
    let mut n = 0;
    for (ca, cb) in a.chars().rev().zip(b.chars().rev()) {
        if ca != cb {
            break;
        }
        n += ca.len_utf8();
    }
    n
}

/// An edit as the pipeline applied it, located in the raw (decoded) text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedEdit {
    pub rule: &'static str,
    pub pass: &'static str,
    /// Byte range in the raw decoded text ([`crate::Document::text`]) that this edit changed.
    /// When the edit rewrote text that an earlier edit had produced, the range covers the raw
    /// text behind that earlier edit too.
    pub raw: Range<usize>,
    /// The text as the pass saw it.
    pub before: String,
    /// What it became.
    pub after: String,
    pub confidence: f32,
    pub evidence: String,
}

/// An edit that was proposed but not applied.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedEdit {
    pub rule: &'static str,
    pub pass: &'static str,
    pub raw: Range<usize>,
    pub before: String,
    pub after: String,
    pub confidence: f32,
    pub evidence: String,
    pub reason: SkipReason,
}

/// Why an edit was not applied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum SkipReason {
    /// It overlapped an earlier edit of the same pass, which won (`with` is its rule).
    Overlap { with: &'static str },
    /// It fell in a passage in another language than the document's.
    ForeignLanguage,
    /// Its rule is set to `flag`: reported, not applied.
    Flagged,
    /// Its confidence is below the threshold `min`: reported, not applied.
    BelowThreshold { min: f32 },
    /// A reviewer rejected this edit (an exception in the rules directory).
    Rejected,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Overlap { with } => write!(f, "overlaps an edit of {with}"),
            SkipReason::ForeignLanguage => f.write_str("in a passage in another language"),
            SkipReason::Flagged => f.write_str("flagged: the rule reports only"),
            SkipReason::BelowThreshold { min } => write!(f, "flagged: confidence below {min}"),
            SkipReason::Rejected => f.write_str("rejected by a reviewer (exceptions.toml)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_trims_common_parts() {
        let text = "ab  \ncd";
        let e = Edit::minimal(text, 2..5, "\n", "r", 1.0, "").unwrap();
        assert_eq!(e.range, 2..4);
        assert_eq!(e.replacement, "");
    }

    #[test]
    fn minimal_respects_char_boundaries() {
        let text = "é\u{a0}x";
        // "é\u{a0}" -> "é " : only the NBSP changes.
        let e = Edit::minimal(text, 0..4, "é ", "r", 1.0, "").unwrap();
        assert_eq!(&text[e.range.clone()], "\u{a0}");
        assert_eq!(e.replacement, " ");
        // Replacing a char by another sharing its first UTF-8 byte ("é" C3 A9, "è" C3 A8).
        let e = Edit::minimal("é", 0..2, "è", "r", 1.0, "").unwrap();
        assert_eq!(e.range, 0..2);
        assert_eq!(e.replacement, "è");
    }

    #[test]
    fn minimal_none_when_equal() {
        assert!(Edit::minimal("abc", 0..3, "abc", "r", 1.0, "").is_none());
    }
}
