//! The pipeline on arbitrary bytes: decoding never panics, and when the bytes decode, the
//! output is canonical and cleaning it again changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ocrtidy::{Document, Pipeline};
use std::sync::LazyLock;

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(Pipeline::default);

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = Document::from_bytes("fuzz", data) else {
        return;
    };
    let out = PIPELINE.run(&doc);
    assert_eq!(ocrtidy::canonical::check(&out.text), Ok(()));
    let again = PIPELINE.run(&Document::new("fuzz", out.text.clone()));
    assert_eq!(again.text, out.text, "not idempotent");
    for e in &out.edits {
        assert!(e.raw.start <= e.raw.end && e.raw.end <= doc.text.len());
    }
});
