//! `page`: page furniture (running headers and footers, page numbers) and page breaks that
//! fall in the middle of a sentence.
//!
//! A line is page furniture only on several signals together: it stands alone between blank
//! lines (or page feeds), it is short, lines of the same shape (the same text once numbers are
//! set aside) stand alone at least three times in the document, at regular intervals (pages
//! have about the same length), and either with numbers that rise from one to the next (page
//! numbers) or as the very same running title. A number or a
//! capitalised line that occurs once is content and stays. A run of blank lines (or a page
//! feed) inside a sentence (the text before does not end a sentence, the text after starts in
//! lower case or continues a hyphenated word) is joined into a line break once the furniture
//! in it is gone.

use rustc_hash::FxHashMap as HashMap;

use super::Pass;
use super::words;
use crate::Lang;
use crate::edit::Edit;
use crate::pipeline::Context;
use crate::rules::Rule;

pub const PAGE_FURNITURE: Rule = Rule {
    id: "page-furniture",
    pass: "page",
    summary: "Remove running headers, footers and page numbers",
    what: "A short line (or block of up to three lines, read joined) standing alone between \
           blank lines is removed when at least three of the same shape stand alone in the \
           document, at regular intervals: page numbers that rise (\"— 155 —\", \
           \"12  DROIT COUTUMIER OSSÉTIEN.\") or the same running title each time. Blocks are \
           compared as cleaning writes them: one space between words, control characters \
           left out.",
    why: "Headers, footers and page numbers interrupt sentences and are not part of the text.",
    example_before: "la fin d'une longue phrase qui\n\n— 1 —\n\ncontinue sur la page suivante, et\n\n— 2 —\n\nencore sur une autre page, puis\n\n— 3 —\n\nla fin.",
    example_after: "la fin d'une longue phrase qui continue sur la page suivante, et encore sur une autre page, puis la fin.\n",
    risks: "A short line that really repeats between blank lines with a rising number (a \
            numbered refrain) would be taken for furniture; lines that occur fewer than three \
            times never are.",
    layout: false,
    example_lang: Lang::Unknown,
};

pub const PAGE_JOIN: Rule = Rule {
    id: "page-join",
    pass: "page",
    summary: "Join a sentence broken by a page break",
    what: "Blank lines (or a page feed) between a line that does not end a sentence and a line \
           that starts in lower case become a single line break, unless the paragraph before \
           is a heading (letters in capitals only, judged on all its lines).",
    why: "A page break in mid-sentence is an artifact of the printed page, not a paragraph \
          break.",
    example_before: "l'impérialisme mondial,\n\n\n\nnotamment l'impérialisme britannique",
    example_after: "l'impérialisme mondial, notamment l'impérialisme britannique\n",
    risks: "A new paragraph that starts in lower case after one that ends without punctuation \
            (a heading without a final stop followed by a lower-case list) would be joined.",
    layout: true,
    example_lang: Lang::Unknown,
};

/// The `page` pass.
pub struct Page;

/// Occurrences a shape needs to be page furniture.
const MIN_REPEATS: usize = 3;
/// Longest furniture line, in characters.
const MAX_FURNITURE: usize = 70;
/// Most lines a furniture block has (a running title over two lines, say).
const MAX_BLOCK_LINES: usize = 3;
/// Shortest paragraph that may end a page in mid-sentence, in characters.
const MIN_PAGE_LINE: usize = 20;

/// A block of lines that may be page furniture.
struct Member {
    first: usize,
    last: usize,
    /// Its lines, trimmed and joined with a space.
    text: String,
    /// The numbers in it.
    numbers: Vec<u64>,
}

/// Whether `line` ends a sentence (or a quotation, or a bracket): a page break after it is
/// no break in mid-sentence.
fn ends_sentence(line: &str) -> bool {
    line.trim_end()
        .ends_with(|c: char| ".!?:;…»\"”)]".contains(c))
}

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    start: usize,
    /// Excluding the line feed or page feed that ends it.
    text: &'a str,
    /// Whether a page feed ends it (the next line starts a page).
    feed: bool,
}

impl Line<'_> {
    fn blank(&self) -> bool {
        // (Only white space from the start: what `trim` would read, without reading the
        // end of every line that has content.)
        self.text.trim_start().is_empty()
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in crate::lines::feed_pieces(text) {
        let body = piece.strip_suffix(['\n', '\u{c}']).unwrap_or(piece);
        out.push(Line {
            start,
            text: body,
            feed: piece.ends_with('\u{c}'),
        });
        start += piece.len();
    }
    out
}

/// Characters cleaning removes (ligature code points it spells out instead).
fn removed(c: char) -> bool {
    crate::canonical::is_forbidden(c) && !('\u{fb00}'..='\u{fb06}').contains(&c)
}

/// How many characters of `line` are visible once cleaned (neither white space nor removed),
/// counted up to `most`.
fn visible(line: &str, most: usize) -> usize {
    let bytes = line.as_bytes();
    let (mut n, mut i) = (0, 0);
    while i < bytes.len() && n < most {
        let b = bytes[i];
        if b.is_ascii() {
            // ASCII white space and the controls cleaning removes are all at or below the
            // space, or DEL.
            n += usize::from(b > b' ' && b != 0x7f);
            i += 1;
        } else {
            let c = line[i..].chars().next().expect("a character boundary");
            n += usize::from(!c.is_whitespace() && !removed(c));
            i += c.len_utf8();
        }
    }
    n
}

/// The lines of a block joined as cleaning writes them: without the characters it removes,
/// one space between words.
fn joined(lines: &[Line<'_>]) -> String {
    let mut out = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
    let mut space = false;
    for line in lines {
        for c in line.text.chars() {
            if removed(c) {
                continue;
            }
            if c.is_whitespace() {
                space = !out.is_empty();
                continue;
            }
            if std::mem::take(&mut space) {
                out.push(' ');
            }
            out.push(c);
        }
        space = !out.is_empty();
    }
    out
}

/// The shape of a furniture candidate: its title (lower case, numbers set aside, words
/// apart by one space, so "12 TITLE" and "TITLE 13" agree), and the numbers it holds. Written
/// in one pass, ASCII lowered without the Unicode tables: it runs on every short block.
fn shape(line: &str) -> (String, Vec<u64>) {
    let mut title = String::with_capacity(line.len());
    let mut numbers = Vec::new();
    // The run of digits being read, as a number (`u64::MAX` past its range).
    let mut number: Option<u64> = None;
    // Words of the title are apart: white space, digits and '#' part them.
    let mut apart = false;
    for c in line.chars() {
        if c.is_ascii_digit() {
            let digit = u64::from(c as u8 - b'0');
            number = Some(number.map_or(digit, |n| {
                n.checked_mul(10)
                    .and_then(|n| n.checked_add(digit))
                    .unwrap_or(u64::MAX)
            }));
            apart = true;
            continue;
        }
        if let Some(n) = number.take() {
            numbers.push(n);
        }
        if c.is_whitespace() || c == '#' {
            apart = true;
            continue;
        }
        if std::mem::take(&mut apart) && !title.is_empty() {
            title.push(' ');
        }
        if c.is_ascii() {
            title.push(c.to_ascii_lowercase());
        } else {
            title.extend(c.to_lowercase());
        }
    }
    numbers.extend(number);
    (title, numbers)
}

/// How many letters and digits `line` has.
fn alphanumerics(line: &str) -> usize {
    let bytes = line.as_bytes();
    // The ASCII ones in one sweep of the bytes; then the others, decoded from their first
    // bytes (the only bytes from 0xC0 up).
    // (Branch-free and in chunks of bytes counted in a byte, which the compiler vectorises.)
    let ascii: usize = bytes
        .chunks(255)
        .map(|chunk| {
            let n: u8 = chunk
                .iter()
                .map(|&b| {
                    u8::from(((b | 0x20).wrapping_sub(b'a') < 26) | (b.wrapping_sub(b'0') < 10))
                })
                .sum();
            usize::from(n)
        })
        .sum();
    if line.is_ascii() {
        return ascii;
    }
    let others = bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b >= 0xc0)
        .filter(|&(i, _)| line[i..].chars().next().is_some_and(words::is_alphanumeric))
        .count();
    ascii + others
}

/// Whether a shape looks like a list marker or a section number rather than page furniture.
fn list_marker(title: &str) -> bool {
    matches!(title, "." | ")" | "°") || title.ends_with('.') && title.len() <= 3
}

impl Pass for Page {
    fn id(&self) -> &'static str {
        "page"
    }

    fn rules(&self) -> &'static [Rule] {
        &[PAGE_FURNITURE, PAGE_JOIN]
    }

    fn run(&self, text: &str, _ctx: &Context<'_>) -> Vec<Edit> {
        let lines = lines(text);
        // Blocks of one to three lines standing alone between blank lines (or page feeds, or
        // the text's ends), short once their lines are joined: the candidates, as cleaning
        // writes them (a heading over two lines is one line once cleaned, and must be judged
        // the same then).
        let mut groups: HashMap<String, Vec<Member>> = HashMap::default();
        let mut previous: Option<usize> = None; // the last line of the block before
        let mut i = 0;
        while i < lines.len() {
            if lines[i].blank() {
                i += 1;
                continue;
            }
            let first = i;
            let mut last = i;
            while !lines[last].feed && last + 1 < lines.len() && !lines[last + 1].blank() {
                last += 1;
            }
            i = last + 1;
            let before = previous.replace(last);
            if last - first >= MAX_BLOCK_LINES {
                continue;
            }
            // Most blocks are paragraphs, far too long: told without building their text (what
            // is left of a block once cleaned is at least its visible characters).
            let visible: usize = lines[first..=last]
                .iter()
                .map(|l| visible(l.text, MAX_FURNITURE + 1))
                .sum();
            if visible > MAX_FURNITURE {
                continue;
            }
            // Its lines joined as cleaning writes them: without the control and invisible
            // characters it removes, one space between words ("T.  \u{0}Trotsky!" is
            // "T. Trotsky!").
            let joined = joined(&lines[first..=last]);
            if joined.chars().count() > MAX_FURNITURE {
                continue;
            }
            // A block that starts in lower case after a sentence left open goes on with that
            // sentence (`page-join` joins it to it): it is not furniture, and once cleaned it
            // does not stand alone.
            let open_before = before.is_some_and(|b| !ends_sentence(lines[b].text));
            if open_before && joined.starts_with(char::is_lowercase) {
                continue;
            }
            let (title, numbers) = shape(&joined);
            groups.entry(title).or_default().push(Member {
                first,
                last,
                text: joined,
                numbers,
            });
        }
        // Letters and digits before each line (and after the last one), counted when a group
        // is large enough to need them.
        let mut letters: Vec<usize> = Vec::new();
        let mut furniture = vec![false; lines.len()];
        let mut evidence: HashMap<usize, String> = HashMap::default();
        for (title, members) in &groups {
            if members.len() < MIN_REPEATS || list_marker(title) {
                continue;
            }
            let numbered = members.iter().all(|m| m.numbers.len() == 1);
            let rising = numbered
                && members
                    .windows(2)
                    .all(|w| w[1].numbers[0] > w[0].numbers[0]);
            let same_text = members.iter().all(|m| m.text == members[0].text);
            let titled = title.chars().any(words::is_alphabetic);
            // Pages have about the same length: the furniture comes back at regular
            // intervals (chapter headings and repeated dialogue lines do not). The length is
            // counted in letters and digits, not lines: cleaning joins lines, and the answer
            // must not change when the text is cleaned again. Lines of every repeated
            // candidate are left out of the count: other furniture (page numbers) is gone
            // from the cleaned text.
            if letters.is_empty() {
                let mut repeated = vec![false; lines.len()];
                for m in groups
                    .iter()
                    .filter(|(t, m)| m.len() >= MIN_REPEATS && !list_marker(t))
                    .flat_map(|(_, m)| m)
                {
                    repeated[m.first..=m.last].fill(true);
                }
                letters = std::iter::once(0)
                    .chain(lines.iter().zip(&repeated).scan(0, |sum, (l, &r)| {
                        if !r {
                            *sum += alphanumerics(l.text);
                        }
                        Some(*sum)
                    }))
                    .collect();
            }
            let mut gaps: Vec<usize> = members
                .windows(2)
                .map(|w| letters[w[1].first] - letters[w[0].last + 1])
                .collect();
            gaps.sort_unstable();
            let median = gaps[gaps.len() / 2];
            let regular = gaps
                .iter()
                .all(|&g| g * 10 >= median * 6 && g * 10 <= median * 15);
            if !regular {
                continue;
            }
            let why = if rising {
                format!(
                    "{} lines of this shape with rising page numbers",
                    members.len()
                )
            } else if same_text && titled && members.iter().all(|m| m.numbers.is_empty()) {
                format!("running title repeated {} times", members.len())
            } else {
                continue;
            };
            for m in members {
                furniture[m.first..=m.last].fill(true);
                for i in m.first..=m.last {
                    evidence.insert(i, format!("{why}: {:?}", m.text));
                }
            }
        }
        let mut edits = Vec::new();
        // Each gap between two lines with content: blank lines, page feeds and furniture.
        let content: Vec<usize> = (0..lines.len())
            .filter(|&i| !lines[i].blank() && !furniture[i])
            .collect();
        for i in (0..lines.len()).filter(|&i| furniture[i]) {
            // The furniture line and the blank lines after it, up to the next line with
            // content or furniture.
            let start = lines[i].start;
            let mut j = i + 1;
            while j < lines.len() && lines[j].blank() {
                j += 1;
            }
            let end = if j < lines.len() {
                lines[j].start
            } else {
                text.len()
            };
            edits.push(Edit::new(
                start..end,
                "",
                PAGE_FURNITURE.id,
                0.9,
                evidence[&i].clone(),
            ));
        }
        // The length of the paragraph so far, as one line (its lines and a space between each
        // two), across the gaps already joined: so the answer does not change when the text
        // is cleaned again and the joined lines are one.
        let mut paragraph = 0usize;
        // Where the paragraph so far starts (an index in `content`).
        let mut paragraph_start = 0;
        for (k, pair) in content.windows(2).enumerate() {
            let (a, b) = (&lines[pair[0]], &lines[pair[1]]);
            if paragraph == 0 {
                paragraph_start = k;
            }
            // Only compared with MIN_PAGE_LINE: counted that far, and not at all once the
            // paragraph is that long.
            if paragraph < MIN_PAGE_LINE {
                let a_len = a.text.trim().chars().take(MIN_PAGE_LINE).count();
                paragraph =
                    (paragraph + if paragraph == 0 { a_len } else { a_len + 1 }).min(MIN_PAGE_LINE);
            }
            if pair[1] == pair[0] + 1 && !a.feed {
                continue; // no gap
            }
            let before = a.text.trim_end();
            let after = b.text.trim_start();
            let last = before.chars().last().unwrap_or('.');
            let ends_sentence = ends_sentence(before);
            let continues = after.starts_with(|c: char| c.is_lowercase());
            // A heading in capitals is not a sentence cut by a page. It is judged on the
            // paragraph, not its last line: "S A I N" ending a paragraph in lower case is no
            // heading, and the paragraph is one line once cleaned.
            let heading = || {
                let text = || content[paragraph_start..=k].iter().map(|&i| lines[i].text);
                text()
                    .flat_map(str::chars)
                    .filter(|c| words::is_alphabetic(*c))
                    .nth(1)
                    .is_some()
                    && !text().any(|t| t.chars().any(char::is_lowercase))
            };
            if ends_sentence || !continues || paragraph < MIN_PAGE_LINE || heading() {
                paragraph = 0;
                continue;
            }
            // The blank lines right after `a`, up to the first furniture line (whose edit
            // removes the rest) or to `b`.
            let gap_end = (pair[0] + 1..pair[1])
                .find(|&k| furniture[k])
                .map_or(b.start, |k| lines[k].start);
            let gap = a.start + before.len()..gap_end;
            edits.push(Edit::new(
                gap,
                "\n",
                PAGE_JOIN.id,
                0.8,
                format!(
                    "{:?} does not end a sentence; {:?} starts in lower case",
                    last,
                    after.split_whitespace().next().unwrap_or("")
                ),
            ));
        }
        edits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`shape`] as first written, the oracle of the one-pass version: lower case, numbers
    /// set aside, spaces collapsed; and the numbers it holds.
    fn shape_reference(line: &str) -> (String, Vec<u64>) {
        let mut key = String::new();
        let mut numbers = Vec::new();
        let mut digits = String::new();
        for c in line.trim().chars().chain(std::iter::once(' ')) {
            if c.is_ascii_digit() {
                digits.push(c);
                continue;
            }
            if !digits.is_empty() {
                numbers.push(digits.parse().unwrap_or(u64::MAX));
                digits.clear();
                key.push('#');
            }
            if c.is_whitespace() {
                if !key.ends_with(' ') {
                    key.push(' ');
                }
            } else {
                key.extend(c.to_lowercase());
            }
        }
        // The title part: what is left without the numbers, so "12 TITLE" and "TITLE 13" agree.
        let title: String = key
            .replace('#', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        (title, numbers)
    }

    proptest::proptest! {
        /// The one-pass shape is the shape as first written.
        #[test]
        fn shape_matches_the_reference(line in "([aZ #\t\u{a0}\u{3000}éÉİẞΣ·-]|0|7|12|99999999999999999999){0,16}") {
            proptest::prop_assert_eq!(shape(&line), shape_reference(&line));
        }
    }

    #[test]
    fn shape_matches_the_reference_on_the_repository_lines() {
        let mut lines = 0;
        for (_, text) in crate::test_texts::repository_texts() {
            for line in text.lines() {
                lines += 1;
                assert_eq!(shape(line), shape_reference(line), "{line:?}");
            }
        }
        assert!(lines > 1000, "{lines} lines");
    }

    #[test]
    fn alphanumerics_are_counted_right_for_every_character() {
        let mut text = String::new();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            text.clear();
            text.push(c);
            assert_eq!(
                alphanumerics(&text),
                usize::from(c.is_alphanumeric()),
                "{c:?}"
            );
        }
        for long in [
            "Page 12 de l’État, 1920 — ".repeat(40),
            "2 × 3 ÷ ė · Ŧ ɏ ɐ ʯ ʰ Ω ﬁ x".repeat(30),
            // Many chunks of 255 bytes of the sweep, each with letters, digits and accents.
            "Aé9zÉ0ü".repeat(400),
        ] {
            let expected = long.chars().filter(|c| c.is_alphanumeric()).count();
            assert_eq!(alphanumerics(&long), expected);
        }
    }

    proptest::proptest! {
        /// Letters and digits are counted right in lines of any length, the vectorised sweep
        /// and the bytes it leaves to the end alike.
        #[test]
        fn alphanumerics_of_lines(line in "[a-zA-Z0-9 @\\[`{/:\u{7f}éÉ×÷ėı·ŦɏɐʯʰΩ\u{fb01}—’\u{a0}\u{1f600}\u{10400}]{0,40}") {
            let expected = line.chars().filter(|c| c.is_alphanumeric()).count();
            proptest::prop_assert_eq!(alphanumerics(&line), expected);
        }

        /// The visible characters and the joined block are those of the plain definitions.
        #[test]
        fn blocks_are_read_as_cleaning_writes_them(
            texts in proptest::collection::vec("[ab1 \t\r\u{0}\u{7f}\u{a0}\u{ad}\u{fb01}é²ß×\u{2009}\u{1f600}]{0,12}", 1..4)
        ) {
            let lines: Vec<Line<'_>> =
                texts.iter().map(|t| Line { start: 0, text: t, feed: false }).collect();
            let text: String = texts
                .iter()
                .flat_map(|t| t.chars().chain([' ']))
                .filter(|&c| !removed(c))
                .collect();
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(joined(&lines), expected);
            for t in &texts {
                proptest::prop_assert_eq!(
                    alphanumerics(t),
                    t.chars().filter(|c| c.is_alphanumeric()).count()
                );
                for most in [0, 3, 100] {
                    let plain = t
                        .chars()
                        .filter(|&c| !c.is_whitespace() && !removed(c))
                        .take(most)
                        .count();
                    proptest::prop_assert_eq!(visible(t, most), plain);
                }
            }
        }
    }
}
