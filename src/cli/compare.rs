//! Comparing an accepted output with a new one: word-level hunks, each labelled with the
//! edits of the new run behind it; and rendering them for a terminal.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::ops::Range;

use ocrtidy::{Exception, LineIndex, SkipReason, visible};
use serde::{Deserialize, Serialize};
use similar::{DiffOp, TextDiff};

use super::analyse::Analysis;

/// One change between the accepted text and the new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hunk {
    /// Byte range in the accepted text, and its text.
    pub old_start: usize,
    pub old_end: usize,
    pub old: String,
    /// Byte range in the new text, and its text.
    pub new_start: usize,
    pub new_end: usize,
    pub new: String,
    /// Line of the accepted text where it starts (1-based).
    pub line: usize,
    /// The accepted text either side, within the line, for display.
    pub context_before: String,
    pub context_after: String,
    /// The edits of the new run behind this change.
    pub edits: Vec<HunkEdit>,
    /// When no edit is behind it: why the text changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An edit behind a hunk, with what it takes to remember a rejection of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HunkEdit {
    pub rule: String,
    pub confidence: f32,
    pub evidence: String,
    /// Whether its rule changes only layout.
    pub layout: bool,
    /// Where it is in the raw input: 1-based line and column.
    pub line: usize,
    pub column: usize,
    pub before: String,
    pub after: String,
    /// The exception that rejecting it records.
    pub exception: Exception,
}

impl Hunk {
    /// The change of `accepted[old]` into `new[new_range]`, located and given its context in
    /// the accepted text (`index` is its line index).
    pub fn new(
        accepted: &str,
        new: &str,
        index: &LineIndex<'_>,
        old: Range<usize>,
        new_range: Range<usize>,
        edits: Vec<HunkEdit>,
        note: Option<String>,
    ) -> Self {
        let (context_before, context_after) = super::analyse::context(accepted, old.clone());
        Hunk {
            line: index.position(old.start).line,
            old: accepted[old.clone()].to_owned(),
            new: new[new_range.clone()].to_owned(),
            old_start: old.start,
            old_end: old.end,
            new_start: new_range.start,
            new_end: new_range.end,
            context_before,
            context_after,
            edits,
            note,
        }
    }

    /// The distinct rules behind this hunk, in order of first appearance.
    pub fn rules(&self) -> Vec<&str> {
        let mut seen = Vec::new();
        for e in &self.edits {
            if !seen.contains(&e.rule.as_str()) {
                seen.push(e.rule.as_str());
            }
        }
        seen
    }

    /// The edits a rejection of this hunk remembers: its word repairs, or, when it has none,
    /// its layout edits. With `rules`, only the edits of those rules.
    pub fn rejected_edits(&self, rules: &[String]) -> Vec<&HunkEdit> {
        let selected: Vec<&HunkEdit> = self
            .edits
            .iter()
            .filter(|e| rules.is_empty() || rules.contains(&e.rule))
            .collect();
        if !rules.is_empty() {
            return selected;
        }
        let words: Vec<&HunkEdit> = selected.iter().copied().filter(|e| !e.layout).collect();
        if words.is_empty() { selected } else { words }
    }
}

/// Byte ranges (old, new) of the word-level changes between `old` and `new`.
pub fn word_changes(old: &str, new: &str) -> Vec<(Range<usize>, Range<usize>)> {
    let diff = TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(std::time::Duration::from_secs(5))
        .diff_words(old, new);
    let offsets = |slices: &[&str]| -> Vec<usize> {
        let mut out = Vec::with_capacity(slices.len() + 1);
        let mut at = 0;
        out.push(0);
        for s in slices {
            at += s.len();
            out.push(at);
        }
        out
    };
    let old_at = offsets(diff.old_slices());
    let new_at = offsets(diff.new_slices());
    let mut out: Vec<(Range<usize>, Range<usize>)> = Vec::new();
    let mut open: Option<(Range<usize>, Range<usize>)> = None;
    for op in diff.ops() {
        if let DiffOp::Equal { .. } = op {
            if let Some(h) = open.take() {
                out.push(h);
            }
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        let (o, n) = (
            old_at[o.start]..old_at[o.end],
            new_at[n.start]..new_at[n.end],
        );
        open = Some(match open {
            Some((po, pn)) => (po.start..o.end.max(po.end), pn.start..n.end.max(pn.end)),
            None => (o, n),
        });
    }
    out.extend(open);
    out
}

/// Compare the accepted text with the analysis's new output, and label each change with the
/// edits behind it. `rel` is the file's path relative to its input directory (exceptions
/// name it).
pub fn compare(
    accepted: &str,
    analysis: &Analysis,
    layout_rules: &HashSet<&'static str>,
    rel: &str,
) -> Vec<Hunk> {
    let new = &analysis.outcome.text;
    if accepted == new {
        return Vec::new();
    }
    let old_index = LineIndex::new(accepted);
    let raw_index = LineIndex::new(&analysis.raw);
    word_changes(accepted, new)
        .into_iter()
        .map(|(o, n)| {
            let raw = analysis.outcome.raw_range(n.clone());
            let touches = |e: &Range<usize>| {
                if e.is_empty() || raw.is_empty() {
                    e.start <= raw.end && raw.start <= e.end
                } else {
                    e.start < raw.end && raw.start < e.end
                }
            };
            let edits: Vec<HunkEdit> = analysis
                .outcome
                .edits
                .iter()
                .filter(|e| touches(&e.raw))
                .map(|e| {
                    let pos = raw_index.position(e.raw.start);
                    HunkEdit {
                        rule: e.rule.to_owned(),
                        confidence: e.confidence,
                        evidence: e.evidence.clone(),
                        layout: layout_rules.contains(e.rule),
                        line: pos.line,
                        column: pos.column,
                        before: e.before.clone(),
                        after: e.after.clone(),
                        exception: Exception::capture(
                            &analysis.raw,
                            e.raw.clone(),
                            e.rule,
                            rel,
                            &e.after,
                        ),
                    }
                })
                .collect();
            let note = edits.is_empty().then(|| {
                analysis
                    .outcome
                    .skipped
                    .iter()
                    .find(|s| touches(&s.raw) && !matches!(s.reason, SkipReason::Overlap { .. }))
                    .map_or_else(
                        || "ocrtidy no longer makes the accepted change".to_owned(),
                        |s| format!("{} not applied: {}", s.rule, s.reason),
                    )
            });
            Hunk::new(accepted, new, &old_index, o, n, edits, note)
        })
        .collect()
}

/// Whether to colour terminal output: standard output is a terminal and `NO_COLOR` is unset.
pub fn use_colour() -> bool {
    use std::io::IsTerminal as _;
    std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
}

const RED: &str = "\x1b[31;9m";
const GREEN: &str = "\x1b[32;1m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Paint `s` with a terminal style when `colour`.
pub fn paint(s: &str, style: Style, colour: bool) -> String {
    if !colour || s.is_empty() {
        return s.to_owned();
    }
    let code = match style {
        Style::Dim => DIM,
        Style::Bold => BOLD,
    };
    format!("{code}{s}{RESET}")
}

/// Terminal styles besides the diff's own.
#[derive(Debug, Clone, Copy)]
pub enum Style {
    Dim,
    Bold,
}

/// `old` → `new` in its context as one line, word by word: removed words as `[-…-]` and
/// inserted ones as `{+…+}` (red struck-through and green on a terminal). Invisible
/// characters are shown (⏎ for a line end).
pub fn inline(
    context_before: &str,
    old: &str,
    new: &str,
    context_after: &str,
    colour: bool,
) -> String {
    // Widen to whole words, so "réfl exions" → "réflexions" reads as words.
    let lead = context_before
        .char_indices()
        .rev()
        .take_while(|(_, c)| !c.is_whitespace())
        .last()
        .map_or(context_before.len(), |(i, _)| i);
    let trail = context_after
        .char_indices()
        .find(|(_, c)| c.is_whitespace())
        .map_or(context_after.len(), |(i, _)| i);
    let (pre, word_lead) = context_before.split_at(lead);
    let (word_trail, post) = context_after.split_at(trail);
    let old_words = format!("{word_lead}{old}{word_trail}");
    let new_words = format!("{word_lead}{new}{word_trail}");
    let mut out = String::new();
    if !pre.is_empty() {
        let _ = write!(out, "…{}", visible(pre));
    }
    // The changed middle: the words between the longest common runs of words at either end.
    let diff = TextDiff::from_words(&old_words, &new_words);
    let ops = diff.ops();
    let equal_len = |op: Option<&DiffOp>| match op {
        Some(op @ DiffOp::Equal { .. }) => diff.old_slices()[op.old_range()].concat().len(),
        _ => 0,
    };
    let head = equal_len(ops.first());
    let tail = if ops.len() > 1 {
        equal_len(ops.last())
    } else {
        0
    };
    let old_mid = &old_words[head..old_words.len() - tail];
    let new_mid = &new_words[head..new_words.len() - tail];
    out.push_str(&visible(&old_words[..head]));
    if !old_mid.is_empty() {
        if colour {
            let _ = write!(out, "{RED}{}{RESET}", visible(old_mid));
        } else {
            let _ = write!(out, "[-{}-]", visible(old_mid));
        }
    }
    if !new_mid.is_empty() {
        if colour {
            let _ = write!(out, "{GREEN}{}{RESET}", visible(new_mid));
        } else {
            let _ = write!(out, "{{+{}+}}", visible(new_mid));
        }
    }
    out.push_str(&visible(&old_words[old_words.len() - tail..]));
    if !post.is_empty() {
        let _ = write!(out, "{}…", visible(post));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_changes_group_adjacent_tokens() {
        let old = "les réfl exions du comité";
        let new = "les réflexions du comité";
        let changes = word_changes(old, new);
        assert_eq!(changes.len(), 1);
        let (o, n) = &changes[0];
        assert_eq!(&old[o.clone()], "réfl exions");
        assert_eq!(&new[n.clone()], "réflexions");
        assert!(word_changes("a b", "a b").is_empty());
    }

    #[test]
    fn inline_marks_whole_words() {
        assert_eq!(
            inline("Les réfl", " ", "", "exions du", false),
            "…Les [-réfl exions-]{+réflexions+} du…"
        );
        assert_eq!(
            inline("fin", "\n", " ", "suite", false),
            "fin[-⏎-]{+ +}suite"
        );
        let painted = inline("a ", "1a", "la", " b", true);
        assert!(painted.contains("\x1b[31;9m") && painted.contains("\x1b[32;1m"));
    }
}
