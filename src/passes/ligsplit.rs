//! `lig-split`: words split by a space where a ligature was (fi, fl, ff, ffi, ffl).
//!
//! PDF text layers often render a ligature glyph as its letters followed by a space: "réfl
//! exions", "afi n", "diff user", "o ffi ce". The pass joins the pieces when the joined word is
//! valid and the evidence says it is the word meant: a piece that is not a word ("réfl",
//! "afi"), the joined word's frequency against its pieces', and corpus counts. Two real words
//! ("if I", "off ice", "staff officer") are joined only when one of them is rare and the joined
//! word common, and otherwise at most flagged.

use super::Pass;
use super::words::{self, Gap, Token};
use crate::edit::Edit;
use crate::pipeline::Context;
use crate::rules::Rule;

pub const LIG_SPLIT: Rule = Rule {
    id: "lig-split",
    pass: "lig-split",
    summary: "Join a word split by a space after a ligature (\"réfl exions\")",
    what: "Two or three pieces separated by single spaces, where the break sits right after \
           (or around) fi, fl, ff, ffi or ffl, are joined when the joined word is valid and a \
           piece is not a word, or the joined word is common and a piece rare. Two common \
           words are left alone, or flagged when the joined word is common too.",
    why: "PDF extraction turns ligature glyphs into letters plus a space; the word is then two \
          non-words for search, counting and dictionaries.",
    example_before: "le résultat de réfl exions et de lectures, afi n de diff user",
    example_after: "le résultat de réflexions et de lectures, afin de diffuser\n",
    risks: "Two real words next to each other (\"off ice\") could be joined into a word (\"office\"); \
            the pass requires one piece to be a non-word or rare, and flags the rest.",
    layout: false,
    example_lang: crate::Lang::Fr,
};

/// Ligature letter groups, longest first.
const LIGATURES: [&str; 5] = ["ffi", "ffl", "ff", "fi", "fl"];

// `try_join` tells most tokens from a ligature by their first byte.
const _: () = {
    let mut i = 0;
    while i < LIGATURES.len() {
        assert!(
            LIGATURES[i].as_bytes()[0] == b'f',
            "every ligature starts with f"
        );
        i += 1;
    }
};

/// Words of one letter (the others are fragments when they stand alone).
const ONE_LETTER_WORDS: [&str; 6] = ["a", "à", "y", "o", "I", "A"];

/// The `lig-split` pass.
pub struct LigSplit;

impl Pass for LigSplit {
    fn local(&self) -> bool {
        true
    }

    fn id(&self) -> &'static str {
        "lig-split"
    }

    fn rules(&self) -> &'static [Rule] {
        &[LIG_SPLIT]
    }

    fn language_specific(&self) -> bool {
        true
    }

    fn uses_corpus(&self) -> bool {
        true
    }

    fn run(&self, text: &str, ctx: &Context<'_>) -> Vec<Edit> {
        let mut edits = Vec::new();
        // Every join has an "f" at its first break: the second piece starts with a ligature
        // (every ligature starts with "f"), or the first piece ends with one, in its last
        // three bytes. So the first pieces to try are found, in order, from the "f"s of the
        // text, and the pieces after them by walking on: no list of all the tokens is made.
        // A piece of a join made is not tried again: `free` is where the last join ends.
        let mut free = 0;
        let mut last_tried: Option<usize> = None;
        for f in memchr::memchr_iter(b'f', text.as_bytes()) {
            let token = words::token_at(text, f);
            let firsts = [
                (token.start == f)
                    .then(|| words::token_before(text, &token))
                    .flatten(),
                (token.end - f <= 3).then_some(token),
            ];
            for a in firsts.into_iter().flatten() {
                if a.start < free || last_tried.is_some_and(|t| a.start <= t) {
                    continue;
                }
                last_tried = Some(a.start);
                let Some(b) = words::token_after(text, &a) else {
                    continue;
                };
                let found = join_from(text, ctx, a, b, || words::token_after(text, &b));
                if let Some((edit, last)) = found {
                    free = if continues(&edit, &last) {
                        last.start
                    } else {
                        last.end
                    };
                    edits.push(edit);
                }
            }
        }
        edits
    }
}

/// Whether the last piece of a join may begin another: the join left it where it was (no
/// line break moved), and its trailing word is apart from the word joined ("signifi
/// catif.réfl exions": "réfl exions" after "signifi catif"), so that it is tried as a second
/// run would try it in the joined text.
fn continues(edit: &Edit, last: &Token<'_>) -> bool {
    edit.range.end <= last.start && words::trailing_word(last.text).len() < last.text.len()
}

/// The join that starts with the pieces `a` and `b` (`c`, the piece after `b`, asked for
/// only when `b` is a ligature alone), and the last piece it joins: three pieces, the
/// middle one a ligature alone ("o ffi ce"), or two, the first ending with a ligature
/// ("réfl exions").
fn join_from<'a>(
    text: &str,
    ctx: &Context<'_>,
    a: Token<'a>,
    b: Token<'a>,
    c: impl FnOnce() -> Option<Token<'a>>,
) -> Option<(Edit, Token<'a>)> {
    let three = LIGATURES
        .contains(&b.text)
        .then(c)
        .flatten()
        .map(|c| [a, b, c]);
    match three {
        // "be fi t": when the first piece is a word and the last two join into one, the
        // ligature belongs to the last two ("be fit", not "befit").
        Some(pieces)
            if ctx
                .lexicon
                .is_word(ctx.lang, words::trailing_word(pieces[0].text))
                && try_join(text, ctx, &pieces[1..]).is_some() =>
        {
            None
        }
        Some(pieces) => try_join(text, ctx, &pieces).map(|e| (e, pieces[2])),
        None => None,
    }
    .or_else(|| try_join(text, ctx, &[a, b]).map(|e| (e, b)))
}

/// A join of `pieces` (consecutive tokens), if the evidence supports it.
fn try_join(text: &str, ctx: &Context<'_>, pieces: &[Token<'_>]) -> Option<Edit> {
    let lang = ctx.lang;
    let lx = ctx.lexicon;
    // Each break: one space (or one line break) between pieces, right after a ligature, the
    // next piece starting with a lower-case letter.
    for (k, pair) in pieces.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        // The cheapest tests first: most pairs of tokens fail the first.
        if !b.text.starts_with(|c: char| c.is_lowercase()) {
            return None;
        }
        // Right after a ligature, or right before the ligature alone ("o ffi ce", "sta ff").
        let after_ligature = LIGATURES.iter().any(|l| a.text.ends_with(l));
        let before_ligature = || {
            k == 0
                && if pieces.len() == 3 {
                    LIGATURES.contains(&b.text)
                } else {
                    // Every ligature starts with "f": most tokens are told by their first byte.
                    if !b.text.starts_with('f') {
                        return false;
                    }
                    let word = words::leading_word(b.text);
                    LIGATURES.contains(&word)
                        && !b.text[word.len()..].contains(words::is_alphanumeric)
                }
        };
        if !after_ligature && !before_ligature() {
            return None;
        }
        let between = &text[a.end..b.start];
        if words::gap(text, a, b) == Gap::Blank || between.contains("  ") {
            return None;
        }
    }
    // The word: the first piece's trailing letters, the middle pieces, the last piece's
    // leading letters.
    let first = words::trailing_word(pieces[0].text);
    let last = words::leading_word(pieces[pieces.len() - 1].text);
    if first.is_empty() || last.is_empty() || pieces.iter().any(|p| words::untouchable(p.text)) {
        return None;
    }
    let middle: String = pieces[1..pieces.len() - 1].iter().map(|p| p.text).collect();
    let joined = format!("{first}{middle}{last}");
    let parts: Vec<&str> = std::iter::once(first)
        .chain(pieces[1..pieces.len() - 1].iter().map(|p| p.text))
        .chain(std::iter::once(last))
        .collect();
    if parts.iter().any(|p| lx.is_protected(p)) {
        return None;
    }
    if !lx.is_word(lang, &joined) {
        return None;
    }
    // A piece of one letter is a fragment unless it is a word of one letter; a ligature alone
    // is always one.
    let valid: Vec<bool> = parts
        .iter()
        .map(|p| {
            if LIGATURES.contains(p) {
                false
            } else if p.chars().count() == 1 {
                ONE_LETTER_WORDS.contains(p)
            } else {
                lx.is_word(lang, p)
            }
        })
        .collect();
    let zipf = |w: &str| lx.frequency(lang, w).unwrap_or(0.0);
    let joined_zipf = zipf(&joined);
    let rarest_part = parts.iter().map(|p| zipf(p)).fold(f32::INFINITY, f32::min);
    let count = ctx.corpus_count(&joined);
    if joined_zipf <= 0.0 {
        return None; // a valid but unattested word: not evidence enough
    }
    let mut confidence = if valid.iter().any(|v| !v) {
        if valid[0] { 0.85 } else { 0.95 }
    } else if joined_zipf >= 3.0 && rarest_part < 2.5 {
        0.7
    } else if joined_zipf >= 3.0 {
        0.3 // two common words and a common joined word: flag, never fix by default
    } else {
        return None;
    };
    if count > 0 {
        confidence = (confidence + 0.05_f32).min(0.98);
    }
    let pieces_note: Vec<String> = parts
        .iter()
        .zip(&valid)
        .map(|(p, v)| format!("{p} {}", if *v { "valid" } else { "unknown" }))
        .collect();
    let corpus_note = if ctx.corpus.is_some() {
        format!(", corpus {count}")
    } else {
        String::new()
    };
    let evidence = format!(
        "joined: {joined} {} zipf {joined_zipf:.2}{corpus_note}; {}",
        lang,
        pieces_note.join("; ")
    );
    // Remove the breaks: the middle pieces glue on; a line break moves after the last piece.
    let (first_tok, last_tok) = (&pieces[0], &pieces[pieces.len() - 1]);
    let (range, replacement) = if text[first_tok.end..last_tok.start].contains('\n') {
        let (range, rep) = words::join_onto_line(text, first_tok.end, last_tok);
        (range, format!("{middle}{rep}"))
    } else {
        (first_tok.end..last_tok.start, middle)
    };
    Some(Edit::new(
        range,
        replacement,
        LIG_SPLIT.id,
        confidence,
        evidence,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Document, Lang, Pipeline};

    /// The pass as first written, over the list of all the tokens: the oracle of the one that
    /// finds its candidates from the "f"s of the text (both decide each join alike).
    struct Reference;

    impl Pass for Reference {
        fn local(&self) -> bool {
            true
        }
        fn id(&self) -> &'static str {
            "lig-split"
        }
        fn rules(&self) -> &'static [Rule] {
            &[LIG_SPLIT]
        }
        fn language_specific(&self) -> bool {
            true
        }
        fn uses_corpus(&self) -> bool {
            true
        }
        fn run(&self, text: &str, ctx: &Context<'_>) -> Vec<Edit> {
            let tokens = words::tokens(text);
            let mut edits = Vec::new();
            let mut i = 0;
            while i + 1 < tokens.len() {
                let found = join_from(text, ctx, tokens[i], tokens[i + 1], || {
                    tokens.get(i + 2).copied()
                });
                match found {
                    // Past the pieces joined, or on the last when it may begin another.
                    Some((edit, last)) => {
                        let last = if last == tokens[i + 1] { i + 1 } else { i + 2 };
                        i = if continues(&edit, &tokens[last]) {
                            last
                        } else {
                            last + 1
                        };
                        edits.push(edit);
                    }
                    None => i += 1,
                }
            }
            edits
        }
    }

    /// The text and edits of the pass alone, and of the reference alone, on `text` in `lang`.
    fn both(text: &str, lang: Lang) -> (String, String) {
        let mut doc = Document::new("t", text);
        doc.lang = lang;
        let run = |pass: &'static dyn Pass| {
            let out = Pipeline::default().with_passes(vec![pass]).run(&doc);
            format!("{}\n{:?}\n{:?}", out.text, out.edits, out.skipped)
        };
        (run(&LigSplit), run(&Reference))
    }

    /// The last piece of a join begins another when its trailing word is apart from the
    /// word joined: both joins in one run, as a second run would make the second.
    #[test]
    fn a_joined_piece_begins_another_join() {
        let mut doc = Document::new("t", "le plus signifi catif.réfl exions et de lectures\n");
        doc.lang = Lang::Fr;
        let out = Pipeline::default().with_passes(vec![&LigSplit]).run(&doc);
        assert_eq!(out.text, "le plus significatif.réflexions et de lectures\n");
        assert_eq!(out.edits.len(), 2);
    }

    #[test]
    fn joins_are_those_of_the_reference_on_the_repository_texts() {
        let texts = crate::test_texts::repository_texts();
        for (path, text) in &texts {
            for lang in [Lang::Fr, Lang::En] {
                let (ours, reference) = both(text, lang);
                assert_eq!(ours, reference, "{path} in {lang}");
            }
        }
        assert!(texts.len() > 50, "{} texts", texts.len());
    }

    proptest::proptest! {
        #[test]
        fn joins_are_those_of_the_reference(
            text in "([a-zé]{0,4}(f|ff|fi|fl|ffi|ffl|F)?[a-z]{0,3}[ \n]{1,3}){0,14}"
        ) {
            let (ours, reference) = both(&text, Lang::Fr);
            proptest::prop_assert_eq!(ours, reference);
        }
    }
}
