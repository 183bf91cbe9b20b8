//! Running the pipeline over inputs in memory, with every edit located in the raw input:
//! what `diff`, `check`, `report` and pending outputs are built from.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::Result;
use ocrtidy::{Document, LineIndex, Outcome, Pipeline, SkipReason};
use rayon::prelude::*;
use serde::Serialize;

use super::PipelineArgs;
use super::inputs::{self, Found, Job};

/// How many characters of raw text either side of an edit are shown as its context.
pub const CONTEXT_CHARS: usize = 40;

/// The pipeline (with corpus statistics when its passes use them), the files found, and the
/// ids of the rules that change only layout.
pub struct Setup {
    pub pipeline: Pipeline,
    pub found: Found,
    pub layout_rules: HashSet<&'static str>,
}

/// Load the rules, find the inputs and count the corpus.
pub fn setup(rules_dir: Option<&Path>, args: &PipelineArgs, inputs: &[PathBuf]) -> Result<Setup> {
    let pipeline = super::config::pipeline(rules_dir, args.lang, args.layout)?;
    let found = inputs::find(inputs, &args.globs)?;
    let pipeline = if pipeline.needs_corpus() {
        let stats = super::corpus::count(&found.jobs);
        pipeline.with_corpus(std::sync::Arc::new(stats))
    } else {
        pipeline
    };
    let layout_rules = pipeline
        .rules()
        .filter(|r| r.layout)
        .map(|r| r.id)
        .collect();
    Ok(Setup {
        pipeline,
        found,
        layout_rules,
    })
}

/// One input run through the pipeline.
#[derive(Debug)]
pub struct Analysis {
    pub job: Job,
    /// The input's path as given, for messages.
    pub name: String,
    /// The decoded raw text.
    pub raw: String,
    /// The encoding it was decoded from.
    pub encoding: &'static str,
    pub outcome: Outcome,
}

/// Read, decode and clean one input. Errors name the file.
pub fn analyse(pipeline: &Pipeline, job: &Job) -> Result<Analysis> {
    let bytes = inputs::read_input(&job.source)?;
    let name = job.source.display().to_string();
    let document = Document::from_bytes(name.clone(), &bytes)?;
    let outcome = pipeline.run(&document);
    Ok(Analysis {
        job: job.clone(),
        name,
        encoding: document.decoding.encoding,
        raw: document.text,
        outcome,
    })
}

/// [`analyse`] every job on every core; the results keep the jobs' order.
pub fn analyse_all(pipeline: &Pipeline, jobs: &[Job]) -> Vec<Result<Analysis>> {
    jobs.par_iter().map(|job| analyse(pipeline, job)).collect()
}

/// One edit, applied or not, as reports show it.
#[derive(Debug, Clone, Serialize)]
pub struct EditRecord {
    pub rule: &'static str,
    pub pass: &'static str,
    /// Whether the rule changes only layout (line breaks, blank lines, spaces).
    pub layout: bool,
    /// Whether the edit was applied; when not, `reason` says why.
    pub applied: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// 1-based line and column (in characters) of the start of the edit in the raw input.
    pub line: usize,
    pub column: usize,
    /// Line and column just past its end.
    pub end_line: usize,
    pub end_column: usize,
    /// Byte range in the decoded raw input.
    pub raw_start: usize,
    pub raw_end: usize,
    /// The text the rule replaced, as its pass saw it, and what it became.
    pub before: String,
    pub after: String,
    pub confidence: f32,
    pub evidence: String,
    /// Raw text before and after the edit, up to [`CONTEXT_CHARS`] characters within the line.
    pub context_before: String,
    pub context_after: String,
}

impl EditRecord {
    /// `FILE:LINE:COLUMN` style position.
    pub fn position(&self) -> String {
        format!("{}:{}", self.line, self.column)
    }
}

impl Analysis {
    /// Every edit of the outcome, applied and skipped, in raw order (applied first at equal
    /// positions). Edits skipped because they overlapped another are left out: they never
    /// had a chance to apply.
    pub fn records(&self, layout_rules: &HashSet<&'static str>) -> Vec<EditRecord> {
        let index = LineIndex::new(&self.raw);
        let mut out: Vec<EditRecord> = self
            .outcome
            .edits
            .iter()
            .map(|e| {
                self.record(
                    &index,
                    layout_rules,
                    (e.rule, e.pass, &e.raw, &e.before, &e.after),
                    (e.confidence, &e.evidence),
                    None,
                )
            })
            .collect();
        for s in &self.outcome.skipped {
            if matches!(s.reason, SkipReason::Overlap { .. }) {
                continue;
            }
            out.push(self.record(
                &index,
                layout_rules,
                (s.rule, s.pass, &s.raw, &s.before, &s.after),
                (s.confidence, &s.evidence),
                Some(s.reason),
            ));
        }
        out.sort_by_key(|r| (r.raw_start, r.raw_end, !r.applied));
        out
    }

    fn record(
        &self,
        index: &LineIndex<'_>,
        layout_rules: &HashSet<&'static str>,
        (rule, pass, raw, before, after): (
            &'static str,
            &'static str,
            &std::ops::Range<usize>,
            &str,
            &str,
        ),
        (confidence, evidence): (f32, &str),
        reason: Option<SkipReason>,
    ) -> EditRecord {
        let start = index.position(raw.start);
        let end = index.position(raw.end);
        let (context_before, context_after) = context(&self.raw, raw.clone());
        EditRecord {
            rule,
            pass,
            layout: layout_rules.contains(rule),
            applied: reason.is_none(),
            reason: reason.map(|r| r.to_string()),
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            raw_start: raw.start,
            raw_end: raw.end,
            before: before.to_owned(),
            after: after.to_owned(),
            confidence,
            evidence: evidence.to_owned(),
            context_before,
            context_after,
        }
    }
}

/// Up to [`CONTEXT_CHARS`] characters of `raw` either side of `range`, not crossing a line end.
pub fn context(raw: &str, range: std::ops::Range<usize>) -> (String, String) {
    let before = &raw[..range.start];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let before = &before[line_start..];
    let start = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let after = &raw[range.end..];
    let after = &after[..after.find('\n').unwrap_or(after.len())];
    let end = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(after.len(), |(i, _)| i);
    (before[start..].to_owned(), after[..end].to_owned())
}
