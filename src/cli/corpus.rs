//! Counting word forms over a batch, in parallel (the first pass of `clean`, and
//! `lexicon --corpus`).

use std::path::PathBuf;

use ocrtidy::{CorpusStats, Document};
use rayon::prelude::*;

use super::inputs::Job;

/// Word-form counts over `jobs`. Files that cannot be read or decoded are left out: the pass
/// that processes them reports the error.
pub fn count(jobs: &[Job]) -> CorpusStats {
    jobs.par_iter()
        .filter_map(|job| {
            let bytes = super::inputs::read_input(&job.source).ok()?;
            let doc = Document::from_bytes(job.source.display().to_string(), &bytes).ok()?;
            Some(CorpusStats::from_text(&doc.text))
        })
        .reduce(CorpusStats::default, |mut a, b| {
            a += b;
            a
        })
}

/// Count the files found under `dirs`, reporting the paths that could not be used.
pub fn count_dirs(
    dirs: &[PathBuf],
    globs: &[String],
) -> anyhow::Result<(CorpusStats, Vec<String>)> {
    let found = super::inputs::find(dirs, globs)?;
    Ok((count(&found.jobs), found.errors))
}
