//! `whitespace`: spaces, line ends, blank lines and the end of the text.
//!
//! The last pass: it brings the text to the canonical form (see [`crate::canonical`]) as far as
//! white space goes. Language-neutral.

use memchr::{memchr2, memchr2_iter};

use super::Pass;
use crate::edit::Edit;
use crate::pipeline::Context;
use crate::rules::Rule;

pub const NBSP_SPACE: Rule = Rule {
    id: "nbsp-space",
    pass: "whitespace",
    summary: "Turn no-break spaces into plain spaces, except where French typography puts them",
    what: "A no-break space (U+00A0) or narrow no-break space (U+202F) becomes a plain space, \
           except before : ; ! ? » › % €, after « ‹, and between two digits (\"100 000\"), \
           where French typography puts it.",
    why: "Web pages and PDF text layers use no-break spaces for layout (\"Lenin\u{a0}|\"); they \
          look like spaces but defeat search and tokenisers. In French punctuation they are \
          right and stay.",
    example_before: "Lenin\u{a0}| Stalin, la grève\u{a0}: oui",
    example_after: "Lenin | Stalin, la grève\u{a0}: oui\n",
    risks: "A no-break space that joined a number to its unit (\"12\u{a0}km\") becomes \
            breakable.",
    layout: true,
    example_lang: crate::Lang::Unknown,
};

pub const UNICODE_SPACE: Rule = Rule {
    id: "unicode-space",
    pass: "whitespace",
    summary: "Turn typographic spaces (em, en, thin, hair...) into plain spaces",
    what: "The spaces U+2000 to U+200A (en quad to hair space) and U+205F (medium mathematical \
           space) become a plain space. The ideographic space U+3000 is left to CJK text.",
    why: "PDF text layers render justification and kerning as odd spaces; they look like spaces \
          but split or glue words for search and tokenisers.",
    example_before: "Vladikavkaz,\u{2003}16 November",
    example_after: "Vladikavkaz, 16 November\n",
    risks: "Figure spaces (U+2007) that aligned numbers in a table lose their fixed width.",
    layout: true,
    example_lang: crate::Lang::Unknown,
};

pub const TRAILING_BLANK: Rule = Rule {
    id: "trailing-blank",
    pass: "whitespace",
    summary: "Remove blanks at the end of lines",
    what: "Spaces, tabs and other blanks before a line end are removed, and a line holding only \
           blanks becomes empty.",
    why: "Trailing blanks are invisible noise from OCR and PDF extraction; they make diffs and \
          comparisons fail for nothing.",
    example_before: "Camarades,  \n\nPermettez-moi",
    example_after: "Camarades,\n\nPermettez-moi\n",
    risks: "Markdown's two-space hard line break is lost.",
    layout: true,
    example_lang: crate::Lang::Unknown,
};

pub const BLANK_LINES: Rule = Rule {
    id: "blank-lines",
    pass: "whitespace",
    summary: "Collapse runs of blank lines to one",
    what: "Two or more blank lines in a row become one blank line: blocks are separated by \
           exactly one blank line.",
    why: "Page layout, extraction and image captions leave runs of blank lines that carry no \
          structure beyond \"a new block starts here\".",
    example_before: "Salutations communistes.\n\n\n\nV. Oulianov",
    example_after: "Salutations communistes.\n\nV. Oulianov\n",
    risks: "A page break in mid-sentence stays a block break until the page pass joins it; \
            verse or layouts that used several blank lines for emphasis lose it.",
    layout: true,
    example_lang: crate::Lang::Unknown,
};

pub const FORM_FEED: Rule = Rule {
    id: "form-feed",
    pass: "whitespace",
    summary: "Turn a form feed (page break) into a block break",
    what: "A form feed (U+000C), with the blank lines around it, becomes one blank line.",
    why: "pdftotext and OCR engines mark page ends with form feeds; cleaned text has no \
          control characters.",
    example_before: "fin de la page\n\u{c}Début de la suivante",
    example_after: "fin de la page\n\nDébut de la suivante\n",
    risks: "A page break in mid-sentence becomes a block break; joining it is the page pass's \
            job.",
    layout: true,
    example_lang: crate::Lang::Unknown,
};

pub const EDGE_BLANK_LINES: Rule = Rule {
    id: "edge-blank-lines",
    pass: "whitespace",
    summary: "Remove blank lines at the start and the end of the text",
    what: "Blank lines before the first line of text and after the last one are removed.",
    why: "They carry nothing and make files that should match differ.",
    example_before: "\n\nNovember 16, 1920\n\n\n",
    example_after: "November 16, 1920\n",
    risks: "None known.",
    layout: true,
    example_lang: crate::Lang::Unknown,
};

pub const FINAL_NEWLINE: Rule = Rule {
    id: "final-newline",
    pass: "whitespace",
    summary: "End the text with exactly one newline",
    what: "A text that does not end with a line feed gets one.",
    why: "Text tools expect every line, the last one too, to end with a newline; concatenated \
          files otherwise run together.",
    example_before: "3 The document contains Trotsky's notes.",
    example_after: "3 The document contains Trotsky's notes.\n",
    risks: "None known.",
    layout: true,
    example_lang: crate::Lang::Unknown,
};

/// The `whitespace` pass.
pub struct Whitespace;

impl Pass for Whitespace {
    fn id(&self) -> &'static str {
        "whitespace"
    }

    fn rules(&self) -> &'static [Rule] {
        &[
            NBSP_SPACE,
            UNICODE_SPACE,
            TRAILING_BLANK,
            BLANK_LINES,
            FORM_FEED,
            EDGE_BLANK_LINES,
            FINAL_NEWLINE,
        ]
    }

    fn run(&self, text: &str, _ctx: &Context<'_>) -> Vec<Edit> {
        let mut edits = Vec::new();
        let bytes = text.as_bytes();
        // End of the last line with content (after its trimmed content), or None before the
        // first one; separators (LF or FF) seen since, and whether one was a form feed.
        let mut region_start: Option<usize> = None;
        let mut seps = 0usize;
        let mut form_feed = false;
        let mut line_start = 0;
        loop {
            let sep = memchr2(b'\n', 0x0C, &bytes[line_start..]).map(|i| line_start + i);
            let line_end = sep.unwrap_or(bytes.len());
            let line = &text[line_start..line_end];
            let content = line.trim_end_matches(char::is_whitespace);
            if !content.is_empty() {
                let content_end = line_start + content.len();
                match region_start {
                    None if line_start > 0 => edits.push(Edit::new(
                        0..line_start,
                        "",
                        EDGE_BLANK_LINES.id,
                        1.0,
                        format!("{seps} blank line(s) at the start"),
                    )),
                    None => {}
                    Some(start) => {
                        let (replacement, rule, evidence) = if form_feed {
                            ("\n\n", FORM_FEED.id, "form feed (page break)".to_owned())
                        } else if seps >= 3 {
                            ("\n\n", BLANK_LINES.id, format!("{} blank lines", seps - 1))
                        } else if seps == 2 {
                            ("\n\n", TRAILING_BLANK.id, "blanks at a line end".to_owned())
                        } else {
                            ("\n", TRAILING_BLANK.id, "blanks at a line end".to_owned())
                        };
                        edits.extend(Edit::minimal(
                            text,
                            start..line_start,
                            replacement,
                            rule,
                            1.0,
                            evidence,
                        ));
                    }
                }
                space_edits(text, line_start..content_end, &mut edits);
                region_start = Some(content_end);
                seps = 0;
                form_feed = false;
            }
            match sep {
                Some(at) => {
                    seps += 1;
                    form_feed |= bytes[at] == 0x0C;
                    line_start = at + 1;
                }
                None => break,
            }
        }
        match region_start {
            None if !text.is_empty() => edits.push(Edit::new(
                0..text.len(),
                "",
                EDGE_BLANK_LINES.id,
                1.0,
                "the text is blank",
            )),
            None => {}
            Some(start) if seps == 0 => {
                if start < text.len() {
                    edits.push(Edit::new(
                        start..text.len(),
                        "",
                        TRAILING_BLANK.id,
                        1.0,
                        "blanks at the end of the text",
                    ));
                }
                edits.push(Edit::new(
                    text.len()..text.len(),
                    "\n",
                    FINAL_NEWLINE.id,
                    1.0,
                    "no newline at the end of the text",
                ));
            }
            Some(start) => {
                let (rule, evidence) = if seps == 1 && !form_feed {
                    (TRAILING_BLANK.id, "blanks at a line end".to_owned())
                } else {
                    (
                        EDGE_BLANK_LINES.id,
                        format!("{} blank line(s) at the end", seps - 1),
                    )
                };
                edits.extend(Edit::minimal(
                    text,
                    start..text.len(),
                    "\n",
                    rule,
                    1.0,
                    evidence,
                ));
            }
        }
        edits
    }
}

/// Characters after which a no-break space is French typography, and before which.
const NBSP_BEFORE: &[char] = &[':', ';', '!', '?', '»', '›', '%', '€'];
const NBSP_AFTER: &[char] = &['«', '‹'];

/// Edits for odd spaces inside `range` (a line's content).
fn space_edits(text: &str, range: std::ops::Range<usize>, edits: &mut Vec<Edit>) {
    let bytes = &text.as_bytes()[range.clone()];
    for i in memchr2_iter(0xC2, 0xE2, bytes) {
        let at = range.start + i;
        let Some(c) = text[at..].chars().next() else {
            continue;
        };
        let span = at..at + c.len_utf8();
        match c {
            '\u{A0}' | '\u{202F}' => {
                let prev = text[..at].chars().next_back();
                let next = text[span.end..].chars().next();
                let french = next.is_some_and(|n| NBSP_BEFORE.contains(&n))
                    || prev.is_some_and(|p| NBSP_AFTER.contains(&p))
                    || (prev.is_some_and(|p| p.is_ascii_digit())
                        && next.is_some_and(|n| n.is_ascii_digit()));
                if !french {
                    let name = if c == '\u{A0}' {
                        "NO-BREAK SPACE U+00A0 outside French punctuation"
                    } else {
                        "NARROW NO-BREAK SPACE U+202F outside French punctuation"
                    };
                    edits.push(Edit::new(span, " ", NBSP_SPACE.id, 1.0, name));
                }
            }
            '\u{2000}'..='\u{200A}' | '\u{205F}' => {
                edits.push(Edit::new(
                    span,
                    " ",
                    UNICODE_SPACE.id,
                    1.0,
                    format!("space U+{:04X}", c as u32),
                ));
            }
            _ => {}
        }
    }
}
