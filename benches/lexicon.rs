//! Language-resource speed: frequency lookups, dictionary loads, Hunspell checks, hyphenation,
//! corpus counting and language detection. Run with `cargo bench --bench lexicon`; the
//! figures are recorded in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ocrtidy::lexicon::resources;
use ocrtidy::{CorpusStats, Lang, Lexicon, language};

/// The text of the sample documents.
fn samples() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/raw");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Word tokens of running text, as a repair would look them up (with their case).
fn tokens(texts: &[String]) -> Vec<String> {
    texts
        .iter()
        .flat_map(|t| t.split(|c: char| !c.is_alphabetic() && c != '\'' && c != '’'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Distinct words spread over the whole French frequency list (every 20th), for lookups that
/// do not stay in cache.
fn vocabulary() -> Vec<String> {
    include_str!("../rules/freq/fr.tsv")
        .lines()
        .step_by(20)
        .filter_map(|l| l.split('\t').next())
        .map(str::to_owned)
        .collect()
}

fn frequency(c: &mut Criterion) {
    let lexicon = Lexicon::default();
    let running = tokens(&samples());
    let vocabulary = vocabulary();
    let mut group = c.benchmark_group("frequency");
    for (name, words) in [("running-text", &running), ("vocabulary", &vocabulary)] {
        group.throughput(Throughput::Elements(words.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut found = 0usize;
                for w in words {
                    found += usize::from(lexicon.frequency(Lang::Fr, black_box(w)).is_some());
                }
                found
            })
        });
    }
    group.finish();
}

fn dictionaries(c: &mut Criterion) {
    let mut group = c.benchmark_group("dictionary-load");
    group.sample_size(10);
    for lang in [Lang::Fr, Lang::En] {
        group.bench_function(lang.to_string(), |b| {
            b.iter(|| resources::load_dictionary(black_box(lang)))
        });
    }
    group.finish();
}

fn lookups(c: &mut Criterion) {
    let lexicon = Lexicon::default();
    let candidates = [
        "réflexions",
        "réfl",
        "afin",
        "afi",
        "diffuser",
        "significatif",
        "évènements",
        "prolétaires",
        "l'homme",
        "grand-russe",
    ];
    let mut group = c.benchmark_group("per-word");
    group.throughput(Throughput::Elements(candidates.len() as u64));
    group.bench_function("is_word-hunspell", |b| {
        b.iter(|| {
            candidates
                .iter()
                .filter(|w| lexicon.is_word(Lang::Fr, black_box(w)))
                .count()
        })
    });
    group.bench_function("hyphenation_points", |b| {
        b.iter(|| {
            candidates
                .iter()
                .map(|w| lexicon.hyphenation_points(Lang::Fr, black_box(w)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

fn corpus_and_language(c: &mut Criterion) {
    let texts = samples();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("per-document");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("corpus-count", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| CorpusStats::from_text(black_box(t)))
                .sum::<CorpusStats>()
        })
    });
    group.bench_function("language-detect", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| language::detect(black_box(t)))
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    frequency,
    dictionaries,
    lookups,
    corpus_and_language
);
criterion_main!(benches);
