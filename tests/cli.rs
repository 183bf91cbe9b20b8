//! The `ocrtidy` command over temporary directories.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn ocrtidy() -> Command {
    let mut cmd = Command::cargo_bin("ocrtidy").unwrap();
    cmd.env_remove("CI");
    cmd
}

fn write(path: &Path, bytes: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, bytes).unwrap();
}

/// A small input tree: nested text files, a non-text file, a hidden directory.
fn input_tree() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("in");
    write(&root.join("a.txt"), b"Camarades,  \n\n\n\nPermettez-moi");
    write(
        &root.join("sub/b.txt"),
        "r\u{e9}\u{fb02}exions\r\n".as_bytes(),
    );
    write(&root.join("sub/deeper/c.txt"), b"\xEF\xBB\xBFdeep\n");
    write(&root.join("notes.md"), b"# not text  \n");
    write(&root.join(".hidden/d.txt"), b"hidden\n");
    dir
}

/// Every file under `root`, by relative path, with its bytes.
fn tree(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_path_buf();
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// Bytes and modification times of every file under `root`.
fn fingerprint(root: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    tree(root)
        .into_iter()
        .map(|(rel, bytes)| {
            let mtime = fs::metadata(root.join(&rel)).unwrap().modified().unwrap();
            (rel, (bytes, mtime))
        })
        .collect()
}

#[test]
fn directory_in_mirrored_tree_out() {
    let dir = input_tree();
    let out = dir.path().join("out");
    ocrtidy()
        .args(["clean", "in", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 3 files"))
        .stderr(predicate::str::contains("3 created"))
        .stderr(predicate::str::contains("blank-lines 1"));
    let files = tree(&out);
    let names: Vec<_> = files
        .keys()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.txt", "sub/b.txt", "sub/deeper/c.txt"]);
    assert_eq!(files[Path::new("a.txt")], b"Camarades,\n\nPermettez-moi\n");
    assert_eq!(files[Path::new("sub/b.txt")], "réflexions\n".as_bytes());
    assert_eq!(files[Path::new("sub/deeper/c.txt")], b"deep\n");
}

#[test]
fn a_second_run_leaves_identical_outputs_alone() {
    let dir = input_tree();
    for expect in [
        "3 created, 0 replaced, 0 unchanged",
        "0 created, 0 replaced, 3 unchanged",
    ] {
        ocrtidy()
            .args(["clean", "in", "-o", "out"])
            .current_dir(dir.path())
            .assert()
            .success()
            .stderr(predicate::str::contains(expect));
    }
}

#[test]
fn glob_selects_other_files() {
    let dir = input_tree();
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--glob", "*.md"])
        .current_dir(dir.path())
        .assert()
        .success();
    let names: Vec<_> = tree(&dir.path().join("out")).into_keys().collect();
    assert_eq!(names, [PathBuf::from("notes.md")]);
}

#[test]
fn file_inputs_are_taken_whatever_their_name() {
    let dir = input_tree();
    ocrtidy()
        .args(["clean", "in/notes.md", "in/sub/b.txt", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .success();
    let names: Vec<_> = tree(&dir.path().join("out")).into_keys().collect();
    assert_eq!(names, [PathBuf::from("b.txt"), PathBuf::from("notes.md")]);
}

#[test]
fn stdin_to_stdout() {
    ocrtidy()
        .args(["clean", "-"])
        .write_stdin("a\u{fb01}n  \r\n\n\n\nfin")
        .assert()
        .success()
        .stdout("afin\n\nfin\n")
        .stderr("");
}

#[test]
fn stdin_cannot_be_mixed_with_an_output_directory() {
    ocrtidy()
        .args(["clean", "-", "-o", "out"])
        .write_stdin("x")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("standard output"));
}

#[test]
fn clean_without_output_is_a_usage_error() {
    let dir = input_tree();
    ocrtidy()
        .args(["clean", "in"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-o DIR"));
}

#[test]
fn missing_path_exits_2_naming_it_and_other_files_go_on() {
    let dir = input_tree();
    ocrtidy()
        .args(["clean", "in", "no-such-file.txt", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no-such-file.txt: no such file or directory",
        ))
        .stderr(predicate::str::contains("cleaned 3 files"))
        .stderr(predicate::str::contains("1 error"));
    assert!(dir.path().join("out/a.txt").is_file());
}

#[test]
fn undecodable_file_exits_2_naming_it_and_other_files_go_on() {
    let dir = input_tree();
    write(
        &dir.path().join("in/garbled.txt"),
        b"ab\x01\x02\x03\xff\x04\n",
    );
    write(&dir.path().join("in/binary.txt"), b"ab\0cd");
    ocrtidy()
        .args(["clean", "in", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "garbled.txt: encoding not recognised: not UTF-8 (byte 0xFF at offset 5, line 1, column 6)",
        ))
        .stderr(predicate::str::contains(
            "ocrtidy: warning: in/binary.txt: skipped: binary file (NUL byte at offset 2)",
        ))
        .stderr(predicate::str::contains("1 binary file skipped; 1 error"));
    assert!(dir.path().join("out/sub/b.txt").is_file());
    assert!(!dir.path().join("out/garbled.txt").exists());
    assert!(!dir.path().join("out/binary.txt").exists());
}

#[test]
fn binary_files_are_skipped_with_a_warning_and_legacy_encodings_decoded() {
    let dir = input_tree();
    write(&dir.path().join("in/binary.txt"), b"\x7fELF\x02\x01\0\0\0");
    write(
        &dir.path().join("in/latin1.txt"),
        b"Les r\xe9flexions du comit\xe9 sur la soci\xe9t\xe9 fran\xe7aise.\r\n",
    );
    write(&dir.path().join("in/empty.txt"), b"");
    ocrtidy()
        .args(["clean", "in", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("binary"))
        .stderr(predicate::str::contains("1 binary file skipped"))
        .stderr(predicate::str::contains("decoded from: windows-1252 1"));
    assert_eq!(
        fs::read_to_string(dir.path().join("out/latin1.txt")).unwrap(),
        "Les réflexions du comité sur la société française.\n"
    );
    assert_eq!(fs::read(dir.path().join("out/empty.txt")).unwrap(), b"");
    assert!(!dir.path().join("out/binary.txt").exists());
    // UTF-16 with a BOM.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in "Caf\u{e9} cr\u{e8}me\r\n".encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    write(&dir.path().join("in/utf16.txt"), &utf16);
    ocrtidy()
        .args(["clean", "in", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("UTF-16LE 1"));
    assert_eq!(
        fs::read_to_string(dir.path().join("out/utf16.txt")).unwrap(),
        "Café crème\n"
    );
}

#[test]
fn output_inside_or_equal_to_input_is_refused() {
    let dir = input_tree();
    for out in ["in/out", "in", "in/sub/../x"] {
        ocrtidy()
            .args(["clean", "in", "-o", out])
            .current_dir(dir.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains("inside the input directory"));
    }
    assert!(!dir.path().join("in/out").exists());
    assert!(!dir.path().join("in/x").exists());
}

/// An input that is a link to the file an output would replace is that input too: refused,
/// and nothing is written.
#[cfg(unix)]
#[test]
fn output_over_an_input_reached_through_a_link_is_refused() {
    let dir = input_tree();
    write(&dir.path().join("out/a.txt"), b"kept\n");
    fs::create_dir_all(dir.path().join("links")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("out/a.txt"), dir.path().join("links/a.txt"))
        .unwrap();
    ocrtidy()
        .args(["clean", "links/a.txt", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is an input file"));
    assert_eq!(fs::read(dir.path().join("out/a.txt")).unwrap(), b"kept\n");
}

#[test]
fn output_over_an_input_file_is_refused() {
    let dir = input_tree();
    // in/sub/b.txt given as a file, output dir in/sub: would overwrite the input itself.
    ocrtidy()
        .args(["clean", "in/sub/b.txt", "-o", "in/sub"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is an input file"));
    assert_eq!(
        fs::read(dir.path().join("in/sub/b.txt")).unwrap(),
        "r\u{e9}\u{fb02}exions\r\n".as_bytes()
    );
}

#[test]
fn two_inputs_writing_the_same_output_are_refused() {
    let dir = input_tree();
    write(&dir.path().join("other/a.txt"), b"x\n");
    ocrtidy()
        .args(["clean", "in", "other", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("would both be written to"));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn inputs_are_never_modified() {
    let dir = input_tree();
    let before = fingerprint(&dir.path().join("in"));
    ocrtidy()
        .args(["clean", "in", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .success();
    assert_eq!(fingerprint(&dir.path().join("in")), before);
}

#[test]
fn one_job_gives_the_same_output_as_many() {
    let dir = input_tree();
    for (jobs, out) in [("1", "out1"), ("4", "out4")] {
        ocrtidy()
            .args(["clean", "in", "-o", out, "--jobs", jobs])
            .current_dir(dir.path())
            .assert()
            .success();
    }
    assert_eq!(
        tree(&dir.path().join("out1")),
        tree(&dir.path().join("out4"))
    );
}

#[test]
fn quiet_prints_nothing_on_success() {
    let dir = input_tree();
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--quiet"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout("")
        .stderr("");
}

#[test]
fn rules_lists_the_registry_and_documents_each_rule() {
    let listing = ocrtidy().arg("rules").assert().success();
    let stdout = String::from_utf8(listing.get_output().stdout.clone()).unwrap();
    for rule in ocrtidy::rules::all() {
        assert!(stdout.contains(rule.id), "rules listing lacks {}", rule.id);
    }
    ocrtidy()
        .args(["rules", "unicode-ligature"])
        .assert()
        .success()
        .stdout(predicate::str::contains("What it does"))
        .stdout(predicate::str::contains("Risks"))
        .stdout(predicate::str::contains("before: a⟨U+FB01⟩n"));
    ocrtidy()
        .args(["rules", "no-such-rule"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no rule \"no-such-rule\""));
}

#[test]
fn rules_json_is_valid() {
    let out = ocrtidy().args(["rules", "--json"]).assert().success();
    let value: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(
        value.as_array().unwrap().len(),
        ocrtidy::rules::all().count()
    );
}

#[test]
fn unknown_option_is_a_usage_error() {
    ocrtidy().args(["clean", "--frobnicate"]).assert().code(2);
}

#[test]
fn lexicon_prints_one_line_per_word() {
    let out = ocrtidy()
        .args([
            "lexicon",
            "--lang",
            "fr",
            "réflexions",
            "réfl",
            "évènements",
        ])
        .assert()
        .success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].starts_with("réflexions\tvalid\tzipf=4.04\thyph=ré·flexions"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("réfl\tunknown\tzipf=1.76\t"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("évènements\tvalid\tzipf=4.03\thyph=évè·ne·ments"),
        "{}",
        lines[2]
    );
}

#[test]
fn lexicon_picks_the_language_a_word_fits() {
    ocrtidy()
        .args(["lexicon", "office", "afin"])
        .assert()
        .success()
        .stdout(predicate::str::contains("office\tvalid").and(predicate::str::contains("lang=en")))
        .stdout(predicate::str::contains(
            "afin\tvalid\tzipf=5.31\thyph=afin\tlang=fr",
        ));
}

#[test]
fn lexicon_counts_words_in_a_corpus() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("c/a.txt"),
        "des réflexions\net des Réflexions\n".as_bytes(),
    );
    write(&dir.path().join("c/sub/b.txt"), "réfl exions\n".as_bytes());
    ocrtidy()
        .args([
            "lexicon",
            "--lang",
            "fr",
            "--corpus",
            "c",
            "réflexions",
            "réfl",
        ])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "réflexions\tvalid\tzipf=4.04\thyph=ré·flexions\tcorpus=2",
        ))
        .stdout(predicate::str::contains(
            "réfl\tunknown\tzipf=1.76\thyph=réfl\tcorpus=1",
        ));
}

#[test]
fn user_rules_directory_adds_protected_words_and_settings() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("myrules/words/names.txt"),
        b"# names\nKuchuk-Khan\n",
    );
    write(&dir.path().join("myrules/ocrtidy.toml"), b"lang = \"en\"\n");
    ocrtidy()
        .args(["lexicon", "--rules", "myrules", "Kuchuk-Khan"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("Kuchuk-Khan\tvalid"))
        .stdout(predicate::str::contains("lang=en\tprotected"));
    // --lang on the command line beats the rules directory.
    ocrtidy()
        .args([
            "lexicon",
            "--rules",
            "myrules",
            "--lang",
            "fr",
            "Kuchuk-Khan",
        ])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("lang=fr"));
}

#[test]
fn bad_settings_name_the_file_and_line() {
    let dir = input_tree();
    write(
        &dir.path().join("myrules/ocrtidy.toml"),
        b"# comment\nlangue = \"fr\"\n",
    );
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--rules", "myrules"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "ocrtidy.toml:2: unknown field `langue`",
        ));
    assert!(!dir.path().join("out").exists());
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--rules", "no-such-dir"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "--rules no-such-dir: not a directory",
        ));
}

#[test]
fn clean_reports_languages_and_accepts_a_forced_one() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("in/fr.txt"),
        "Je vous prie instamment de considérer cette question avec une attention redoublée, \
         de faire tous vos efforts pour établir des relations de camaraderie.\n"
            .as_bytes(),
    );
    ocrtidy()
        .args(["clean", "in", "-o", "out"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("languages: fr 1"));
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--lang", "en"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("languages: en 1"));
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--lang", "de"])
        .current_dir(dir.path())
        .assert()
        .code(2);
}

/// A tiny gold corpus: one file whose raw text has one fixable and one unfixable error.
fn eval_tree() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("raw/a.txt"),
        "la lettre de\u{ad}vait  \narriver 1a veille\n".as_bytes(),
    );
    write(
        &dir.path().join("gold/a.txt"),
        b"la lettre devait arriver la veille\n",
    );
    write(&dir.path().join("raw/no-gold.txt"), b"x\n");
    dir
}

#[test]
fn eval_prints_tables_and_json() {
    let dir = eval_tree();
    ocrtidy()
        .args(["eval", "--gold", "gold", "raw"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("a.txt"))
        .stdout(predicate::str::contains("total"))
        .stdout(predicate::str::contains("soft-hyphen"))
        .stderr(predicate::str::contains("1 file(s) in raw have no gold"));
    let out = ocrtidy()
        .args(["eval", "--gold", "gold", "raw", "--json"])
        .current_dir(dir.path())
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let total = &v["total"];
    assert_eq!(total["gold_tokens"], 6);
    // Raw: "de­vait" and "1a" are wrong (2 of 6); output: "1a" only (1 of 6).
    assert!(
        (total["raw_wer"].as_f64().unwrap() - 2.0 / 6.0).abs() < 1e-9,
        "{total}"
    );
    assert!(
        (total["out_wer"].as_f64().unwrap() - 1.0 / 6.0).abs() < 1e-9,
        "{total}"
    );
    assert_eq!(total["fixed"], 1);
    assert_eq!(total["broken"], 0);
    assert_eq!(v["files"][0]["file"], "a.txt");
    assert_eq!(v["rules"]["soft-hyphen"]["toward"], 1);
    assert_eq!(v["rules"]["soft-hyphen"]["precision"], 1.0);
}

#[test]
fn eval_baseline_gate() {
    let dir = eval_tree();
    let eval = |extra: &[&str]| {
        let mut cmd = ocrtidy();
        cmd.args(["eval", "--gold", "gold", "raw", "--baseline", "base.json"])
            .args(extra)
            .current_dir(dir.path());
        cmd
    };
    eval(&["--update-baseline"]).assert().success();
    eval(&[])
        .assert()
        .success()
        .stderr(predicate::str::contains("quality gate passed"));
    // A baseline better than what the pipeline does: the gate fails with exit 1, saying why.
    let path = dir.path().join("base.json");
    let mut base: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
    base["total"]["out_wer"] = serde_json::json!(0.0);
    base["total"]["fixed"] = serde_json::json!(5);
    fs::write(&path, base.to_string()).unwrap();
    eval(&[])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "worse than the baseline: output WER up",
        ))
        .stderr(predicate::str::contains(
            "worse than the baseline: fixed down: 5 -> 1",
        ))
        .stderr(predicate::str::contains("--update-baseline"));
    // A missing baseline is an error, not a pass.
    eval(&[])
        .arg("--baseline")
        .arg("missing.json")
        .assert()
        .code(2);
}

#[test]
fn degrade_writes_raw_and_gold_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("src/texte.txt"),
        "Les réflexions des camarades, afin de diffuser un bilan significatif de la\n\
         révolution, sont rassemblées dans le deuxième volume de l'édition.\n\n\
         Un second paragraphe, plus court.\n"
            .as_bytes(),
    );
    for out in ["a", "b"] {
        ocrtidy()
            .args([
                "degrade", "src", "-o", out, "--seed", "5", "--width", "30", "--lang", "fr",
            ])
            .current_dir(dir.path())
            .assert()
            .success();
    }
    let a = tree(&dir.path().join("a"));
    assert_eq!(a, tree(&dir.path().join("b")));
    let names: Vec<_> = a.keys().map(|p| p.to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["gold/texte-s5.txt", "raw/texte-s5.txt"]);
    assert_eq!(
        String::from_utf8(a[Path::new("gold/texte-s5.txt")].clone()).unwrap(),
        "Les réflexions des camarades, afin de diffuser un bilan significatif de la révolution, \
         sont rassemblées dans le deuxième volume de l'édition.\n\nUn second paragraphe, plus court.\n"
    );
    // Its gold round-trips through eval with no error.
    ocrtidy()
        .args(["eval", "--gold", "a/gold", "a/gold", "--json"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("\"out_wer\": 0.0"));
}

/// A French document long enough for its language to be detected.
const FRENCH: &str = "Le Conseil de 1a Défense fut formé en vertu d'un arrêté du Conseil \
exécutif central de Russie pour diriger l'œuvre de la défense de la République, et ses \
réfl exions furent publiées.\n";

#[test]
fn user_confusion_rules_layer_on_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("in/a.txt"),
        FRENCH.replace("publiées", "pub1iées").as_bytes(),
    );
    write(
        &dir.path().join("mine/confusions.toml"),
        r#"[[rule]]
id = "one-for-l-inside"
summary = "1 read for l inside a French word"
lang = ["fr"]
pattern = '1'
replacement = 'l'
scope = "within"
context_words = false
confidence = 0.8
why = "OCR reads l as 1."
risks = "Words with real digits are not words, so nothing to fear."
examples = [{ before = "elles furent pub1iées", after = "elles furent publiées" }]
"#
        .as_bytes(),
    );
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--rules", "mine"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("one-for-l-inside 1"));
    let out = fs::read_to_string(dir.path().join("out/a.txt")).unwrap();
    assert!(
        out.contains("publiées") && out.contains("de la Défense"),
        "{out}"
    );
    // The user's rule is listed and its example runs with the others.
    ocrtidy()
        .args(["rules", "--rules", "mine"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("one-for-l-inside"));
    ocrtidy()
        .args(["rules", "--test", "--rules", "mine"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(" passed, 0 failed"));
}

/// The user rule of [`user_confusion_rules_layer_on_the_defaults`], with its pattern and
/// replacement: 1 read for l inside a French word.
fn one_for_l_rule(id: &str, pattern: &str, replacement: &str) -> String {
    format!(
        r#"[[rule]]
id = "{id}"
summary = "1 read for l inside a French word"
lang = ["fr"]
pattern = '{pattern}'
replacement = '{replacement}'
scope = "within"
context_words = false
confidence = 0.8
why = "OCR reads l as 1."
risks = "Words with real digits are not words, so nothing to fear."
examples = [{{ before = "elles furent pub1iées", after = "elles furent publiées" }}]
"#
    )
}

/// Clean [`FRENCH`] with "pub1iées" in it, with `table` as the user's confusion rules: the
/// rule `id` must make one edit, and the embedded ones theirs.
fn clean_with_user_confusions(table: &str, id: &str) {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("in/a.txt"),
        FRENCH.replace("publiées", "pub1iées").as_bytes(),
    );
    write(&dir.path().join("mine/confusions.toml"), table.as_bytes());
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--rules", "mine"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(format!("{id} 1")));
    let out = fs::read_to_string(dir.path().join("out/a.txt")).unwrap();
    assert!(
        out.contains("publiées") && out.contains("de la Défense"),
        "{out}"
    );
}

/// With more rules in a language than are matched one by one, candidate tokens are matched
/// through the rules' set: the same edits are made.
#[test]
fn many_user_confusion_rules_are_matched_as_a_set() {
    let mut table = String::new();
    for k in 0..8 {
        table.push_str(&format!(
            "[[rule]]\nid = \"never-{k}\"\nsummary = \"s\"\nlang = [\"fr\"]\n\
             pattern = '^qq{k}1$'\nreplacement = 'x'\nconfidence = 0.8\nwhy = \"w\"\n\
             risks = \"r\"\nexamples = [{{ before = \"a\", after = \"a\" }}]\n\n"
        ));
    }
    table.push_str(&one_for_l_rule("one-for-l-inside", "1", "l"));
    clean_with_user_confusions(&table, "one-for-l-inside");
}

/// A rule whose matches start with no string known in advance has no prefilter: every
/// token is a candidate, and the same edits are made.
#[test]
fn user_confusion_rules_without_a_prefilter_are_asked_of_every_token() {
    let table = one_for_l_rule("one-for-l-after-a-letter", "(\\pL)1", "${1}l");
    clean_with_user_confusions(&table, "one-for-l-after-a-letter");
}

#[test]
fn bad_user_rules_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let rule = |extra: &str| {
        format!(
            "# my rules\n[[rule]]\nid = \"x-rule\"\nsummary = \"s\"\nlang = [\"fr\"]\n\
             replacement = \"y\"\nconfidence = 0.5\nwhy = \"w\"\nrisks = \"r\"\n\
             examples = [{{ before = \"a\", after = \"a\" }}]\n{extra}"
        )
    };
    for (extra, message) in [
        (
            "pattern = '(unclosed'\n",
            "confusions.toml:11: x-rule: bad pattern",
        ),
        (
            "pattern = 'x'\ncolour = 'red'\n",
            "confusions.toml:12: unknown field `colour`",
        ),
    ] {
        write(
            &dir.path().join("mine/confusions.toml"),
            rule(extra).as_bytes(),
        );
        ocrtidy()
            .args(["rules", "--rules", "mine"])
            .current_dir(dir.path())
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
    // An id of a built-in rule is refused too.
    write(
        &dir.path().join("mine/confusions.toml"),
        rule("pattern = 'x'\n")
            .replace("x-rule", "lig-split")
            .as_bytes(),
    );
    ocrtidy()
        .args(["rules", "--rules", "mine"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("\"lig-split\" is a built-in rule"));
}

#[test]
fn rules_test_fails_on_a_wrong_example() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("mine/confusions.toml"),
        br#"[[rule]]
id = "wrong-example"
summary = "s"
lang = ["en"]
pattern = '^tbe$'
replacement = 'the'
confidence = 0.9
why = "w"
risks = "r"
examples = [{ before = "in tbe morning", after = "in a morning" }]
"#,
    );
    ocrtidy()
        .args(["rules", "--test", "--rules", "mine"])
        .current_dir(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("FAIL wrong-example"))
        .stdout(predicate::str::contains("1 failed"));
}

#[test]
fn per_rule_settings_flag_or_turn_off_a_rule() {
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("in/a.txt"), FRENCH.as_bytes());
    write(
        &dir.path().join("mine/ocrtidy.toml"),
        b"[rules.lig-split]\naction = \"flag\"\n[rules.confusion-one-for-l]\naction = \"off\"\n",
    );
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--rules", "mine"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("1 flagged, not applied"));
    let out = fs::read_to_string(dir.path().join("out/a.txt")).unwrap();
    assert!(
        out.contains("réfl exions") && out.contains("de 1a Défense"),
        "{out}"
    );
    // The default settings apply both.
    ocrtidy()
        .args(["clean", "in", "-o", "out2"])
        .current_dir(dir.path())
        .assert()
        .success();
    let out = fs::read_to_string(dir.path().join("out2/a.txt")).unwrap();
    assert!(
        out.contains("réflexions") && out.contains("de la Défense"),
        "{out}"
    );
    // A setting for a rule that does not exist is an error.
    write(
        &dir.path().join("mine/ocrtidy.toml"),
        b"[rules.no-such]\naction = \"off\"\n",
    );
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--rules", "mine"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("[rules.no-such]: no such rule"));
}

#[test]
fn boilerplate_lists_lines_repeated_across_files() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..4 {
        write(
            &dir.path().join(format!("batch/{i}.txt")),
            format!("Droits réservés au Cnam et à ses partenaires\n\nLettre numéro {i}.\n\nNotre revue\n")
                .as_bytes(),
        );
    }
    write(&dir.path().join("batch/other.txt"), b"Notre revue\n");
    let before = fingerprint(&dir.path().join("batch"));
    ocrtidy()
        .args(["boilerplate", "batch", "--min-files", "4"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "5\tNotre revue\n4\tDroits réservés au Cnam et à ses partenaires\n",
        ))
        .stdout(predicate::str::contains("Lettre").not())
        .stdout(predicate::str::contains(
            "2 line(s) found in at least 4 of 5 files",
        ));
    assert_eq!(fingerprint(&dir.path().join("batch")), before);
}

#[test]
fn user_boilerplate_rules_remove_lines() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("in/a.txt"),
        "Première ligne du texte.\n\nDroits réservés au Cnam et à ses partenaires\n\nFacebook\n"
            .as_bytes(),
    );
    write(
        &dir.path().join("mine/boilerplate.toml"),
        r#"[[rule]]
id = "cnam-rights"
summary = "The Cnam rights line"
pattern = '^Droits réservés au Cnam et à ses partenaires$'
why = "Page furniture of the Cnam's digital library."
risks = "None."
examples = [{ before = "Texte.\n\nDroits réservés au Cnam et à ses partenaires", after = "Texte." }]
"#
        .as_bytes(),
    );
    ocrtidy()
        .args(["clean", "in", "-o", "out", "--rules", "mine"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("cnam-rights 1"))
        .stderr(predicate::str::contains("boilerplate-share 1"));
    assert_eq!(
        fs::read_to_string(dir.path().join("out/a.txt")).unwrap(),
        "Première ligne du texte.\n"
    );
}

#[test]
fn keep_lines_and_width_control_the_layout() {
    let dir = tempfile::tempdir().unwrap();
    let text = "I think that there is no need to delay any longer, and tomorrow this\n\
                question must be resolved in the Politburo, as we agreed last week in\n\
                the presence of the comrades who came from Baku and from Tiflis.\n";
    write(&dir.path().join("in/a.txt"), text.as_bytes());
    ocrtidy()
        .args(["clean", "in", "-o", "joined", "--lang", "en"])
        .current_dir(dir.path())
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(dir.path().join("joined/a.txt")).unwrap(),
        text.replace('\n', " ").trim_end().to_owned() + "\n"
    );
    ocrtidy()
        .args(["clean", "in", "-o", "kept", "--keep-lines"])
        .current_dir(dir.path())
        .assert()
        .success();
    assert_eq!(
        fs::read_to_string(dir.path().join("kept/a.txt")).unwrap(),
        text
    );
    ocrtidy()
        .args(["clean", "in", "-o", "narrow", "--width", "40"])
        .current_dir(dir.path())
        .assert()
        .success();
    let narrow = fs::read_to_string(dir.path().join("narrow/a.txt")).unwrap();
    assert!(narrow.lines().all(|l| l.chars().count() <= 40), "{narrow}");
    assert_eq!(
        narrow.split_whitespace().collect::<Vec<_>>(),
        text.split_whitespace().collect::<Vec<_>>()
    );
}
