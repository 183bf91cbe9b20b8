//! `ocrtidy boilerplate`: lines repeated across many files of a batch, as candidates for
//! boilerplate rules. It reports; it changes nothing.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use ocrtidy::Document;
use rayon::prelude::*;
use serde::Serialize;

use super::inputs;
use super::rules::print;
use super::{BoilerplateArgs, EXIT_ERROR, EXIT_OK};

#[derive(Serialize)]
struct Candidate<'a> {
    files: usize,
    line: &'a str,
}

pub fn run(args: BoilerplateArgs) -> Result<u8> {
    let found = inputs::find(&args.inputs, &args.globs)?;
    for err in &found.errors {
        eprintln!("ocrtidy: {err}");
    }
    // The distinct lines of each file that could be boilerplate: a letter, not too long.
    let per_file: Vec<HashSet<String>> = found
        .jobs
        .par_iter()
        .filter_map(|job| {
            let bytes = super::inputs::read_input(&job.source).ok()?;
            let doc = Document::from_bytes(job.source.display().to_string(), &bytes).ok()?;
            Some(
                doc.text
                    .lines()
                    .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
                    .filter(|l| l.chars().count() <= 200 && l.chars().any(char::is_alphabetic))
                    .collect(),
            )
        })
        .collect();
    let files = per_file.len();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for lines in &per_file {
        for line in lines {
            *counts.entry(line.as_str()).or_default() += 1;
        }
    }
    let min = args.min_files.unwrap_or_else(|| (files / 5).max(3)).max(2);
    let mut candidates: Vec<Candidate<'_>> = counts
        .into_iter()
        .filter(|(_, n)| *n >= min)
        .map(|(line, files)| Candidate { files, line })
        .collect();
    candidates.sort_by(|a, b| b.files.cmp(&a.files).then(a.line.cmp(b.line)));
    if args.json {
        print(&(serde_json::to_string_pretty(&candidates)? + "\n"))?;
    } else {
        let mut out = String::new();
        for c in &candidates {
            out.push_str(&format!("{}\t{}\n", c.files, c.line));
        }
        out.push_str(&format!(
            "{} line(s) found in at least {min} of {files} files. Nothing was changed: to \
             remove such lines, add rules to a --rules DIR/boilerplate.toml.\n",
            candidates.len()
        ));
        print(&out)?;
    }
    Ok(if found.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}
