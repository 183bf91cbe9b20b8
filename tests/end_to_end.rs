//! End to end: the committed samples in `raw/` reproduce the accepted outputs in `cleaned/`.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use ocrtidy::{Document, Pipeline, canonical};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn names(dir: &Path) -> Vec<PathBuf> {
    let mut names: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| PathBuf::from(e.unwrap().file_name()))
        .collect();
    names.sort();
    names
}

/// The library reproduces every accepted output byte for byte, and each is canonical.
#[test]
fn raw_reproduces_cleaned() {
    let raw = Path::new(ROOT).join("raw");
    let cleaned = Path::new(ROOT).join("cleaned");
    assert_eq!(
        names(&raw),
        names(&cleaned),
        "raw/ and cleaned/ hold different files"
    );
    assert_eq!(names(&raw).len(), 5);
    let pipeline = Pipeline::default();
    for name in names(&raw) {
        let bytes = fs::read(raw.join(&name)).unwrap();
        let doc = Document::from_bytes(name.display().to_string(), &bytes).unwrap();
        let out = pipeline.run(&doc);
        let accepted = fs::read_to_string(cleaned.join(&name)).unwrap();
        assert!(
            out.text == accepted,
            "{}: the pipeline's output differs from the accepted cleaned/ file",
            name.display()
        );
        canonical::check(&accepted).unwrap_or_else(|v| panic!("{}: {v}", name.display()));
    }
}

/// Runs `ocrtidy clean INPUT -o DIR` and asserts DIR holds exactly the accepted tree.
fn clean_gives_cleaned(input: &str) {
    let out = tempfile::tempdir().unwrap();
    Command::cargo_bin("ocrtidy")
        .unwrap()
        .args(["clean", input, "-o"])
        .arg(out.path())
        .current_dir(ROOT)
        .assert()
        .success();
    let cleaned = Path::new(ROOT).join("cleaned");
    assert_eq!(names(out.path()), names(&cleaned));
    for name in names(&cleaned) {
        assert!(
            fs::read(out.path().join(&name)).unwrap() == fs::read(cleaned.join(&name)).unwrap(),
            "{}: `ocrtidy clean {input}` output differs from cleaned/",
            name.display()
        );
    }
}

/// `ocrtidy clean raw -o DIR` writes exactly the accepted tree.
#[test]
fn clean_command_reproduces_cleaned() {
    clean_gives_cleaned("raw");
}

/// The accepted tree is a fixed point of the batch run: cleaning `cleaned/` itself, with the
/// corpus counts of the cleaned texts rather than the raw ones, changes nothing.
#[test]
fn cleaning_cleaned_changes_nothing() {
    clean_gives_cleaned("cleaned");
}

/// `raw/` holds the seeds byte for byte (checked where `../shared/seeds` is present, as in CI).
#[test]
fn raw_is_the_seeds() {
    let seeds = Path::new(ROOT).join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("../shared/seeds not present; skipped");
        return;
    }
    let raw = Path::new(ROOT).join("raw");
    assert_eq!(names(&seeds), names(&raw));
    for name in names(&seeds) {
        assert_eq!(
            fs::read(seeds.join(&name)).unwrap(),
            fs::read(raw.join(&name)).unwrap(),
            "raw/{} differs from the seed",
            name.display()
        );
    }
}
