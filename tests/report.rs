//! `ocrtidy report`: the HTML page over temporary directories, its exit codes, and the page
//! in headless Chromium when one is installed (the test says SKIPPED otherwise).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn ocrtidy() -> Command {
    let mut cmd = Command::cargo_bin("ocrtidy").unwrap();
    cmd.env_remove("CI");
    cmd
}

/// Text meant to break out of the page if it were not escaped.
const NASTY: &str =
    "Voir <script>alert(1)</script> 1a réfl exions & \"quotes\" </script><!-- fin du texte.";

/// French OCR text with word repairs (lig-split, confusion-one-for-l, dehyphen) and layout
/// repairs (doubled spaces, line joins), one file of it named to break HTML.
fn corpus() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    fs::create_dir_all(&input).unwrap();
    fs::write(
        input.join("a.txt"),
        format!(
            "Les réfl exions de 1a commission sur les évè-\nnements  récents sont publiées \
             dans 1a revue.\n\n{NASTY}\n"
        ),
    )
    .unwrap();
    fs::write(
        input.join("<b>&.txt"),
        "Le rapport de 1a commission   présente les diff érences entre les évè-\nnements du \
         mois.\n",
    )
    .unwrap();
    fs::write(input.join("clean.txt"), "Rien à corriger ici.\n").unwrap();
    dir
}

/// `ocrtidy report --lang fr in -o report.html` in `dir`; the page.
fn report(dir: &Path, extra: &[&str]) -> String {
    ocrtidy()
        .args(["report", "--lang", "fr", "in", "-o", "report.html"])
        .args(extra)
        .current_dir(dir)
        .assert()
        .success()
        .stderr(predicate::str::contains("ocrtidy: report of 3 files"))
        .stderr(predicate::str::contains("written to report.html"));
    fs::read_to_string(dir.join("report.html")).unwrap()
}

#[test]
fn page_is_self_contained_and_escaped() {
    let dir = corpus();
    let html = report(dir.path(), &[]);
    let lower = html.to_lowercase();
    // Nothing is fetched: no external scripts, styles, fonts or images.
    for external in [
        "src=",
        "href=\"http",
        "href='http",
        "href=http",
        "href=\"//",
        "@import",
        "url(",
        "<link",
        "<img",
        "<iframe",
    ] {
        assert!(!lower.contains(external), "{external:?} in the page");
    }
    // The page's own two script elements and nothing else.
    assert_eq!(lower.matches("<script").count(), 2);
    assert_eq!(lower.matches("</script").count(), 2);
    assert!(html.contains("<script type=\"application/json\" id=\"data\">"));
    // The data never comes out as markup.
    assert!(!html.contains("<script>alert(1)"));
    assert!(!html.contains("</script><!--"));
    assert!(!html.contains("<!--"));
    assert!(!html.contains("<b>&"));
    // ... but is all there, escaped.
    assert!(html.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"));
    assert!(
        html.contains("&lt;b&gt;&amp;.txt"),
        "file name escaped in the tables"
    );
    // The summary tables name the rules, with their one-line documentation.
    for rule in [
        "lig-split",
        "confusion-one-for-l",
        "dehyphen",
        "space-run",
        "reflow",
    ] {
        assert!(
            html.contains(&format!("<code>{rule}</code>")),
            "{rule} in the summary"
        );
    }
    assert!(html.contains("Join a word split by a space after a ligature"));
    // Layout-only edits are counted, and the page says they are not listed.
    assert!(html.contains("layout-only, counted but not listed"));
    assert!(html.contains("--all</code> lists them"));
    // Invisible characters are shown: the line break of the hyphenated word.
    assert!(html.contains("-⏎nements"));
}

#[test]
fn all_lists_layout_edits_too() {
    let dir = corpus();
    let default = report(dir.path(), &[]);
    let all = report(dir.path(), &["--all"]);
    assert!(all.len() > default.len());
    assert!(all.contains("are listed too (<code>--all</code>)"));
    // The doubled space (space-run) is in the data only with --all.
    let data = |html: &str| -> serde_json::Value {
        let start = html.find("id=\"data\">").unwrap() + "id=\"data\">".len();
        let end = start + html[start..].find("</script>").unwrap();
        serde_json::from_str(&html[start..end]).unwrap()
    };
    let listed = |v: &serde_json::Value| -> Vec<String> {
        let rules = v["rules"].as_array().unwrap();
        v["files"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f[2].as_array().unwrap().clone())
            .map(|e| {
                rules[e[0].as_u64().unwrap() as usize]["id"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    };
    let default_rules = listed(&data(&default));
    let all_rules = listed(&data(&all));
    assert!(default_rules.contains(&"lig-split".to_owned()));
    assert!(!default_rules.contains(&"space-run".to_owned()));
    assert!(all_rules.contains(&"space-run".to_owned()));
    assert!(all_rules.contains(&"reflow".to_owned()));
}

#[test]
fn missing_input_exit_2_and_the_others_reported() {
    let dir = corpus();
    ocrtidy()
        .args(["report", "in", "nowhere.txt", "-o", "report.html"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere.txt"))
        .stderr(predicate::str::contains("ocrtidy: report of 3 files"));
    let html = fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("1 input could not be read"));
    assert!(html.contains("nowhere.txt"));
}

#[test]
fn missing_input_alone_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    ocrtidy()
        .args(["report", "nowhere.txt", "-o", "report.html"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nowhere.txt"));
    assert!(!dir.path().join("report.html").exists());
}

#[test]
fn undecodable_file_exit_2_binary_skipped_and_the_others_reported() {
    let dir = corpus();
    fs::write(
        dir.path().join("in/binary.txt"),
        b"PK\x03\x04\x00\x00\x00binary\x00",
    )
    .unwrap();
    ocrtidy()
        .args(["report", "--lang", "fr", "in", "-o", "out/report.html"])
        .current_dir(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains(
            "warning: in/binary.txt: skipped: binary",
        ));
    fs::write(dir.path().join("in/garbled.txt"), b"ab\x01\x02\x03\xff\x04").unwrap();
    ocrtidy()
        .args(["report", "--lang", "fr", "in", "-o", "out/report.html"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "garbled.txt: encoding not recognised",
        ))
        .stderr(predicate::str::contains("ocrtidy: report of 3 files"))
        .stderr(predicate::str::contains("1 error"));
    let html = fs::read_to_string(dir.path().join("out/report.html")).unwrap();
    assert!(html.contains("&lt;b&gt;&amp;.txt"));
    assert!(html.contains("<code>lig-split</code>"));
    assert!(html.contains("garbled.txt"));
}

#[test]
fn report_is_never_written_over_an_input() {
    let dir = corpus();
    let before = fs::read(dir.path().join("in/a.txt")).unwrap();
    ocrtidy()
        .args(["report", "in", "-o", "in/a.txt"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("it is an input file"));
    assert_eq!(fs::read(dir.path().join("in/a.txt")).unwrap(), before);
}

// ---- In a browser ----

/// Drives the page's controls as a reader would, and writes the address and the number of
/// rendered edits after each step in `<pre id="probe">` (added to a copy of the page).
const DRIVE: &str = r##"
(function () {
  var out = [];
  function $(id) { return document.getElementById(id); }
  function note() { out.push((location.hash || '(none)') + ' ' + document.querySelectorAll('#files .edit').length); }
  function set(id, value, event) { $(id).value = value; $(id).dispatchEvent(new Event(event)); }
  set('f-rule', 'dehyphen', 'change'); note();
  set('f-min', '0.96', 'input'); note();
  set('f-min', '0.95', 'input'); note();
  set('f-q', 'mois', 'input');
  setTimeout(function () {
    note();
    $('f-reset').click(); note();
    document.querySelector('.rules-table a[href="#rule=lig-split"]').click();
    setTimeout(function () {
      note();
      var pre = document.createElement('pre');
      pre.id = 'probe';
      pre.textContent = out.join('\n');
      document.body.appendChild(pre);
    }, 300);
  }, 500);
})();
"##;

/// Chromium: `$OCRTIDY_CHROMIUM`, `/usr/bin/chromium`, or chromium, chromium-browser or
/// google-chrome on the PATH.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("OCRTIDY_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let fixed = Path::new("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Run headless Chromium with `args`, killed after 60 s; its standard output.
fn chromium(browser: &Path, args: &[String]) -> String {
    let profile = tempfile::tempdir().unwrap();
    let out = tempfile::NamedTempFile::new().unwrap();
    let mut child = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(out.reopen().unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{} took more than 60 s: killed", browser.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{} failed: {status}", browser.display());
    fs::read_to_string(out.path()).unwrap()
}

/// The rendered edits of a dumped DOM: each `class="edit ..."` element's attributes.
fn rendered_edits(dom: &str) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for (at, _) in dom.match_indices("<div class=\"edit ") {
        let tag = &dom[at..at + dom[at..].find('>').unwrap()];
        let attr = |name: &str| -> String {
            let key = format!("{name}=\"");
            let start = tag
                .find(&key)
                .unwrap_or_else(|| panic!("no {name} in {tag}"))
                + key.len();
            tag[start..start + tag[start..].find('"').unwrap()].to_owned()
        };
        out.push((attr("data-rule"), attr("data-confidence").parse().unwrap()));
    }
    out
}

fn file_url(path: &Path, hash: &str) -> String {
    let path = path.canonicalize().unwrap();
    let mut url = String::from("file://");
    for b in path.to_str().unwrap().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url.push_str(hash);
    url
}

#[test]
fn report_in_chromium() {
    let Some(browser) = find_chromium() else {
        println!(
            "SKIPPED: report_in_chromium: no Chromium found (install Debian's chromium package \
             or set OCRTIDY_CHROMIUM)"
        );
        return;
    };
    let dir = corpus();
    report(dir.path(), &[]);
    let page = dir.path().join("report.html");
    let dump = |hash: &str| chromium(&browser, &["--dump-dom".to_owned(), file_url(&page, hash)]);

    // No filter: the small corpus's files are open, with several rules.
    let dom = dump("");
    let edits = rendered_edits(&dom);
    let mut rules: Vec<&str> = edits.iter().map(|(r, _)| r.as_str()).collect();
    rules.sort_unstable();
    rules.dedup();
    for rule in ["confusion-one-for-l", "dehyphen", "lig-split"] {
        assert!(rules.contains(&rule), "{rule} not shown: {rules:?}");
    }
    assert_eq!(edits.len(), 8, "every listed edit shown: {edits:?}");
    // Layout-only edits are not rendered.
    assert!(!rules.contains(&"space-run") && !rules.contains(&"reflow"));
    // Text from the files is text, never markup.
    assert!(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!dom.contains("<script>alert(1)"));
    assert!(!dom.contains("</script><!--"));
    assert!(dom.contains("&lt;b&gt;&amp;.txt"));
    assert!(!dom.contains("<b>&amp;"));

    // Filtered by rule from the address: only that rule's edits.
    let dom = dump("#rule=lig-split");
    let edits = rendered_edits(&dom);
    assert_eq!(edits.len(), 3, "{edits:?}");
    assert!(edits.iter().all(|(r, _)| r == "lig-split"), "{edits:?}");
    assert!(dom.contains("3 of 8 listed edits match, in 2 files"));
    assert!(dom.contains("&lt;script&gt;alert(1)"));
    assert!(!dom.contains("<script>alert(1)"));

    // By minimum confidence and search text.
    let edits = rendered_edits(&dump("#min=0.95&q=commission"));
    assert!(!edits.is_empty());
    assert!(edits.iter().all(|(_, c)| *c >= 0.95), "{edits:?}");
    assert!(
        edits.len() < 8,
        "the filters leave some edits out: {edits:?}"
    );
    // A rule without edits shows none.
    assert!(rendered_edits(&dump("#rule=confusion-tbe")).is_empty());

    // The controls update the address, and links in the tables set the filters.
    let driven = dir.path().join("driven.html");
    let html = fs::read_to_string(&page).unwrap();
    let at = html.rfind("</body>").unwrap();
    fs::write(
        &driven,
        format!("{}<script>{DRIVE}</script>\n{}", &html[..at], &html[at..]),
    )
    .unwrap();
    let dom = chromium(&browser, &["--dump-dom".to_owned(), file_url(&driven, "")]);
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + "<pre id=\"probe\">".len();
    let probe = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    assert_eq!(
        probe.lines().collect::<Vec<_>>(),
        [
            "#rule=dehyphen 2",
            "#rule=dehyphen&amp;min=0.96 0",
            "#rule=dehyphen&amp;min=0.95 2",
            "#rule=dehyphen&amp;min=0.95&amp;q=mois 1",
            "(none) 8",
            "#rule=lig-split 3",
        ],
        "{probe}"
    );

    // A screenshot: the page renders.
    let shots = tempfile::tempdir().unwrap();
    let png = shots.path().join("report.png");
    chromium(
        &browser,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1280,1600".to_owned(),
            file_url(&page, ""),
        ],
    );
    let bytes = fs::read(&png).expect("a screenshot");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    assert!(bytes.len() > 10_000, "screenshot of {} bytes", bytes.len());
    if let Some(keep) = std::env::var_os("OCRTIDY_REPORT_SCREENSHOT") {
        fs::copy(&png, keep).unwrap();
    }
}
