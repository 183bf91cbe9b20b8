//! Build step: compile the word-frequency lists in `rules/freq/` into `fst` maps, and list the
//! files of `rules/words/`, so both are embedded in the binary and cost nothing to load.

use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    for lang in ["fr", "en"] {
        let tsv = root.join("rules/freq").join(format!("{lang}.tsv"));
        println!("cargo:rerun-if-changed={}", tsv.display());
        build_freq(&tsv, &out.join(format!("freq-{lang}.fst")));
    }
    let words = root.join("rules/words");
    println!("cargo:rerun-if-changed={}", words.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&words)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    files.sort();
    let mut code = String::from(
        "/// The files of `rules/words/`, by name.\npub static WORD_FILES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file.file_name().unwrap().to_string_lossy();
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            file.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    fs::write(out.join("word_files.rs"), code).unwrap();
}

/// `word<TAB>zipf` lines to an fst map from word to zipf × 100.
fn build_freq(tsv: &Path, dest: &Path) {
    let text =
        fs::read_to_string(tsv).unwrap_or_else(|e| panic!("cannot read {}: {e}", tsv.display()));
    let mut entries: BTreeMap<&[u8], u64> = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let Some((word, zipf)) = line.split_once('\t') else {
            panic!("{}:{}: expected word<TAB>zipf", tsv.display(), n + 1);
        };
        let zipf: f64 = zipf
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{}:{}: bad zipf {zipf:?}", tsv.display(), n + 1));
        let value = (zipf * 100.0).round().max(0.0) as u64;
        let slot = entries.entry(word.as_bytes()).or_insert(0);
        *slot = (*slot).max(value);
    }
    let mut builder = fst::MapBuilder::new(Vec::new()).unwrap();
    for (word, value) in entries {
        builder.insert(word, value).unwrap();
    }
    fs::write(dest, builder.into_inner().unwrap()).unwrap();
}
