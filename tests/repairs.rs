//! Hand-written repair cases: `tests/fixtures/repairs/{fr,en}.txt`.
//!
//! `fix: INPUT => EXPECTED`: the output has exactly the tokens of EXPECTED.
//! `keep: INPUT`: the output has exactly the tokens of INPUT.
//! `⏎` is a line break and `¶` a soft hyphen. Each case is cleaned alone, with the language of
//! its file forced.

use ocrtidy::{Document, Lang, LangSetting, Lexicon, Pipeline, Settings};

struct Case {
    line: usize,
    input: String,
    expected: String,
    fix: bool,
}

fn cases(file: &str) -> Vec<Case> {
    let path = format!(
        "{}/tests/fixtures/repairs/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let decode = |s: &str| s.trim().replace('⏎', "\n").replace('¶', "\u{ad}");
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if let Some(rest) = line.strip_prefix("fix:") {
            let (input, expected) = rest
                .split_once(" => ")
                .unwrap_or_else(|| panic!("{file}:{line_no}: a fix needs ' => '"));
            out.push(Case {
                line: line_no,
                input: decode(input),
                expected: decode(expected),
                fix: true,
            });
        } else if let Some(rest) = line.strip_prefix("keep:") {
            out.push(Case {
                line: line_no,
                input: decode(rest),
                expected: decode(rest),
                fix: false,
            });
        } else {
            let t = line.trim();
            assert!(
                t.is_empty() || t.starts_with('#'),
                "{file}:{line_no}: unknown line {t:?}"
            );
        }
    }
    out
}

fn run(file: &str, lang: LangSetting) -> (usize, usize, Vec<String>) {
    let settings = Settings {
        lang,
        ..Settings::embedded()
    };
    let pipeline = Pipeline::new(Lexicon::default(), settings);
    let all = cases(file);
    let mut failures = Vec::new();
    for case in &all {
        let out = pipeline.run(&Document::new("case", case.input.clone()));
        let got: Vec<&str> = out.text.split_whitespace().collect();
        let want: Vec<&str> = case.expected.split_whitespace().collect();
        if got != want {
            failures.push(format!(
                "{file}:{} {}: {:?}\n    expected {:?}\n    got      {:?}",
                case.line,
                if case.fix { "fix" } else { "keep" },
                case.input,
                want.join(" "),
                got.join(" ")
            ));
        }
    }
    let fixes = all.iter().filter(|c| c.fix).count();
    (fixes, all.len() - fixes, failures)
}

fn check(file: &str, lang: LangSetting) {
    let (fixes, keeps, failures) = run(file, lang);
    assert!(
        fixes >= 60 && keeps >= 60,
        "{file}: {fixes} fix and {keeps} keep cases"
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        fixes + keeps,
        failures.join("\n")
    );
}

#[test]
fn french_cases() {
    check("fr.txt", LangSetting::Fr);
}

#[test]
fn english_cases() {
    check("en.txt", LangSetting::En);
}

/// Every example of every confusion rule holds (what `ocrtidy rules --test` runs too).
#[test]
fn confusion_rule_examples() {
    let table = ocrtidy::passes::confusion::ConfusionTable::embedded();
    for rule in &table.rules {
        for example in &rule.examples {
            let settings = Settings {
                lang: if example.lang == Lang::Fr {
                    LangSetting::Fr
                } else {
                    LangSetting::En
                },
                ..Settings::embedded()
            };
            let pipeline = Pipeline::new(Lexicon::default(), settings);
            let out = pipeline.run(&Document::new("example", example.before.clone()));
            assert_eq!(
                out.text.trim_end(),
                example.after,
                "{}: example {:?}",
                rule.rule.id,
                example.before
            );
        }
    }
}
