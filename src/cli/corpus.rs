//! Counting word forms over a batch, in parallel (the first pass of `clean`, and
//! `lexicon --corpus`).

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use ocrtidy::{CorpusStats, Document};
use rayon::prelude::*;

use super::inputs::Job;

/// Word-form counts over `jobs`. Files that cannot be read or decoded are left out: the pass
/// that processes them reports the error.
pub fn count(jobs: &[Job]) -> CorpusStats {
    count_keeping(jobs, 0).0
}

/// The documents read for the corpus count and kept for the cleaning, by job: each such file
/// is then read and decoded once instead of twice. For a 100 MB file that saves 0.1 s of one
/// thread while the other waits; for small files, the system calls of a second read (on this
/// machine, opening, reading and closing the 15,000 files of the benchmark's tree takes
/// 0.3 s of system time, an eighth of the CPU time of cleaning them). What is kept is bounded:
/// [`KEEP`] bytes of text, or one document alone when it is larger (the largest file is held
/// while it is cleaned anyway). The cleaning takes each as it comes, so the memory is given
/// back as it goes.
pub struct Kept {
    docs: Vec<Mutex<Option<(Document, u64)>>>,
}

impl Kept {
    /// Job `i`'s document and the size of its file, if it was kept (once).
    pub fn take(&self, i: usize) -> Option<(Document, u64)> {
        self.docs
            .get(i)?
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }

    /// Nothing kept.
    pub fn none() -> Self {
        Kept { docs: Vec::new() }
    }
}

/// Text kept between the count and the cleaning, in bytes, unless a single document is larger.
pub const KEEP: usize = 32 << 20;

/// [`count`], keeping the documents read up to `keep` bytes of text (or one document alone
/// when it is larger).
pub fn count_keeping(jobs: &[Job], keep: usize) -> (CorpusStats, Kept) {
    let kept = Kept {
        docs: jobs.iter().map(|_| Mutex::new(None)).collect(),
    };
    let used = AtomicUsize::new(0);
    // Each thread counts its files into one table of its own (a table per file would be
    // grown from empty and merged once per file); the threads' tables are merged at the end.
    let stats = jobs
        .par_iter()
        .enumerate()
        .fold(CorpusStats::default, |mut stats, (i, job)| {
            let Ok(bytes) = super::inputs::read_input(&job.source) else {
                return stats;
            };
            let size = bytes.len() as u64;
            let Ok(doc) = Document::from_vec(job.source.display().to_string(), bytes) else {
                return stats;
            };
            stats.add_text(&doc.text);
            let len = doc.text.len();
            let room = used.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |u| {
                (keep > 0 && u + len <= keep.max(len)).then_some(u + len)
            });
            if room.is_ok() {
                *kept.docs[i].lock().unwrap_or_else(|e| e.into_inner()) = Some((doc, size));
            }
            stats
        })
        .reduce(CorpusStats::default, |mut a, b| {
            a += b;
            a
        });
    (stats, kept)
}

/// Count the files found under `dirs`, reporting the paths that could not be used.
pub fn count_dirs(
    dirs: &[PathBuf],
    globs: &[String],
) -> anyhow::Result<(CorpusStats, Vec<String>)> {
    let found = super::inputs::find(dirs, globs)?;
    Ok((count(&found.jobs), found.errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jobs(dir: &std::path::Path, sizes: &[usize]) -> Vec<Job> {
        sizes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let source = dir.join(format!("{n}-{i}.txt"));
                std::fs::write(&source, "mot ".repeat(n / 4)).unwrap();
                Job {
                    source,
                    rel: PathBuf::from(format!("{n}-{i}.txt")),
                }
            })
            .collect()
    }

    /// Documents are kept up to the bound, or one alone when it is larger; what is kept is
    /// what a read gives, once; the counts do not depend on what is kept.
    #[test]
    fn documents_are_kept_within_the_bound() {
        let dir = tempfile::tempdir().unwrap();
        let small = jobs(dir.path(), &[100; 5]);
        let (stats, kept) = count_keeping(&small, 250);
        let taken: Vec<_> = (0..small.len()).filter_map(|i| kept.take(i)).collect();
        assert_eq!(taken.len(), 2, "two of 100 bytes within 250");
        for (doc, size) in &taken {
            let again = std::fs::read(&doc.name).unwrap();
            assert_eq!(doc.text.as_bytes(), &again[..]);
            assert_eq!(*size, again.len() as u64);
        }
        assert!(
            (0..small.len()).all(|i| kept.take(i).is_none()),
            "taken once"
        );
        assert_eq!(stats, count(&small));
        assert_eq!(stats.documents, 5);

        let big = jobs(dir.path(), &[1000]);
        let (_, kept) = count_keeping(&big, 250);
        assert!(
            kept.take(0).is_some(),
            "one document larger than the bound, alone"
        );
        let (_, kept) = count_keeping(&big, 0);
        assert!(kept.take(0).is_none(), "nothing kept without a bound");
    }
}
