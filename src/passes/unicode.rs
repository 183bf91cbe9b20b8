//! `unicode`: code points that are not reading text.
//!
//! Ligature code points, soft hyphens, zero-width characters, control characters and line
//! separators. Language-neutral. Canonical composition comes right after, in [`super::nfc`].

use std::borrow::Cow;

use super::Pass;
use crate::edit::Edit;
use crate::pipeline::Context;
use crate::rules::Rule;

pub const LIGATURE: Rule = Rule {
    id: "unicode-ligature",
    pass: "unicode",
    summary: "Spell out Latin ligature code points (ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ)",
    what: "The presentation forms U+FB00 to U+FB06 become their letters: ﬀ ff, ﬁ fi, ﬂ fl, \
           ﬃ ffi, ﬄ ffl, ﬅ and ﬆ st. The French letters œ and æ are letters, not typographic \
           ligatures, and stay.",
    why: "Ligature code points come from PDF text layers. Words that hold them are not found by \
          search or dictionaries (\"ﬁn\" is not \"fin\").",
    example_before: "a\u{fb01}n de di\u{fb00}user",
    example_after: "afin de diffuser\n",
    risks: "ﬅ (long s + t) becomes \"st\": the long s is modernised. Editions that keep the long \
            s should protect it.",
    layout: false,
    example_lang: crate::Lang::Unknown,
};

pub const SOFT_HYPHEN: Rule = Rule {
    id: "soft-hyphen",
    pass: "unicode",
    summary: "Remove soft hyphens inside words",
    what: "A soft hyphen (U+00AD) between two letters is removed. A soft hyphen before a line \
           end or a space is handled by `soft-hyphen-break`.",
    why: "A soft hyphen marks where a word may be broken. Inside a line it is invisible in some \
          programs and breaks words in others (search, dictionaries).",
    example_before: "événe\u{ad}ments",
    example_after: "événements\n",
    risks: "None known.",
    layout: false,
    example_lang: crate::Lang::Unknown,
};

pub const SOFT_HYPHEN_BREAK: Rule = Rule {
    id: "soft-hyphen-break",
    pass: "unicode",
    summary: "Make a soft hyphen at a line break a visible hyphen",
    what: "A soft hyphen (U+00AD) before a line end or a space, after a letter, becomes a plain \
           hyphen, so the word break stays visible. The edit records that it was a soft \
           hyphen, which is certain evidence of a hyphenation point: in French and English the \
           dehyphenation pass then joins the word (as in the example).",
    why: "At a line end a soft hyphen is where the typesetter broke the word. Removed, the two \
          halves would read as two words; kept, it would be invisible.",
    example_before: "évè\u{ad}\nnements",
    example_after: "évènements\n",
    risks: "None known; joining the two halves is the job of dehyphenation.",
    layout: false,
    example_lang: crate::Lang::Fr,
};

pub const ZERO_WIDTH: Rule = Rule {
    id: "zero-width",
    pass: "unicode",
    summary: "Remove zero-width characters",
    what: "Zero-width space (U+200B), word joiner (U+2060) and a byte-order mark inside the \
           text (U+FEFF) are removed. Zero-width joiner and non-joiner (U+200D, U+200C) are \
           removed unless a neighbour belongs to a script that uses them (Arabic, Persian, \
           Hebrew, Indic and other Brahmic scripts) or is an emoji or symbol.",
    why: "They are invisible but split words for search and dictionaries. PDF extraction and web \
          copies leave them behind.",
    example_before: "révo\u{200b}lution",
    example_after: "révolution\n",
    risks: "Joiners are meaningful in Arabic, Persian, Indic scripts and emoji sequences; they \
            are kept there.",
    layout: false,
    example_lang: crate::Lang::Unknown,
};

pub const CONTROL_CHAR: Rule = Rule {
    id: "control-char",
    pass: "unicode",
    summary: "Remove control characters",
    what: "C0 control characters other than tab, line feed and form feed (form feeds are page \
           breaks, handled later), and DEL (U+007F), are removed.",
    why: "Control characters are not text. OCR engines and broken conversions leave NUL-like \
          bytes, escape codes and backspaces.",
    example_before: "Cama\u{8}rades",
    example_after: "Camarades\n",
    risks: "A backspace used for overstriking (underlining on typewriter output) loses that \
            meaning.",
    layout: false,
    example_lang: crate::Lang::Unknown,
};

pub const C1_CONTROL: Rule = Rule {
    id: "c1-control",
    pass: "unicode",
    summary: "Repair C1 control characters that are Windows-1252 punctuation",
    what: "C1 control characters (U+0080 to U+009F) become the character Windows-1252 has at \
           that byte (U+0092 becomes ’, U+0085 …, U+0096 –); the five bytes Windows-1252 leaves \
           undefined are removed.",
    why: "C1 controls in text come from Windows-1252 text decoded as Latin-1: the quotes and \
          dashes are lost. They are almost never real controls.",
    example_before: "l\u{92}homme",
    example_after: "l’homme\n",
    risks: "Text that really uses C1 controls (NEL, U+0085, as a line end from EBCDIC systems) \
            would be changed; such text is rare in OCR output.",
    layout: false,
    example_lang: crate::Lang::Unknown,
};

pub const LINE_SEPARATOR: Rule = Rule {
    id: "line-separator",
    pass: "unicode",
    summary: "Turn vertical tab and Unicode line/paragraph separators into line breaks",
    what: "Vertical tab (U+000B) and LINE SEPARATOR (U+2028) become a line feed; PARAGRAPH \
           SEPARATOR (U+2029) becomes a blank line.",
    why: "Word processors export manual line breaks as vertical tabs, and some tools use the \
          Unicode separators; everything after ocrtidy expects line feeds.",
    example_before: "Salutations communistes.\u{2028}V. Oulianov",
    example_after: "Salutations communistes.\nV. Oulianov\n",
    risks: "None known.",
    layout: true,
    example_lang: crate::Lang::Unknown,
};

/// The `unicode` pass.
pub struct Unicode;

impl Pass for Unicode {
    fn local(&self) -> bool {
        true
    }

    fn id(&self) -> &'static str {
        "unicode"
    }

    fn rules(&self) -> &'static [Rule] {
        &[
            LIGATURE,
            SOFT_HYPHEN,
            SOFT_HYPHEN_BREAK,
            ZERO_WIDTH,
            CONTROL_CHAR,
            C1_CONTROL,
            LINE_SEPARATOR,
        ]
    }

    fn run(&self, text: &str, _ctx: &Context<'_>) -> Vec<Edit> {
        let mut edits = Vec::new();
        char_edits(text, &mut edits);
        merge_deletions(edits)
    }
}

/// Whether byte `b` may start a character this pass cares about.
fn interesting(b: u8) -> bool {
    // Without short circuits, so that a chunk of bytes is judged in a few vector steps.
    (b < 0x20) & (b != b'\n') & (b != b'\t') & (b != 0x0C)
        | (b == 0x7F)
        | (b == 0xC2)
        | (b == 0xE2)
        | (b == 0xEF)
}

fn char_edits(text: &str, edits: &mut Vec<Edit>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        i = super::words::find_byte(bytes, i, interesting);
        if i >= bytes.len() {
            break;
        }
        let c = text[i..].chars().next().unwrap_or('\0');
        let len = c.len_utf8();
        let range = i..i + len;
        match c {
            '\u{FB00}'..='\u{FB06}' => {
                let (letters, name) = ligature(c);
                edits.push(Edit::new(range, letters, LIGATURE.id, 1.0, name));
            }
            '\u{AD}' => {
                // A run of soft hyphens is one break point.
                let mut end = i + len;
                while text[end..].starts_with('\u{AD}') {
                    end += '\u{AD}'.len_utf8();
                }
                let prev = text[..i].chars().next_back();
                let next = text[end..].chars().next();
                let at_break = next.is_none_or(char::is_whitespace);
                let after_word = prev.is_some_and(|p| !p.is_whitespace() && p != '-');
                edits.push(if at_break && after_word {
                    Edit::new(
                        i..end,
                        "-",
                        SOFT_HYPHEN_BREAK.id,
                        1.0,
                        "soft hyphen U+00AD before a break",
                    )
                } else {
                    Edit::new(
                        i..end,
                        "",
                        SOFT_HYPHEN.id,
                        1.0,
                        "soft hyphen U+00AD inside a line",
                    )
                });
                i = end;
                continue;
            }
            '\u{200B}' | '\u{2060}' | '\u{FEFF}' => {
                edits.push(Edit::new(range, "", ZERO_WIDTH.id, 1.0, zero_width_name(c)));
            }
            '\u{200C}' | '\u{200D}' => {
                // The nearest neighbours that stay: other invisible characters are looked
                // through, so a run of them is decided as one, and a second run agrees.
                let prev = text[..i].chars().rev().find(|&c| !invisible(c));
                let next = text[i + len..].chars().find(|&c| !invisible(c));
                if !prev.is_some_and(uses_joiners) && !next.is_some_and(uses_joiners) {
                    edits.push(Edit::new(
                        range,
                        "",
                        ZERO_WIDTH.id,
                        0.95,
                        zero_width_name(c),
                    ));
                }
            }
            '\u{B}' | '\u{2028}' => {
                edits.push(Edit::new(
                    range,
                    "\n",
                    LINE_SEPARATOR.id,
                    1.0,
                    if c == '\u{B}' {
                        "vertical tab U+000B"
                    } else {
                        "LINE SEPARATOR U+2028"
                    },
                ));
            }
            '\u{2029}' => {
                edits.push(Edit::new(
                    range,
                    "\n\n",
                    LINE_SEPARATOR.id,
                    1.0,
                    "PARAGRAPH SEPARATOR U+2029",
                ));
            }
            '\u{0}'..='\u{1F}' | '\u{7F}' => {
                edits.push(Edit::new(
                    range,
                    "",
                    CONTROL_CHAR.id,
                    1.0,
                    format!("control character U+{:04X}", c as u32),
                ));
            }
            '\u{80}'..='\u{9F}' => {
                let (replacement, evidence): (Cow<'static, str>, String) = match cp1252(c) {
                    Some(r) => (
                        Cow::Owned(r.to_string()),
                        format!(
                            "C1 control U+{:04X}; byte 0x{:02X} is {r} in Windows-1252",
                            c as u32, c as u32
                        ),
                    ),
                    None => (
                        Cow::Borrowed(""),
                        format!("C1 control U+{:04X}, undefined in Windows-1252", c as u32),
                    ),
                };
                edits.push(Edit::new(range, replacement, C1_CONTROL.id, 0.9, evidence));
            }
            _ => {}
        }
        i += len;
    }
}

/// Characters this pass removes (or may remove), looked through when judging neighbours.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'
    ) || (c <= '\u{7F}' && c.is_control() && !matches!(c, '\n' | '\t' | '\u{B}' | '\u{C}'))
}

/// Characters of scripts where zero-width joiners and non-joiners carry meaning (cursive and
/// Brahmic scripts), and emoji and symbols that form joined sequences.
fn uses_joiners(c: char) -> bool {
    matches!(c,
        '\u{0590}'..='\u{08FF}'     // Hebrew, Arabic, Syriac, Thaana, NKo, ...
        | '\u{0900}'..='\u{0DFF}'   // Devanagari to Sinhala
        | '\u{0E00}'..='\u{109F}'   // Thai, Lao, Tibetan, Myanmar
        | '\u{1780}'..='\u{18AF}'   // Khmer, Mongolian
        | '\u{A800}'..='\u{ABFF}'   // Syloti Nagri to Meetei Mayek
        | '\u{2190}'..='\u{2BFF}'   // arrows, symbols, dingbats (emoji)
        | '\u{FB1D}'..='\u{FDFF}'   // Hebrew and Arabic presentation forms
        | '\u{FE00}'..='\u{FE0F}'   // variation selectors
        | '\u{FE70}'..='\u{FEFE}'   // Arabic presentation forms B
        | '\u{10000}'..) // historic scripts, emoji
}

fn ligature(c: char) -> (&'static str, &'static str) {
    match c {
        '\u{FB00}' => ("ff", "U+FB00 LATIN SMALL LIGATURE FF"),
        '\u{FB01}' => ("fi", "U+FB01 LATIN SMALL LIGATURE FI"),
        '\u{FB02}' => ("fl", "U+FB02 LATIN SMALL LIGATURE FL"),
        '\u{FB03}' => ("ffi", "U+FB03 LATIN SMALL LIGATURE FFI"),
        '\u{FB04}' => ("ffl", "U+FB04 LATIN SMALL LIGATURE FFL"),
        '\u{FB05}' => ("st", "U+FB05 LATIN SMALL LIGATURE LONG S T"),
        _ => ("st", "U+FB06 LATIN SMALL LIGATURE ST"),
    }
}

fn zero_width_name(c: char) -> &'static str {
    match c {
        '\u{200B}' => "ZERO WIDTH SPACE U+200B",
        '\u{200C}' => "ZERO WIDTH NON-JOINER U+200C outside a joining script",
        '\u{200D}' => "ZERO WIDTH JOINER U+200D outside a joining script",
        '\u{2060}' => "WORD JOINER U+2060",
        _ => "ZERO WIDTH NO-BREAK SPACE (BOM) U+FEFF inside the text",
    }
}

/// The Windows-1252 character at the byte with the same value as a C1 control.
fn cp1252(c: char) -> Option<char> {
    const TABLE: [Option<char>; 32] = [
        Some('€'),
        None,
        Some('‚'),
        Some('ƒ'),
        Some('„'),
        Some('…'),
        Some('†'),
        Some('‡'),
        Some('ˆ'),
        Some('‰'),
        Some('Š'),
        Some('‹'),
        Some('Œ'),
        None,
        Some('Ž'),
        None,
        None,
        Some('‘'),
        Some('’'),
        Some('“'),
        Some('”'),
        Some('•'),
        Some('–'),
        Some('—'),
        Some('˜'),
        Some('™'),
        Some('š'),
        Some('›'),
        Some('œ'),
        None,
        Some('ž'),
        Some('Ÿ'),
    ];
    TABLE
        .get((c as usize).wrapping_sub(0x80))
        .copied()
        .flatten()
}

/// Merge adjacent deletions of the same rule (a run of zero-width characters is one edit).
fn merge_deletions(mut edits: Vec<Edit>) -> Vec<Edit> {
    edits.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        if let Some(last) = out.last_mut()
            && last.rule == e.rule
            && last.replacement.is_empty()
            && e.replacement.is_empty()
            && last.range.end == e.range.start
            && last.evidence == e.evidence
        {
            last.range.end = e.range.end;
            continue;
        }
        out.push(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The chunked search finds the first byte that matters, as a byte-by-byte one.
        #[test]
        fn find_byte_finds_the_first_byte_that_matters(
            // Mostly bytes it skips, so that whole chunks are skipped.
            bytes in proptest::collection::vec(
                proptest::prop_oneof![
                    40 => proptest::sample::select(vec![b'a', b' ', b'\n', b'\t', 0x0c, 0xc3]),
                    1 => proptest::sample::select(vec![0x01, 0x7f, 0xc2, 0xe2, 0xef]),
                ],
                0..200,
            ),
            from in 0usize..210,
        ) {
            let from = from.min(bytes.len());
            let expected = (from..bytes.len()).find(|&i| interesting(bytes[i])).unwrap_or(bytes.len());
            proptest::prop_assert_eq!(super::super::words::find_byte(&bytes, from, interesting), expected);
        }
    }
}
