//! The pipeline: passes in a fixed order, their edits applied with provenance.

use std::collections::BTreeMap;

use crate::edit::{AppliedEdit, Edit, SkippedEdit};
use crate::passes::{PASSES, Pass};
use crate::sourcemap::SourceMap;
use crate::{Document, Rule};

/// What a pass knows besides the text it is given.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub document: &'a Document,
}

/// A fixed sequence of passes.
#[derive(Clone)]
pub struct Pipeline {
    passes: Vec<&'static dyn Pass>,
}

impl Default for Pipeline {
    /// Every built-in pass, in the documented order.
    fn default() -> Self {
        Pipeline {
            passes: PASSES.to_vec(),
        }
    }
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.passes.iter().map(|p| p.id()))
            .finish()
    }
}

/// The result of running a document through the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The cleaned text.
    pub text: String,
    /// Every edit applied, in the order applied (by pass, then by position).
    pub edits: Vec<AppliedEdit>,
    /// Edits that were proposed but lost to an overlapping one.
    pub skipped: Vec<SkippedEdit>,
}

impl Outcome {
    /// Number of applied edits per rule id.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for e in &self.edits {
            *counts.entry(e.rule).or_default() += 1;
        }
        counts
    }

    /// Number of skipped edits per rule id.
    pub fn skipped_counts(&self) -> BTreeMap<&'static str, usize> {
        let mut counts = BTreeMap::new();
        for e in &self.skipped {
            *counts.entry(e.rule).or_default() += 1;
        }
        counts
    }
}

impl Pipeline {
    /// A pipeline of the given passes, in the given order.
    pub fn with_passes(passes: Vec<&'static dyn Pass>) -> Self {
        Pipeline { passes }
    }

    /// The passes, in order.
    pub fn passes(&self) -> impl Iterator<Item = &'static dyn Pass> + '_ {
        self.passes.iter().copied()
    }

    /// The rules the passes of this pipeline can apply.
    pub fn rules(&self) -> impl Iterator<Item = &'static Rule> + '_ {
        self.passes.iter().flat_map(|p| p.rules().iter())
    }

    /// Run every pass over the document.
    ///
    /// Each pass sees the text left by the passes before it. Its edits are sorted by position;
    /// when two of them overlap, the first (by start, then by end) wins. An edit that cuts
    /// through text an earlier pass produced (overlapping it without covering it whole) loses
    /// to that earlier edit: the earlier pass wins. Edits that lose are kept in
    /// [`Outcome::skipped`].
    pub fn run(&self, document: &Document) -> Outcome {
        let ctx = Context { document };
        let mut text = document.text.clone();
        let mut map = SourceMap::identity(text.len());
        let mut outcome = Outcome::default();
        for pass in &self.passes {
            let mut edits = pass.run(&text, &ctx);
            if edits.is_empty() {
                continue;
            }
            edits.sort_by_key(|e| (e.range.start, e.range.end));
            let mut accepted: Vec<(std::ops::Range<usize>, usize, std::ops::Range<usize>, usize)> =
                Vec::with_capacity(edits.len());
            let mut new_text = String::with_capacity(text.len());
            let mut copied_to = 0;
            let mut last_end = 0;
            let mut last_rule = "";
            for edit in edits {
                debug_assert!(
                    text.is_char_boundary(edit.range.start)
                        && text.is_char_boundary(edit.range.end)
                        && edit.range.start <= edit.range.end,
                    "pass {} made an edit off char boundaries: {edit:?}",
                    pass.id()
                );
                let raw = map.raw_range(&edit.range);
                let loser = if !accepted.is_empty() && edit.range.start < last_end {
                    Some(last_rule)
                } else {
                    map.conflict(&edit.range).map(|i| outcome.edits[i].rule)
                };
                if let Some(winner) = loser {
                    outcome
                        .skipped
                        .push(skipped(&text, &edit, pass.id(), raw, winner));
                    continue;
                }
                new_text.push_str(&text[copied_to..edit.range.start]);
                new_text.push_str(&edit.replacement);
                copied_to = edit.range.end;
                last_end = edit.range.end;
                last_rule = edit.rule;
                accepted.push((
                    edit.range.clone(),
                    edit.replacement.len(),
                    raw.clone(),
                    outcome.edits.len(),
                ));
                outcome.edits.push(AppliedEdit {
                    rule: edit.rule,
                    pass: pass.id(),
                    raw,
                    before: text[edit.range.clone()].to_owned(),
                    after: edit.replacement.into_owned(),
                    confidence: edit.confidence,
                    evidence: edit.evidence.into_owned(),
                });
            }
            new_text.push_str(&text[copied_to..]);
            map = map.apply(&accepted);
            text = new_text;
            #[cfg(test)]
            if let Err(e) = map.verify(&text, &document.text) {
                panic!("source map broken after pass {}: {e}", pass.id());
            }
        }
        outcome.text = text;
        outcome
    }
}

fn skipped(
    text: &str,
    edit: &Edit,
    pass: &'static str,
    raw: std::ops::Range<usize>,
    winner: &'static str,
) -> SkippedEdit {
    SkippedEdit {
        rule: edit.rule,
        pass,
        raw,
        before: text[edit.range.clone()].to_owned(),
        after: edit.replacement.to_string(),
        conflicts_with: winner,
    }
}
