//! The quality gate and the synthetic corpus.
//!
//! - The committed synthetic corpus (`quality/synthetic/`) is exactly what its recipe
//!   (`quality/corpus.toml`) produces: `degrade` is deterministic.
//! - Gold round-trips: cleaning a gold text changes no token, and its WER is 0.
//! - The gate: quality on the synthetic corpus and on the hand-made seed gold is no worse than
//!   the committed baselines (`quality-baseline.json`, `quality/seeds-baseline.json`).

use std::fs;
use std::path::{Path, PathBuf};

use ocrtidy::degrade::{DegradeOptions, Recipe, degrade};
use ocrtidy::eval::{Baseline, Counts, evaluate};
use ocrtidy::{Document, Lang, Lexicon, Pipeline, canonical};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn path(rel: &str) -> PathBuf {
    Path::new(ROOT).join(rel)
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

fn read_text(p: &Path) -> String {
    Document::from_bytes(p.display().to_string(), &fs::read(p).unwrap())
        .unwrap()
        .text
}

#[test]
fn committed_corpus_is_what_the_recipe_makes() {
    let recipe_path = path("quality/corpus.toml");
    let recipe =
        Recipe::from_toml("corpus.toml", &fs::read_to_string(&recipe_path).unwrap()).unwrap();
    assert!(recipe.collisions().is_empty());
    let outputs = recipe
        .generate(&Lexicon::default(), |source| {
            Ok::<_, std::io::Error>(read_text(&path("quality").join(source)))
        })
        .unwrap();
    let mut names: Vec<String> = outputs.iter().map(|(n, _)| n.clone()).collect();
    names.sort();
    let committed: Vec<String> = files(&path("quality/synthetic/raw"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names, committed,
        "quality/synthetic/raw holds other files than the recipe's"
    );
    for (name, degraded) in &outputs {
        for (sub, text) in [("raw", &degraded.raw), ("gold", &degraded.gold)] {
            let committed =
                fs::read_to_string(path("quality/synthetic").join(sub).join(name)).unwrap();
            assert!(
                committed == *text,
                "quality/synthetic/{sub}/{name} is not what the recipe makes; regenerate with \
                 `cargo run --release -- degrade --recipe quality/corpus.toml -o quality/synthetic`"
            );
        }
    }
    // Enough raw text in each language.
    let bytes = |prefixes: &[&str]| -> usize {
        outputs
            .iter()
            .filter(|(n, _)| prefixes.iter().any(|p| n.starts_with(p)))
            .map(|(_, d)| d.raw.len())
            .sum()
    };
    assert!(bytes(&["zola", "flaubert", "dumas", "ocrtidy_archives_fr"]) >= 200_000);
    assert!(bytes(&["austen", "mill", "thoreau", "ocrtidy_archives_en"]) >= 200_000);
}

#[test]
fn degrade_is_deterministic_for_a_seed() {
    let text = read_text(&path("quality/sources/fr/ocrtidy_archives_fr.txt"));
    let lexicon = Lexicon::default();
    let options = DegradeOptions {
        width: 40,
        lig_split: 0.5,
        one_for_l: 0.5,
        ..DegradeOptions::default()
    };
    let a = degrade(&text, Lang::Fr, &lexicon, &options, 7);
    let b = degrade(&text, Lang::Fr, &lexicon, &options, 7);
    let c = degrade(&text, Lang::Fr, &lexicon, &options, 8);
    assert_eq!(a, b);
    assert_ne!(a.raw, c.raw);
    assert_eq!(a.gold, c.gold, "the gold does not depend on the seed");
    assert_ne!(a.raw, a.gold);
    // Every line fits the width (a word longer than the width stands alone).
    for line in a.raw.lines() {
        let len = line.trim_end().chars().count();
        assert!(len <= 40 || !line.trim().contains(' '), "{line:?}");
    }
}

#[test]
fn degraded_text_holds_each_kind_of_damage() {
    let text = read_text(&path("quality/sources/fr/ocrtidy_archives_fr.txt"));
    let options = DegradeOptions {
        width: 40,
        page_lines: 10,
        lig_split: 1.0,
        one_for_l: 1.0,
        soft_hyphen: 0.3,
        double_space: 0.2,
        trailing_blank: 0.5,
        space_before_punct: 0.5,
        crlf: true,
        ..DegradeOptions::default()
    };
    let d = degrade(&text, Lang::Fr, &Lexicon::default(), &options, 1);
    for (what, found) in [
        (
            "split ligature",
            d.raw.contains("afi n") || d.raw.contains("réfl exions"),
        ),
        ("1 for l", d.raw.contains("1'") || d.raw.contains(" 1a ")),
        ("soft hyphen", d.raw.contains('\u{ad}')),
        ("end-of-line hyphen", d.raw.contains("-\r\n")),
        ("doubled space", d.raw.contains("  ")),
        ("trailing blank", d.raw.contains(" \r\n")),
        (
            "space before punctuation",
            d.raw.contains(" ,") || d.raw.contains(" ."),
        ),
        ("CRLF", d.raw.contains("\r\n")),
        (
            "running header or page number",
            d.raw.contains("DOCUMENT") || d.raw.contains("— 1 —"),
        ),
    ] {
        assert!(found, "no {what} in:\n{}", d.raw);
    }
    canonical::check(&d.gold).unwrap();
}

/// Cleaning gold changes no token, and gold evaluated against itself has WER 0.
#[test]
fn gold_round_trips() {
    let pipeline = Pipeline::default();
    let mut golds = files(&path("quality/synthetic/gold"));
    golds.extend(files(&path("quality/seeds/gold")));
    assert!(golds.len() >= 13);
    for gold_path in golds {
        let gold = read_text(&gold_path);
        canonical::check(&gold).unwrap_or_else(|v| panic!("{}: {v}", gold_path.display()));
        let out = pipeline.run(&Document::new("gold", gold.clone()));
        let gold_tokens: Vec<&str> = gold.split_whitespace().collect();
        let out_tokens: Vec<&str> = out.text.split_whitespace().collect();
        assert_eq!(
            out_tokens,
            gold_tokens,
            "{}: cleaning the gold changed tokens",
            gold_path.display()
        );
        let eval = evaluate(&gold, &out.text, &out.edits, &gold);
        assert_eq!(eval.counts.rates().out_wer, 0.0, "{}", gold_path.display());
        assert_eq!(eval.counts.rates().out_cer, 0.0, "{}", gold_path.display());
    }
}

/// Evaluate every raw file of `raw_dir` that has a gold file in `gold_dir`.
fn evaluate_dir(raw_dir: &Path, gold_dir: &Path) -> Counts {
    let pipeline = Pipeline::default();
    let mut total = Counts::default();
    let mut n = 0;
    for raw_path in files(raw_dir) {
        let gold_path = gold_dir.join(raw_path.file_name().unwrap());
        let doc = Document::from_bytes("raw", &fs::read(&raw_path).unwrap()).unwrap();
        let out = pipeline.run(&doc);
        total += evaluate(&doc.text, &out.text, &out.edits, &read_text(&gold_path)).counts;
        n += 1;
    }
    assert!(n > 0);
    total
}

fn gate(raw_dir: &str, gold_dir: &str, baseline_file: &str) {
    let total = evaluate_dir(&path(raw_dir), &path(gold_dir));
    let baseline: Baseline =
        serde_json::from_str(&fs::read_to_string(path(baseline_file)).unwrap()).unwrap();
    let (worse, better) = baseline.check(&total.rates());
    assert!(
        worse.is_empty(),
        "quality is worse than {baseline_name}:\n{}\nIf the change is deliberate, run `cargo run -- \
         eval --gold {gold_dir} {raw_dir} --baseline {baseline_name} --update-baseline` and commit it.",
        worse
            .iter()
            .map(|w| format!("  - {w}"))
            .collect::<Vec<_>>()
            .join("\n"),
        baseline_name = baseline_file,
    );
    for b in better {
        eprintln!("better than the baseline: {b}");
    }
}

#[test]
fn quality_gate_synthetic_corpus() {
    gate(
        "quality/synthetic/raw",
        "quality/synthetic/gold",
        "quality-baseline.json",
    );
}

#[test]
fn quality_gate_seeds() {
    gate("raw", "quality/seeds/gold", "quality/seeds-baseline.json");
}

/// The gate itself fails when quality drops.
#[test]
fn gate_catches_a_regression() {
    let baseline: Baseline =
        serde_json::from_str(&fs::read_to_string(path("quality-baseline.json")).unwrap()).unwrap();
    let mut worse = baseline.total;
    worse.out_wer += 0.01;
    worse.broken += 1;
    worse.fixed -= 100;
    let (regressions, _) = baseline.check(&worse);
    let text: Vec<String> = regressions.iter().map(|r| r.to_string()).collect();
    assert_eq!(text.len(), 3, "{text:?}");
    assert!(text[0].starts_with("output WER up"));
    assert!(text.iter().any(|t| t.starts_with("fixed down")));
    assert!(text.iter().any(|t| t.starts_with("broken up")));
    // Within tolerance passes.
    let mut close = baseline.total;
    close.out_wer += baseline.tolerance.wer / 2.0;
    assert!(baseline.check(&close).0.is_empty());
}
