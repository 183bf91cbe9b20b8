//! `ocrtidy eval`: quality against gold, and the gate against a baseline.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context as _, Result, bail};
use ocrtidy::eval::{Baseline, Counts, Rates, RuleTally, evaluate};
use ocrtidy::{Document, Pipeline};
use rayon::prelude::*;
use serde::Serialize;

use super::inputs::{self, Job};
use super::rules::print;
use super::{EXIT_DIFF, EXIT_ERROR, EXIT_OK, EvalArgs, config, write};

#[derive(Serialize)]
struct FileReport {
    file: String,
    #[serde(flatten)]
    rates: Rates,
}

#[derive(Serialize)]
struct RuleReport {
    edits: usize,
    toward: usize,
    away: usize,
    neutral: usize,
    precision: Option<f64>,
}

#[derive(Serialize)]
struct Report {
    files: Vec<FileReport>,
    total: Rates,
    rules: BTreeMap<&'static str, RuleReport>,
}

pub fn run(args: EvalArgs, rules_dir: Option<&Path>) -> Result<u8> {
    let pipeline = config::pipeline(rules_dir, args.lang, Default::default())?;
    if !args.gold.is_dir() {
        bail!("--gold {}: not a directory", args.gold.display());
    }
    let found = inputs::find(std::slice::from_ref(&args.raw), &args.globs)?;
    let mut errors = found.errors.len();
    for err in &found.errors {
        eprintln!("ocrtidy: {err}");
    }
    let pairs: Vec<&Job> = found
        .jobs
        .iter()
        .filter(|j| args.gold.join(&j.rel).is_file())
        .collect();
    let without_gold = found.jobs.len() - pairs.len();
    if without_gold > 0 {
        eprintln!(
            "ocrtidy: {without_gold} file(s) in {} have no gold in {}; left out",
            args.raw.display(),
            args.gold.display()
        );
    }
    if pairs.is_empty() {
        bail!(
            "no file of {} has a gold file of the same name in {}",
            args.raw.display(),
            args.gold.display()
        );
    }
    let results: Vec<Result<(String, ocrtidy::eval::FileEval)>> = pairs
        .par_iter()
        .map(|job| {
            let eval = eval_file(&pipeline, job, &args.gold.join(&job.rel))?;
            Ok((job.rel.display().to_string(), eval))
        })
        .collect();
    let mut total = Counts::default();
    let mut rules: BTreeMap<&'static str, RuleTally> = BTreeMap::new();
    let mut files = Vec::new();
    for result in results {
        match result {
            Ok((file, eval)) => {
                total += eval.counts;
                for (rule, tally) in &eval.rules {
                    rules.entry(rule).or_default().merge(tally);
                }
                files.push(FileReport {
                    file,
                    rates: eval.counts.rates(),
                });
            }
            Err(err) => {
                eprintln!("ocrtidy: {err:#}");
                errors += 1;
            }
        }
    }
    let report = Report {
        files,
        total: total.rates(),
        rules: rules
            .iter()
            .map(|(rule, t)| {
                (
                    *rule,
                    RuleReport {
                        edits: t.edits,
                        toward: t.toward,
                        away: t.away,
                        neutral: t.neutral,
                        precision: t.precision(),
                    },
                )
            })
            .collect(),
    };
    if args.json {
        print(&(serde_json::to_string_pretty(&report)? + "\n"))?;
    } else {
        print(&table(&report))?;
    }
    if errors > 0 {
        return Ok(EXIT_ERROR);
    }
    let Some(baseline_path) = &args.baseline else {
        return Ok(EXIT_OK);
    };
    if args.update_baseline {
        let old = std::fs::read_to_string(baseline_path)
            .ok()
            .and_then(|t| serde_json::from_str::<Baseline>(&t).ok());
        let baseline = Baseline {
            corpus: old.as_ref().map(|b| b.corpus.clone()).unwrap_or_default(),
            total: report.total,
            tolerance: old.map(|b| b.tolerance).unwrap_or_default(),
        };
        let text = serde_json::to_string_pretty(&baseline)? + "\n";
        write::atomic(baseline_path, text.as_bytes())
            .with_context(|| format!("{}: cannot write", baseline_path.display()))?;
        eprintln!("ocrtidy: baseline written to {}", baseline_path.display());
        return Ok(EXIT_OK);
    }
    let text = std::fs::read_to_string(baseline_path)
        .with_context(|| format!("{}: cannot read the baseline", baseline_path.display()))?;
    let baseline: Baseline = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a valid baseline", baseline_path.display()))?;
    let (worse, better) = baseline.check(&report.total);
    for b in &better {
        eprintln!("ocrtidy: better than the baseline: {b}");
    }
    if worse.is_empty() {
        if !better.is_empty() {
            eprintln!(
                "ocrtidy: quality improved; record it with `--baseline {} --update-baseline`",
                baseline_path.display()
            );
        }
        eprintln!("ocrtidy: quality gate passed ({})", baseline_path.display());
        return Ok(EXIT_OK);
    }
    for w in &worse {
        eprintln!("ocrtidy: worse than the baseline: {w}");
    }
    eprintln!(
        "ocrtidy: quality gate failed against {}; if the change is deliberate, run with \
         --update-baseline and commit the new baseline",
        baseline_path.display()
    );
    Ok(EXIT_DIFF)
}

fn eval_file(pipeline: &Pipeline, job: &Job, gold: &Path) -> Result<ocrtidy::eval::FileEval> {
    let bytes = inputs::read_input(&job.source)?;
    let doc = Document::from_bytes(job.source.display().to_string(), &bytes)?;
    let gold_bytes = std::fs::read(gold)
        .map_err(|e| anyhow::anyhow!("{}: {}", gold.display(), inputs::io_reason(&e)))?;
    let gold = Document::from_bytes(gold.display().to_string(), &gold_bytes)?;
    let out = pipeline.run(&doc);
    Ok(evaluate(&doc.text, &out.text, &out.edits, &gold.text))
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

fn table(report: &Report) -> String {
    let width = report
        .files
        .iter()
        .map(|f| f.file.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let mut out = format!(
        "{:width$}  {:>7}  {:>7}  {:>7}  {:>6}  {:>6}  {:>7}  {:>7}  {:>16}\n",
        "file",
        "tokens",
        "raw WER",
        "out WER",
        "fixed",
        "broken",
        "raw CER",
        "out CER",
        "breaks raw->out"
    );
    let row = |name: &str, r: &Rates| {
        format!(
            "{name:width$}  {:>7}  {:>7}  {:>7}  {:>6}  {:>6}  {:>7}  {:>7}  {:>16}\n",
            r.gold_tokens,
            pct(r.raw_wer),
            pct(r.out_wer),
            r.fixed,
            r.broken,
            pct(r.raw_cer),
            pct(r.out_cer),
            format!(
                "{} -> {}",
                pct(r.raw_break_accuracy),
                pct(r.out_break_accuracy)
            ),
        )
    };
    for f in &report.files {
        out.push_str(&row(&f.file, &f.rates));
    }
    out.push_str(&row("total", &report.total));
    if !report.rules.is_empty() {
        let rw = report
            .rules
            .keys()
            .map(|r| r.len())
            .max()
            .unwrap_or(4)
            .max(4);
        out.push_str(&format!(
            "\n{:rw$}  {:>7}  {:>7}  {:>7}  {:>7}  {:>9}\n",
            "rule", "edits", "toward", "away", "neutral", "precision"
        ));
        for (rule, r) in &report.rules {
            out.push_str(&format!(
                "{rule:rw$}  {:>7}  {:>7}  {:>7}  {:>7}  {:>9}\n",
                r.edits,
                r.toward,
                r.away,
                r.neutral,
                r.precision.map_or_else(|| "-".to_owned(), pct)
            ));
        }
    }
    out
}
