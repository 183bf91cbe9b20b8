//! Language: which language a document is in, and which spans of it are in another one.

use std::ops::Range;

use whatlang::Lang as W;

use crate::passes::words;
use crate::{Lang, Lexicon};

/// Which language to use for documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LangSetting {
    /// Detect each document's language.
    #[default]
    Auto,
    Fr,
    En,
}

impl std::str::FromStr for LangSetting {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "auto" => Ok(LangSetting::Auto),
            "fr" => Ok(LangSetting::Fr),
            "en" => Ok(LangSetting::En),
            other => Err(format!("unknown language {other:?}: use fr, en or auto")),
        }
    }
}

/// How much of a document language detection reads (its start), in bytes: plenty for prose,
/// and it bounds the cost per document.
const SAMPLE: usize = 4 * 1024;

/// Letters below which a text is too short to tell its language.
const MIN_LETTERS: usize = 40;

/// The language of a text, from its first 4 KB of words. Detection that whatlang itself does not call
/// reliable, or a text of fewer than 40 letters, gives [`Lang::Unknown`], so a short or mixed
/// text gets only the language-neutral passes. Characters that cleaning removes (soft hyphens,
/// zero-width and control characters) are left out first, so a text and its cleaned form are
/// judged alike.
pub fn detect(text: &str) -> Lang {
    Sampled::of(text).lang()
}

/// What detection read of a text ([`sample`]) and counted in it, kept to tell the language of
/// an edited form of that text without counting all of it again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sampled {
    pub(crate) sample: String,
    tally: Tally,
}

impl Sampled {
    pub(crate) fn of(text: &str) -> Sampled {
        let sample = sample(text);
        let tally = Tally::of(&sample);
        Sampled { sample, tally }
    }

    /// The language detected ([`detect`]).
    pub(crate) fn lang(&self) -> Lang {
        decide(&self.sample, self.tally)
    }

    /// [`Sampled::of`] `text`, an edited form of the text this was read from: the words the
    /// two samples share at their start and at their end are not counted again (cleaning
    /// edits a few words; the second reading of a document's sample, after its cleaning,
    /// costs the words between its first and last edits).
    pub(crate) fn of_edited(&self, text: &str) -> Sampled {
        let sample = sample(text);
        let tally = if sample == self.sample {
            self.tally
        } else {
            self.tally.edited(&self.sample, &sample)
        };
        Sampled { sample, tally }
    }
}

/// The language of `sample`, whose tally is `tally`.
fn decide(sample: &str, tally: Tally) -> Lang {
    if tally.letters < MIN_LETTERS {
        return Lang::Unknown;
    }
    if let Some(lang) = tally.plainly() {
        return lang;
    }
    match whatlang::detect(sample) {
        Some(info) if info.is_reliable() => from_whatlang(info.lang()),
        _ => Lang::Unknown,
    }
}

/// What detection reads of `text`: its first 4 KB of words, words only, one space between them,
/// hyphens left out (hyphenated line ends joined).
pub(crate) fn sample(text: &str) -> String {
    // The 4 KB are counted in the sample, not in the text: runs of spaces and blank lines,
    // which cleaning removes, must not change how many words are read.
    // Words only, one space between them, hyphenated line ends joined: cleaning changes
    // spaces and line breaks, and the language of the cleaned text must be the language of
    // the raw text (or a second run would make other repairs).
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(SAMPLE.min(text.len()) + 4);
    let mut space = false;
    // The last visible character was a hyphen: a line break right after it goes with it.
    let mut after_hyphen = false;
    let mut i = 0;
    while i < bytes.len() && out.len() < SAMPLE {
        // A run of characters the sample takes as they are, copied at once; then the
        // character that ended it, if any.
        let start = i;
        let mut ended_by = None;
        while i < bytes.len() {
            let b = bytes[i];
            match SAMPLE_BYTES[usize::from(b)] {
                // The rest of a run of lower-case letters, eight at a time.
                Byte::Kept if b.is_ascii_lowercase() => i = words::skip_lowercase(bytes, i + 1),
                Byte::Kept => i += 1,
                // A single space between two characters it keeps is written as it is: the
                // run goes on (most runs are then a line, not a word).
                Byte::Ascii
                    if bytes[i] == b' '
                        && i > start
                        && bytes.get(i + 1).is_some_and(|&b| {
                            matches!(SAMPLE_BYTES[usize::from(b)], Byte::Kept)
                        }) =>
                {
                    i += 1;
                }
                Byte::Ascii => {
                    ended_by = Some(char::from(bytes[i]));
                    break;
                }
                Byte::Decode => {
                    let c = text[i..].chars().next().expect("a character boundary");
                    if sample_skips(c) {
                        ended_by = Some(c);
                        break;
                    }
                    i += c.len_utf8();
                }
            }
        }
        if i > start {
            after_hyphen = false;
            if std::mem::take(&mut space) {
                out.push(' ');
            }
            // Each character is taken while the sample is short of 4 KB before it (the first
            // one always: the sample was short of it before the space).
            let room = SAMPLE.saturating_sub(out.len()).max(1);
            let mut end = (start + room).min(i);
            while !text.is_char_boundary(end) {
                end += 1;
            }
            // A space inside the run goes with the character after it, as a space between
            // words is written only before the next one.
            if end < i && bytes[end - 1] == b' ' {
                end += 1;
                while !text.is_char_boundary(end) {
                    end += 1;
                }
            }
            out.push_str(&text[start..end]);
        }
        let Some(c) = ended_by else {
            break;
        };
        i += c.len_utf8();
        if crate::canonical::is_forbidden(c) || matches!(c, '\u{200c}' | '\u{200d}') {
            continue;
        }
        // Hyphens are left out, and a hyphen at a line end takes the line break with it:
        // whether cleaning joins "évè-⏎nements" into "évènements" or keeps "évè-nements",
        // the sample reads "évènements".
        if std::mem::take(&mut after_hyphen) && c == '\n' {
            continue;
        }
        if c == '-' {
            after_hyphen = true;
            continue;
        }
        // White space.
        space = !out.is_empty();
    }
    out
}

/// Whether [`sample`] does something else than copy `c`: a character cleaning removes, a
/// hyphen, white space.
fn sample_skips(c: char) -> bool {
    crate::canonical::is_forbidden(c)
        || matches!(c, '\u{200c}' | '\u{200d}' | '-')
        || c.is_whitespace()
}

/// How [`sample`] reads a byte.
#[derive(Clone, Copy)]
enum Byte {
    /// Copied: ASCII [`sample_skips`] leaves, the bytes of characters that cannot be one it
    /// takes (and continuation bytes).
    Kept,
    /// An ASCII character [`sample_skips`] takes.
    Ascii,
    /// The first byte of a character that may be one [`sample_skips`] takes (U+0080 to
    /// U+00BF, U+1xxx, U+2xxx, U+3xxx, U+Fxxx): decoded.
    Decode,
}

static SAMPLE_BYTES: [Byte; 256] = {
    let mut table = [Byte::Kept; 256];
    let mut b = 0;
    while b < 256 {
        if b <= 0x20 || b == 0x7f || b == b'-' as usize {
            table[b] = Byte::Ascii;
        }
        b += 1;
    }
    table[0xc2] = Byte::Decode;
    table[0xe1] = Byte::Decode;
    table[0xe2] = Byte::Decode;
    table[0xe3] = Byte::Decode;
    table[0xef] = Byte::Decode;
    table
};

/// French and English markers. French markers are words frequent in French prose and rare
/// in the other languages written in Latin script (so not "les", "des", "est", "qui": Catalan
/// and Latin have them; nor "mais", "lui", "du", "au": Portuguese, Italian, German, Romanian);
/// English ones likewise (not "to", "is", "was", "for": Polish, Czech, Dutch, German, the
/// Scandinavian languages have them).
const FR_MARKERS: [&str; 32] = [
    "une", "dans", "pour", "sur", "avec", "cette", "sont", "nous", "vous", "ils", "elle", "elles",
    "leur", "leurs", "été", "être", "ces", "fait", "comme", "tout", "ont", "avait", "était",
    "aussi", "sans", "peut", "très", "même", "ainsi", "entre", "après", "donc",
];
const EN_MARKERS: [&str; 23] = [
    "the", "and", "of", "that", "with", "this", "which", "are", "have", "from", "be", "were",
    "his", "their", "they", "been", "has", "but", "had", "it", "would", "there", "not",
];

/// A word of at most 8 bytes as one number (its bytes, little-endian, zeros after), so a
/// marker is found by comparing numbers: this runs on every word of every sample.
const fn packed(word: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < word.len() && i < 8 {
        key |= (word[i] as u64) << (8 * i);
        i += 1;
    }
    key
}

const fn pack_all<const N: usize>(words: [&str; N]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        out[i] = packed(words[i].as_bytes());
        i += 1;
    }
    out
}

const FR_PACKED: [u64; 32] = pack_all(FR_MARKERS);
const EN_PACKED: [u64; 23] = pack_all(EN_MARKERS);

/// Slots of [`MARKERS`]: a power of two, over twice the markers.
const SLOTS: usize = 128;

/// The slot a packed word is looked for from.
const fn slot(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 57) as usize
}

/// The markers in a table of packed words, each in the first free slot from its own (the
/// empty slots hold 0, which no word packs to), with its language: a word is looked up in a
/// slot or two instead of being compared with all 55.
static MARKERS: [(u64, Lang); SLOTS] = {
    let mut table = [(0u64, Lang::Unknown); SLOTS];
    let mut k = 0;
    while k < FR_PACKED.len() + EN_PACKED.len() {
        let (key, lang) = if k < FR_PACKED.len() {
            (FR_PACKED[k], Lang::Fr)
        } else {
            (EN_PACKED[k - FR_PACKED.len()], Lang::En)
        };
        let mut s = slot(key);
        while table[s].0 != 0 {
            s = (s + 1) % SLOTS;
        }
        table[s] = (key, lang);
        k += 1;
    }
    table
};

/// Whether `word` (at most 6 bytes) is a French or an English marker.
fn marker(word: &[u8]) -> Option<Lang> {
    if word.len() > 6 || word.is_empty() {
        return None;
    }
    marker_key(packed(word))
}

/// [`marker`] of the word of 1 to 6 bytes that packs to `key`.
fn marker_key(key: u64) -> Option<Lang> {
    let mut s = slot(key);
    loop {
        match MARKERS[s] {
            (0, _) => return None,
            (k, lang) if k == key => return Some(lang),
            _ => s = (s + 1) % SLOTS,
        }
    }
}

/// Words a sample needs before its markers decide.
const MIN_MARKED_SAMPLE: usize = 50;

/// What detection counts in a sample before it asks whatlang: its letters, its words (runs
/// of letters), and those that are French or English markers (in lower case, or with only
/// their first letter a capital: "The", "Dans" at the start of a sentence; not "THE" or
/// "NOUS").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Tally {
    letters: usize,
    words: usize,
    fr: usize,
    en: usize,
}

impl Tally {
    /// The tally of `sample`, read a byte at a time (ASCII letters without decoding): this
    /// runs on every document, twice where cleaning changes its first words.
    fn of(sample: &str) -> Tally {
        let bytes = sample.as_bytes();
        let mut tally = Tally::default();
        let mut i = 0;
        while i < bytes.len() {
            // A word: a run of letters, whether its first letter and any other is a capital,
            // and the bytes its letters take beyond one each.
            let start = i;
            let (mut first_upper, mut later_upper, mut extra) = (false, false, 0);
            while let Some(&b) = bytes.get(i) {
                if b.is_ascii_lowercase() {
                    // The rest of a run of them, eight at a time.
                    i = words::skip_lowercase(bytes, i + 1);
                } else if b.is_ascii_uppercase() {
                    if i == start {
                        first_upper = true;
                    } else {
                        later_upper = true;
                    }
                    i += 1;
                } else if b.is_ascii() {
                    break;
                } else {
                    let c = sample[i..].chars().next().expect("a character boundary");
                    if !words::is_alphabetic(c) {
                        break;
                    }
                    if c.is_uppercase() {
                        if i == start {
                            first_upper = true;
                        } else {
                            later_upper = true;
                        }
                    }
                    i += c.len_utf8();
                    extra += c.len_utf8() - 1;
                }
            }
            if i == start {
                // Not a letter: the character is passed over.
                i += words::utf8_len(bytes[i]);
                continue;
            }
            tally.letters += i - start - extra;
            tally.words += 1;
            let len = i - start;
            if len > 6 || later_upper {
                continue;
            }
            let found = if first_upper && extra > 0 {
                marker(sample[start..i].to_lowercase().as_bytes())
            } else {
                // The word packed ([`packed`]), read eight bytes at once where the sample has
                // them; only its first letter a capital (an ASCII one), lowered.
                let key = match bytes.get(start..start + 8) {
                    Some(eight) => {
                        u64::from_le_bytes(eight.try_into().expect("eight bytes"))
                            & ((1 << (8 * len)) - 1)
                    }
                    None => packed(&bytes[start..i]),
                };
                marker_key(if first_upper { key | 0x20 } else { key })
            };
            match found {
                Some(Lang::Fr) => tally.fr += 1,
                Some(_) => tally.en += 1,
                None => {}
            }
        }
        tally
    }

    /// The tally of `new`, from this one of `old`: a tally is a sum over words (runs of
    /// letters), so the parts the two share at their start (up to a space) and at their end
    /// (from a space) count the same in both, and only the parts between are counted.
    fn edited(self, old: &str, new: &str) -> Tally {
        let (o, n) = (old.as_bytes(), new.as_bytes());
        let shared = o.iter().zip(n).take_while(|(a, b)| a == b).count();
        // The start they share, up to just after a space (no word crosses that point).
        let start = o[..shared]
            .iter()
            .rposition(|&b| b == b' ')
            .map_or(0, |k| k + 1);
        // The end they share, after the start, from a space.
        let most = o.len().min(n.len()) - start;
        let shared = o
            .iter()
            .rev()
            .zip(n.iter().rev())
            .take(most)
            .take_while(|(a, b)| a == b)
            .count();
        let end = o[o.len() - shared..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(0, |k| shared - k);
        self - Tally::of(&old[start..o.len() - end]) + Tally::of(&new[start..n.len() - end])
    }

    /// The language of a sample that is plainly French or plainly English, without
    /// whatlang: at least 50 words, at least 5% of them French markers and fewer than 1%
    /// English ones (or 12% English markers and under 1% French ones). whatlang costs about
    /// 0.2 ms a call, which is most of the time spent on a short document; any other sample
    /// (a mixed one, another language, a short one) is left to whatlang. The test
    /// `markers_agree_with_whatlang` checks both agree on every French and English text of
    /// the repository.
    fn plainly(&self) -> Option<Lang> {
        let Tally { words, fr, en, .. } = *self;
        if words < MIN_MARKED_SAMPLE {
            return None;
        }
        if fr * 100 >= words * 5 && en * 100 < words {
            Some(Lang::Fr)
        } else if en * 100 >= words * 12 && fr * 100 < words {
            Some(Lang::En)
        } else {
            None
        }
    }
}

impl std::ops::Add for Tally {
    type Output = Tally;

    fn add(self, other: Tally) -> Tally {
        Tally {
            letters: self.letters + other.letters,
            words: self.words + other.words,
            fr: self.fr + other.fr,
            en: self.en + other.en,
        }
    }
}

impl std::ops::Sub for Tally {
    type Output = Tally;

    /// `self` without `other`, a tally of a part of what `self` counted.
    fn sub(self, other: Tally) -> Tally {
        Tally {
            letters: self.letters - other.letters,
            words: self.words - other.words,
            fr: self.fr - other.fr,
            en: self.en - other.en,
        }
    }
}

/// [`Tally::plainly`] of a sample.
#[cfg(test)]
fn plainly(sample: &str) -> Option<Lang> {
    Tally::of(sample).plainly()
}

fn from_whatlang(lang: W) -> Lang {
    match lang {
        W::Fra => Lang::Fr,
        W::Eng => Lang::En,
        other => Lang::Other(other.code()),
    }
}

/// Minimum number of words for a span to be judged at all.
const MIN_WORDS: usize = 4;
/// Minimum whatlang confidence that a span is in another language.
const MIN_CONFIDENCE: f64 = 0.5;
/// A word at or above this Zipf frequency in the document's language counts as one of its
/// words (about once per 100,000 words of running text).
const COMMON_ZIPF: f32 = 2.5;

/// Spans of `text` (byte ranges) written in a language other than `lang`: sentences, and
/// passages between « » or “ ” or ( ), of at least four words, that whatlang places in another
/// language, reliably and with a third of its words not common words of `lang`, or with a
/// confidence of at least 0.5 and half of them not common (by the frequency list: Hunspell is
/// not asked). Repairs that depend on the language make no edit inside them.
///
/// A sentence ([`units`]) ends at a full stop, question or exclamation mark or ellipsis
/// followed by a space or line break; line breaks and blank lines do not end one. Cleaning
/// joins lines and page breaks, and a passage must be judged the same in the raw text and in
/// the cleaned one (or a second run would make other repairs).
pub fn foreign_spans(text: &str, lang: Lang, lexicon: &Lexicon) -> Vec<Range<usize>> {
    if !matches!(lang, Lang::Fr | Lang::En) {
        return Vec::new();
    }
    let starts = units(text);
    let counts: Vec<(usize, usize)> = starts
        .windows(2)
        .map(|w| counts(&text[w[0]..w[1]], lang, lexicon))
        .collect();
    (0..starts.len() - 1)
        .flat_map(|k| unit_spans(text, &starts, k, lang, lexicon, &mut |i| counts[i]))
        .collect()
}

/// Where the sentences of `text` start (byte offsets), and its length last: a sentence ends
/// after `.`, `!`, `?` or `…` (and any closing quotes or brackets after it) followed by
/// white space; the next one starts at the next character that is not white space.
pub fn units(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    // The stops, found by `memchr`: full stops, question and exclamation marks, ellipses.
    let mut marks = memchr::memchr3_iter(b'.', b'!', b'?', bytes).peekable();
    let mut ellipses = memchr::memmem::find_iter(bytes, "…").peekable();
    let mut i = 0;
    loop {
        // The next stop at or after `i`.
        while marks.next_if(|&m| m < i).is_some() {}
        while ellipses.next_if(|&e| e < i).is_some() {}
        let end = match (marks.peek(), ellipses.peek()) {
            (Some(&m), Some(&e)) if e < m => e + "…".len(),
            (Some(&m), _) => m + 1,
            (None, Some(&e)) => e + "…".len(),
            (None, None) => break,
        };
        i = after_stop(text, end, &mut starts);
    }
    starts.push(text.len());
    starts
}

/// After a stop that ends at `end`: its closing quotes and brackets (» ” ’ " ' ) ], and the
/// spaces French puts before », which cleaning may add, take away or move to the previous
/// line), then the white space after them. A sentence starts after that white space, if
/// there is some and text after it (pushed to `starts`). Returns where to look for the next
/// stop.
fn after_stop(text: &str, end: usize, starts: &mut Vec<usize>) -> usize {
    let mut j = end;
    loop {
        let rest = &text[j..];
        match rest.chars().next() {
            Some(c @ ('»' | '”' | '’' | '"' | '\'' | ')' | ']')) => j += c.len_utf8(),
            Some(c) if c.is_whitespace() => {
                let spaces = rest.len() - rest.trim_start().len();
                if rest[spaces..].starts_with('»') {
                    j += spaces;
                } else {
                    break;
                }
            }
            _ => break,
        }
    }
    let ws = text[j..]
        .find(|c: char| !c.is_whitespace())
        .unwrap_or(text.len() - j);
    if ws > 0 && j + ws < text.len() {
        starts.push(j + ws);
    }
    j + ws.max(1)
}

/// The foreign spans of sentence `k` (`starts` are where the sentences start, as [`units`]
/// gives them): what [`foreign_spans`] finds there. A sentence is foreign when it is, or when
/// it and the sentences on either side of it together are: a short sentence says little on
/// its own.
fn unit_spans(
    text: &str,
    starts: &[usize],
    k: usize,
    lang: Lang,
    lexicon: &Lexicon,
    count: &mut dyn FnMut(usize) -> (usize, usize),
) -> Vec<Range<usize>> {
    let unit = starts[k]..starts[k + 1];
    let range = unit.start..unit.start + text[unit].trim_end().len();
    let mut spans = Vec::new();
    if range.is_empty() {
        return spans;
    }
    // Quoted passages first, so that a foreign title does not take its French sentence with
    // it; then the whole sentence.
    for inner in quoted(&text[range.clone()]) {
        let inner = range.start + inner.start..range.start + inner.end;
        if is_foreign(&text[inner.clone()], lang, lexicon) {
            spans.push(inner);
        }
    }
    if spans.is_empty() {
        // The sentences on either side, counted once each (sentences meet at white space, so
        // the words of the three are the words of each).
        let (first, last) = (k.saturating_sub(1), (k + 1).min(starts.len() - 2));
        let (mut words, mut rare) = (0, 0);
        for i in first..=last {
            let (w, r) = count(i);
            words += w;
            rare += r;
        }
        if foreign_by(&text[range.clone()], count(k), lang)
            || ((first, last) != (k, k)
                && foreign_by(&text[starts[first]..starts[last + 1]], (words, rare), lang))
        {
            spans.push(range);
        }
    }
    spans
}

/// [`foreign_spans`] asked sentence by sentence, for the sentences an edit touches only: the
/// same answers, without judging the sentences no edit is proposed in.
#[derive(Debug)]
pub struct ForeignSpans<'a> {
    text: &'a str,
    lang: Lang,
    lexicon: &'a Lexicon,
    /// Where the sentences start ([`units`]), found on the first question.
    starts: Vec<usize>,
    /// Sentences already counted: their index, their words and how many are rare.
    counts: std::collections::HashMap<usize, (usize, usize)>,
    /// Sentences already judged: their index, and their foreign spans.
    judged: std::collections::HashMap<usize, Vec<Range<usize>>>,
}

impl<'a> ForeignSpans<'a> {
    pub fn new(text: &'a str, lang: Lang, lexicon: &'a Lexicon) -> Self {
        ForeignSpans {
            text,
            lang,
            lexicon,
            starts: Vec::new(),
            counts: std::collections::HashMap::new(),
            judged: std::collections::HashMap::new(),
        }
    }

    /// Whether a foreign span overlaps `range` of the text (an empty range counts as its
    /// first character).
    pub fn overlaps(&mut self, range: &Range<usize>) -> bool {
        if !matches!(self.lang, Lang::Fr | Lang::En) {
            return false;
        }
        if self.starts.is_empty() {
            self.starts = units(self.text);
        }
        let (a, b) = (range.start, range.end.max(range.start + 1));
        // The sentence holding `a`, then the next ones up to `b`.
        let mut k = self.starts.partition_point(|&s| s <= a).saturating_sub(1);
        while k + 1 < self.starts.len() && self.starts[k] < b {
            let (text, starts, lang, lexicon) = (self.text, &self.starts, self.lang, self.lexicon);
            let counted = &mut self.counts;
            let spans = self.judged.entry(k).or_insert_with(|| {
                let mut count = |i: usize| {
                    *counted
                        .entry(i)
                        .or_insert_with(|| counts(&text[starts[i]..starts[i + 1]], lang, lexicon))
                };
                unit_spans(text, starts, k, lang, lexicon, &mut count)
            });
            if spans.iter().any(|s| s.start < b && a < s.end) {
                return true;
            }
            k += 1;
        }
        false
    }
}

/// Passages between « », “ ” and ( ) within a sentence, as byte ranges of it.
fn quoted(line: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for (open, close) in [('«', '»'), ('“', '”'), ('(', ')')] {
        let mut from = 0;
        while let Some(o) = line[from..].find(open) {
            let inner_start = from + o + open.len_utf8();
            let Some(c) = line[inner_start..].find(close) else {
                break;
            };
            out.push(inner_start..inner_start + c);
            from = inner_start + c + close.len_utf8();
        }
    }
    out
}

fn is_foreign(span: &str, lang: Lang, lexicon: &Lexicon) -> bool {
    foreign_by(span, counts(span, lang, lexicon), lang)
}

/// The words of a span, and how many of them are rare in `lang` (not protected, and not
/// common by the frequency list).
fn counts(span: &str, lang: Lang, lexicon: &Lexicon) -> (usize, usize) {
    let (mut words, mut rare) = (0, 0);
    for w in span_words(span) {
        words += 1;
        // (Most words are common: that is asked first.)
        if lexicon
            .frequency(lang, w)
            .is_none_or(|zipf| zipf < COMMON_ZIPF)
            && !lexicon.is_protected(w)
        {
            rare += 1;
        }
    }
    (words, rare)
}

/// The words of a span: runs of letters and apostrophes (' and ’) that hold a letter, read a
/// byte at a time (lower-case letters eight at a time).
fn span_words(span: &str) -> impl Iterator<Item = &str> {
    let bytes = span.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let start = i;
            let mut letter = false;
            while let Some(&b) = bytes.get(i) {
                if b.is_ascii_lowercase() {
                    letter = true;
                    i = words::skip_lowercase(bytes, i + 1);
                } else if b.is_ascii_uppercase() {
                    letter = true;
                    i += 1;
                } else if b == b'\'' {
                    i += 1;
                } else if b.is_ascii() {
                    break;
                } else {
                    let c = span[i..].chars().next().expect("a character boundary");
                    if words::is_alphabetic(c) {
                        letter = true;
                    } else if c != '’' {
                        break;
                    }
                    i += c.len_utf8();
                }
            }
            if i == start {
                // Neither a letter nor an apostrophe: passed over.
                i += words::utf8_len(bytes[i]);
            } else if letter {
                return Some(&span[start..i]);
            }
        }
        None
    })
}

/// Whether a span with these `counts` ([`counts`]) is in another language than `lang`.
fn foreign_by(span: &str, (words, rare): (usize, usize), lang: Lang) -> bool {
    if words < MIN_WORDS || rare * 3 < words {
        return false;
    }
    // whatlang must place it in another language: reliably with a third of its words rare in
    // `lang`, or with some confidence and half of them rare.
    whatlang::detect(span).is_some_and(|info| {
        from_whatlang(info.lang()) != lang
            && ((info.is_reliable() && rare * 3 >= words)
                || (info.confidence() >= MIN_CONFIDENCE && rare * 2 >= words))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_texts::repository_texts;

    /// [`units`] as first written, a byte at a time: the oracle of the one that skips to
    /// the stops (what follows a stop is read by the same [`after_stop`]).
    fn units_reference(text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            let end = match bytes[i] {
                b'.' | b'!' | b'?' => i + 1,
                0xE2 if bytes[i..].starts_with("…".as_bytes()) => i + 3,
                _ => {
                    i += 1;
                    continue;
                }
            };
            i = after_stop(text, end, &mut starts);
        }
        starts.push(text.len());
        starts
    }

    /// The words of a span as first split (`str::split` and `char` tests).
    fn span_words_reference(span: &str) -> Vec<&str> {
        span.split(|c: char| !c.is_alphabetic() && c != '\'' && c != '’')
            .filter(|w| w.chars().any(char::is_alphabetic))
            .collect()
    }

    proptest::proptest! {
        /// Spans are cut into the words the reference cuts them into.
        #[test]
        fn span_words_match_the_reference(span in "([a-zA-Z'’ .,0-9éÉß\u{1f600}\u{2009}\u{301}-]{0,8}|l’homme|aujourd'hui|''a){0,30}") {
            proptest::prop_assert_eq!(span_words(&span).collect::<Vec<_>>(), span_words_reference(&span));
        }
    }

    /// So are the repository texts.
    #[test]
    fn span_words_match_the_reference_on_the_repository_texts() {
        for (path, text) in repository_texts() {
            assert!(span_words(&text).eq(span_words_reference(&text)), "{path}");
        }
    }

    /// The sentences of every repository text are those of the reference.
    #[test]
    fn units_match_the_reference_on_the_repository_texts() {
        for (path, text) in repository_texts() {
            assert_eq!(units(&text), units_reference(&text), "{path}");
        }
    }

    proptest::proptest! {
        /// Sentences are found where the reference finds them.
        #[test]
        fn units_match_the_reference(text in "([ab.?!…»”’\\- \n\u{a0}\u{2009}é€]{0,20}|Il vint. Puis « Fin. » ){0,40}") {
            proptest::prop_assert_eq!(units(&text), units_reference(&text));
        }

        /// Sentences start at the same places whether lines are broken or joined.
        #[test]
        fn units_ignore_line_breaks(text in "[ab.?!…»\\- \n\u{a0}]{0,40}") {
            // Cleaning turns line breaks into spaces (and joins blank lines): the sentences
            // must stay where they were.
            let joined = text.replace('\n', " ");
            proptest::prop_assert_eq!(units(&text), units(&joined));
        }

        /// The one-pass sample is the sample as first written: characters that cleaning
        /// removes left out, hyphens left out, words with one space between them.
        #[test]
        fn sample_in_one_pass(text in "[ab\\- \\n\\t\u{ad}\u{200d}é]{0,40}") {
            let visible: String = text
                .chars()
                .filter(|&c| {
                    !crate::canonical::is_forbidden(c) && !matches!(c, '\u{200c}' | '\u{200d}')
                })
                .collect();
            let slow = visible
                .replace("-\n", "")
                .replace('-', "")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            proptest::prop_assert_eq!(sample(&text), slow);
        }

        /// Long texts too, where the sample stops at 4 KB (within a character or not).
        #[test]
        fn sample_matches_the_reference(text in "([ab,\\- \n\t\r\u{ad}\u{200d}\u{a0}\u{2009}\u{85}éß€\u{1f600}]{0,12}){0,600}") {
            proptest::prop_assert_eq!(sample(&text), sample_reference(&text));
        }
    }

    /// [`sample`] as first written, a character at a time: the oracle of the one above.
    fn sample_reference(text: &str) -> String {
        let mut out = String::new();
        let mut space = false;
        let mut after_hyphen = false;
        for c in text.chars() {
            if out.len() >= SAMPLE {
                break;
            }
            if crate::canonical::is_forbidden(c) || matches!(c, '\u{200c}' | '\u{200d}') {
                continue;
            }
            if std::mem::take(&mut after_hyphen) && c == '\n' {
                continue;
            }
            if c == '-' {
                after_hyphen = true;
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
        out
    }

    /// The sample is the one read a character at a time, also where it stops at 4 KB.
    #[test]
    fn sample_matches_the_reference_on_the_repository_texts() {
        for (path, text) in repository_texts() {
            for start in (0..text.len())
                .step_by(997)
                .filter(|&s| text.is_char_boundary(s))
            {
                assert_eq!(
                    sample(&text[start..]),
                    sample_reference(&text[start..]),
                    "{path} from {start}"
                );
            }
        }
    }

    /// The tally as first written (`str::split` on letters, `char` tests): the oracle of
    /// [`Tally::of`].
    fn tally_reference(sample: &str) -> Tally {
        let letters = sample.chars().filter(|c| c.is_alphabetic()).count();
        let (mut words, mut fr, mut en) = (0usize, 0usize, 0usize);
        for word in sample
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            words += 1;
            if word.len() > 6 {
                continue;
            }
            let found = if !word.starts_with(char::is_uppercase) {
                marker(word.as_bytes())
            } else if word.chars().skip(1).any(char::is_uppercase) {
                continue;
            } else {
                marker(word.to_lowercase().as_bytes())
            };
            match found {
                Some(Lang::Fr) => fr += 1,
                Some(_) => en += 1,
                None => {}
            }
        }
        Tally {
            letters,
            words,
            fr,
            en,
        }
    }

    proptest::proptest! {
        /// The byte-at-a-time tally is the reference's, on texts of capitals, accents, marks
        /// and markers.
        #[test]
        fn tally_matches_the_reference(text in "([a-zA-Z \\n'’.,0-9éÉèÈêÊàÀçÇßİŒœ\u{1f600}\u{2009}\u{2019}\u{301}]{0,8}|Dans|THE|The|été|Été|ÉTÉ|Être|leur|très|Très|which|tHe){0,60}") {
            proptest::prop_assert_eq!(Tally::of(&text), tally_reference(&text));
        }
    }

    proptest::proptest! {
        /// The tally of an edited sample, told from the tally of the first, is its tally.
        #[test]
        fn edited_tallies_are_tallies(
            text in "([a-zA-Z ,'.éÉ]{0,6}|Dans|une|the|été|Été| ){0,40}",
            edits in proptest::collection::vec((0usize..200, 0usize..4, "[a-zA-Z éÉ.]{0,5}|the |une "), 0..4),
        ) {
            let mut edited = text.clone();
            for (at, len, with) in edits {
                let mut at = at.min(edited.len());
                while !edited.is_char_boundary(at) {
                    at -= 1;
                }
                let mut end = (at + len).min(edited.len());
                while !edited.is_char_boundary(end) {
                    end += 1;
                }
                edited.replace_range(at..end, &with);
            }
            proptest::prop_assert_eq!(
                Tally::of(&text).edited(&text, &edited),
                Tally::of(&edited),
                "{:?} -> {:?}", text, edited
            );
            let read = Sampled::of(&text);
            proptest::prop_assert_eq!(read.of_edited(&edited), Sampled::of(&edited));
        }
    }

    /// Each accepted output's sample read from the sample of its raw form (`raw/` and
    /// `cleaned/`): the pairs that cleaning makes.
    #[test]
    fn edited_tallies_of_the_repository_pairs() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let texts: std::collections::HashMap<String, String> = repository_texts()
            .into_iter()
            .map(|(path, text)| {
                (
                    path.strip_prefix(root.to_str().unwrap())
                        .unwrap_or(&path)
                        .to_owned(),
                    text,
                )
            })
            .collect();
        let mut pairs = 0;
        for (path, raw) in &texts {
            let Some(name) = path.strip_prefix("/raw/") else {
                continue;
            };
            let cleaned = &texts[&format!("/cleaned/{name}")];
            let read = Sampled::of(raw);
            assert_eq!(read.of_edited(cleaned), Sampled::of(cleaned), "{path}");
            pairs += 1;
        }
        assert_eq!(pairs, 5);
    }

    /// The tally of every sample of every repository text is the reference's.
    #[test]
    fn tally_matches_the_reference_on_the_repository_texts() {
        let mut n = 0;
        for (path, text) in repository_texts() {
            for start in (0..text.len())
                .step_by(997)
                .filter(|&s| text.is_char_boundary(s))
            {
                for s in [sample(&text[start..]), text[start..].to_owned()] {
                    assert_eq!(Tally::of(&s), tally_reference(&s), "{path} from {start}");
                    n += 1;
                }
            }
        }
        assert!(n > 500, "{n}");
    }

    /// Markers are found by their packed bytes: every listed word, and nothing else, not a
    /// word they begin or end.
    #[test]
    fn markers_are_the_listed_words() {
        for w in FR_MARKERS {
            assert_eq!(marker(w.as_bytes()), Some(Lang::Fr), "{w}");
        }
        for w in EN_MARKERS {
            assert_eq!(marker(w.as_bytes()), Some(Lang::En), "{w}");
        }
        for w in [
            "", "un", "dan", "danse", "étai", "thee", "th", "les", "était!", "aprèsx",
        ] {
            assert_eq!(marker(w.as_bytes()), None, "{w}");
        }
    }

    proptest::proptest! {
        /// The table finds what a comparison with every marker finds.
        #[test]
        fn markers_are_found_as_by_comparing_them_all(
            word in "[a-zéèêà\u{0}]{0,7}|une|dans|the|which|été|être|très|même|après"
        ) {
            let key = packed(word.as_bytes());
            let reference = if word.len() > 6 {
                None
            } else if FR_PACKED.contains(&key) {
                Some(Lang::Fr)
            } else if EN_PACKED.contains(&key) {
                Some(Lang::En)
            } else {
                None
            };
            proptest::prop_assert_eq!(marker(word.as_bytes()), reference);
        }
    }

    /// Where the markers decide, whatlang gives the same language, reliably: on every text of
    /// the repository, read from every 1,000th character.
    #[test]
    fn markers_agree_with_whatlang() {
        let (mut decided, mut asked) = (0, 0);
        for (path, text) in repository_texts() {
            let starts: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .step_by(1000)
                .take(200)
                .collect();
            for start in starts {
                let sample = sample(&text[start..]);
                asked += 1;
                if let Some(lang) = plainly(&sample) {
                    decided += 1;
                    let info = whatlang::detect(&sample).unwrap();
                    assert!(
                        info.is_reliable() && from_whatlang(info.lang()) == lang,
                        "{path} from byte {start}: markers say {lang}, whatlang {info:?}"
                    );
                }
            }
        }
        eprintln!("markers decided {decided} of {asked} samples");
        assert!(
            decided * 10 >= asked * 8,
            "markers decided {decided} of {asked}"
        );
    }

    /// Text in other languages (whatlang's own examples, and longer passages) is never
    /// decided by the markers.
    #[test]
    fn markers_decide_nothing_in_other_languages() {
        let texts = [
            "Y así mismo, aunque no son tan ágiles en el suelo como el vampiro común, son muy \
             competentes al escalar por las ramas. El consejo de la defensa fue formado por un \
             decreto del comité ejecutivo central de Rusia, que dirigía la defensa de la \
             república. Los trabajadores de todos los países tienen el derecho de decidir sobre \
             su propio destino y de organizarse libremente, sin que nadie les imponga nada.",
            "Aliás, no dia 8, antes da estreia do filme no mercado latino, o produtor Luiz Carlos \
             Barreto, de 81 anos, pai do diretor, começa em 52 municípios gaúchos que não têm \
             cinemas o seu projeto itinerante Roda Brasil. Mais tarde, ele disse que o projeto \
             é para todos os que vivem longe das cidades e que não podem ir ao cinema.",
            "Giocò un ruolo di grande importanza nel movimento comunista internazionale con \
             l'avvio di un processo di distanziamento dall'Unione Sovietica e l'elaborazione di \
             un modello alternativo che prese il nome di eurocomunismo. Lui sa che la storia non \
             è finita, e che il partito deve cambiare per restare vicino ai lavoratori.",
            "Es ist die Zeit des Sommers, des üppigen Wachstums, des Eintritts in die Pubertät \
             und des Erwachens der Sexualität. Was du heute kannst besorgen, das verschiebe \
             nicht auf morgen, sagt man, und wer das nicht tut, der hat es später schwer, weil \
             die Arbeit nicht von selbst verschwindet und die Zeit immer knapp ist.",
            "Les treballadores de totes les ciutats es van reunir per debatre les condicions de \
             treball i els salaris. Des de fa anys, la lluita obrera a Catalunya ha estat \
             marcada per la solidaritat entre els sindicats i per la defensa dels drets de les \
             dones i dels joves, que no volen pas perdre el que han guanyat amb tant d'esforç.",
            "Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae, aliam \
             Aquitani, tertiam qui ipsorum lingua Celtae, nostra Galli appellantur. Hi omnes \
             lingua, institutis, legibus inter se differunt. Gallos ab Aquitanis Garumna flumen, \
             a Belgis Matrona et Sequana dividit. Horum omnium fortissimi sunt Belgae, propterea \
             quod a cultu atque humanitate provinciae longissime absunt.",
            "De Goede Verwachting was een windmolen in Amsterdam, aan de huidige Czaar \
             Peterstraat. De chocolademolen, die is 1801 is gebouwd op het onderste deel van de \
             boormolen die er eerder stond, is in 1906 afgebroken, toen hij al volledig door \
             stadsbebouwing was omringd. De tekening laat de molen zien in 1887, met op de \
             voorgrond de laatste restanten van de stadsmuren.",
            "Limba română este o limbă indo-europeană, din grupul italic şi din subgrupul \
             oriental al limbilor romanice. Printre limbile romanice, româna este a cincea după \
             numărul de vorbitori, în urma spaniolei, portughezei, francezei şi italienei. Ei \
             au spus că au fost acolo, dar nu au văzut pe nimeni şi s-au întors acasă seara.",
        ];
        for text in texts {
            let words = text
                .split(|c: char| !c.is_alphabetic())
                .filter(|w| !w.is_empty());
            assert!(
                words.count() >= MIN_MARKED_SAMPLE,
                "too short to be judged: {text}"
            );
            assert_eq!(plainly(&sample(text)), None, "{text}");
        }
    }

    #[test]
    fn quoted_passages() {
        let line = "Tiré de « Comunismo de Consejos » (et autre) 07/01/2022";
        let spans: Vec<&str> = quoted(line).into_iter().map(|r| &line[r]).collect();
        assert_eq!(spans, [" Comunismo de Consejos ", "et autre"]);
    }

    #[test]
    fn sentences_end_at_stops_not_at_line_breaks() {
        let text = "Il vint.\nPuis il\n\npartit ! « Fin. » Encore… et 3.5 puis";
        let starts: Vec<&str> = units(text).windows(2).map(|w| &text[w[0]..w[1]]).collect();
        assert_eq!(
            starts,
            [
                "Il vint.\n",
                "Puis il\n\npartit ! ",
                "« Fin. » ",
                "Encore… ",
                "et 3.5 puis"
            ]
        );
    }
}
