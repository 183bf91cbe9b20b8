//! The language resources: words that must be valid, words that must be unknown, frequencies,
//! hyphenation points, protected words and language detection.

use ocrtidy::lexicon::CorpusStats;
use ocrtidy::{Lang, Lexicon, language};

fn lexicon() -> Lexicon {
    Lexicon::default()
}

#[test]
fn french_words_that_must_be_valid() {
    let lx = lexicon();
    for word in [
        "réflexions",
        "diffuser",
        "afin",
        "significatif",
        "différences",
        "évènements",
        "événements",
        "prolétaires",
        "grand-russe",
        "aujourd'hui",
        "aujourd’hui",
        "l'homme",
        "l’homme",
        "d'extirper",
        "qu'elles",
        "Réflexions",
        "RÉFLEXIONS",
        "peut-être",
        "là-bas",
    ] {
        assert!(lx.is_word(Lang::Fr, word), "{word} should be a French word");
    }
}

#[test]
fn french_fragments_that_must_be_unknown() {
    let lx = lexicon();
    for word in [
        "réfl", "diff", "afi", "signifi", "anarcha", "1a", "évè", "nements", "offi", "catif",
    ] {
        assert!(
            !lx.is_word(Lang::Fr, word),
            "{word} should not be a French word"
        );
    }
}

#[test]
fn english_words_and_fragments() {
    let lx = lexicon();
    for word in [
        "office",
        "insurgency",
        "Muslims",
        "different",
        "field",
        "officer",
        "staff",
        "Secretary-General",
        "anti-English",
        "peace-keeping",
        "Stalin's",
        "don't",
    ] {
        assert!(
            lx.is_word(Lang::En, word),
            "{word} should be an English word"
        );
    }
    for word in ["offi", "ffice", "erent", "tbe", "0f", "erty", "ffer"] {
        assert!(
            !lx.is_word(Lang::En, word),
            "{word} should not be an English word"
        );
    }
}

#[test]
fn languages_without_resources_know_no_word() {
    assert!(!lexicon().is_word(Lang::Other("spa"), "office"));
    assert!(!lexicon().is_word(Lang::Unknown, "office"));
    assert_eq!(lexicon().frequency(Lang::Unknown, "office"), None);
}

#[test]
fn frequencies_rank_words_above_fragments() {
    let lx = lexicon();
    let zipf = |lang, w| lx.frequency(lang, w).unwrap_or(0.0);
    assert!(zipf(Lang::Fr, "réflexions") > 3.5);
    assert!(zipf(Lang::Fr, "réflexions") > zipf(Lang::Fr, "réfl") + 2.0);
    assert!(zipf(Lang::Fr, "afin") > zipf(Lang::Fr, "afi") + 2.0);
    assert!(zipf(Lang::En, "the") > 7.0);
    // Case, apostrophes and elisions.
    assert_eq!(
        lx.frequency(Lang::Fr, "Réflexions"),
        lx.frequency(Lang::Fr, "réflexions")
    );
    assert_eq!(
        lx.frequency(Lang::Fr, "AFIN"),
        lx.frequency(Lang::Fr, "afin")
    );
    assert_eq!(
        lx.frequency(Lang::Fr, "l’homme"),
        lx.frequency(Lang::Fr, "homme")
    );
    assert!(lx.frequency(Lang::Fr, "aujourd’hui").is_some());
    // A compound missing from the list takes its rarest part's frequency.
    assert_eq!(
        lx.frequency(Lang::Fr, "grand-russe"),
        lx.frequency(Lang::Fr, "russe")
    );
    assert_eq!(lx.frequency(Lang::Fr, "signifi"), None);
}

#[test]
fn hyphenation_points_are_character_indices() {
    let lx = lexicon();
    // évè-ne-ments: indices count characters, not bytes (é and è are two bytes each).
    assert_eq!(lx.hyphenation_points(Lang::Fr, "évènements"), [3, 5]);
    assert_eq!(lx.hyphenation_points(Lang::Fr, "Révolution"), [2, 4, 6]);
    assert_eq!(lx.hyphenation_points(Lang::Fr, "prolétaires"), [3, 5]);
    assert_eq!(lx.hyphenation_points(Lang::Fr, "camarade"), [2, 4]);
    assert_eq!(lx.hyphenation_points(Lang::En, "property"), [4]);
    assert_eq!(lx.hyphenation_points(Lang::En, "different"), [3, 6]);
    // Compounds: each part; elisions: the elided word only.
    assert_eq!(
        lx.hyphenation_points(Lang::Fr, "anarcha-féministe"),
        vec![4, 10, 12]
    );
    assert_eq!(lx.hyphenation_points(Lang::Fr, "l'évènement"), [5, 7]);
}

#[test]
fn protected_words_are_valid_in_any_language() {
    let mut lx = Lexicon::without_words();
    assert!(!lx.is_word(Lang::Fr, "Kuchuk-Khan"));
    lx.add_words("mine.txt", "# names\nKuchuk-Khan\npolitburo\n")
        .unwrap();
    assert!(lx.is_word(Lang::Fr, "Kuchuk-Khan"));
    assert!(lx.is_word(Lang::En, "KUCHUK-KHAN"));
    assert!(
        !lx.is_protected("kuchuk-khan"),
        "a capitalised entry keeps its case"
    );
    assert!(
        lx.is_protected("Politburo"),
        "a lower-case entry protects any case"
    );
    let err = lx.add_words("bad.txt", "ok\ntwo words\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad.txt:2: \"two words\": one word per line (no spaces)"
    );
    // The embedded list is there by default.
    assert!(lexicon().is_protected("RTSKHIDNI"));
}

#[test]
fn languages_of_the_samples() {
    let expected = [
        ("000_ccb8d3ee9e2e490d.txt", Lang::Fr),
        ("001_4441ad6d2b05a5a5.txt", Lang::En),
        ("002_1427b0301a47cbba.txt", Lang::Fr),
        ("003_428a27a5691f1ad6.txt", Lang::En),
        ("004_303341a3ca7be413.txt", Lang::Fr),
    ];
    for (name, lang) in expected {
        let text =
            std::fs::read_to_string(format!("{}/raw/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert_eq!(language::detect(&text), lang, "{name}");
    }
    assert_eq!(language::detect("ok"), Lang::Unknown, "too short to tell");
}

#[test]
fn a_spanish_title_in_a_french_text_is_a_foreign_span() {
    let text = std::fs::read_to_string(format!(
        "{}/raw/004_303341a3ca7be413.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let spans: Vec<&str> = language::foreign_spans(&text, Lang::Fr, &lexicon())
        .into_iter()
        .map(|r| text[r].trim())
        .collect();
    assert_eq!(
        spans,
        [
            "Comunismo de Consejos y Autonomía de Clase",
            "Comunismo de Consejos y Autonomía de Clase"
        ]
    );
    // No French passage of the samples is taken for a foreign one.
    for name in ["000_ccb8d3ee9e2e490d.txt", "002_1427b0301a47cbba.txt"] {
        let text =
            std::fs::read_to_string(format!("{}/raw/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        assert_eq!(
            language::foreign_spans(&text, Lang::Fr, &lexicon()),
            Vec::<std::ops::Range<usize>>::new(),
            "{name}"
        );
    }
}

#[test]
fn corpus_counts_through_the_public_api() {
    let stats: CorpusStats = ["des réflexions\n", "réfl exions, réflexions\n"]
        .iter()
        .map(|t| CorpusStats::from_text(t))
        .sum();
    assert_eq!(stats.count("réflexions"), 2);
    assert_eq!(stats.count("réfl"), 1);
    assert_eq!(stats.documents, 2);
}

#[test]
fn cleaning_asks_hunspell_only_about_candidates() {
    let pipeline = ocrtidy::Pipeline::default();
    let mut tokens = 0;
    for entry in std::fs::read_dir(format!("{}/raw", env!("CARGO_MANIFEST_DIR"))).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let doc = ocrtidy::Document::from_bytes("sample", &bytes).unwrap();
        tokens += doc.text.split_whitespace().count();
        pipeline.run(&doc);
    }
    let calls = pipeline.lexicon().hunspell_calls();
    // Candidates (hyphenated and split words, suspicious tokens) are a small share of tokens.
    assert!(
        calls > 0 && calls * 20 < tokens,
        "{calls} Hunspell calls for {tokens} tokens"
    );
    // A direct question is one look-up, and the answer is remembered.
    let lx = lexicon();
    assert!(lx.is_word(Lang::Fr, "anticonstitutionnellement"));
    assert_eq!(lx.hunspell_calls(), 1);
    assert!(lx.is_word(Lang::Fr, "anticonstitutionnellement"));
    assert_eq!(lx.hunspell_calls(), 1);
}
