//! `ocrtidy check`: run the pipeline in memory and compare with the accepted outputs.

use std::collections::HashSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use rayon::prelude::*;
use serde::Serialize;

use super::analyse;
use super::compare::{self, Hunk, Style, inline, paint, use_colour};
use super::diff::{gh_data, gh_property};
use super::pending;
use super::{CheckArgs, EXIT_DIFF, EXIT_ERROR, EXIT_OK, Format};

/// How many changes of one file the text report prints.
const MAX_PRINTED: usize = 50;

/// What a file's check found.
#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
enum Status {
    /// The new output equals the accepted one.
    Same,
    /// It differs: the changes, each with the edits behind it.
    Differs { hunks: Vec<Hunk> },
    /// There is no accepted output.
    New { words: usize },
    /// An accepted output whose input is gone.
    NoInput,
    /// A pending output not yet reviewed (reported in CI only).
    Pending,
    /// The input could not be processed.
    Error { message: String },
    /// The input is binary: skipped.
    Skipped { message: String },
}

#[derive(Debug, Serialize)]
struct FileCheck {
    /// Path relative to the accepted directory.
    file: String,
    /// The accepted output's path.
    accepted: String,
    /// The input's path, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(flatten)]
    status: Status,
}

pub fn run(args: CheckArgs, rules_dir: Option<&Path>) -> Result<u8> {
    if args.write_pending {
        pending::refuse_in_ci("check --write-pending")?;
    }
    let dir = &args.cleaned;
    if dir.exists() && !dir.is_dir() {
        bail!("--cleaned {}: not a directory", dir.display());
    }
    let setup = analyse::setup(rules_dir, &args.pipeline, &args.inputs)?;
    let mut checks: Vec<FileCheck> = setup
        .found
        .errors
        .iter()
        .map(|message| FileCheck {
            file: String::new(),
            accepted: String::new(),
            source: None,
            status: Status::Error {
                message: message.clone(),
            },
        })
        .collect();
    let write_pending = args.write_pending;
    let results: Vec<FileCheck> = setup
        .found
        .jobs
        .par_iter()
        .map(|job| {
            let accepted_path = dir.join(&job.rel);
            let rel = slash_path(&job.rel);
            let source = job.source.display().to_string();
            let status = check_one(&setup, job, &accepted_path, &rel, write_pending, rules_dir)
                .unwrap_or_else(|e| {
                    let message = format!("{e:#}");
                    if super::inputs::is_binary(&e) {
                        Status::Skipped { message }
                    } else {
                        Status::Error { message }
                    }
                });
            FileCheck {
                file: rel,
                accepted: accepted_path.display().to_string(),
                source: Some(source),
                status,
            }
        })
        .collect();
    checks.extend(results);
    // Accepted outputs whose input is gone, and (in CI) pending work.
    if dir.is_dir() {
        let rels: HashSet<PathBuf> = setup.found.jobs.iter().map(|j| j.rel.clone()).collect();
        let accepted = super::inputs::find(std::slice::from_ref(dir), &args.pipeline.globs)?;
        for job in accepted.jobs {
            if !rels.contains(&job.rel) {
                checks.push(FileCheck {
                    file: slash_path(&job.rel),
                    accepted: job.source.display().to_string(),
                    source: None,
                    status: Status::NoInput,
                });
            }
        }
        if pending::in_ci() {
            for path in pending::find(std::slice::from_ref(dir))? {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                checks.push(FileCheck {
                    file: slash_path(rel),
                    accepted: path.display().to_string(),
                    source: None,
                    status: Status::Pending,
                });
            }
        }
    }
    let count = |f: fn(&Status) -> bool| checks.iter().filter(|c| f(&c.status)).count();
    let differ = count(|s| matches!(s, Status::Differs { .. }));
    let new = count(|s| matches!(s, Status::New { .. }));
    let no_input = count(|s| matches!(s, Status::NoInput));
    let pending_count = count(|s| matches!(s, Status::Pending));
    let errors = count(|s| matches!(s, Status::Error { .. }));
    let same = count(|s| matches!(s, Status::Same));
    let bad = differ + new + no_input + pending_count;
    let last = last_line(&args, bad, [differ, new, no_input, pending_count], same);

    for c in &checks {
        match &c.status {
            Status::Error { message } => eprintln!("ocrtidy: {message}"),
            Status::Skipped { message } => eprintln!("ocrtidy: warning: {message}"),
            _ => {}
        }
    }
    let mut out = std::io::stdout().lock();
    let body = match args.format {
        Format::Json => {
            let listed: Vec<&FileCheck> = checks
                .iter()
                .filter(|c| !matches!(c.status, Status::Same))
                .collect();
            let json = serde_json::json!({
                "cleaned": dir.display().to_string(),
                "files": listed,
                "summary": {
                    "same": same, "differ": differ, "new": new, "no_input": no_input,
                    "pending": pending_count, "errors": errors,
                },
                "message": last,
            });
            format!("{json}\n")
        }
        Format::Github => github(&checks, &last),
        Format::Text => text(&checks, use_colour()) + &last + "\n",
    };
    match out.write_all(body.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(if errors > 0 {
        EXIT_ERROR
    } else if bad > 0 {
        EXIT_DIFF
    } else {
        EXIT_OK
    })
}

/// Compare one input's new output with its accepted output (and write or clear its pending
/// output when asked).
fn check_one(
    setup: &analyse::Setup,
    job: &super::inputs::Job,
    accepted_path: &Path,
    rel: &str,
    write_pending: bool,
    rules_dir: Option<&Path>,
) -> Result<Status> {
    let analysis = analyse::analyse(&setup.pipeline, job)?;
    let new = &analysis.outcome.text;
    let accepted = pending::read_output(accepted_path)?;
    let source = &analysis.name;
    let status = match accepted {
        Some(old) if &old == new => {
            if write_pending {
                pending::remove_pending(accepted_path)?;
            }
            Status::Same
        }
        Some(old) => {
            let hunks = compare::compare(&old, &analysis, &setup.layout_rules, rel);
            if write_pending {
                let side = pending::sidecar(source, rel, false, rules_dir, hunks.clone());
                pending::write_pending(accepted_path, new, &side)?;
            }
            Status::Differs { hunks }
        }
        None => {
            if write_pending {
                let side = pending::sidecar(source, rel, true, rules_dir, Vec::new());
                pending::write_pending(accepted_path, new, &side)?;
            }
            Status::New {
                words: new.split_whitespace().count(),
            }
        }
    };
    Ok(status)
}

/// A relative path with `/` separators.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// One change as a line of text: where, what, and the rules behind it.
pub fn hunk_line(h: &Hunk, colour: bool) -> String {
    let change = inline(&h.context_before, &h.old, &h.new, &h.context_after, colour);
    let why = if h.edits.is_empty() {
        h.note.clone().unwrap_or_default()
    } else {
        let mut parts = Vec::new();
        for rule in h.rules() {
            let edits: Vec<_> = h.edits.iter().filter(|e| e.rule == rule).collect();
            let conf = edits
                .iter()
                .map(|e| e.confidence)
                .fold(f32::INFINITY, f32::min);
            let at = edits[0];
            parts.push(format!("{rule} {conf:.2} (raw {}:{})", at.line, at.column));
        }
        parts.join(", ")
    };
    format!(
        "  line {}: {change}  {}",
        h.line,
        paint(&format!("← {why}"), Style::Dim, colour)
    )
}

fn text(checks: &[FileCheck], colour: bool) -> String {
    let mut out = String::new();
    for c in checks {
        let accepted = paint(&c.accepted, Style::Bold, colour);
        let source = c.source.as_deref().unwrap_or("");
        match &c.status {
            Status::Same | Status::Error { .. } | Status::Skipped { .. } => {}
            Status::Differs { hunks } => {
                out.push_str(&format!(
                    "{accepted}: differs from the new output of {source} ({} change{}):\n",
                    hunks.len(),
                    if hunks.len() == 1 { "" } else { "s" }
                ));
                for h in hunks.iter().take(MAX_PRINTED) {
                    out.push_str(&hunk_line(h, colour));
                    out.push('\n');
                }
                if hunks.len() > MAX_PRINTED {
                    out.push_str(&format!(
                        "  … and {} more changes (--format json lists them all)\n",
                        hunks.len() - MAX_PRINTED
                    ));
                }
            }
            Status::New { words } => out.push_str(&format!(
                "{accepted}: missing: a new output of {source} ({words} words)\n"
            )),
            Status::NoInput => out.push_str(&format!(
                "{accepted}: accepted output without an input any more\n"
            )),
            Status::Pending => out.push_str(&format!(
                "{}: pending output not reviewed\n",
                pending::pending_path(Path::new(&c.accepted)).display()
            )),
        }
    }
    out
}

fn github(checks: &[FileCheck], last: &str) -> String {
    let mut out = String::new();
    for c in checks {
        let file = gh_property(&c.accepted);
        match &c.status {
            Status::Same => {}
            Status::Skipped { message } => {
                out.push_str(&format!("::warning title=ocrtidy::{}\n", gh_data(message)));
            }
            Status::Error { message } => {
                out.push_str(&format!("::error title=ocrtidy::{}\n", gh_data(message)));
            }
            Status::Differs { hunks } => {
                for h in hunks {
                    let rules = h.rules().join(", ");
                    let title = if rules.is_empty() {
                        "ocrtidy check".to_owned()
                    } else {
                        format!("ocrtidy check: {rules}")
                    };
                    let mut msg = format!(
                        "accepted {} → new {}",
                        ocrtidy::visible(&h.old),
                        ocrtidy::visible(&h.new)
                    );
                    if let Some(note) = &h.note {
                        msg.push_str(&format!(" ({note})"));
                    }
                    out.push_str(&format!(
                        "::error file={file},line={},title={}::{}\n",
                        h.line,
                        gh_property(&title),
                        gh_data(&msg)
                    ));
                }
            }
            Status::New { .. } => out.push_str(&format!(
                "::error file={file},title=ocrtidy check::missing accepted output for {}\n",
                gh_data(c.source.as_deref().unwrap_or(""))
            )),
            Status::NoInput => out.push_str(&format!(
                "::error file={file},title=ocrtidy check::accepted output without an input\n"
            )),
            Status::Pending => out.push_str(&format!(
                "::error file={file},title=ocrtidy check::pending output not reviewed\n"
            )),
        }
    }
    out.push_str(last);
    out.push('\n');
    out
}

/// The closing line: the counts, and what to run next.
fn last_line(
    args: &CheckArgs,
    bad: usize,
    [differ, new, no_input, pending_count]: [usize; 4],
    same: usize,
) -> String {
    let dir = args.cleaned.display();
    if bad == 0 {
        return format!(
            "ocrtidy: {same} file{} match {dir}",
            if same == 1 { "" } else { "s" }
        );
    }
    let mut parts = Vec::new();
    for (n, what) in [
        (differ, "changed"),
        (new, "new"),
        (no_input, "without input"),
        (pending_count, "pending review"),
    ] {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    }
    let head = format!(
        "ocrtidy: {bad} file{} differ{} from {dir} ({})",
        if bad == 1 { "" } else { "s" },
        if bad == 1 { "s" } else { "" },
        parts.join(", ")
    );
    let next = if no_input == bad {
        "; delete the accepted outputs without input, or restore their inputs".to_owned()
    } else if pending::in_ci() {
        "; run `ocrtidy check ... --write-pending` and `ocrtidy review` outside CI, then commit the accepted outputs".to_owned()
    } else if args.write_pending {
        format!(
            "; pending outputs written: run `ocrtidy review {}`",
            shell(&dir.to_string())
        )
    } else {
        let again: Vec<String> = std::env::args().skip(1).map(|a| shell(&a)).collect();
        format!(
            "; run `ocrtidy {} --write-pending`, then `ocrtidy review {}`",
            again.join(" "),
            shell(&dir.to_string())
        )
    };
    head + &next
}

/// `s` quoted for a POSIX shell when it needs it.
fn shell(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_./=:,+@%".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}
