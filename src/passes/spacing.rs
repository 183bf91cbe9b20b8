//! `spacing` and `punctuation`: spaces inside lines, doubled punctuation, spaces around
//! punctuation and brackets.
//!
//! `spacing` is language-neutral: runs of spaces inside a line (not in tables), doubled commas
//! and periods, spaces just inside brackets. `punctuation` follows the document's language:
//! English puts no space before , . ; : ! ?, French puts one before ; : ! ? (kept as written)
//! and none before , and . . Curly quotes are never straightened.

use regex::Regex;
use std::sync::LazyLock;

use super::Pass;
use super::words;
use crate::Lang;
use crate::edit::Edit;
use crate::per_thread::PerThread;
use crate::pipeline::Context;
use crate::rules::Rule;

pub const SPACE_RUN: Rule = Rule {
    id: "space-run",
    pass: "spacing",
    summary: "Collapse a run of spaces inside a line to one",
    what: "Two or more spaces between words become one. Lines that look like tables or aligned \
           columns (a tab, or two runs of spaces or more) and leading indentation are left \
           alone.",
    why: "Justified text and PDF extraction leave runs of spaces that carry no meaning.",
    example_before: "Tiré de « Comunismo »    07/01/2022",
    example_after: "Tiré de « Comunismo » 07/01/2022\n",
    risks: "A table with a single gap per line looks like prose and loses its alignment.",
    layout: true,
    example_lang: Lang::Unknown,
};

pub const PUNCT_DOUBLED: Rule = Rule {
    id: "punct-doubled",
    pass: "spacing",
    summary: "Repair a doubled comma or period (\",,\", \"..\")",
    what: "Two commas become one, and two periods after a word become one; an ellipsis (three \
           periods or more, or …) stays.",
    why: "OCR engines double punctuation marks on smudged print.",
    example_before: "is possible in Persia,, forming a single state in 1922..",
    example_after: "is possible in Persia, forming a single state in 1922.\n",
    risks: "A text that really writes two periods (a stylistic pause) loses one.",
    layout: false,
    example_lang: Lang::Unknown,
};

pub const SPACE_IN_BRACKETS: Rule = Rule {
    id: "space-in-brackets",
    pass: "spacing",
    summary: "Remove a space just inside brackets (\"( direct\")",
    what: "A space right after an opening bracket ( [ or right before a closing one ) ] is \
           removed.",
    why: "OCR engines insert spaces next to brackets; no typography wants them.",
    example_before: "the second task ( direct impact on the insurgency )",
    example_after: "the second task (direct impact on the insurgency)\n",
    risks: "None known.",
    layout: false,
    example_lang: Lang::Unknown,
};

pub const SPACE_BEFORE_PUNCT: Rule = Rule {
    id: "space-before-punct",
    pass: "punctuation",
    summary: "Remove a stray space before punctuation",
    what: "English: a space before , . ; : ! ? is removed. French: a space before , and . is \
           removed; the space French typography puts before ; : ! ? is kept as written.",
    why: "OCR engines and typists leave spaces before punctuation (\"Politburo .\").",
    example_before: "this question must be resolved in the Politburo .",
    example_after: "this question must be resolved in the Politburo.\n",
    risks: "An English text quoting French typography, or a list of symbols, loses spaces.",
    layout: false,
    example_lang: Lang::En,
};

pub const QUOTE_SPACING: Rule = Rule {
    id: "quote-spacing",
    pass: "punctuation",
    summary: "Move a space from before a closing quote to after it (English)",
    what: "In English, a closing curly quote ” with a space before it and a word or bracket \
           glued after it (\"assistants ”(RTSKHIDNI\") gets the space after it instead.",
    why: "The space is on the wrong side of the quote: a typing or OCR slip.",
    example_before: "up to five assistants ”(RTSKHIDNI. F. 17).",
    example_after: "up to five assistants” (RTSKHIDNI. F. 17).\n",
    risks: "A ” used as an opening quote (some European styles) would be moved.",
    layout: false,
    example_lang: Lang::En,
};

/// The `spacing` pass.
pub struct Spacing;

/// The `punctuation` pass.
pub struct Punctuation;

/// Whether a line looks like a table or aligned columns.
fn tabular(line: &str) -> bool {
    let body = line.trim();
    body.contains('\t')
        || SPACE_RUNS
            .find_iter(body)
            .filter(|m| !inside_brackets(body, m.start(), m.end()))
            .count()
            >= 2
}

/// Whether the run of spaces at `start..end` of `body` is just inside a bracket, where
/// `space-in-brackets` removes it whole (it is no column gap, and a cleaned line has none).
fn inside_brackets(body: &str, start: usize, end: usize) -> bool {
    body[end..].starts_with([')', ']']) || body[..start].ends_with(['(', '['])
}

static SPACE_RUNS: LazyLock<PerThread<Regex>> = LazyLock::new(|| PerThread::regex(" {2,}"));
static DOUBLED: LazyLock<PerThread<Regex>> = LazyLock::new(|| PerThread::regex(r"(\w),,|(\w)\.\."));
/// The marks of every `DOUBLED` match.
static DOUBLED_MARKS: LazyLock<PerThread<Regex>> = LazyLock::new(|| PerThread::regex(r",,|\.\."));
/// An opening bracket and the spaces after it (followed by a visible character).
static OPEN_SPACE: LazyLock<PerThread<Regex>> = LazyLock::new(|| PerThread::regex(r"[(\[] +"));
/// Spaces and the closing bracket after them (after a visible character).
static SPACE_CLOSE: LazyLock<PerThread<Regex>> = LazyLock::new(|| PerThread::regex(r" +[)\]]"));

/// Each line of `text` with its byte offset.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let at = start;
        start += line.len() + 1;
        (at, line)
    })
}

impl Pass for Spacing {
    fn local(&self) -> bool {
        true
    }

    fn id(&self) -> &'static str {
        "spacing"
    }

    fn rules(&self) -> &'static [Rule] {
        &[SPACE_RUN, PUNCT_DOUBLED, SPACE_IN_BRACKETS]
    }

    fn run(&self, text: &str, _ctx: &Context<'_>) -> Vec<Edit> {
        let mut edits = Vec::new();
        // The lines any of the patterns match in (none matches across a line break): one
        // search of the whole text for each, instead of four searches of every line.
        // `DOUBLED` and `SPACE_CLOSE` have no literal to skip ahead to, so they are searched
        // for by the literals every match holds (",," or "..", a closing bracket after a
        // space): a superset of the lines, at memchr speed.
        let mut hits: Vec<usize> = [&SPACE_RUNS, &DOUBLED_MARKS, &OPEN_SPACE]
            .iter()
            .flat_map(|re| re.find_iter(text).map(|m| m.start()))
            .collect();
        let bytes = text.as_bytes();
        hits.extend(
            memchr::memchr2_iter(b')', b']', bytes)
                .filter(|&i| i > 0 && bytes[i - 1] == b' ')
                .map(|i| i - 1),
        );
        hits.sort_unstable();
        let mut hit = hits.iter().peekable();
        for (at, line) in lines(text) {
            while hit.next_if(|&&h| h < at).is_some() {}
            match hit.peek() {
                None => break,
                Some(&&h) if h >= at + line.len() => continue,
                Some(_) => {}
            }
            let indent = line.len() - line.trim_start().len();
            let body_end = line.trim_end().len();
            if body_end <= indent {
                continue;
            }
            if !tabular(line) {
                let body = &line[indent..body_end];
                for m in SPACE_RUNS.find_iter(body) {
                    // A run inside a bracket is `space-in-brackets`'s, which removes it whole.
                    if inside_brackets(body, m.start(), m.end()) {
                        continue;
                    }
                    let range = at + indent + m.start()..at + indent + m.end();
                    edits.push(Edit::new(range, " ", SPACE_RUN.id, 0.95, "a run of spaces"));
                }
            }
            for c in DOUBLED.captures_iter(line) {
                let word = c.get(1).or_else(|| c.get(2)).expect("a group");
                let mark = at + word.end();
                let doubled = &line[word.end()..word.end() + 2];
                // Three marks or more (an ellipsis, ",,,") are left as written.
                if line[word.end() + 2..].starts_with(['.', ',', '…']) {
                    continue;
                }
                edits.push(Edit::new(
                    mark..mark + 2,
                    doubled[..1].to_owned(),
                    PUNCT_DOUBLED.id,
                    0.9,
                    format!("doubled {doubled:?}"),
                ));
            }
            // The characters around the spaces are looked at, not matched: a bracket that
            // ends one match can start the next ("[ ] )" has two runs to remove).
            for m in OPEN_SPACE.find_iter(line) {
                if line[m.end()..]
                    .chars()
                    .next()
                    .is_none_or(char::is_whitespace)
                {
                    continue;
                }
                let range = at + m.start() + 1..at + m.end();
                edits.push(Edit::new(
                    range,
                    "",
                    SPACE_IN_BRACKETS.id,
                    0.9,
                    "space after an opening bracket",
                ));
            }
            for m in SPACE_CLOSE.find_iter(line) {
                // After an opening bracket ("[ ]"), the run is the one above.
                if line[..m.start()]
                    .chars()
                    .next_back()
                    .is_none_or(|c| c.is_whitespace() || c == '(' || c == '[')
                {
                    continue;
                }
                let range = at + m.start()..at + m.end() - 1;
                edits.push(Edit::new(
                    range,
                    "",
                    SPACE_IN_BRACKETS.id,
                    0.9,
                    "space before a closing bracket",
                ));
            }
        }
        edits
    }
}

impl Pass for Punctuation {
    fn local(&self) -> bool {
        true
    }

    fn id(&self) -> &'static str {
        "punctuation"
    }

    fn rules(&self) -> &'static [Rule] {
        &[SPACE_BEFORE_PUNCT, QUOTE_SPACING]
    }

    fn language_specific(&self) -> bool {
        true
    }

    fn run(&self, text: &str, ctx: &Context<'_>) -> Vec<Edit> {
        let marks: &[char] = match ctx.lang {
            Lang::En => &[',', '.', ';', ':', '!', '?'],
            _ => &[',', '.'],
        };
        let mut edits = Vec::new();
        for (at, line) in lines(text) {
            // Each space after the first character, with the characters around it.
            let bytes = line.as_bytes();
            for i in memchr::memchr_iter(b' ', bytes) {
                // Every repair here is of a space before a mark or a closing quote (”, whose
                // first byte is 0xE2): most spaces are told by the byte after them.
                if !bytes
                    .get(i + 1)
                    .is_some_and(|b| matches!(b, b',' | b'.' | b';' | b':' | b'!' | b'?' | 0xe2))
                {
                    continue;
                }
                let Some(prev) = line[..i].chars().next_back() else {
                    continue;
                };
                let j = i + 1;
                let mut rest = line[j..].chars();
                let Some(next) = rest.next() else {
                    continue;
                };
                let after = rest.next();
                // " ." before a word, a digit, another period (an ellipsis) or a quote is not
                // a stray space: ".5", " ...", " .net".
                let ends_here = after.is_none_or(|a| a.is_whitespace() || "\"”»’)]".contains(a));
                // ", ," and ". ." lose the space and the second mark: without the space they
                // would be a doubled mark, which `punct-doubled` (an earlier pass) repairs.
                if prev == next && matches!(next, ',' | '.') && ends_here {
                    edits.push(Edit::new(
                        at + i..at + j + 1,
                        "",
                        SPACE_BEFORE_PUNCT.id,
                        0.85,
                        format!("space before a doubled {next:?}"),
                    ));
                    continue;
                }
                if marks.contains(&next)
                    && !prev.is_whitespace()
                    && !"([«“".contains(prev)
                    && ends_here
                {
                    edits.push(Edit::new(
                        at + i..at + j,
                        "",
                        SPACE_BEFORE_PUNCT.id,
                        0.85,
                        format!("space before {next:?} ({} typography)", ctx.lang),
                    ));
                }
                if ctx.lang == Lang::En
                    && next == '”'
                    && words::is_alphanumeric(prev)
                    && after.is_some_and(|a| words::is_alphanumeric(a) || a == '(' || a == '[')
                {
                    let end = j + next.len_utf8();
                    edits.push(Edit::new(
                        at + i..at + end,
                        "” ",
                        QUOTE_SPACING.id,
                        0.8,
                        "space before a closing quote, none after it",
                    ));
                }
            }
        }
        edits
    }
}
