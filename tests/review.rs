//! The review workflow over temporary directories: `diff`, `check`, pending outputs,
//! `pending`, `accept`, `reject`, `review` and the memory of rejections.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

const FR: &str = "004_303341a3ca7be413.txt";
const EN: &str = "003_428a27a5691f1ad6.txt";

fn ocrtidy(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ocrtidy").unwrap();
    cmd.env_remove("CI").env_remove("NO_COLOR").current_dir(dir);
    cmd
}

fn seed(name: &str) -> String {
    fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("raw").join(name)).unwrap()
}

fn read(path: PathBuf) -> String {
    fs::read_to_string(path).unwrap()
}

/// `raw/` with two seeds and `cleaned/` with their accepted outputs, as `clean` made them.
fn project() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("raw")).unwrap();
    for name in [FR, EN] {
        fs::write(dir.path().join("raw").join(name), seed(name)).unwrap();
    }
    ocrtidy(dir.path())
        .args(["clean", "raw", "-o", "cleaned", "-q"])
        .assert()
        .success();
    dir
}

/// Make the accepted French output older: without two of today's repairs.
fn age_accepted(dir: &Path) {
    let path = dir.join("cleaned").join(FR);
    let text = read(path.clone());
    assert!(text.contains("réflexions") && text.contains("significatif."));
    let old = text
        .replace("réflexions", "réfl exions")
        .replace("significatif.", "signifi catif.");
    fs::write(path, old).unwrap();
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

#[test]
fn diff_lists_edits_with_rule_place_and_confidence() {
    let dir = project();
    let out = ocrtidy(dir.path())
        .args(["diff", "raw"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    // Word-level: the whole words, removed and inserted.
    assert!(
        text.contains(&format!("raw/{FR}:13:67: lig-split (0.95): …"))
            && text.contains("les mains est le résultat de [-réfl exions-]{+réflexions+} et de"),
        "{text}"
    );
    assert!(
        text.contains("[joined: réflexions"),
        "evidence is shown: {text}"
    );
    // Layout edits are summarised, not listed, unless --all.
    assert!(
        text.contains("layout or foreign-passage edits not listed (")
            && !text.contains(": reflow (")
    );
    let all = ocrtidy(dir.path())
        .args(["diff", "--all", "raw"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&all.stdout).contains(": reflow ("));
    // --rule keeps one rule's edits.
    let only = ocrtidy(dir.path())
        .args(["diff", "--rule", "dehyphen", "raw"])
        .output()
        .unwrap();
    let only = String::from_utf8(only.stdout).unwrap();
    assert!(
        only.lines().count() >= 8 && only.lines().all(|l| l.contains(": dehyphen (")),
        "{only}"
    );
    // An unknown rule is a usage error.
    ocrtidy(dir.path())
        .args(["diff", "--rule", "no-such-rule", "raw"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-rule"));
}

#[test]
fn diff_json_has_every_field() {
    let dir = project();
    let out = ocrtidy(dir.path())
        .args(["diff", "--format", "json", "raw"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out.stdout);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    let fr = files
        .iter()
        .find(|f| f["file"] == format!("raw/{FR}"))
        .unwrap();
    assert_eq!(fr["lang"], "fr");
    let edits = fr["edits"].as_array().unwrap();
    let lig = edits
        .iter()
        .find(|e| e["rule"] == "lig-split" && e["line"] == 13)
        .expect("the lig-split edit of line 13");
    assert_eq!(lig["column"], 67);
    assert_eq!(lig["before"], " ");
    assert_eq!(lig["after"], "");
    assert_eq!(lig["applied"], true);
    assert_eq!(lig["layout"], false);
    assert!(lig["confidence"].as_f64().unwrap() > 0.9);
    assert!(lig["evidence"].as_str().unwrap().contains("réflexions"));
    assert!(
        lig["context_before"]
            .as_str()
            .unwrap()
            .ends_with("résultat de réfl")
    );
    // Layout edits are in JSON too.
    assert!(
        edits
            .iter()
            .any(|e| e["rule"] == "reflow" && e["layout"] == true)
    );
    let total: usize = files
        .iter()
        .map(|f| f["edits"].as_array().unwrap().len())
        .sum();
    assert_eq!(v["summary"]["edits"].as_u64().unwrap() as usize, total);
}

#[test]
fn diff_exit_code_stat_and_github() {
    let dir = project();
    ocrtidy(dir.path())
        .args(["diff", "--exit-code", "raw"])
        .assert()
        .code(1);
    // Clean text: no edit, exit 0 even with --exit-code.
    ocrtidy(dir.path())
        .args(["diff", "--exit-code", "cleaned"])
        .assert()
        .code(0)
        .stdout("");
    // A missing input: exit 2, named.
    ocrtidy(dir.path())
        .args(["diff", "raw", "nowhere.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere.txt"));
    let stat = ocrtidy(dir.path())
        .args(["diff", "--stat", "raw"])
        .output()
        .unwrap();
    let stat = String::from_utf8(stat.stdout).unwrap();
    assert!(
        stat.lines()
            .any(|l| l.starts_with("lig-split ") && l.contains(" 5 ")),
        "{stat}"
    );
    assert!(stat.contains(&format!("raw/{FR}")) && stat.contains(" edits in 2 files"));
    let gh = ocrtidy(dir.path())
        .args([
            "diff",
            "--format",
            "github",
            "--rule",
            "punct-doubled",
            "raw",
        ])
        .output()
        .unwrap();
    let gh = String::from_utf8(gh.stdout).unwrap();
    assert_eq!(
        gh.trim(),
        format!(
            "::notice file=raw/{EN},line=31,col=1181,endLine=31,endColumn=1183,title=punct-doubled (0.90)::,, → ,"
        )
    );
}

#[test]
fn check_passes_when_outputs_match_and_never_writes() {
    let dir = project();
    let before = snapshot(dir.path());
    ocrtidy(dir.path())
        .args(["check", "raw", "--cleaned", "cleaned"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("2 files match cleaned"));
    age_accepted(dir.path());
    let before_fail = snapshot(dir.path());
    assert_ne!(before, before_fail);
    ocrtidy(dir.path())
        .args(["check", "raw", "--cleaned", "cleaned"])
        .assert()
        .code(1);
    assert_eq!(snapshot(dir.path()), before_fail, "check wrote something");
}

/// Every file under `dir`, with its content.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.clone(), fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn check_reports_changed_new_and_orphaned_outputs() {
    let dir = project();
    age_accepted(dir.path());
    fs::write(dir.path().join("raw/new.txt"), "A new document.\n").unwrap();
    fs::write(dir.path().join("cleaned/gone.txt"), "Its input is gone.\n").unwrap();
    let out = ocrtidy(dir.path())
        .args(["check", "raw", "--cleaned", "cleaned"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!(
            "cleaned/{FR}: differs from the new output of raw/{FR} (2 changes):"
        )),
        "{text}"
    );
    assert!(
        text.contains("le résultat de [-réfl exions-]{+réflexions+} et de")
            && text.contains("← lig-split 0.95 (raw 13:67)"),
        "word-level diff with the rule behind it: {text}"
    );
    assert!(text.contains("cleaned/new.txt: missing: a new output of raw/new.txt"));
    assert!(text.contains("cleaned/gone.txt: accepted output without an input any more"));
    let last = text.lines().last().unwrap();
    assert_eq!(
        last,
        "ocrtidy: 3 files differ from cleaned (1 changed, 1 new, 1 without input); run \
         `ocrtidy check raw --cleaned cleaned --write-pending`, then `ocrtidy review cleaned`"
    );
    // JSON.
    let out = ocrtidy(dir.path())
        .args(["check", "raw", "--cleaned", "cleaned", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out.stdout);
    assert_eq!(v["summary"]["differ"], 1);
    assert_eq!(v["summary"]["new"], 1);
    assert_eq!(v["summary"]["no_input"], 1);
    assert_eq!(v["summary"]["same"], 1);
    let fr = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == FR)
        .unwrap();
    assert_eq!(fr["status"], "differs");
    let hunk = &fr["hunks"][0];
    assert_eq!(
        (hunk["old"].as_str(), hunk["new"].as_str()),
        (Some("réfl exions"), Some("réflexions"))
    );
    assert_eq!(hunk["edits"][0]["rule"], "lig-split");
    assert_eq!(hunk["line"], 2);
    // GitHub annotations.
    let out = ocrtidy(dir.path())
        .args(["check", "raw", "--cleaned", "cleaned", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let gh = String::from_utf8(out.stdout).unwrap();
    assert!(gh.contains(&format!(
        "::error file=cleaned/{FR},line=2,title=ocrtidy check%3A lig-split::accepted réfl exions → new réflexions"
    )), "{gh}");
    assert!(gh.contains("::error file=cleaned/gone.txt,"));
}

#[test]
fn check_errors_exit_2() {
    let dir = project();
    fs::write(dir.path().join("raw/binary.txt"), b"abc\0def").unwrap();
    ocrtidy(dir.path())
        .args(["check", "raw", "--cleaned", "cleaned"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "warning: raw/binary.txt: skipped: binary",
        ));
    fs::write(
        dir.path().join("raw/garbled.txt"),
        b"ab\x01\x02\x03\xff\x04",
    )
    .unwrap();
    ocrtidy(dir.path())
        .args(["check", "raw", "--cleaned", "cleaned"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "garbled.txt: encoding not recognised",
        ));
    ocrtidy(dir.path())
        .args(["check", "raw", "--cleaned", &format!("raw/{FR}")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a directory"));
}

#[test]
fn pending_accept_reject_round_trip() {
    let dir = project();
    let d = dir.path();
    age_accepted(d);
    let accepted_path = d.join("cleaned").join(FR);
    let aged = read(accepted_path.clone());
    let new = ocrtidy(d)
        .args(["clean", "-", "--lang", "fr"])
        .write_stdin(seed(FR))
        .output()
        .unwrap();
    assert!(new.status.success());
    // clean --pending: the changed output goes beside the accepted one, never over it.
    ocrtidy(d)
        .args(["clean", "raw", "-o", "cleaned", "--pending"])
        .assert()
        .success()
        .stderr(predicate::str::contains("1 pending review"));
    assert_eq!(read(accepted_path.clone()), aged);
    let pending_path = d.join("cleaned").join(format!("{FR}.new"));
    let full = read(pending_path.clone());
    assert!(full.contains("réflexions") && full.contains("significatif."));
    // The other file matched: nothing pending for it.
    assert!(!d.join("cleaned").join(format!("{EN}.new")).exists());
    let list = ocrtidy(d).args(["pending", "--json"]).output().unwrap();
    let v = json(&list.stdout);
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["pending"], format!("cleaned/{FR}.new"));
    assert_eq!(v[0]["changes"], 2);
    assert_eq!(v[0]["rules"]["lig-split"], 2);
    ocrtidy(d)
        .args(["pending"])
        .assert()
        .success()
        .stdout(format!("cleaned/{FR}.new\t2 changes (lig-split 2)\n"));

    // Reject one change without a rules directory: refused, nothing written.
    ocrtidy(d)
        .args(["reject", "--rule", "lig-split", "cleaned"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--rules DIR"));
    assert_eq!(read(accepted_path.clone()), aged);
    assert_eq!(read(pending_path.clone()), full);

    // Accept only a rule that is not behind any change: nothing changes.
    ocrtidy(d)
        .args(["accept", "--rule", "dehyphen", "cleaned"])
        .assert()
        .success()
        .stderr(predicate::str::contains("accepted 0 changes in 0 files"));
    assert_eq!(read(accepted_path.clone()), aged);

    // Accept all: the accepted file is replaced by the pending one, which goes away.
    ocrtidy(d)
        .args(["accept", &format!("cleaned/{FR}.new")])
        .assert()
        .success()
        .stderr(predicate::str::contains("accepted 2 changes in 1 file"));
    assert_eq!(read(accepted_path.clone()), full);
    assert!(!pending_path.exists());
    assert!(!d.join("cleaned").join(format!(".{FR}.new.json")).exists());
    ocrtidy(d)
        .args(["check", "raw", "--cleaned", "cleaned"])
        .assert()
        .code(0);
    ocrtidy(d)
        .args(["pending", "cleaned"])
        .assert()
        .success()
        .stdout("");
}

#[test]
fn a_rejection_is_remembered() {
    let dir = project();
    let d = dir.path();
    age_accepted(d);
    let accepted_path = d.join("cleaned").join(FR);
    let aged = read(accepted_path.clone());
    fs::create_dir(d.join("myrules")).unwrap();
    ocrtidy(d)
        .args([
            "check",
            "raw",
            "--cleaned",
            "cleaned",
            "--write-pending",
            "--rules",
            "myrules",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "pending outputs written: run `ocrtidy review cleaned`",
        ));
    let pending_path = d.join("cleaned").join(format!("{FR}.new"));
    // Reject the change at "réfl exions" only: edit by edit in review (reject, then skip).
    ocrtidy(d)
        .args(["review", "cleaned"])
        .write_stdin("e\nr\ns\n")
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "0 accepted, 1 rejected (1 exception recorded); 1 pending output left",
        ));
    // The rules directory of the check that wrote the pending output was used.
    let exceptions = read(d.join("myrules/exceptions.toml"));
    assert!(
        exceptions.contains("rule = \"lig-split\"")
            && exceptions.contains(&format!("file = \"{FR}\""))
    );
    assert!(
        exceptions.contains("left = \" mains est le résultat de réfl\""),
        "{exceptions}"
    );
    // The accepted file is unchanged; the pending one no longer has the rejected change.
    assert_eq!(read(accepted_path.clone()), aged);
    let pending = read(pending_path.clone());
    assert!(pending.contains("réfl exions") && pending.contains("significatif."));
    // The next run does not make the rejected edit again, and says why.
    let out = ocrtidy(d)
        .args(["clean", "-", "--rules", "myrules"])
        .write_stdin(seed(FR))
        .output()
        .unwrap();
    let mut clean = ocrtidy(d);
    clean
        .args(["clean", "raw", "-o", "again", "--rules", "myrules"])
        .assert()
        .success();
    let again = read(d.join("again").join(FR));
    assert!(
        again.contains("réfl exions") && again.contains("significatif."),
        "{again}"
    );
    // (Standard input has no file name, so a file-bound exception does not apply there.)
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("réflexions")
    );
    let diff = ocrtidy(d)
        .args(["diff", "--rules", "myrules", "--rule", "lig-split", "raw"])
        .output()
        .unwrap();
    assert!(String::from_utf8(diff.stdout).unwrap().contains(&format!(
        "raw/{FR}:13:67: lig-split (0.95, not applied: rejected by a reviewer"
    )),);
    // Accept the rest: the check passes with the rules directory.
    ocrtidy(d).args(["accept", "cleaned"]).assert().success();
    ocrtidy(d)
        .args(["check", "raw", "--cleaned", "cleaned", "--rules", "myrules"])
        .assert()
        .code(0);
    // Without the exceptions, the edit is made again and the check fails.
    ocrtidy(d)
        .args(["check", "raw", "--cleaned", "cleaned"])
        .assert()
        .code(1);
}

#[test]
fn review_new_files_and_quit() {
    let dir = project();
    let d = dir.path();
    fs::remove_file(d.join("cleaned").join(EN)).unwrap();
    age_accepted(d);
    ocrtidy(d)
        .args(["clean", "raw", "-o", "cleaned", "--pending"])
        .assert()
        .success();
    // First file (003, new): skip; second (004): quit at the first change.
    ocrtidy(d)
        .args(["review"])
        .write_stdin("s\ne\nq\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("a new output ("))
        .stderr(predicate::str::contains("2 pending outputs left"));
    // Accept the new file: it is created.
    ocrtidy(d)
        .args(["review", &format!("cleaned/{EN}")])
        .write_stdin("a\n")
        .assert()
        .success();
    let new = ocrtidy(d)
        .args(["clean", "-"])
        .write_stdin(seed(EN))
        .output()
        .unwrap();
    assert_eq!(fs::read(d.join("cleaned").join(EN)).unwrap(), new.stdout);
    // Reject everything in the other: back to the accepted text, nothing pending.
    ocrtidy(d)
        .args(["review", "--rules", "r", "cleaned"])
        .write_stdin("r\n")
        .assert()
        .success()
        .stderr(predicate::str::contains("0 pending outputs left"));
    assert!(read(d.join("cleaned").join(FR)).contains("réfl exions"));
    assert_eq!(
        read(d.join("r/exceptions.toml"))
            .matches("[[reject]]")
            .count(),
        2
    );
}

#[test]
fn in_ci_nothing_is_written_and_pending_work_fails() {
    let dir = project();
    let d = dir.path();
    age_accepted(d);
    let before = snapshot(d);
    for args in [
        vec!["clean", "raw", "-o", "cleaned", "--pending"],
        vec!["check", "raw", "--cleaned", "cleaned", "--write-pending"],
        vec!["accept"],
        vec!["reject", "--rules", "r"],
        vec!["review"],
    ] {
        ocrtidy(d)
            .env("CI", "true")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("CI is set"));
    }
    assert_eq!(snapshot(d), before, "nothing written in CI");
    // Pending work made outside CI fails the check and `pending` in CI.
    ocrtidy(d)
        .args(["check", "raw", "--cleaned", "cleaned", "--write-pending"])
        .assert()
        .code(1);
    ocrtidy(d).args(["accept", "cleaned"]).assert().success();
    ocrtidy(d)
        .env("CI", "true")
        .args(["check", "raw", "--cleaned", "cleaned"])
        .assert()
        .code(0);
    fs::write(d.join("cleaned").join(format!("{EN}.new")), "edited\n").unwrap();
    ocrtidy(d)
        .env("CI", "true")
        .args(["check", "raw", "--cleaned", "cleaned"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("pending output not reviewed"));
    ocrtidy(d)
        .env("CI", "true")
        .args(["pending"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("pending work is an error"));
    // A pending file edited by hand is still reviewable: its changes, without rules.
    ocrtidy(d)
        .args(["pending"])
        .assert()
        .success()
        .stdout(format!("cleaned/{EN}.new\t1 change\n"));
}
