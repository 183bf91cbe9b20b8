//! `reflow`: hard line wraps inside paragraphs joined, so each paragraph is one line; and
//! `rewrap`: an optional re-wrap of the output at a width.
//!
//! The decision is made per line end, from the document's own line lengths: a line that was
//! full (the next line's first word would not have fit on it) was wrapped by the page, and is
//! joined to the next; a shorter line is a real break unless the sentence visibly goes on (no
//! final punctuation, the next line in lower case). Structure stays: list items, headings,
//! datelines, signatures, tables and aligned columns, verse (short lines), Markdown, and the
//! short lines of blocks whose other lines are long. A bracket, quote or emphasis left open at
//! a line end, or punctuation pushed to the start of the next line (French spacing), joins.

use std::sync::LazyLock;

use regex::Regex;

use super::Pass;
use super::words;
use crate::Lang;
use crate::edit::Edit;
use crate::per_thread::PerThread;
use crate::pipeline::Context;
use crate::rules::Rule;

pub const REFLOW: Rule = Rule {
    id: "reflow",
    pass: "reflow",
    summary: "Join the hard-wrapped lines of a paragraph into one line",
    what: "Inside a block of lines, a line end becomes a space when the line was full (judged \
           from the document's own line lengths) or the sentence visibly goes on, unless the \
           next line starts a list item, the line is a heading, a dateline or part of a table. \
           A bracket, quote or ** emphasis left open, or punctuation pushed to the next line's \
           start, also joins. A line that ends with a word and a hyphen the `dehyphen` pass \
           left alone (a foreign passage, a flagged or rejected repair, an unknown language) \
           joins without a space, keeping the hyphen (\"évè-⏎nements\" → \"évè-nements\"), \
           unless the next word is a conjunction (\"pré-⏎et post-\"). `--keep-lines` turns \
           this off.",
    why: "Page-width line breaks split sentences for every tool that reads lines; cleaned text \
          has one paragraph per line.",
    example_before: "Je vous prie instamment de considérer cette question avec une\nattention redoublée, de faire tous vos efforts pour établir, par\nl'exemple et l'action, des relations de camaraderie avec les peuples\ndu Turkestan.\n\nSalutations communistes.\nV. Oulianov (Lénine)",
    example_after: "Je vous prie instamment de considérer cette question avec une attention redoublée, de faire tous vos efforts pour établir, par l'exemple et l'action, des relations de camaraderie avec les peuples du Turkestan.\n\nSalutations communistes.\nV. Oulianov (Lénine)\n",
    risks: "Verse or an address whose lines happen to be as long as the document's prose lines \
            would be joined; poems and tables in prose documents are safest with \
            `--keep-lines`.",
    layout: true,
    example_lang: Lang::Unknown,
};

pub const REWRAP: Rule = Rule {
    id: "rewrap",
    pass: "rewrap",
    summary: "Re-wrap lines at a width (with --width)",
    what: "With `--width N`, lines longer than N characters are broken at the last space that \
           fits. Off by default (the example is at 64 columns).",
    why: "Some readers and diff tools want text at a fixed width.",
    example_before: "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen",
    example_after: "one two three four five six seven eight nine ten eleven twelve\nthirteen fourteen fifteen sixteen\n",
    risks: "None: words are never broken.",
    layout: true,
    example_lang: Lang::Unknown,
};

/// The `reflow` pass.
pub struct Reflow;

/// The narrowest wrap width taken for prose: shorter lines are more often verse, lists or
/// addresses than narrow columns, and are left as they are.
const MIN_WRAP: usize = 40;

/// The widest wrap width taken for prose: longer lines are paragraphs already joined (a
/// cleaned text's), not a page's lines, and a width taken from them would join the lines
/// a first cleaning kept apart.
const MAX_WRAP: usize = 160;

/// Lines of the document that must come near a width for it to be the document's wrap width:
/// a page's width is shared by many lines, while the lines a cleaning kept apart (headings,
/// a paragraph's last line), from which a second cleaning would take it, come near one
/// another only now and then.
const MIN_NEAR: usize = 5;
/// Lines that must come near a width for it to be a block's own wrap width.
const MIN_NEAR_IN_BLOCK: usize = 3;

/// The `rewrap` pass.
pub struct Rewrap;

static LIST_ITEM: LazyLock<PerThread<Regex>> = LazyLock::new(|| {
    PerThread::regex(
        r"^([-•*–—▪·]\s|\d{1,3}[.)]\s|[a-zA-Z][.)]\s|\(\d{1,3}\)\s|\[\d{1,3}\]\s|#{1,6}\s|>|\|)",
    )
});
static DATELINE: LazyLock<PerThread<Regex>> =
    LazyLock::new(|| PerThread::regex(r"(^|\D)(1[5-9]\d\d|20\d\d)\.?$"));

/// Whether line `a` ends with a word and a hyphen and `b` goes on with a word: a word broken
/// at the line end that `dehyphen` left alone. Joined with a space it would read as a
/// suspended hyphen ("évè- nements"), which `dehyphen` would join on a second run; joined
/// without one it keeps the hyphen, as a compound does.
fn broken_word(a: &str, b: &str) -> bool {
    let Some(head) = a.trim_end().strip_suffix(['-', '¬', '\u{2010}']) else {
        return false;
    };
    let next = b.trim_start();
    let word: String = next
        .chars()
        .take_while(|c| words::is_alphanumeric(*c))
        .collect();
    head.ends_with(words::is_alphabetic)
        && next.starts_with(words::is_alphabetic)
        && !super::dehyphen::CONJUNCTIONS.contains(&word.to_lowercase().as_str())
}

fn tabular(line: &str) -> bool {
    let body = line.trim().as_bytes();
    memchr::memchr(b'\t', body).is_some()
        || memchr::memchr_iter(b'|', body).nth(1).is_some()
        || space_runs(body) >= 2
}

/// How many runs of two spaces or more `body` has, counted up to two (all `tabular` asks):
/// the matches of ` {2,}`, found from the pairs of spaces without a regex search.
fn space_runs(body: &[u8]) -> usize {
    static PAIR: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
    let mut runs = 0;
    let mut i = 0;
    while runs < 2 {
        let Some(at) = PAIR.find(&body[i..]) else {
            break;
        };
        runs += 1;
        i += at + 2;
        while body.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    runs
}

/// Whether `line` starts like a list item, a quotation or a table row ([`LIST_ITEM`]): the
/// pattern asked only of lines whose first byte can start a match, which most lines of
/// running text (an ASCII letter, then no '.' or ')') cannot.
fn list_item(line: &str) -> bool {
    let bytes = line.as_bytes();
    let could = match bytes.first() {
        Some(b'-' | b'*' | b'(' | b'[' | b'#' | b'>' | b'|' | b'0'..=b'9') => true,
        // A letter, then '.' or ')'.
        Some(b'a'..=b'z' | b'A'..=b'Z') => matches!(bytes.get(1), Some(b'.' | b')')),
        // Other ASCII cannot; any other character can ('•', '–', '·', a digit of another
        // script: `\d` is Unicode's).
        Some(b) => !b.is_ascii(),
        None => false,
    };
    could && LIST_ITEM.is_match(line)
}

fn all_caps(line: &str) -> bool {
    let letters = line.chars().filter(|c| words::is_alphabetic(*c)).count();
    letters >= 2 && !line.chars().any(char::is_lowercase)
}

/// The paragraph a line ends: the block's lines joined so far (each trimmed, one space
/// between them), with what [`join`] asks of it kept up to date as lines are added, so that a
/// decision costs the length of its lines and not of the paragraph (a paragraph of a
/// thousand lines would otherwise be read a thousand times).
#[derive(Debug, Default, PartialEq, Eq)]
struct Paragraph {
    /// Characters, with the spaces between lines.
    chars: usize,
    /// Alphabetic characters.
    letters: usize,
    /// A lower-case character.
    lower: bool,
    /// A word that starts in lower case.
    lower_word: bool,
    /// Brackets, quotes and emphasis opened minus closed: ( [ « “, and "**" marks (odd: open).
    open: [isize; 4],
    /// "**" marks.
    stars: usize,
}

/// What [`Paragraph::push`] asks of an ASCII byte.
const LETTER: u8 = 1;
const LOWER: u8 = 2;
const SPACE: u8 = 4;
/// A bracket or a star.
const MARK: u8 = 8;

static ASCII_CLASS: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphabetic() {
            table[b] |= LETTER;
        }
        if c.is_ascii_lowercase() {
            table[b] |= LOWER;
        }
        // `char::is_whitespace` in ASCII.
        if matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r') {
            table[b] |= SPACE;
        }
        if matches!(c, b'(' | b')' | b'[' | b']' | b'*') {
            table[b] |= MARK;
        }
        b += 1;
    }
    table
};

impl Paragraph {
    fn is_empty(&self) -> bool {
        self.chars == 0
    }

    /// Add a line (trimmed) to the paragraph.
    fn push(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        if !self.is_empty() {
            self.chars += 1;
        }
        // One reading of the line: characters, letters, lower case, words that start in lower
        // case (after white space), brackets, and "**" marks counted as `matches` counts them
        // (without overlaps).
        let mut word_start = true;
        let mut star = false;
        let bytes = line.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Eight bytes at a time where they are ASCII without brackets or stars (most of
            // a text); else a character at a time, up to eight bytes on.
            let end = match bytes.get(i..i + 8) {
                Some(chunk) => {
                    let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
                    if self.push_ascii(x, &mut word_start) {
                        i += 8;
                        star = false;
                        continue;
                    }
                    i + 8
                }
                None => bytes.len(),
            };
            while i < end {
                i = self.push_char(line, i, &mut word_start, &mut star);
            }
        }
    }

    /// Count eight bytes at once (one per byte of `x`), when all are ASCII and none is a
    /// bracket or a star: letters, lower case, a lower-case letter after white space, and
    /// whether the last is white space (`word_start`). Without branches, on each byte's high
    /// bit ([`words::bytes_between`]).
    fn push_ascii(&mut self, x: u64, word_start: &mut bool) -> bool {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = ONES * 0x80;
        let between = words::bytes_between;
        if x & HIGH != 0 {
            return false;
        }
        // ( ) * (28 to 2A), [ (5B), ] (5D).
        let marks = between(x, 0x27, 0x2b) | between(x, 0x5a, 0x5c) | between(x, 0x5c, 0x5e);
        if marks != 0 {
            return false;
        }
        let lower = between(x, 0x60, 0x7b);
        let letters = between(x | (ONES * 0x20), 0x60, 0x7b);
        // Tab to carriage return, and the space.
        let space = between(x, 0x08, 0x0e) | between(x, 0x1f, 0x21);
        self.chars += 8;
        self.letters += letters.count_ones() as usize;
        self.lower |= lower != 0;
        // Each byte's high bit: the byte before it (or the line so far) ends a word.
        let after_space = (space << 8) | (u64::from(*word_start) << 7);
        self.lower_word |= lower & after_space != 0;
        *word_start = space >> 63 != 0;
        true
    }

    /// Count the character at byte `i` of `line`; the byte after it.
    fn push_char(
        &mut self,
        line: &str,
        mut i: usize,
        word_start: &mut bool,
        star: &mut bool,
    ) -> usize {
        let b = line.as_bytes()[i];
        if b.is_ascii() {
            // ASCII, most of a text, told by a table of what each byte is.
            i += 1;
            self.chars += 1;
            let f = ASCII_CLASS[usize::from(b)];
            let lower = f & LOWER != 0;
            self.letters += usize::from(f & LETTER != 0);
            self.lower |= lower;
            self.lower_word |= *word_start && lower;
            *word_start = f & SPACE != 0;
            if f & MARK == 0 {
                *star = false;
                return i;
            }
            match b {
                b'(' => self.open[0] += 1,
                b')' => self.open[0] -= 1,
                b'[' => self.open[1] += 1,
                b']' => self.open[1] -= 1,
                _ => {}
            }
            if b == b'*' {
                self.stars += usize::from(*star);
                *star = !*star;
            } else {
                *star = false;
            }
            return i;
        }
        let c = line[i..].chars().next().expect("a character boundary");
        i += c.len_utf8();
        self.chars += 1;
        let lower = c.is_lowercase();
        self.letters += usize::from(words::is_alphabetic(c));
        self.lower |= lower;
        self.lower_word |= *word_start && lower;
        *word_start = c.is_whitespace();
        match c {
            '«' => self.open[2] += 1,
            '»' => self.open[2] -= 1,
            '“' => self.open[3] += 1,
            '”' => self.open[3] -= 1,
            _ => {}
        }
        *star = false;
        i
    }

    /// A bracket, quote or emphasis opened and not closed.
    fn left_open(&self) -> bool {
        self.open.iter().any(|&n| n > 0) || self.stars % 2 == 1
    }

    /// Capitals only, at least two letters ([`all_caps`]).
    fn all_caps(&self) -> bool {
        self.letters >= 2 && !self.lower
    }
}

/// The width lines were wrapped at, from their lengths: the 75th percentile, if at least
/// `min_near` lines come within 15% of it (a wrap width is shared by many lines; one long
/// line, such as a paragraph already joined, sets none).
fn established_width(mut lengths: Vec<usize>, min_near: usize) -> Option<usize> {
    if lengths.len() < min_near {
        return None;
    }
    lengths.sort_unstable();
    let w = lengths[(lengths.len() * 3 / 4).min(lengths.len() - 1)];
    let near = lengths
        .iter()
        .filter(|&&l| l * 100 >= w * 85 && l * 100 <= w * 115)
        .count();
    (near >= min_near && (MIN_WRAP..=MAX_WRAP).contains(&w)).then_some(w)
}

/// The document's wrap width: from the lines of its blocks of three lines or more (their last
/// lines left out).
fn document_width<'a, S: AsRef<str> + 'a>(blocks: impl Iterator<Item = &'a [S]>) -> Option<usize> {
    established_width(
        blocks
            .filter(|b| b.len() >= 3)
            .flat_map(|b| b[..b.len() - 1].iter())
            .map(AsRef::as_ref)
            .filter(|l| !list_item(l.trim()) && !tabular(l))
            .map(|l| l.trim().chars().count())
            .collect(),
        MIN_NEAR,
    )
}

/// A line end to join: how sure, why, and the wrap width the decision took.
#[derive(Clone, Copy)]
struct Joined {
    confidence: f32,
    why: &'static str,
    width: Option<usize>,
}

/// Rounds of [`Reflow::run`]'s decisions at most: the first on the lines as they are, the
/// others on the lines as joined so far.
const MAX_ROUNDS: usize = 4;

/// The lines of a block as joined by `decisions` (one per line end of the block), and for each
/// line end between them, the index of the line end of the block it is.
fn joined_lines(
    block: &[(usize, &str)],
    decisions: &[Option<Joined>],
) -> (Vec<String>, Vec<usize>) {
    let mut lines = vec![block[0].1.to_owned()];
    let mut kept = Vec::new();
    for (i, pair) in block.windows(2).enumerate() {
        let (a, b) = (pair[0].1, pair[1].1);
        if decisions[i].is_some() {
            let last = lines.last_mut().expect("one line");
            last.truncate(last.trim_end().len());
            last.push_str(if broken_word(a, b) { "" } else { " " });
            last.push_str(b.trim_start());
        } else {
            kept.push(i);
            lines.push(b.to_owned());
        }
    }
    (lines, kept)
}

/// Decide the line ends of a block of `lines`: the line end between `lines[j]` and
/// `lines[j + 1]` is the block's line end `ends[j]`, and its decision goes to `decisions`.
/// Returns whether any line end was joined.
fn decide<S: AsRef<str>>(
    lines: &[S],
    ends: impl Fn(usize) -> usize,
    doc_width: Option<usize>,
    decisions: &mut [Option<Joined>],
) -> bool {
    // A block with a wrap width of its own takes it (documents mix wrapped and unwrapped
    // text); another takes the document's.
    let own = established_width(
        lines[..lines.len() - 1]
            .iter()
            .map(|l| l.as_ref().trim().chars().count())
            .collect(),
        MIN_NEAR_IN_BLOCK,
    );
    let width = own.or(doc_width);
    let mut paragraph = Paragraph::default();
    let mut any = false;
    for (j, pair) in lines.windows(2).enumerate() {
        let (a, b) = (pair[0].as_ref(), pair[1].as_ref());
        if paragraph.is_empty() {
            paragraph.push(a);
        }
        if let Some((confidence, why)) = join(&paragraph, a, b, width) {
            paragraph.push(b);
            decisions[ends(j)] = Some(Joined {
                confidence,
                why,
                width,
            });
            any = true;
        } else {
            paragraph = Paragraph::default();
        }
    }
    any
}

/// Whether the line end between `line` and `next` is a wrap to join, and how sure. `width` is
/// the length the document's wrapped lines reach, when it has enough lines to tell.
///
/// `paragraph` is the text of the line with the lines already joined before it, so a decision
/// does not change when the text is cleaned again (and the lines already joined are one).
fn join(
    paragraph: &Paragraph,
    line: &str,
    next: &str,
    width: Option<usize>,
) -> Option<(f32, &'static str)> {
    let (l, n) = (line.trim(), next.trim());
    if n.starts_with([':', ';', '!', '?', '»', ',', ')', ']']) {
        return Some((0.9, "the next line starts with punctuation"));
    }
    // A table row is kept apart, but not from a word broken at the line end: `dehyphen`
    // joins such words whatever the lines are (it moves "tion-" of "Révolu-⏎tion- de" up, and
    // would join "tion-⏎de" on a second run).
    if list_item(n) || ((tabular(line) || tabular(next)) && !broken_word(line, next)) {
        return None;
    }
    if paragraph.left_open() {
        return Some((0.85, "a bracket, quote or emphasis is still open"));
    }
    let last = l.chars().last().unwrap_or('.');
    let ends_sentence = ".!?:;…»\"”".contains(last);
    let len = l.chars().count();
    // What the line is (a heading, a dateline) is judged on the paragraph it ends: the tail
    // of a paragraph is none of these, and after cleaning it is one line with the paragraph.
    let whole_len = paragraph.chars;
    if paragraph.all_caps() && all_caps(n) && !ends_sentence {
        return Some((0.8, "a heading in capitals over two lines"));
    }
    if whole_len <= 40 && DATELINE.is_match(l) {
        return None; // a dateline: "November 16, 1920"
    }
    let next_lower = n.starts_with(|c: char| c.is_lowercase());
    if !ends_sentence && next_lower {
        return Some((0.85, "the sentence goes on in lower case"));
    }
    // Without enough lines to know the wrap width, only the signals above join; and width
    // alone never joins a line that does not start like running text.
    let width = width?;
    if !n.starts_with(|c: char| words::is_alphanumeric(c) || "«“\"'(¡¿".contains(c)) {
        return None;
    }
    let heading = !ends_sentence
        && whole_len * 10 <= width * 6
        && (paragraph.all_caps() || !paragraph.lower_word);
    if heading {
        return None;
    }
    if !ends_sentence && len * 4 >= width * 3 && len <= width + width / 10 {
        return Some((0.8, "the line goes on without ending a sentence"));
    }
    let first_word = n.split_whitespace().next().map_or(0, |w| w.chars().count());
    // Ragged right margins: a line may stop a short word or so before the width.
    let slack = (width / 10).max(3);
    // Full: the next word would not have fitted; a line much longer than the width is not a
    // wrapped line but text that was never wrapped, and its end is a real break.
    if len + 1 + first_word + slack > width && len <= width + slack {
        return Some((0.8, "the line is full: the next word would not have fitted"));
    }
    None
}

impl Pass for Reflow {
    fn id(&self) -> &'static str {
        "reflow"
    }

    fn rules(&self) -> &'static [Rule] {
        &[REFLOW]
    }

    fn run(&self, text: &str, ctx: &Context<'_>) -> Vec<Edit> {
        if ctx.settings.keep_lines {
            return Vec::new();
        }
        // Blocks: runs of lines with content, with their byte offsets.
        let mut blocks: Vec<Vec<(usize, &str)>> = vec![Vec::new()];
        // Lines end at line feeds and page feeds; a page feed or a blank line ends a block.
        let mut start = 0;
        for piece in crate::lines::feed_pieces(text) {
            let line = piece.strip_suffix(['\n', '\u{c}']).unwrap_or(piece);
            if line.trim().is_empty() {
                if !blocks.last().is_some_and(Vec::is_empty) {
                    blocks.push(Vec::new());
                }
            } else {
                blocks.last_mut().expect("one block").push((start, line));
            }
            if piece.ends_with('\u{c}') && !blocks.last().is_some_and(Vec::is_empty) {
                blocks.push(Vec::new());
            }
            start += piece.len();
        }
        let blocks: Vec<Vec<(usize, &str)>> =
            blocks.into_iter().filter(|b| !b.is_empty()).collect();
        // The first round decides on the lines as they are. Joining lines makes new ones,
        // from which a second cleaning would decide again (a block's lines joined into a few
        // long ones can have a width of their own): so the next rounds decide on the lines
        // as joined so far, as a second cleaning would, until no line end joins.
        let mut decisions: Vec<Vec<Option<Joined>>> =
            blocks.iter().map(|b| vec![None; b.len() - 1]).collect();
        // The lines of the blocks that have line ends (a block of one line has none, and no
        // say in the document's width).
        let lines: Vec<Vec<&str>> = blocks
            .iter()
            .map(|b| match b.len() {
                1 => Vec::new(),
                _ => b.iter().map(|&(_, l)| l).collect(),
            })
            .collect();
        let doc_width = document_width(lines.iter().map(Vec::as_slice));
        let mut any = false;
        for (block, decided) in lines.iter().zip(&mut decisions) {
            if block.len() >= 2 {
                any |= decide(block, |j| j, doc_width, decided);
            }
        }
        for _ in 1..MAX_ROUNDS {
            if !any {
                break;
            }
            // Only blocks still of two lines or more have line ends left to decide, and only
            // blocks of three or more count for the document's width.
            let joined: Vec<(usize, Vec<String>, Vec<usize>)> = blocks
                .iter()
                .zip(&decisions)
                .enumerate()
                .filter(|(_, (_, d))| d.iter().any(Option::is_none))
                .map(|(i, (b, d))| {
                    let (lines, kept) = joined_lines(b, d);
                    (i, lines, kept)
                })
                .collect();
            let doc_width = document_width(joined.iter().map(|(_, l, _)| l.as_slice()));
            any = false;
            for (i, lines, kept) in &joined {
                any |= decide(lines, |j| kept[j], doc_width, &mut decisions[*i]);
            }
        }
        let mut edits = Vec::new();
        for (block, decided) in blocks.iter().zip(&decisions) {
            for (pair, decision) in block.windows(2).zip(decided) {
                let Some(Joined {
                    confidence,
                    why,
                    width,
                }) = *decision
                else {
                    continue;
                };
                let ((a_at, a), (b_at, b)) = (pair[0], pair[1]);
                let from = a_at + a.trim_end().len();
                let to = b_at + (b.len() - b.trim_start().len());
                edits.push(Edit::new(
                    from..to,
                    if broken_word(a, b) { "" } else { " " },
                    REFLOW.id,
                    confidence,
                    match width {
                        Some(w) => format!("{why} (lines wrap at about {w})"),
                        None => why.to_owned(),
                    },
                ));
            }
        }
        edits
    }
}

impl Pass for Rewrap {
    fn local(&self) -> bool {
        true
    }

    fn id(&self) -> &'static str {
        "rewrap"
    }

    fn rules(&self) -> &'static [Rule] {
        &[REWRAP]
    }

    fn run(&self, text: &str, ctx: &Context<'_>) -> Vec<Edit> {
        let Some(width) = ctx.settings.width.filter(|w| *w > 0) else {
            return Vec::new();
        };
        let mut edits = Vec::new();
        let mut start = 0;
        for piece in text.split_inclusive('\n') {
            let line = piece.strip_suffix('\n').unwrap_or(piece);
            // Break at the last space that keeps each piece within the width.
            let mut line_start = 0; // byte offset in `line` of the current output line
            let mut last_space: Option<usize> = None;
            let mut count = 0;
            for (i, c) in line.char_indices() {
                if c == ' ' {
                    last_space = Some(i);
                }
                count += 1;
                if count > width
                    && let Some(sp) = last_space.filter(|&sp| sp > line_start)
                {
                    edits.push(Edit::new(
                        start + sp..start + sp + 1,
                        "\n",
                        REWRAP.id,
                        1.0,
                        format!("wrapped at {width} columns"),
                    ));
                    line_start = sp + 1;
                    count = line[line_start..=i].chars().count();
                    last_space = None;
                }
            }
            start += piece.len();
        }
        edits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`Paragraph::push`] as first written, a character at a time: the oracle.
    fn push_reference(p: &mut Paragraph, line: &str) {
        let line = line.trim();
        if line.is_empty() {
            return;
        }
        if !p.is_empty() {
            p.chars += 1;
        }
        let mut word_start = true;
        let mut star = false;
        for c in line.chars() {
            p.chars += 1;
            p.letters += usize::from(c.is_alphabetic());
            p.lower |= c.is_lowercase();
            p.lower_word |= word_start && c.is_lowercase();
            word_start = c.is_whitespace();
            match c {
                '(' => p.open[0] += 1,
                ')' => p.open[0] -= 1,
                '[' => p.open[1] += 1,
                ']' => p.open[1] -= 1,
                '«' => p.open[2] += 1,
                '»' => p.open[2] -= 1,
                '“' => p.open[3] += 1,
                '”' => p.open[3] -= 1,
                _ => {}
            }
            if c == '*' {
                p.stars += usize::from(star);
                star = !star;
            } else {
                star = false;
            }
        }
    }

    /// A paragraph of `lines` counted by `push` and by the reference.
    fn both<S: AsRef<str>>(lines: impl IntoIterator<Item = S>) -> (Paragraph, Paragraph) {
        let (mut fast, mut slow) = (Paragraph::default(), Paragraph::default());
        for line in lines {
            fast.push(line.as_ref());
            push_reference(&mut slow, line.as_ref());
        }
        (fast, slow)
    }

    proptest::proptest! {
        #[test]
        fn paragraphs_count_like_the_reference(
            lines in proptest::collection::vec("[aZé É1 \t\u{a0}()\\[\\]«»“”*ßΣσ.-]{0,16}", 0..5)
        ) {
            let (fast, slow) = both(&lines);
            proptest::prop_assert_eq!(fast, slow);
        }

        /// Long lines too, mostly ASCII, read eight bytes at a time where they can be.
        #[test]
        fn long_lines_count_like_the_reference(
            lines in proptest::collection::vec("([a-zA-Z0-9 \t.,'-]{0,20}|[aZé É1 \t\u{a0}()\\[\\]«»“”*ßΣσ.-]{0,3}){0,8}", 0..5)
        ) {
            let (fast, slow) = both(&lines);
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    /// Every paragraph of the repository texts, a paragraph per blank line.
    #[test]
    fn repository_paragraphs_count_like_the_reference() {
        let mut n = 0;
        for (_, text) in crate::test_texts::repository_texts() {
            for block in text.split("\n\n") {
                let (fast, slow) = both(block.lines());
                assert_eq!(fast, slow, "{block:?}");
                n += 1;
            }
        }
        assert!(n > 300, "{n}");
    }

    /// [`tabular`] as first written, with a regex for the runs of spaces: the oracle.
    fn tabular_reference(line: &str) -> bool {
        let space_runs = Regex::new(" {2,}").unwrap();
        let body = line.trim();
        body.contains('\t')
            || space_runs.find_iter(body).count() >= 2
            || body.matches('|').count() >= 2
    }

    proptest::proptest! {
        #[test]
        fn tabular_matches_the_reference(line in "([a|.é\t ]| {2,5}){0,12}") {
            proptest::prop_assert_eq!(tabular(&line), tabular_reference(&line));
        }

        #[test]
        fn list_items_are_the_pattern_s(line in "([-•*–—▪·#>|()\\[\\].a-cZ0-9 \t\u{a0}é]|10|999){0,8}") {
            proptest::prop_assert_eq!(list_item(&line), LIST_ITEM.is_match(&line));
        }
    }

    /// Every character below U+3000 (every ASCII one, which the prefilter judges, and the
    /// bullets and dashes beyond), starting a line in each way the pattern reads the
    /// character after it.
    #[test]
    fn list_items_are_the_pattern_s_for_every_first_character() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            for rest in ["", " x", ". x", ") x", "x", "1) x", "#", "\u{a0}x"] {
                let line = format!("{c}{rest}");
                assert_eq!(list_item(&line), LIST_ITEM.is_match(&line), "{line:?}");
            }
        }
    }

    /// Every line of the repository texts.
    #[test]
    fn repository_lines_are_tabular_and_list_items_like_the_reference() {
        let (mut lists, mut tables) = (0, 0);
        for (_, text) in crate::test_texts::repository_texts() {
            for line in text.lines() {
                assert_eq!(tabular(line), tabular_reference(line), "{line:?}");
                let line = line.trim();
                assert_eq!(list_item(line), LIST_ITEM.is_match(line), "{line:?}");
                lists += usize::from(list_item(line));
                tables += usize::from(tabular(line));
            }
        }
        assert!(
            lists > 10 && tables > 5,
            "{lists} list items, {tables} table rows"
        );
    }
}
