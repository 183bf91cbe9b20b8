//! Finding the files to process: inputs are files or directories walked recursively.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context as _, Result, bail};
use ignore::WalkBuilder;
use ignore::overrides::OverrideBuilder;

/// One file to process, and where its output goes relative to the output directory.
#[derive(Debug, Clone)]
pub struct Job {
    pub source: PathBuf,
    pub rel: PathBuf,
}

/// The files found, and the inputs that could not be used (each message names the path).
#[derive(Debug, Default)]
pub struct Found {
    pub jobs: Vec<Job>,
    pub errors: Vec<String>,
}

/// The default glob for files inside directories.
pub const DEFAULT_GLOB: &str = "*.txt";

/// Walk the inputs. Files given by name are always taken; inside directories only files that
/// match one of `globs` are, hidden files and directories are skipped, links are not followed
/// and the order is by name, so runs are reproducible.
pub fn find(inputs: &[PathBuf], globs: &[String]) -> Result<Found> {
    let globs: Vec<&str> = if globs.is_empty() {
        vec![DEFAULT_GLOB]
    } else {
        globs.iter().map(String::as_str).collect()
    };
    let mut found = Found::default();
    for input in inputs {
        let meta = match std::fs::metadata(input) {
            Ok(meta) => meta,
            Err(err) => {
                found
                    .errors
                    .push(format!("{}: {}", input.display(), io_reason(&err)));
                continue;
            }
        };
        if !meta.is_dir() {
            let rel = input
                .file_name()
                .map(PathBuf::from)
                .with_context(|| format!("{}: not a file name", input.display()))?;
            found.jobs.push(Job {
                source: input.clone(),
                rel,
            });
            continue;
        }
        let mut overrides = OverrideBuilder::new(input);
        for glob in &globs {
            overrides
                .add(glob)
                .with_context(|| format!("invalid --glob {glob:?}"))?;
        }
        let walker = WalkBuilder::new(input)
            .standard_filters(false)
            .hidden(true)
            .follow_links(false)
            .overrides(overrides.build().context("invalid --glob")?)
            .sort_by_file_name(|a, b| a.cmp(b))
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    if entry.file_type().is_some_and(|t| t.is_file()) {
                        let rel = entry
                            .path()
                            .strip_prefix(input)
                            .unwrap_or(entry.path())
                            .to_path_buf();
                        found.jobs.push(Job {
                            source: entry.into_path(),
                            rel,
                        });
                    }
                }
                Err(err) => found.errors.push(walk_error(&err)),
            }
        }
    }
    Ok(found)
}

fn walk_error(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { path, err } => format!("{}: {}", path.display(), err),
        ignore::Error::WithDepth { err, .. } => walk_error(err),
        ignore::Error::Io(e) => io_reason(e),
        other => other.to_string(),
    }
}

/// A short reason for an I/O error, without the "(os error N)" suffix.
pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => err.to_string(),
    }
}

/// `path` made absolute and free of `.` and `..`, resolving links in the part that exists.
pub fn resolve(path: &Path) -> Result<PathBuf> {
    let abs = std::path::absolute(path)
        .with_context(|| format!("{}: cannot resolve path", path.display()))?;
    // Find the longest existing ancestor, canonicalize it, and append the rest.
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canon) = existing.canonicalize() {
            let mut out = canon;
            for part in rest.iter().rev() {
                match part {
                    Component::ParentDir => {
                        out.pop();
                    }
                    Component::CurDir => {}
                    other => out.push(other.as_os_str()),
                }
            }
            return Ok(out);
        }
        match (existing.parent(), existing.components().next_back()) {
            (Some(parent), Some(last)) => {
                rest.push(last);
                existing = parent;
            }
            _ => return Ok(abs),
        }
    }
}

/// Refuse an output directory that is, or is inside, one of the input directories, and one
/// that is an existing file.
pub fn check_output_dir(inputs: &[PathBuf], output: &Path) -> Result<PathBuf> {
    let out = resolve(output)?;
    if out.is_file() {
        bail!(
            "{}: the output must be a directory, not a file",
            output.display()
        );
    }
    for input in inputs {
        if !input.is_dir() {
            continue;
        }
        let dir = resolve(input)?;
        if out.starts_with(&dir) {
            bail!(
                "refusing to write into {}: it is inside the input directory {} (inputs are never \
                 written); choose an output directory outside it",
                output.display(),
                input.display()
            );
        }
    }
    Ok(out)
}

/// Whether an error says the file is binary: such files are skipped with a warning, and do
/// not count as failures.
pub fn is_binary(err: &anyhow::Error) -> bool {
    matches!(
        err.downcast_ref::<ocrtidy::Error>(),
        Some(ocrtidy::Error::Binary { .. })
    )
}

/// The default largest input file, in bytes.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 256 << 20;

static MAX_FILE_SIZE: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(DEFAULT_MAX_FILE_SIZE);

/// Set the largest input file that is read (`--max-file-size`).
pub fn set_max_file_size(bytes: u64) {
    MAX_FILE_SIZE.store(bytes, std::sync::atomic::Ordering::Relaxed);
}

/// The largest input file that is read.
pub fn max_file_size() -> u64 {
    MAX_FILE_SIZE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Parse a size: a number of bytes with an optional K, M or G suffix (powers of 1024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, shift) = match s.char_indices().last() {
        Some((i, 'k' | 'K')) => (&s[..i], 10),
        Some((i, 'm' | 'M')) => (&s[..i], 20),
        Some((i, 'g' | 'G')) => (&s[..i], 30),
        _ => (s, 0),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a size (a number, with K, M or G)"))?;
    n.checked_shl(shift)
        .filter(|v| v >> shift == n)
        .ok_or_else(|| format!("{s} is too large"))
}

/// Read an input file whole, refusing (with a message naming it) one larger than the
/// `--max-file-size` limit before reading it.
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let limit = MAX_FILE_SIZE.load(std::sync::atomic::Ordering::Relaxed);
    let reason = |e: std::io::Error| anyhow::anyhow!("{}: {}", path.display(), io_reason(&e));
    let file = std::fs::File::open(path).map_err(reason)?;
    let len = file.metadata().map_err(reason)?.len();
    if len > limit {
        bail!(
            "{}: too large ({} MB; the limit is {} MB): not read; raise --max-file-size to \
             clean it",
            path.display(),
            len.div_ceil(1 << 20),
            limit >> 20
        );
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    std::io::Read::read_to_end(&mut std::io::Read::take(file, limit + 1), &mut bytes)
        .map_err(reason)?;
    if bytes.len() as u64 > limit {
        bail!(
            "{}: too large (more than {} MB): not read; raise --max-file-size to clean it",
            path.display(),
            limit >> 20
        );
    }
    Ok(bytes)
}
