//! The quality metric on hand-made pairs with known answers.

use ocrtidy::eval::{Counts, evaluate, tokens};
use ocrtidy::{AppliedEdit, Document, Pipeline};

/// Counts for a raw text whose output is given directly (no edits).
fn counts(raw: &str, out: &str, gold: &str) -> Counts {
    evaluate(raw, out, &[], gold).counts
}

#[test]
fn identical_texts_have_no_error() {
    let c = counts("a b c\n", "a b c\n", "a b c\n");
    assert_eq!(
        (c.raw.words, c.out.words, c.raw.chars, c.out.chars),
        (0, 0, 0, 0)
    );
    assert_eq!(c.rates().out_wer, 0.0);
    assert_eq!(c.rates().out_break_accuracy, 1.0);
    assert_eq!(c.gold_tokens, 3);
    assert_eq!(c.gold_chars, 5);
}

#[test]
fn substitution_insertion_deletion() {
    let gold = "la lettre de Lénine\n";
    // One substitution (1a for la): one word error, one character error.
    let c = counts("1a lettre de Lénine\n", "la lettre de Lénine\n", gold);
    assert_eq!((c.raw.words, c.raw.chars), (1, 1));
    assert_eq!((c.out.words, c.out.chars), (0, 0));
    assert_eq!((c.fixed, c.broken), (1, 0));
    assert_eq!(c.rates().raw_wer, 0.25);
    // One insertion ("12", a page number) and one deletion ("de").
    let c = counts("la lettre 12 de Lénine\n", "la lettre Lénine\n", gold);
    assert_eq!((c.raw.words, c.raw.chars), (1, 3), "'12' and a space");
    assert_eq!((c.out.words, c.out.chars), (1, 3), "'de' and a space");
    assert_eq!((c.fixed, c.broken), (0, 1));
}

#[test]
fn splits_and_joins() {
    let gold = "des réflexions afin de diffuser\n";
    // A split token is two word errors (substitution + insertion) but one character error.
    let c = counts(
        "des réfl exions afin de diffuser\n",
        "des réflexions afi n de diffuser\n",
        gold,
    );
    assert_eq!((c.raw.words, c.raw.chars), (2, 1));
    assert_eq!((c.out.words, c.out.chars), (2, 1));
    assert_eq!((c.fixed, c.broken), (1, 1));
    // A wrong join is one substitution and one deletion, and one character.
    let c = counts(gold, "des réflexions afinde diffuser\n", gold);
    assert_eq!((c.out.words, c.out.chars), (2, 1));
    assert_eq!(c.broken, 2);
}

#[test]
fn breaks_are_compared_between_aligned_neighbours() {
    let gold = "one paragraph on one line\n\nnext one\n";
    let raw = "one paragraph\non one line\nnext one\n";
    let c = counts(raw, gold, gold);
    // Raw: 6 adjacent pairs, 2 wrong (a line break inside the paragraph; a line break
    // where the gold has a paragraph break).
    assert_eq!((c.raw.breaks_compared, c.raw.breaks_same), (6, 4));
    assert_eq!((c.out.breaks_compared, c.out.breaks_same), (6, 6));
    assert_eq!(c.rates().out_break_accuracy, 1.0);
    // Words are the same: breaks do not count as word errors.
    assert_eq!(c.raw.words, 0);
    assert_eq!(tokens(raw).len(), 7);
}

#[test]
fn edits_are_judged_toward_or_away_from_the_gold() {
    let raw = "la lettre 1a plus longue\n";
    let gold = "la lettre la plus longue\n";
    let edit = |range: std::ops::Range<usize>, after: &str| AppliedEdit {
        rule: "test-rule",
        pass: "test",
        raw: range.clone(),
        before: raw[range].to_owned(),
        after: after.to_owned(),
        confidence: 1.0,
        evidence: String::new(),
    };
    let good = edit(10..12, "la");
    let bad = edit(0..2, "le");
    let neutral = edit(24..25, "\n\n");
    let eval = evaluate(
        raw,
        "la lettre la plus longue\n",
        &[good, bad, neutral],
        gold,
    );
    let tally = eval.rules["test-rule"];
    assert_eq!(
        (tally.edits, tally.toward, tally.away, tally.neutral),
        (3, 1, 1, 1)
    );
    assert_eq!(tally.precision(), Some(0.5));
}

#[test]
fn pipeline_on_its_own_gold_round_trips() {
    let gold = "Camarades,\n\nPermettez-moi de m'adresser à vous, « en qualité » : oui.\n";
    let doc = Document::new("gold", gold);
    let out = Pipeline::default().run(&doc);
    let eval = evaluate(gold, &out.text, &out.edits, gold);
    assert_eq!(eval.counts.rates().out_wer, 0.0);
    assert!(out.edits.is_empty());
}
