//! Counting word forms over a batch, in parallel (the first pass of `clean`, and
//! `lexicon --corpus`).

use std::path::PathBuf;

use ocrtidy::{CorpusStats, Document};
use rayon::prelude::*;

use super::inputs::Job;

/// Word-form counts over `jobs`. Files that cannot be read or decoded are left out: the pass
/// that processes them reports the error.
pub fn count(jobs: &[Job]) -> CorpusStats {
    // Each thread counts its files into one table of its own (a table per file would be
    // grown from empty and merged once per file); the threads' tables are merged at the end.
    jobs.par_iter()
        .fold(CorpusStats::default, |mut stats, job| {
            let Ok(bytes) = super::inputs::read_input(&job.source) else {
                return stats;
            };
            if let Ok(doc) = Document::from_vec(job.source.display().to_string(), bytes) {
                stats.add_text(&doc.text);
            }
            stats
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
