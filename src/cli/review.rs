//! `ocrtidy pending`, `review`, `accept` and `reject`: deciding about pending outputs.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use ocrtidy::Exception;

use super::check::hunk_line;
use super::compare::{Style, paint, use_colour};
use super::pending::{self, Loaded, Verdict};
use super::{DecideArgs, EXIT_DIFF, EXIT_OK, PendingArgs, ReviewArgs};

/// The paths to search: the ones given, or the current directory.
fn paths(given: &[PathBuf]) -> Vec<PathBuf> {
    if given.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        given.to_vec()
    }
}

/// `ocrtidy pending`: list pending outputs.
pub fn list(args: PendingArgs) -> Result<u8> {
    let found = pending::find(&paths(&args.paths))?;
    let mut rows = Vec::new();
    for path in &found {
        let loaded = pending::load(path)?;
        let mut rules: BTreeMap<String, usize> = BTreeMap::new();
        for h in &loaded.hunks {
            for r in h.rules() {
                *rules.entry(r.to_owned()).or_default() += 1;
            }
        }
        rows.push(serde_json::json!({
            "accepted": path.display().to_string(),
            "pending": pending::pending_path(path).display().to_string(),
            "source": loaded.source,
            "new_file": loaded.new_file,
            "changes": if loaded.new_file { 0 } else { loaded.hunks.len() },
            "rules": rules,
        }));
    }
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::Value::Array(rows.clone()))?;
    } else {
        for row in &rows {
            let what = if row["new_file"].as_bool() == Some(true) {
                "new file".to_owned()
            } else {
                let rules: Vec<String> = row["rules"]
                    .as_object()
                    .map(|m| m.iter().map(|(r, n)| format!("{r} {n}")).collect())
                    .unwrap_or_default();
                let n = row["changes"].as_u64().unwrap_or(0);
                format!(
                    "{n} change{}{}",
                    if n == 1 { "" } else { "s" },
                    if rules.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", rules.join(", "))
                    }
                )
            };
            writeln!(out, "{}\t{what}", row["pending"].as_str().unwrap_or(""))?;
        }
        if rows.is_empty() {
            eprintln!("ocrtidy: no pending outputs");
        }
    }
    if pending::in_ci() && !rows.is_empty() {
        eprintln!(
            "ocrtidy: {} pending output{} not reviewed (CI is set: pending work is an error)",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" }
        );
        return Ok(EXIT_DIFF);
    }
    Ok(EXIT_OK)
}

/// Where rejections of `loaded` are remembered: `--rules DIR`, else the rules directory the
/// pending output was made with.
fn rules_dir_for(loaded: &Loaded, given: Option<&Path>) -> Option<PathBuf> {
    given
        .map(Path::to_path_buf)
        .or_else(|| loaded.rules.clone())
}

/// The exceptions that rejecting the hunks marked `Reject` records.
fn exceptions(loaded: &Loaded, verdicts: &[Verdict], rules: &[String]) -> Vec<Exception> {
    loaded
        .hunks
        .iter()
        .zip(verdicts)
        .filter(|(_, v)| **v == Verdict::Reject)
        .flat_map(|(h, _)| h.rejected_edits(rules))
        .map(|e| e.exception.clone())
        .collect()
}

/// `ocrtidy accept` and `ocrtidy reject`.
pub fn decide(args: DecideArgs, rules_dir: Option<&Path>, verdict: Verdict) -> Result<u8> {
    let what = if verdict == Verdict::Accept {
        "accept"
    } else {
        "reject"
    };
    pending::refuse_in_ci(what)?;
    let found = pending::find(&paths(&args.paths))?;
    if found.is_empty() {
        eprintln!("ocrtidy: no pending outputs");
        return Ok(EXIT_OK);
    }
    // Decide everything first, so that nothing is written when a rejection cannot be
    // remembered.
    let mut plans = Vec::new();
    for path in &found {
        let loaded = pending::load(path)?;
        let verdicts: Vec<Verdict> = loaded
            .hunks
            .iter()
            .map(|h| {
                let selected =
                    args.rules.is_empty() || h.edits.iter().any(|e| args.rules.contains(&e.rule));
                if selected { verdict } else { Verdict::Skip }
            })
            .collect();
        let exceptions = exceptions(&loaded, &verdicts, &args.rules);
        let dir = rules_dir_for(&loaded, rules_dir);
        if !exceptions.is_empty() && dir.is_none() {
            bail!(
                "{}: rejecting records the rejected edits as exceptions in a rules directory, \
                 so that later runs do not make them again: pass --rules DIR (and the same \
                 --rules to clean and check)",
                path.display()
            );
        }
        plans.push((loaded, verdicts, exceptions, dir));
    }
    let (mut changes, mut files, mut remembered) = (0, 0, 0);
    for (loaded, verdicts, exceptions, dir) in plans {
        let res = pending::resolve(&loaded, &verdicts);
        let n = res.accepted_count + res.rejected_count;
        if n == 0 {
            continue;
        }
        if let Some(dir) = &dir {
            remembered += pending::record_exceptions(dir, &exceptions)?;
        }
        pending::commit(&loaded, &res)?;
        changes += n;
        files += 1;
        eprintln!(
            "ocrtidy: {}: {what}ed {n} change{}{}",
            loaded.accepted_path.display(),
            if n == 1 { "" } else { "s" },
            if res.remaining.is_empty() {
                String::new()
            } else {
                format!("; {} still pending", res.remaining.len())
            }
        );
    }
    eprintln!(
        "ocrtidy: {what}ed {changes} change{} in {files} file{}{}",
        if changes == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" },
        if remembered > 0 {
            format!(
                "; {remembered} exception{} recorded",
                if remembered == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        }
    );
    Ok(EXIT_OK)
}

/// The answers review reads, from standard input (a terminal or a script).
struct Prompt<R> {
    input: R,
}

impl<R: std::io::BufRead> Prompt<R> {
    /// Ask, and return the first character of the answer (`None` at the end of input).
    fn ask(&mut self, question: &str) -> Result<Option<char>> {
        loop {
            eprint!("{question} ");
            std::io::stderr().flush()?;
            let mut line = String::new();
            if self.input.read_line(&mut line)? == 0 {
                eprintln!();
                return Ok(None);
            }
            if let Some(c) = line.trim().chars().next() {
                return Ok(Some(c));
            }
        }
    }
}

/// `ocrtidy review`: go through pending outputs and decide.
pub fn review(args: ReviewArgs, rules_dir: Option<&Path>) -> Result<u8> {
    pending::refuse_in_ci("review")?;
    let found = pending::find(&paths(&args.paths))?;
    if found.is_empty() {
        eprintln!("ocrtidy: no pending outputs");
        return Ok(EXIT_OK);
    }
    let colour = use_colour();
    let stdin = std::io::stdin();
    let mut prompt = Prompt {
        input: stdin.lock(),
    };
    let total = found.len();
    let (mut accepted, mut rejected, mut remembered) = (0, 0, 0);
    'files: for (i, path) in found.iter().enumerate() {
        let loaded = pending::load(path)?;
        let dir = rules_dir_for(&loaded, rules_dir);
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "\n{} [{}/{total}]{}",
            paint(
                &pending::pending_path(path).display().to_string(),
                Style::Bold,
                colour
            ),
            i + 1,
            loaded
                .source
                .as_deref()
                .map_or(String::new(), |s| format!(" from {s}"))
        )?;
        if loaded.new_file {
            writeln!(
                out,
                "  a new output ({} words); there is no accepted {} yet",
                loaded.new.split_whitespace().count(),
                path.display()
            )?;
        } else {
            for h in &loaded.hunks {
                writeln!(out, "{}", hunk_line(h, colour))?;
            }
        }
        drop(out);
        let n = loaded.hunks.len();
        let mut verdicts = vec![Verdict::Skip; n];
        let question = if loaded.new_file {
            "[a]ccept, [r]eject, [s]kip, [q]uit?"
        } else {
            "[a]ccept all, [r]eject all, [e]dit by edit, [s]kip, [q]uit?"
        };
        let mut quit = false;
        loop {
            match prompt.ask(question)? {
                Some('a') => verdicts.fill(Verdict::Accept),
                Some('r') => verdicts.fill(Verdict::Reject),
                Some('e') if !loaded.new_file => {
                    quit = by_edit(&loaded, &mut verdicts, &mut prompt, colour)?;
                }
                Some('s') => {}
                Some('q') | None => quit = true,
                Some(_) => {
                    eprintln!(
                        "  a: accept (the accepted file is replaced), r: reject (the edits are \
                         remembered as exceptions), e: decide edit by edit, s: leave pending, \
                         q: stop"
                    );
                    continue;
                }
            }
            break;
        }
        let mut exceptions = exceptions(&loaded, &verdicts, &[]);
        if !exceptions.is_empty() && dir.is_none() {
            eprintln!(
                "ocrtidy: rejections cannot be remembered without a rules directory (pass \
                 --rules DIR, and the same --rules to clean and check): the rejected changes \
                 stay pending"
            );
            for v in &mut verdicts {
                if *v == Verdict::Reject {
                    *v = Verdict::Skip;
                }
            }
            exceptions.clear();
        }
        let res = pending::resolve(&loaded, &verdicts);
        if let Some(dir) = &dir {
            remembered += pending::record_exceptions(dir, &exceptions)?;
        }
        pending::commit(&loaded, &res)?;
        accepted += res.accepted_count;
        rejected += res.rejected_count;
        if quit {
            break 'files;
        }
    }
    let left = found
        .iter()
        .filter(|p| pending::pending_path(p).is_file())
        .count();
    eprintln!(
        "ocrtidy: {accepted} accepted, {rejected} rejected ({remembered} exception{} recorded); \
         {left} pending output{} left",
        if remembered == 1 { "" } else { "s" },
        if left == 1 { "" } else { "s" }
    );
    Ok(EXIT_OK)
}

/// Decide hunk by hunk. Returns whether the reviewer asked to stop.
fn by_edit<R: std::io::BufRead>(
    loaded: &Loaded,
    verdicts: &mut [Verdict],
    prompt: &mut Prompt<R>,
    colour: bool,
) -> Result<bool> {
    let n = loaded.hunks.len();
    let mut i = 0;
    while i < n {
        let h = &loaded.hunks[i];
        println!("\n  change {}/{n}:", i + 1);
        println!("{}", hunk_line(h, colour));
        for e in &h.edits {
            println!(
                "    {} {:.2} at raw {}:{}: \"{}\" → \"{}\"{}",
                e.rule,
                e.confidence,
                e.line,
                e.column,
                ocrtidy::visible(&e.before),
                ocrtidy::visible(&e.after),
                if e.evidence.is_empty() {
                    String::new()
                } else {
                    paint(&format!("  [{}]", e.evidence), Style::Dim, colour)
                }
            );
        }
        match prompt
            .ask("  [a]ccept, [r]eject, [s]kip, [A]ccept the rest, [R]eject the rest, [q]uit?")?
        {
            Some('a') => verdicts[i] = Verdict::Accept,
            Some('r') => verdicts[i] = Verdict::Reject,
            Some('s') => {}
            Some('A') => {
                verdicts[i..].fill(Verdict::Accept);
                return Ok(false);
            }
            Some('R') => {
                verdicts[i..].fill(Verdict::Reject);
                return Ok(false);
            }
            Some('q') | None => return Ok(true),
            Some(_) => {
                eprintln!(
                    "  a: accept this change, r: reject it, s: leave it pending, A/R: the same for every change left, q: stop"
                );
                continue;
            }
        }
        i += 1;
    }
    Ok(false)
}
