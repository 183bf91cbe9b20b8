//! `ocrtidy diff`: every edit the pipeline makes, with its rule, place and confidence.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;
use serde::Serialize;

use super::analyse::{self, EditRecord};
use super::compare::{Style, inline, paint, use_colour};
use super::{DiffArgs, EXIT_DIFF, EXIT_ERROR, EXIT_OK, Format};

/// One file's edits, as `--format json` prints them.
#[derive(Debug, Serialize)]
struct FileEdits {
    file: String,
    lang: String,
    encoding: &'static str,
    edits: Vec<EditRecord>,
}

pub fn run(args: DiffArgs, rules_dir: Option<&Path>) -> Result<u8> {
    let setup = analyse::setup(rules_dir, &args.pipeline, &args.inputs)?;
    for rule in &args.rules {
        if !setup.pipeline.rules().any(|r| r.id == rule) {
            anyhow::bail!("--rule {rule}: no such rule (see `ocrtidy rules`)");
        }
    }
    let mut failures = setup.found.errors.clone();
    let results: Vec<Result<FileEdits>> = setup
        .found
        .jobs
        .par_iter()
        .map(|job| {
            let a = analyse::analyse(&setup.pipeline, job)?;
            let edits = a
                .records(&setup.layout_rules)
                .into_iter()
                .filter(|r| args.rules.is_empty() || args.rules.iter().any(|id| id == r.rule))
                .collect();
            Ok(FileEdits {
                file: a.name,
                lang: a.outcome.lang.to_string(),
                encoding: a.encoding,
                edits,
            })
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(f) => files.push(f),
            Err(e) if super::inputs::is_binary(&e) => eprintln!("ocrtidy: warning: {e:#}"),
            Err(e) => failures.push(format!("{e:#}")),
        }
    }
    for f in &failures {
        eprintln!("ocrtidy: {f}");
    }
    let applied: usize = files
        .iter()
        .map(|f| f.edits.iter().filter(|e| e.applied).count())
        .sum();
    let mut out = std::io::stdout().lock();
    let written = if args.stat {
        out.write_all(stat(&files).as_bytes())
    } else {
        match args.format {
            Format::Json => {
                let json = serde_json::json!({
                    "files": files,
                    "summary": { "files": files.len(), "edits": applied, "errors": failures.len() },
                });
                writeln!(out, "{json}")
            }
            Format::Github => out.write_all(github(&files, args.all).as_bytes()),
            Format::Text => out.write_all(text(&files, args.all, use_colour()).as_bytes()),
        }
    };
    match written.and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        other => other?,
    }
    Ok(if !failures.is_empty() {
        EXIT_ERROR
    } else if args.exit_code && applied > 0 {
        EXIT_DIFF
    } else {
        EXIT_OK
    })
}

/// Whether an edit is listed one by one: word repairs and edits not applied always (those
/// in foreign passages only with `--all`), layout edits only with `--all`.
fn listed(e: &EditRecord, all: bool) -> bool {
    all || (!e.layout
        && e.reason.as_deref() != Some(&ocrtidy::SkipReason::ForeignLanguage.to_string()))
}

fn text(files: &[FileEdits], all: bool, colour: bool) -> String {
    let mut out = String::new();
    for f in files {
        let mut hidden: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &f.edits {
            if !listed(e, all) {
                *hidden.entry(e.rule).or_default() += 1;
                continue;
            }
            let place = paint(&format!("{}:{}", f.file, e.position()), Style::Bold, colour);
            let status = match &e.reason {
                None => String::new(),
                Some(reason) => format!(", not applied: {reason}"),
            };
            let change = inline(
                &e.context_before,
                &e.before,
                &e.after,
                &e.context_after,
                colour,
            );
            out.push_str(&format!(
                "{place}: {} ({:.2}{status}): {change}",
                e.rule, e.confidence
            ));
            if !e.evidence.is_empty() {
                out.push_str(&paint(&format!("  [{}]", e.evidence), Style::Dim, colour));
            }
            out.push('\n');
        }
        if !hidden.is_empty() {
            let n: usize = hidden.values().sum();
            let list: Vec<String> = hidden.iter().map(|(r, n)| format!("{r} {n}")).collect();
            out.push_str(&paint(
                &format!(
                    "{}: {n} layout or foreign-passage edits not listed ({}); --all lists them\n",
                    f.file,
                    list.join(", ")
                ),
                Style::Dim,
                colour,
            ));
        }
    }
    out
}

/// `--stat`: edits per rule and per file (applied ones; not applied in brackets).
fn stat(files: &[FileEdits]) -> String {
    let mut rules: BTreeMap<&str, (usize, usize, usize)> = BTreeMap::new();
    for f in files {
        let mut seen = std::collections::HashSet::new();
        for e in &f.edits {
            let entry = rules.entry(e.rule).or_default();
            if e.applied {
                entry.0 += 1;
                if seen.insert(e.rule) {
                    entry.1 += 1;
                }
            } else {
                entry.2 += 1;
            }
        }
    }
    let width = rules.keys().map(|r| r.len()).max().unwrap_or(4).max(4);
    let mut out = format!(
        "{:<width$}  {:>7}  {:>5}  {:>11}\n",
        "rule", "edits", "files", "not applied"
    );
    for (rule, (n, files, skipped)) in &rules {
        out.push_str(&format!(
            "{rule:<width$}  {n:>7}  {files:>5}  {skipped:>11}\n"
        ));
    }
    out.push('\n');
    let width = files.iter().map(|f| f.file.len()).max().unwrap_or(4).max(4);
    out.push_str(&format!(
        "{:<width$}  {:>7}  {:>11}\n",
        "file", "edits", "not applied"
    ));
    let (mut total, mut total_skipped) = (0, 0);
    for f in files {
        let n = f.edits.iter().filter(|e| e.applied).count();
        let s = f.edits.len() - n;
        total += n;
        total_skipped += s;
        out.push_str(&format!("{:<width$}  {n:>7}  {s:>11}\n", f.file));
    }
    out.push_str(&format!(
        "\n{total} edits in {} file{} ({total_skipped} not applied)\n",
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    ));
    out
}

/// GitHub workflow annotations, one per listed edit.
fn github(files: &[FileEdits], all: bool) -> String {
    let mut out = String::new();
    for f in files {
        for e in f.edits.iter().filter(|e| listed(e, all)) {
            let title = match &e.reason {
                None => format!("{} ({:.2})", e.rule, e.confidence),
                Some(r) => format!("{} ({:.2}), not applied: {r}", e.rule, e.confidence),
            };
            out.push_str(&format!(
                "::notice file={},line={},col={},endLine={},endColumn={},title={}::{} → {}\n",
                gh_property(&f.file),
                e.line,
                e.column,
                e.end_line,
                e.end_column,
                gh_property(&title),
                gh_data(&ocrtidy::visible(&e.before)),
                gh_data(&ocrtidy::visible(&e.after)),
            ));
        }
    }
    out
}

/// Escape the message of a workflow command.
pub fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a property of a workflow command.
pub fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_escapes() {
        assert_eq!(gh_data("a%b\nc"), "a%25b%0Ac");
        assert_eq!(gh_property("x:y,z"), "x%3Ay%2Cz");
    }
}
