//! Invariants of the pipeline, as property tests.

use ocrtidy::{Document, Pipeline, canonical, clean};
use proptest::prelude::*;

/// Real words: the 3,000 commonest of each language's frequency list that are made of letters
/// (some capitalised), and numbers, dates and references as archives write them.
fn vocabulary() -> Vec<String> {
    let mut words: Vec<String> = [
        include_str!("../rules/freq/fr.tsv"),
        include_str!("../rules/freq/en.tsv"),
    ]
    .iter()
    .flat_map(|tsv| tsv.lines().take(3000))
    .filter_map(|l| l.split('\t').next())
    .filter(|w| w.chars().count() >= 2 && w.chars().all(char::is_alphabetic))
    .map(str::to_owned)
    .collect();
    let capitalised: Vec<String> = words
        .iter()
        .step_by(7)
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    words.extend(capitalised);
    for w in [
        "1912-1927",
        "07/01/2022",
        "2/XI",
        "F.",
        "558",
        "l'homme",
        "aujourd’hui",
        "grand-russe",
    ] {
        words.push(w.to_owned());
    }
    words
}

/// Text in canonical form: paragraphs of real words and punctuation, one per line, separated by
/// one blank line, one final newline. Includes French no-break spaces where French typography
/// puts them.
fn clean_text() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vocabulary());
    let sep = prop::sample::select(vec![" ", " ", " ", "\u{a0}: ", " « ", "\t", " — "]);
    let line = (
        prop::sample::select(vec!["", "", "", "  ", "\t"]),
        prop::collection::vec((word, sep), 1..40),
        prop::string::string_regex("[.?!]").unwrap(),
    )
        .prop_map(|(indent, words, end)| {
            let mut s = indent.to_owned();
            for (w, sep) in words {
                s.push_str(&w);
                s.push_str(sep);
            }
            s.truncate(s.trim_end().len());
            if !s.ends_with('.') {
                s.push_str(&end);
            }
            s
        });
    // Canonical text has one paragraph per line.
    let block = line;
    prop::collection::vec(block, 0..5).prop_map(|blocks| {
        if blocks.is_empty() {
            String::new()
        } else {
            blocks.join("\n\n") + "\n"
        }
    })
}

/// Arbitrary strings weighted towards the characters the passes act on.
fn messy_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::string::string_regex(
            "[a-zé \\t\\n\\r\u{a0}\u{ad}\u{200b}\u{200d}\u{2028}\u{2029}\u{fb01}\u{301}\u{c}\u{b}\u{1}\u{92}\u{feff}:«»-]{0,80}"
        )
        .unwrap(),
    ]
}

proptest! {
    // 512 cases by default; PROPTEST_CASES=N for a longer run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
    ))]

    /// No input makes the pipeline panic, and the output is always canonical.
    #[test]
    fn output_is_canonical(text in messy_text()) {
        let out = clean(&text);
        prop_assert_eq!(canonical::check(&out), Ok(()));
    }

    /// Cleaning twice is cleaning once.
    #[test]
    fn idempotent(text in messy_text()) {
        let once = clean(&text);
        prop_assert_eq!(clean(&once), once);
    }

    /// Text that is already clean comes out unchanged, with no edit at all.
    #[test]
    fn clean_text_stays_clean(text in clean_text()) {
        prop_assert_eq!(canonical::check(&text), Ok(()));
        let out = Pipeline::default().run(&Document::new("clean", text.clone()));
        prop_assert!(out.edits.is_empty(), "edits on clean text: {:?}", out.edits);
        prop_assert_eq!(out.text, text);
    }

    /// Decoding never panics on arbitrary bytes: it decodes or says why not.
    #[test]
    fn decoding_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(doc) = Document::from_bytes("bytes", &bytes) {
            prop_assert!(!doc.text.contains('\r'));
            let _ = Pipeline::default().run(&doc);
        }
    }
}

/// Inputs the fuzzer (`fuzz/`, `cargo fuzz run pipeline`) found to break an invariant, kept
/// as regression tests: the output is canonical and a second run changes nothing.
#[test]
fn fuzz_findings_stay_fixed() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let Ok(doc) = Document::from_bytes(path.display().to_string(), &bytes) else {
            continue;
        };
        let once = Pipeline::default().run(&doc).text;
        assert_eq!(canonical::check(&once), Ok(()), "{}", path.display());
        assert_eq!(clean(&once), once, "{}: not idempotent", path.display());
        n += 1;
    }
    assert!(n >= 48, "fixtures missing: {n}");
}

/// Text made of paragraph-sized pieces with the artifacts the local passes repair, and many
/// places where the pipeline may cut it (". ⏎⏎ Capital").
fn paragraphs() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "Le",
        "la",
        "réfl exions",
        "1a",
        "évè-\n",
        "nements",
        ".\n\n",
        ".\n\nLa",
        "!\n\n1912",
        "A",
        "Persia,,",
        "\n",
        " ",
        "  ",
        "( x )",
        "\u{ad}",
        "diff user",
        "1912-\n1927",
        "\u{fb01}n",
        "e\u{301}",
        "l'an",
        " :",
        " ;",
        "tbe",
        "\u{200b}",
        "the",
        "grand-\nrusse",
        "\n\n\n",
        "».\n\n",
        "\u{c}",
        "— 12 —",
        "afi n",
        "signifi catif",
        "Secretary-\nGeneral",
        "?\n\nÉ",
        "0f",
    ]);
    prop::collection::vec(piece, 0..120).prop_map(|v| v.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
    ))]

    /// A text cleaned with its local passes run on pieces (here: at every boundary) comes out
    /// exactly as cleaned whole: the same text, the same edits, the same skipped edits.
    #[test]
    fn pieces_give_the_edits_of_the_whole(text in prop_oneof![paragraphs(), messy_text()]) {
        let doc = Document::new("p", text);
        let whole = Pipeline::default().run(&doc);
        let pieces = Pipeline::default().with_pieces(0, 1).run(&doc);
        prop_assert_eq!(&pieces.text, &whole.text);
        prop_assert_eq!(&pieces.edits, &whole.edits);
        prop_assert_eq!(&pieces.skipped, &whole.skipped);
    }
}

/// The same on every text of the repository, cut at every boundary, with the corpus counts
/// of the batch as `clean` gives them.
#[test]
fn pieces_give_the_edits_of_the_whole_on_the_repository_texts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![
        root.join("raw"),
        root.join("quality"),
        root.join("tests/fixtures"),
    ];
    let mut docs = Vec::new();
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "txt") {
                let bytes = std::fs::read(&path).unwrap();
                docs.push(Document::from_bytes(path.display().to_string(), &bytes).unwrap());
            }
        }
    }
    let mut stats = ocrtidy::CorpusStats::default();
    for d in &docs {
        stats += ocrtidy::CorpusStats::from_text(&d.text);
    }
    let whole = Pipeline::default().with_corpus(std::sync::Arc::new(stats));
    let cut = whole.clone().with_pieces(0, 1);
    let mut cuts = 0;
    for doc in &docs {
        cuts += ocrtidy::pipeline::pieces(&doc.text, 1).len() - 1;
        let (a, b) = (whole.run(doc), cut.run(doc));
        assert_eq!(a.text, b.text, "{}", doc.name);
        assert_eq!(a.edits, b.edits, "{}", doc.name);
        assert_eq!(a.skipped, b.skipped, "{}", doc.name);
    }
    assert!(cuts > 1000, "only {cuts} places to cut");
}
