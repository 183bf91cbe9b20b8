//! Per-rule fixtures: each file in `tests/fixtures/` runs through the pipeline and the edits
//! (rule, raw position, before, after, confidence, evidence) and the output are snapshots.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use ocrtidy::{Document, LineIndex, Pipeline, canonical, rules, visible};

fn render(doc: &Document, out: &ocrtidy::Outcome) -> String {
    let index = LineIndex::new(&doc.text);
    let mut s = String::new();
    let d = &doc.decoding;
    writeln!(
        s,
        "decoding: {} bom={} crlf={} cr={}",
        d.encoding, d.bom, d.crlf, d.lone_cr
    )
    .unwrap();
    writeln!(s, "edits:").unwrap();
    for e in &out.edits {
        writeln!(
            s,
            "  {:<6} {:<18} {:?} -> {:?}  ({:.2}; {})",
            index.position(e.raw.start).to_string(),
            e.rule,
            visible(&e.before),
            visible(&e.after),
            e.confidence,
            e.evidence
        )
        .unwrap();
    }
    for e in &out.skipped {
        writeln!(
            s,
            "  skipped {} {:?} -> {:?} ({})",
            e.rule,
            visible(&e.before),
            visible(&e.after),
            e.reason
        )
        .unwrap();
    }
    writeln!(s, "output:").unwrap();
    for line in out.text.split_inclusive('\n') {
        writeln!(s, "  |{}", visible(line)).unwrap();
    }
    s
}

/// A fixture document and the pipeline to run it through: `NAME.fr.txt` and `NAME.en.txt`
/// are in that language, `NAME.keep-lines.txt` keeps its lines, `NAME.width40.txt` is
/// re-wrapped at 40 columns.
fn fixture(path: &std::path::Path) -> (Document, Pipeline) {
    let bytes = std::fs::read(path).unwrap();
    let mut doc = Document::from_bytes(path.display().to_string(), &bytes).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    if name.contains(".fr.") {
        doc.lang = ocrtidy::Lang::Fr;
    } else if name.contains(".en.") {
        doc.lang = ocrtidy::Lang::En;
    }
    let mut settings = ocrtidy::Settings::embedded();
    settings.keep_lines = name.contains(".keep-lines.");
    if name.contains(".width40.") {
        settings.width = Some(40);
    }
    (doc, Pipeline::new(ocrtidy::Lexicon::default(), settings))
}

#[test]
fn fixtures() {
    insta::glob!("fixtures/*.txt", |path| {
        let (doc, pipeline) = fixture(path);
        let out = pipeline.run(&doc);
        canonical::check(&out.text).unwrap();
        let mut again = Document::new("again", out.text.clone());
        again.lang = doc.lang;
        assert_eq!(
            pipeline.run(&again).text,
            out.text,
            "cleaning {} twice changes it",
            path.display()
        );
        insta::assert_snapshot!(render(&doc, &out));
    });
}

/// Every rule is exercised by some fixture, so every rule has a snapshot.
#[test]
fn every_rule_has_a_fixture() {
    let mut fired = BTreeSet::new();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).unwrap()
    {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let (doc, pipeline) = fixture(&path);
        fired.extend(doc.decode_counts().map(|(r, _)| r));
        fired.extend(pipeline.run(&doc).edits.iter().map(|e| e.rule));
    }
    let missing: Vec<_> = rules::all()
        .map(|r| r.id)
        .filter(|id| !fired.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules with no fixture: {missing:?}");
}

/// Each rule's documented example does what the documentation says.
#[test]
fn documented_examples_hold() {
    for rule in rules::all() {
        let mut doc = Document::new("example", rule.example_before);
        doc.lang = rule.example_lang;
        // The re-wrapping rule's example is at 64 columns; it is off by default.
        let mut settings = ocrtidy::Settings::embedded();
        if rule.id == "rewrap" {
            settings.width = Some(64);
        }
        let out = Pipeline::new(ocrtidy::Lexicon::default(), settings).run(&doc);
        assert_eq!(
            out.text, rule.example_after,
            "rule {}: example output differs",
            rule.id
        );
        let fired = out.edits.iter().any(|e| e.rule == rule.id)
            || doc.decode_counts().any(|(r, _)| r == rule.id);
        assert!(fired, "rule {}: its example does not use it", rule.id);
    }
}

/// The clean-text fixture comes out unchanged, word for word and byte for byte.
#[test]
fn clean_text_is_untouched() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/clean-text.txt"
    ))
    .unwrap();
    let out = Pipeline::default().run(&Document::new("clean", text.clone()));
    assert!(out.edits.is_empty(), "{:?}", out.edits);
    assert_eq!(out.text, text);
}
