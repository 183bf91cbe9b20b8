//! `dehyphen`: words broken by a hyphen at a line end, joined again.
//!
//! "évè-⏎nements" becomes "évènements"; "grand-⏎russe" keeps its hyphen and only loses the
//! line break; "1912-⏎1927" too. The same repair applies when an earlier tool flattened the
//! lines ("pro- perty" inside a line), and across blank lines (a page break, once its running
//! header is gone). Decisions come from evidence: the dictionary (is the joined word valid?
//! is the hyphenated form a dictionary compound?), the hyphenation patterns (is this a place
//! where the word breaks?), corpus counts of the joined and hyphenated forms, and the case of
//! the second part.

use std::borrow::Cow;

use super::Pass;
use super::words::{self, Gap};
use crate::edit::Edit;
use crate::pipeline::Context;
use crate::rules::Rule;

pub const DEHYPHEN: Rule = Rule {
    id: "dehyphen",
    pass: "dehyphen",
    summary: "Join a word hyphenated at a line end",
    what: "A word broken by a hyphen at the end of a line (or by a hyphen and a space inside a \
           line, where an earlier tool flattened the lines) is joined when the joined word is \
           valid and the hyphenated form is not a compound of the dictionary. The second half \
           moves up to the first line; the line break moves after it.",
    why: "Typesetting breaks words at line ends. Left broken, they are two non-words for search, \
          counting and reading aloud.",
    example_before: "un premier bilan des évè-\nnements qui se sont déroulés",
    example_after: "un premier bilan des évènements qui se sont déroulés\n",
    risks: "A compound that the dictionary does not list, broken exactly at its hyphen, whose \
            joined form is also a word, would lose its hyphen; the dictionary's compounds, \
            capitalised second parts, numbers and corpus evidence guard against it.",
    layout: false,
    example_lang: crate::Lang::Fr,
};

pub const DEHYPHEN_COMPOUND: Rule = Rule {
    id: "dehyphen-compound",
    pass: "dehyphen",
    summary: "Join a hyphenated compound broken at a line end, keeping its hyphen",
    what: "A compound or range broken at its own hyphen at a line end (\"grand-⏎russe\", \
           \"Secretary-⏎General\", \"1912-⏎1927\") is put back on one line with its hyphen.",
    why: "The hyphen is part of the word; only the line break is an artifact.",
    example_before: "l'impérialisme grand-\nrusse en vue",
    example_after: "l'impérialisme grand-russe en vue\n",
    risks: "A word that was only hyphenated by the typesetter but is unknown to the dictionary \
            keeps a hyphen: a missed repair, never a false one.",
    layout: false,
    example_lang: crate::Lang::Fr,
};

/// The `dehyphen` pass.
pub struct Dehyphen;

/// How much rarer (in Zipf units) than both its parts a joined form must be for two valid
/// words to be read as a hyphenated compound.
const RARER: f32 = 1.5;

/// Second halves that mark a suspended hyphen ("pré- et post-", "pre- and post-war").
pub(crate) const CONJUNCTIONS: &[&str] = &["et", "ou", "and", "or", "nor", "to", "à", "und"];

/// What to do with one hyphen.
enum Verdict {
    /// Remove the hyphen and the break.
    Join(f32, String),
    /// Keep the hyphen, remove the line break.
    Keep(f32, String),
}

impl Pass for Dehyphen {
    fn local(&self) -> bool {
        true
    }

    fn id(&self) -> &'static str {
        "dehyphen"
    }

    fn rules(&self) -> &'static [Rule] {
        &[DEHYPHEN, DEHYPHEN_COMPOUND]
    }

    fn language_specific(&self) -> bool {
        true
    }

    fn uses_corpus(&self) -> bool {
        true
    }

    fn run(&self, text: &str, ctx: &Context<'_>) -> Vec<Edit> {
        let mut edits = Vec::new();
        // Each token that ends with a hyphen, with the one after it, in order.
        for (a, b) in words::hyphen_breaks(text) {
            let (a, b) = (&a, &b);
            let Some(hyphen) = a.text.strip_suffix(['-', '¬', '\u{2010}']) else {
                continue;
            };
            let hyphen_at = a.start + hyphen.len();
            let gap = words::gap(text, a, b);
            let left = words::trailing_word(hyphen);
            let right = words::leading_word(b.text);
            if left.is_empty() || right.is_empty() {
                // A range or a number broken at its hyphen ("1912-⏎1927"): keep the hyphen,
                // join the lines. Other shapes are not words broken in two.
                let digits = hyphen.ends_with(|c: char| c.is_ascii_digit())
                    && b.text.starts_with(|c: char| c.is_ascii_digit());
                if digits && gap == Gap::Line {
                    let (range, rep) = words::join_onto_line(text, a.end, b);
                    edits.push(Edit::new(
                        range,
                        rep,
                        DEHYPHEN_COMPOUND.id,
                        0.95,
                        "a number on each side: a range",
                    ));
                }
                continue;
            }
            let soft = ctx
                .history
                .produced_by(hyphen_at..a.end)
                .is_some_and(|e| e.rule == super::unicode::SOFT_HYPHEN_BREAK.id)
                || a.text.ends_with('¬');
            let Some(verdict) = judge(ctx, left, right, b.text, gap, soft) else {
                continue;
            };
            match verdict {
                Verdict::Join(confidence, evidence) => {
                    let (range, rep) = if gap == Gap::Space {
                        (hyphen_at..b.start, String::new())
                    } else {
                        words::join_onto_line(text, hyphen_at, b)
                    };
                    edits.push(Edit::new(range, rep, DEHYPHEN.id, confidence, evidence));
                }
                // Across a blank line, a kept hyphen is no repair: the next paragraph may start
                // with any word (a heading, a name).
                Verdict::Keep(confidence, evidence) if gap == Gap::Line => {
                    let (range, rep) = words::join_onto_line(text, a.end, b);
                    edits.push(Edit::new(
                        range,
                        rep,
                        DEHYPHEN_COMPOUND.id,
                        confidence,
                        evidence,
                    ));
                }
                Verdict::Keep(..) => {}
            }
        }
        edits
    }
}

/// Decide one hyphen between `left` and `right` (the letters on each side); `after` is the
/// whole token after the break.
fn judge(
    ctx: &Context<'_>,
    left: &str,
    right: &str,
    after: &str,
    gap: Gap,
    soft: bool,
) -> Option<Verdict> {
    let lang = ctx.lang;
    let lx = ctx.lexicon;
    if CONJUNCTIONS.contains(&right.to_lowercase().as_str()) && after.len() == right.len() {
        return None; // a suspended hyphen: "pré- et post-"
    }
    let joined = format!("{left}{right}");
    let hyphenated = format!("{left}-{right}");
    if soft {
        return Some(Verdict::Join(
            0.99,
            format!("soft hyphen: a typesetter's break point; joined {joined}"),
        ));
    }
    if lx.is_protected(&hyphenated) {
        return Some(Verdict::Keep(
            1.0,
            format!("{hyphenated} is a protected word"),
        ));
    }
    if lx.is_protected(&joined) {
        return Some(Verdict::Join(1.0, format!("{joined} is a protected word")));
    }
    let upper_right = right.starts_with(char::is_uppercase);
    let all_caps = |w: &str| w.chars().all(|c| !c.is_lowercase()) && w.chars().count() > 1;
    if upper_right && !(all_caps(left) && all_caps(right)) {
        return Some(Verdict::Keep(
            0.95,
            format!("capitalised second part: {hyphenated}"),
        ));
    }
    let forms = ctx.corpus.map(|c| c.forms(left, right)).unwrap_or_default();
    let corpus_note = if ctx.corpus.is_some() {
        format!(
            "; corpus: {joined} {}, {hyphenated} {}",
            forms.joined, forms.hyphenated
        )
    } else {
        String::new()
    };
    if forms.hyphenated > 0 && forms.joined == 0 {
        return Some(Verdict::Keep(
            0.9,
            format!("the corpus writes {hyphenated} with its hyphen{corpus_note}"),
        ));
    }
    let whole_compound = lx.is_listed_compound(lang, &hyphenated);
    let joined_valid = lx.is_word(lang, &joined);
    if whole_compound && !(joined_valid && forms.joined > 0 && forms.hyphenated == 0) {
        return Some(Verdict::Keep(
            0.95,
            format!("{hyphenated} {lang} dictionary compound{corpus_note}"),
        ));
    }
    if !joined_valid {
        return Some(Verdict::Keep(
            0.8,
            format!("{joined} unknown in {lang}: keeping the hyphen{corpus_note}"),
        ));
    }
    // The joined word is valid and the hyphenated form is not a compound of the dictionary.
    let left_valid = lx.is_word(lang, left);
    let right_valid = lx.is_word(lang, right);
    if gap == Gap::Space && left_valid && right_valid {
        return None; // inside a line, two words and a hyphen: not sure enough
    }
    // Two common words whose joined form is much rarer than either: a compound written with
    // its hyphen ("peace-keeping", "non-aggression", "well-being"), not a word broken in two.
    let zipf = |w: &str| lx.frequency(lang, w).unwrap_or(0.0);
    let joined_freq = lx.frequency(lang, &joined);
    let joined_zipf = joined_freq.unwrap_or(0.0);
    if left_valid && right_valid && joined_zipf < zipf(left).min(zipf(right)) - RARER {
        return Some(Verdict::Keep(
            0.7,
            format!(
                "{joined} (zipf {joined_zipf:.2}) much rarer than {left} and {right}: a compound{corpus_note}"
            ),
        ));
    }
    let at = left.chars().count();
    let pattern_agrees = lx.hyphenation_points(lang, &joined).contains(&at);
    let mut confidence: f32 = 0.75;
    if pattern_agrees {
        confidence += 0.1;
    }
    if !left_valid {
        confidence += 0.1;
    }
    if forms.joined > 0 {
        confidence += 0.05;
    }
    if gap == Gap::Space {
        confidence -= 0.1;
    }
    if gap == Gap::Blank {
        confidence -= 0.05;
    }
    let zipf = joined_freq.map_or(Cow::Borrowed("-"), |z| Cow::Owned(format!("{z:.2}")));
    Some(Verdict::Join(
        confidence.min(0.98),
        format!(
            "joined: {joined} {lang} valid, zipf {zipf}; {left} {}; pattern {}{corpus_note}",
            if left_valid { "valid" } else { "unknown" },
            if pattern_agrees {
                "agrees"
            } else {
                "disagrees"
            },
        ),
    ))
}
