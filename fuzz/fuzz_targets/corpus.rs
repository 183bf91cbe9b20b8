//! The batch path on arbitrary bytes, as `ocrtidy clean` runs it over a directory: the input is
//! cut into documents at 0xFF bytes (never part of UTF-8 text), their words are counted into
//! corpus statistics, and each document is cleaned with them. Nothing panics; every output is
//! canonical; cleaning the outputs again, with the outputs' own counts, changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocrtidy::{CorpusStats, Document, Pipeline};
use std::sync::{Arc, LazyLock};

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(Pipeline::default);

fn counted(texts: &[&str]) -> Pipeline {
    let mut stats = CorpusStats::default();
    for t in texts {
        stats += CorpusStats::from_text(t);
    }
    PIPELINE.clone().with_corpus(Arc::new(stats))
}

fuzz_target!(|data: &[u8]| {
    let docs: Vec<Document> = data
        .split(|&b| b == 0xFF)
        .filter_map(|part| Document::from_bytes("fuzz", part).ok())
        .collect();
    let raw: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
    let pipeline = counted(&raw);
    let outs: Vec<String> = docs.iter().map(|d| pipeline.run(d).text).collect();
    for out in &outs {
        assert_eq!(ocrtidy::canonical::check(out), Ok(()));
    }
    let cleaned: Vec<&str> = outs.iter().map(String::as_str).collect();
    let again = counted(&cleaned);
    for out in &outs {
        let twice = again.run(&Document::new("fuzz", out.clone())).text;
        assert_eq!(&twice, out, "not idempotent");
    }
});
