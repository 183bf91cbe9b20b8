//! `ocrtidy clean`: inputs in, cleaned files out, on every core.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{IsTerminal as _, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::{Context as _, Result, bail};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use ocrtidy::{Document, Outcome, Pipeline, SkipReason};
use rayon::prelude::*;

use super::analyse::Analysis;
use super::inputs::{self, Job, io_reason};
use super::pending;
use super::write::{self, Written};
use super::{CleanArgs, EXIT_ERROR, EXIT_OK};

/// What happened to one file.
#[derive(Debug, Default)]
struct FileStats {
    bytes: u64,
    counts: BTreeMap<&'static str, usize>,
    /// Edits not applied: flagged (by setting or threshold), in foreign passages, overlapping.
    flagged: usize,
    foreign: usize,
    overlapping: usize,
    written: Option<Written>,
    encoding: Option<&'static str>,
    lang: ocrtidy::Lang,
}

pub fn run(args: CleanArgs, rules_dir: Option<&Path>) -> Result<u8> {
    let pipeline = super::config::pipeline(rules_dir, args.lang, args.layout)?;
    let stdin = args.inputs.iter().any(|p| p.as_os_str() == "-");
    if stdin {
        if args.inputs.len() > 1 {
            bail!("`-` (standard input) cannot be mixed with other inputs");
        }
        if args.output.is_some() {
            bail!("`-` writes the cleaned text to standard output; leave out -o");
        }
        return filter_stdin(&pipeline);
    }
    let Some(output) = &args.output else {
        bail!(
            "clean needs an output directory: ocrtidy clean INPUT... -o DIR (or `-` to filter standard input)"
        );
    };
    if args.pending {
        pending::refuse_in_ci("clean --pending")?;
    }
    let out_dir = inputs::check_output_dir(&args.inputs, output)?;
    let found = inputs::find(&args.inputs, &args.globs)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs.map_or(0, usize::from))
        .build()
        .context("cannot start worker threads")?;
    let existing = pool.install(|| check_collisions(&found.jobs, &out_dir))?;
    let progress = progress_bar(found.jobs.len() as u64, args.quiet);
    for err in &found.errors {
        progress.suspend(|| eprintln!("ocrtidy: {err}"));
    }
    // The dictionaries load while the inputs are read and counted, instead of keeping all
    // but one worker waiting when the first document needs them (cleaning in French or
    // English needs both: a word valid in the other language is left alone).
    std::thread::spawn(ocrtidy::lexicon::resources::preload);
    let started = Instant::now();
    // Only counts are kept of each file's edits, except for pending outputs (their
    // sidecars describe each edit).
    let pipeline = pipeline.lean(!args.pending);
    let (pipeline, kept) = if pipeline.needs_corpus() {
        // On the worker threads asked for (`--jobs`), as the cleaning; the documents read
        // are kept for it, within a bound.
        let (stats, kept) = pool.install(|| {
            use super::corpus::{KEEP, count_keeping};
            count_keeping(&found.jobs, KEEP)
        });
        (pipeline.with_corpus(std::sync::Arc::new(stats)), kept)
    } else {
        (pipeline, super::corpus::Kept::none())
    };
    let mode = Mode {
        pending: args.pending,
        rules_dir,
        layout_rules: pipeline
            .rules()
            .filter(|r| r.layout)
            .map(|r| r.id)
            .collect(),
    };
    let failures = Mutex::new(found.errors.len());
    let skipped = AtomicUsize::new(0);
    let interrupted = interrupt_flag();
    let not_started = AtomicUsize::new(0);
    let stats: Vec<FileStats> = pool.install(|| {
        found
            .jobs
            .par_iter()
            .enumerate()
            .filter_map(|(i, job)| {
                if interrupted.load(Ordering::Relaxed) {
                    not_started.fetch_add(1, Ordering::Relaxed);
                    return None;
                }
                let read = kept.take(i);
                let dest = Dest {
                    path: &out_dir.join(&job.rel),
                    existed: existing[i],
                };
                let result = clean_file(&pipeline, job, &dest, &mode, read);
                progress.inc(1);
                match result {
                    Ok(stats) => Some(stats),
                    Err(err) if inputs::is_binary(&err) => {
                        progress.suspend(|| eprintln!("ocrtidy: warning: {err:#}"));
                        skipped.fetch_add(1, Ordering::Relaxed);
                        None
                    }
                    Err(err) => {
                        progress.suspend(|| eprintln!("ocrtidy: {err:#}"));
                        *failures.lock().unwrap_or_else(|e| e.into_inner()) += 1;
                        None
                    }
                }
            })
            .collect()
    });
    progress.finish_and_clear();
    let failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    if interrupted.load(Ordering::Relaxed) {
        eprintln!(
            "ocrtidy: interrupted: {} file{} written or checked, {} not processed; every output \
             is either its old or its new complete version",
            stats.len(),
            if stats.len() == 1 { "" } else { "s" },
            not_started.into_inner()
        );
        return Ok(EXIT_INTERRUPTED);
    }
    if !args.quiet {
        eprint!(
            "{}",
            summary(
                &stats,
                failures,
                skipped.into_inner(),
                started.elapsed().as_secs_f64()
            )
        );
    }
    Ok(if failures > 0 { EXIT_ERROR } else { EXIT_OK })
}

/// How `clean` writes: over the outputs, or as pending outputs beside them.
struct Mode<'a> {
    pending: bool,
    rules_dir: Option<&'a Path>,
    layout_rules: HashSet<&'static str>,
}

/// Where a file's output goes.
struct Dest<'a> {
    path: &'a Path,
    /// Whether a file was there when the run began (without one, there is no old content to
    /// compare the output with: a fresh run writes without reading first).
    existed: bool,
}

/// Clean one file; `read` is its document and size when the corpus count kept them.
fn clean_file(
    pipeline: &Pipeline,
    job: &Job,
    dest: &Dest<'_>,
    mode: &Mode<'_>,
    read: Option<(Document, u64)>,
) -> Result<FileStats> {
    let (document, size) = match read {
        Some(read) => read,
        None => {
            let bytes = inputs::read_input(&job.source)?;
            let name = job.source.display().to_string();
            let size = bytes.len() as u64;
            (Document::from_vec(name, bytes)?, size)
        }
    };
    let outcome = pipeline.run(&document);
    let mut counts = outcome.counts();
    for (rule, n) in document.decode_counts() {
        *counts.entry(rule).or_default() += n;
    }
    let mut stats = FileStats {
        bytes: size,
        counts,
        flagged: count(&outcome, |r| {
            matches!(r, SkipReason::Flagged | SkipReason::BelowThreshold { .. })
        }),
        foreign: count(&outcome, |r| matches!(r, SkipReason::ForeignLanguage)),
        overlapping: count(&outcome, |r| matches!(r, SkipReason::Overlap { .. })),
        written: None,
        encoding: (document.decoding.encoding != "UTF-8").then_some(document.decoding.encoding),
        lang: outcome.lang,
    };
    stats.written = Some(if mode.pending {
        write_pending(job, document, outcome, dest.path, mode)?
    } else {
        let data = outcome.text.as_bytes();
        if dest.existed {
            write::atomic(dest.path, data)
        } else {
            write::atomic_new(dest.path, data)
        }
        .map_err(|e| anyhow::anyhow!("{}: cannot write: {}", dest.path.display(), io_reason(&e)))?
    });
    Ok(stats)
}

/// Exit code after an interruption (128 + SIGINT), as shells expect.
const EXIT_INTERRUPTED: u8 = 130;

/// A flag set by the first SIGINT (or SIGTERM): files in progress are finished and written,
/// no new file is started. A second one exits at once; writes are atomic, so every output is
/// still its old or its new complete version.
fn interrupt_flag() -> Arc<AtomicBool> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&flag);
    // Fails only when a handler is already installed (a second `run` in one process).
    let _ = ctrlc::set_handler(move || {
        if set.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(EXIT_INTERRUPTED));
        }
    });
    flag
}

/// `clean --pending`: leave an output with the same content alone, and write a changed or
/// new one as a pending output beside it.
fn write_pending(
    job: &Job,
    document: Document,
    outcome: Outcome,
    dest: &Path,
    mode: &Mode<'_>,
) -> Result<Written> {
    let rel = super::check::slash_path(&job.rel);
    let source = job.source.display().to_string();
    let old = pending::read_output(dest)?;
    match old {
        Some(old) if old == outcome.text => {
            pending::remove_pending(dest)?;
            Ok(Written::Unchanged)
        }
        Some(old) => {
            let analysis = Analysis {
                job: job.clone(),
                name: source.clone(),
                encoding: document.decoding.encoding,
                raw: document.text,
                outcome,
            };
            let hunks = super::compare::compare(&old, &analysis, &mode.layout_rules, &rel);
            let side = pending::sidecar(&source, &rel, false, mode.rules_dir, hunks);
            pending::write_pending(dest, &analysis.outcome.text, &side)?;
            Ok(Written::Pending)
        }
        None => {
            let side = pending::sidecar(&source, &rel, true, mode.rules_dir, Vec::new());
            pending::write_pending(dest, &outcome.text, &side)?;
            Ok(Written::Pending)
        }
    }
}

/// `ocrtidy clean -`: standard input to standard output.
fn filter_stdin(pipeline: &Pipeline) -> Result<u8> {
    let mut bytes = Vec::new();
    let limit = inputs::max_file_size();
    std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    if bytes.len() as u64 > limit {
        bail!(
            "standard input: too large (more than {} MB); raise --max-file-size to clean it",
            limit >> 20
        );
    }
    let document = match Document::from_bytes("<stdin>", &bytes) {
        Ok(d) => d,
        Err(err) => {
            eprintln!("ocrtidy: {err}");
            return Ok(EXIT_ERROR);
        }
    };
    let outcome = pipeline.run(&document);
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(outcome.text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other.context("cannot write standard output")?,
    }
    Ok(EXIT_OK)
}

/// Two inputs that would be written to the same output, or an output that is an input file,
/// are refused before anything is written. Returns, for each job, whether its output exists.
fn check_collisions(jobs: &[Job], out_dir: &Path) -> Result<Vec<bool>> {
    let mut seen: HashMap<PathBuf, &Path> = HashMap::with_capacity(jobs.len());
    // The files the inputs are, and those the outputs would replace, through any links: an
    // output that is an input under another name (a link) is refused as well.
    // The outputs that exist first (none when the output directory does not: a fresh run
    // asks nothing of each file); the inputs' identities only when there are some.
    let out_exists = out_dir.exists();
    let dests: Vec<(PathBuf, Option<FileId>)> = jobs
        .par_iter()
        .map(|j| {
            let dest = out_dir.join(&j.rel);
            let id = if out_exists { FileId::of(&dest) } else { None };
            (dest, id)
        })
        .collect();
    let sources: HashSet<FileId> = if dests.iter().any(|(_, id)| id.is_some()) {
        jobs.par_iter()
            .filter_map(|j| FileId::of(&j.source))
            .collect()
    } else {
        HashSet::new()
    };
    let existing = dests.iter().map(|(_, id)| id.is_some()).collect();
    for (job, (dest, dest_id)) in jobs.iter().zip(dests) {
        if dest_id.is_some_and(|id| sources.contains(&id)) {
            bail!(
                "refusing to write {}: it is an input file (inputs are never written)",
                dest.display()
            );
        }
        if let Some(other) = seen.insert(dest.clone(), &job.source) {
            bail!(
                "{} and {} would both be written to {}; clean them into separate directories",
                other.display(),
                job.source.display(),
                dest.display()
            );
        }
    }
    Ok(existing)
}

/// Which file a path is, through any links: its device and inode on Unix (a hard link to an
/// input is that input too), its canonical path elsewhere. `None` when it does not exist.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(PathBuf),
}

impl FileId {
    fn of(path: &Path) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            let meta = std::fs::metadata(path).ok()?;
            Some(FileId::Inode(meta.dev(), meta.ino()))
        }
        #[cfg(not(unix))]
        {
            path.canonicalize().ok().map(FileId::Path)
        }
    }
}

/// A progress bar of `len` files on standard error, unless `hidden`, or fewer than two
/// files, or standard error is not a terminal.
pub fn progress_bar(len: u64, hidden: bool) -> ProgressBar {
    if hidden || len < 2 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files  {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// The closing summary: files, MB, MB/s, what was written, and edits per rule.
fn summary(stats: &[FileStats], failures: usize, skipped: usize, seconds: f64) -> String {
    let bytes: u64 = stats.iter().map(|s| s.bytes).sum();
    let mb = bytes as f64 / 1_000_000.0;
    let count = |w: Written| stats.iter().filter(|s| s.written == Some(w)).count();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for s in stats {
        for (rule, n) in &s.counts {
            *counts.entry(rule).or_default() += n;
        }
    }
    let sum = |f: fn(&FileStats) -> usize| -> usize { stats.iter().map(f).sum() };
    let (flagged, foreign, overlapping) = (
        sum(|s| s.flagged),
        sum(|s| s.foreign),
        sum(|s| s.overlapping),
    );
    let mut encodings: BTreeMap<&str, usize> = BTreeMap::new();
    for e in stats.iter().filter_map(|s| s.encoding) {
        *encodings.entry(e).or_default() += 1;
    }
    let mut out = format!(
        "ocrtidy: cleaned {} file{} ({mb:.2} MB) in {seconds:.2} s, {:.1} MB/s; {} created, {} replaced, {} unchanged{}",
        stats.len(),
        if stats.len() == 1 { "" } else { "s" },
        mb / seconds.max(1e-9),
        count(Written::Created),
        count(Written::Replaced),
        count(Written::Unchanged),
        match count(Written::Pending) {
            0 => String::new(),
            n => format!(", {n} pending review (ocrtidy review)"),
        }
    );
    if skipped > 0 {
        out.push_str(&format!(
            "; {skipped} binary file{} skipped",
            if skipped == 1 { "" } else { "s" }
        ));
    }
    if failures > 0 {
        out.push_str(&format!(
            "; {failures} error{}",
            if failures == 1 { "" } else { "s" }
        ));
    }
    out.push('\n');
    let total: usize = counts.values().sum();
    out.push_str(&format!("  {total} edits"));
    if !counts.is_empty() {
        let list: Vec<String> = counts.iter().map(|(r, n)| format!("{r} {n}")).collect();
        out.push_str(&format!(": {}", list.join(", ")));
    }
    if flagged > 0 {
        out.push_str(&format!("; {flagged} flagged, not applied"));
    }
    if foreign > 0 {
        out.push_str(&format!(
            "; {foreign} left alone in foreign-language passages"
        ));
    }
    if overlapping > 0 {
        out.push_str(&format!("; {overlapping} skipped (overlapping)"));
    }
    out.push('\n');
    let mut langs: BTreeMap<ocrtidy::Lang, usize> = BTreeMap::new();
    for s in stats {
        *langs.entry(s.lang).or_default() += 1;
    }
    if !langs.is_empty() {
        let list: Vec<String> = langs.iter().map(|(l, n)| format!("{l} {n}")).collect();
        out.push_str(&format!("  languages: {}\n", list.join(", ")));
    }
    if !encodings.is_empty() {
        let list: Vec<String> = encodings.iter().map(|(e, n)| format!("{e} {n}")).collect();
        out.push_str(&format!("  decoded from: {}\n", list.join(", ")));
    }
    out
}

/// Skipped edits of `outcome` whose reason matches.
fn count(outcome: &Outcome, pred: impl Fn(&SkipReason) -> bool) -> usize {
    outcome.skipped.iter().filter(|e| pred(&e.reason)).count()
}
