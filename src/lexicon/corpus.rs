//! Corpus statistics: how often each word form occurs in a batch of documents.
//!
//! A first pass over the batch counts word forms, so a repair can use in-corpus evidence
//! ("réflexions" occurs elsewhere in the batch). Counts are kept by key: lower case, both
//! apostrophes as ', ligature code points spelt out, soft hyphens and zero-width characters
//! dropped. A hyphenated compound inside a line counts as the whole ("grand-russe") and as each
//! part. A word broken by a hyphen at a line end ("évè-" / "nements") is counted apart, as a
//! broken form, and not as two words. Counts merge by adding up, so batches can be counted in
//! shards, in parallel, and combined.

use std::ops::AddAssign;

use rustc_hash::FxHashMap as HashMap;

use crate::passes::words::{self, is_ascii_space, skip_space, skip_token};

use serde::{Deserialize, Serialize};

/// Word-form counts over a batch. Merge with `+=` (or [`CorpusStats::merge`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusStats {
    /// Documents counted.
    pub documents: u64,
    /// Word tokens counted (compounds once, not once per part).
    pub tokens: u64,
    words: HashMap<String, u32>,
    broken: HashMap<String, u32>,
}

/// From this length on, a text's chunks are counted as written before they are made keys
/// ([`CorpusStats::add_words_deferring`]).
const DEFER_FROM: usize = 64 * 1024;

/// How often the forms of a word split in two occur in the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Forms {
    /// Written whole inside a line ("évènements").
    pub joined: u32,
    /// Written with a hyphen inside a line ("grand-russe").
    pub hyphenated: u32,
    /// Broken by a hyphen at a line end ("évè-" / "nements").
    pub broken: u32,
}

impl CorpusStats {
    /// The counts of one text.
    pub fn from_text(text: &str) -> Self {
        let mut stats = CorpusStats::default();
        stats.add_text(text);
        stats
    }

    /// Count the word forms of one more document. A long one is counted in pieces in
    /// parallel, cut where no word form spans the cut ([`crate::pipeline::pieces`]): each
    /// thread counts the chunks of the pieces it takes in one table, made keys once at the end
    /// (a long text's pieces hold mostly the same words: a table per piece, each merged,
    /// cost more than the counting).
    pub fn add_text(&mut self, text: &str) {
        use rayon::prelude::*;
        self.documents += 1;
        if text.len() < crate::pipeline::PARALLEL_FROM {
            self.add_words(text);
            return;
        }
        let counted = crate::pipeline::pieces(text, crate::pipeline::PIECE_SIZE)
            .into_par_iter()
            .fold(
                || (CorpusStats::default(), HashMap::<&str, u32>::default()),
                |(mut stats, mut chunks), piece| {
                    stats.add_words_to(&text[piece], Some(&mut chunks));
                    (stats, chunks)
                },
            )
            .map(|(mut stats, chunks)| {
                stats.count_chunks(chunks);
                stats
            })
            .reduce(CorpusStats::default, |mut a, b| {
                a += b;
                a
            });
        *self += counted;
    }

    /// Count the word forms of `text`, not counting a document.
    fn add_words(&mut self, text: &str) {
        self.add_words_deferring(text, text.len() >= DEFER_FROM);
    }

    /// [`CorpusStats::add_words`], the chunks taken as words made keys as they come, or
    /// (`defer`) counted as written first and each made a key once at the end: in a long text
    /// most come back many times; in a short one, the table of them costs more than it saves.
    fn add_words_deferring(&mut self, text: &str, defer: bool) {
        if defer {
            let mut chunks = HashMap::default();
            self.add_words_to(text, Some(&mut chunks));
            self.count_chunks(chunks);
        } else {
            self.add_words_to(text, None);
        }
    }

    /// Count the word forms of `text`; the chunks that may hold a word are counted in
    /// `chunks` as written, when given ([`CorpusStats::count_chunks`] counts their words).
    fn add_words_to<'t>(&mut self, text: &'t str, mut chunks: Option<&mut HashMap<&'t str, u32>>) {
        // The left half of a word broken by a hyphen at the end of the previous line.
        let mut pending: Option<String> = None;
        // The key of the current word, written over (most words are counted already, and
        // need no allocation).
        let mut buf = String::new();
        for line in text.lines() {
            // The line's chunks between white space, each told whether it is the line's last
            // (`str::split_whitespace`, read byte by byte).
            let bytes = line.as_bytes();
            let mut first = true;
            let mut i = skip_space(line, 0);
            while i < bytes.len() {
                let start = i;
                // Counting as it goes, the chunk's visible ASCII is read with what its counting
                // asks of it, and the rest of the chunk, if it goes on, the general way (a
                // chunk all of visible ASCII is `plain`). Counting chunks first, they are
                // read eight bytes at a time and their words found once each, at the end.
                let (seen, plain);
                (i, seen, plain) = if chunks.is_none() {
                    let (end, seen) = ascii_run(bytes, i);
                    if end >= bytes.len() || is_ascii_space(bytes[end]) {
                        (end, seen, true)
                    } else {
                        (skip_token(line, end), seen, false)
                    }
                } else {
                    (skip_token(line, i), 0, false)
                };
                let chunk = &line[start..i];
                i = skip_space(line, i);
                let last = i >= bytes.len();
                let word = || {
                    if plain {
                        ascii_word(chunk, seen)
                    } else {
                        trim_token(chunk)
                    }
                };
                if std::mem::take(&mut first)
                    && let Some(left) = pending.take()
                {
                    if let Some((word, _)) = word() {
                        *self
                            .broken
                            .entry(format!("{left}-{}", key(word)))
                            .or_default() += 1;
                        self.tokens += 1;
                    }
                    continue;
                }
                if let Some(chunks) = chunks.as_deref_mut() {
                    if last && let Some((word, true)) = word() {
                        pending = Some(key(word));
                    } else {
                        *chunks.entry(chunk).or_default() += 1;
                    }
                    continue;
                }
                match word() {
                    Some((word, true)) if last => pending = Some(key(word)),
                    Some((word, _)) if plain => {
                        // ASCII: its own key when it has no capital, else lowered.
                        let hyphen = seen & HYPHEN != 0 && word.contains('-');
                        if seen & UPPER == 0 {
                            self.count_key_of(word, 1, hyphen);
                        } else {
                            key_into(word, &mut buf);
                            self.count_key_of(&buf, 1, hyphen);
                        }
                    }
                    Some((word, _)) => self.count_word_of(word, 1, &mut buf),
                    None => {}
                }
            }
            if first {
                // A line of white space only: a left half followed by a blank line is not
                // counted (which word it starts is unknown until page breaks are joined).
                pending = None;
            }
        }
    }

    /// Count the words of chunks counted as written.
    fn count_chunks(&mut self, chunks: HashMap<&str, u32>) {
        let mut buf = String::new();
        for (chunk, n) in chunks {
            self.count_chunk(chunk, n, &mut buf);
        }
    }

    /// Count the word of a chunk `n` times, if it holds one; `buf` is the key's buffer.
    fn count_chunk(&mut self, chunk: &str, n: u32, buf: &mut String) {
        if let Some((word, _)) = trim_token(chunk) {
            self.count_word_of(word, n, buf);
        }
    }

    /// Count the key of `word` `n` times; `buf` is the key's buffer.
    fn count_word_of(&mut self, word: &str, n: u32, buf: &mut String) {
        // Most words are their own key: no copy.
        if is_own_key(word) {
            self.count_word(word, n);
        } else {
            key_into(word, buf);
            self.count_word(buf, n);
        }
    }

    /// Count `key` `n` times (and each part of a hyphenated compound).
    fn count_word(&mut self, key: &str, n: u32) {
        self.count_key_of(key, n, key.contains('-'));
    }

    /// [`CorpusStats::count_word`], told whether `key` holds a hyphen.
    fn count_key_of(&mut self, key: &str, n: u32, hyphen: bool) {
        self.tokens += u64::from(n);
        if hyphen {
            for part in key
                .split('-')
                .filter(|p| p.chars().any(words::is_alphabetic))
            {
                self.count_key(part, n);
            }
        }
        self.count_key(key, n);
    }

    fn count_key(&mut self, key: &str, n: u32) {
        match self.words.get_mut(key) {
            Some(count) => *count += n,
            None => {
                self.words.insert(key.to_owned(), n);
            }
        }
    }

    /// Add another batch's counts to these.
    pub fn merge(&mut self, other: CorpusStats) {
        self.documents += other.documents;
        self.tokens += other.tokens;
        for (k, v) in other.words {
            *self.words.entry(k).or_default() += v;
        }
        for (k, v) in other.broken {
            *self.broken.entry(k).or_default() += v;
        }
    }

    /// How often `word` occurs inside lines, in any case, with either apostrophe. Parts of
    /// hyphenated compounds count too.
    pub fn count(&self, word: &str) -> u32 {
        self.words.get(&key(word)).copied().unwrap_or(0)
    }

    /// How often the word made of `left` and `right` occurs joined, hyphenated, and broken at
    /// a line end.
    pub fn forms(&self, left: &str, right: &str) -> Forms {
        let (l, r) = (key(left), key(right));
        Forms {
            joined: self.words.get(&format!("{l}{r}")).copied().unwrap_or(0),
            hyphenated: self.words.get(&format!("{l}-{r}")).copied().unwrap_or(0),
            broken: self.broken.get(&format!("{l}-{r}")).copied().unwrap_or(0),
        }
    }

    /// Number of distinct word forms.
    pub fn distinct(&self) -> usize {
        self.words.len()
    }
}

impl AddAssign for CorpusStats {
    fn add_assign(&mut self, other: CorpusStats) {
        self.merge(other);
    }
}

impl std::iter::Sum for CorpusStats {
    fn sum<I: Iterator<Item = CorpusStats>>(iter: I) -> Self {
        iter.fold(CorpusStats::default(), |mut a, b| {
            a += b;
            a
        })
    }
}

/// A whitespace-separated chunk without its surrounding punctuation, and whether it ended
/// with a hyphen (or soft hyphen, or ¬). `None` when it holds no letter.
fn trim_token(chunk: &str) -> Option<(&str, bool)> {
    // Most chunks are a word alone: ASCII letters or digits at both ends, a letter first.
    let bytes = chunk.as_bytes();
    if let (Some(f), Some(l)) = (bytes.first(), bytes.last())
        && f.is_ascii_alphabetic()
        && l.is_ascii_alphanumeric()
    {
        return Some((chunk, false));
    }
    let trailing_hyphen = chunk.ends_with(['-', '\u{ad}', '¬']);
    let word = chunk.trim_matches(|c: char| !words::is_alphanumeric(c));
    word.chars()
        .any(words::is_alphabetic)
        .then_some((word, trailing_hyphen))
}

/// What [`ascii_run`] saw: a capital, a letter, a hyphen.
const UPPER: u8 = 1;
const ALPHA: u8 = 2;
const HYPHEN: u8 = 4;
/// A byte of visible ASCII (and DEL): no white space, no character beyond ASCII.
const VISIBLE: u8 = 8;

static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0x21;
    while b < 0x80 {
        table[b] = VISIBLE;
        if (b as u8).is_ascii_uppercase() {
            table[b] |= UPPER | ALPHA;
        } else if (b as u8).is_ascii_lowercase() {
            table[b] |= ALPHA;
        }
        b += 1;
    }
    table[b'-' as usize] |= HYPHEN;
    table
};

/// The end of the run of visible ASCII from byte `i`, and what it holds ([`UPPER`],
/// [`ALPHA`], [`HYPHEN`]).
#[inline]
fn ascii_run(bytes: &[u8], mut i: usize) -> (usize, u8) {
    let mut seen = 0;
    while let Some(&b) = bytes.get(i) {
        let class = ASCII_CLASS[usize::from(b)];
        if class & VISIBLE == 0 {
            break;
        }
        seen |= class;
        i += 1;
    }
    (i, seen)
}

/// [`trim_token`] of a chunk of visible ASCII, which [`ascii_run`] read (`seen`).
#[inline]
fn ascii_word(chunk: &str, seen: u8) -> Option<(&str, bool)> {
    if seen & ALPHA == 0 {
        return None;
    }
    let bytes = chunk.as_bytes();
    let start = bytes.iter().position(u8::is_ascii_alphanumeric)?;
    let end = bytes.iter().rposition(u8::is_ascii_alphanumeric)? + 1;
    Some((&chunk[start..end], bytes.last() == Some(&b'-')))
}

/// Whether `word` is its own [`key`]: ASCII without capitals, and the lower-case letters of
/// Latin-1 (U+00DF to U+00FF but ÷, written C3 9F to C3 BF), as most French words are.
#[inline]
fn is_own_key(word: &str) -> bool {
    let bytes = word.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            if b.is_ascii_uppercase() {
                return false;
            }
            i += 1;
        } else if b == 0xc3
            && matches!(bytes.get(i + 1), Some(&(0x9f..=0xbf)) if bytes[i + 1] != 0xb7)
        {
            i += 2;
        } else {
            return false;
        }
    }
    true
}

/// The key a word form is counted under.
fn key(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    key_into(word, &mut out);
    out
}

/// [`key`], written over `out`.
fn key_into(word: &str, out: &mut String) {
    out.clear();
    if word.is_ascii() {
        out.push_str(word);
        out.make_ascii_lowercase();
        return;
    }
    let bytes = word.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // A run of ASCII, copied and lowered at once.
        let run = bytes[i..].iter().take_while(|b| b.is_ascii()).count();
        if run > 0 {
            out.push_str(&word[i..i + run]);
            let end = out.len();
            out[end - run..].make_ascii_lowercase();
            i += run;
            continue;
        }
        let c = word[i..].chars().next().expect("a character boundary");
        i += c.len_utf8();
        key_char(c, out);
    }
}

/// The key of one character that is not ASCII.
#[inline]
fn key_char(c: char, out: &mut String) {
    match c {
        // Latin-1 letters, told without the Unicode tables: lower case as they are, capitals
        // (but ×) a fixed step away from theirs.
        '\u{df}'..='\u{ff}' if c != '\u{f7}' => out.push(c),
        '\u{c0}'..='\u{de}' if c != '\u{d7}' => {
            out.push(char::from_u32(u32::from(c) + 0x20).expect("a Latin-1 letter"));
        }
        '\u{2019}' | '\u{2bc}' => out.push('\''),
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
        '\u{fb00}' => out.push_str("ff"),
        '\u{fb01}' => out.push_str("fi"),
        '\u{fb02}' => out.push_str("fl"),
        '\u{fb03}' => out.push_str("ffi"),
        '\u{fb04}' => out.push_str("ffl"),
        '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
        c if c.is_lowercase() || !words::is_alphabetic(c) => out.push(c),
        c => out.extend(c.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The key of a character as first written.
    fn key_char_reference(c: char, out: &mut String) {
        match c {
            '\u{2019}' | '\u{2bc}' => out.push('\''),
            '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => {}
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            c if c.is_lowercase() || !c.is_alphabetic() => out.push(c),
            c => out.extend(c.to_lowercase()),
        }
    }

    /// Every character has the key it had, and a word the key of its characters.
    #[test]
    fn keys_are_those_of_the_reference() {
        let (mut fast, mut slow) = (String::new(), String::new());
        for c in (0x80..=0x10ffff).filter_map(char::from_u32) {
            fast.clear();
            slow.clear();
            key_char(c, &mut fast);
            key_char_reference(c, &mut slow);
            assert_eq!(fast, slow, "{c:?}");
        }
        let word = "ÉvÈnemENTS’Œuvre\u{fb01}n\u{ad}";
        let mut expected = String::new();
        for c in word.chars() {
            if c.is_ascii() {
                expected.push(c.to_ascii_lowercase());
            } else {
                key_char_reference(c, &mut expected);
            }
        }
        assert_eq!(key(word), expected);
    }

    /// A word said to be its own key is: every character alone, and in words; the Latin-1
    /// lower-case letters are.
    #[test]
    fn own_keys_are_keys() {
        let mut text = String::new();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            text.clear();
            text.push(c);
            if is_own_key(&text) {
                assert_eq!(key(&text), text, "{c:?}");
            }
        }
        for c in ('ß'..='ÿ').filter(|&c| c != '÷') {
            assert!(is_own_key(&c.to_string()), "{c:?}");
        }
        for word in [
            "réflexions",
            "évènements",
            "l'homme",
            "grand-russe",
            "ça",
            "",
        ] {
            assert!(is_own_key(word), "{word}");
        }
        for word in ["Réflexions", "l’homme", "\u{fb01}n", "ÉTÉ", "dé\u{ad}but"] {
            assert!(!is_own_key(word), "{word}");
            assert_ne!(key(word), word);
        }
    }

    impl CorpusStats {
        /// The counting of `add_words` as first written (`lines`, `split_whitespace`), which
        /// the faster one must match.
        fn add_words_reference(&mut self, text: &str) {
            let mut pending: Option<String> = None;
            for line in text.lines() {
                let mut chunks = line.split_whitespace().peekable();
                let mut first = true;
                while let Some(chunk) = chunks.next() {
                    let last = chunks.peek().is_none();
                    let chunk_trimmed = chunk.trim_matches(|c: char| !c.is_alphanumeric());
                    let token = chunk_trimmed
                        .chars()
                        .any(char::is_alphabetic)
                        .then_some((chunk_trimmed, chunk.ends_with(['-', '\u{ad}', '¬'])));
                    if std::mem::take(&mut first)
                        && let Some(left) = pending.take()
                    {
                        if let Some((word, _)) = token {
                            *self
                                .broken
                                .entry(format!("{left}-{}", key(word)))
                                .or_default() += 1;
                            self.tokens += 1;
                            continue;
                        }
                    }
                    let Some((word, trailing_hyphen)) = token else {
                        continue;
                    };
                    if last && trailing_hyphen {
                        pending = Some(key(word));
                    } else {
                        self.count_word(&key(word), 1);
                    }
                }
                if line.trim().is_empty() {
                    pending = None;
                }
            }
        }
    }

    /// The counts of `text`, by the reference, which both ways of counting must give.
    fn both(text: &str) -> (CorpusStats, CorpusStats) {
        let mut reference = CorpusStats::default();
        reference.add_words_reference(text);
        let mut deferred = CorpusStats::default();
        deferred.add_words_deferring(text, true);
        assert_eq!(deferred, reference, "counting the chunks first");
        let mut fast = CorpusStats::default();
        fast.add_words_deferring(text, false);
        (fast, reference)
    }

    /// The counting reads byte by byte what `split_whitespace` and `trim_matches` read: the
    /// same counts on every text of the repository and on messy ones.
    #[test]
    fn counting_matches_the_reference_on_the_repository_texts() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut n = 0;
        for dir in [
            "raw",
            "cleaned",
            "quality/seeds/gold",
            "tests/fixtures/fuzz",
        ] {
            for e in std::fs::read_dir(root.join(dir)).unwrap() {
                let bytes = std::fs::read(e.unwrap().path()).unwrap();
                let text = String::from_utf8_lossy(&bytes);
                let (fast, reference) = both(&text);
                assert_eq!(fast, reference);
                n += 1;
            }
        }
        assert!(n > 50);
    }

    proptest! {
        #[test]
        fn counting_matches_the_reference(text in "([a-zA-Zéè0-9 \t\n\r\u{b}\u{1}\u{7f}\u{a0}\u{2009}\u{3000}\u{ad}\u{fb01}¬«»,.’'-]{0,12}){0,12}") {
            let (fast, reference) = both(&text);
            prop_assert_eq!(fast, reference);
        }
    }

    /// A long text counted in pieces in parallel gives the counts of one sequential pass.
    #[test]
    fn pieces_count_like_the_whole() {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut seeds = String::new();
        for e in std::fs::read_dir(format!("{root}/raw")).unwrap() {
            seeds.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
            seeds.push_str("\n\n");
        }
        let long = seeds.repeat(crate::pipeline::PARALLEL_FROM / seeds.len() + 2);
        assert!(crate::pipeline::pieces(&long, crate::pipeline::PIECE_SIZE).len() > 2);
        let mut whole = CorpusStats {
            documents: 1,
            ..CorpusStats::default()
        };
        whole.add_words(&long);
        assert_eq!(CorpusStats::from_text(&long), whole);
    }

    #[test]
    fn counts_words_compounds_and_broken_forms() {
        let stats = CorpusStats::from_text(
            "Les réflexions, «Réflexions» et l’homme.\nle grand-russe des évè-\nnements ; \
             des évènements\n",
        );
        assert_eq!(stats.count("réflexions"), 2);
        assert_eq!(stats.count("RÉFLEXIONS"), 2);
        assert_eq!(stats.count("l'homme"), 1);
        assert_eq!(stats.count("grand-russe"), 1);
        assert_eq!(stats.count("russe"), 1);
        assert_eq!(stats.count("nements"), 0, "broken halves are not words");
        assert_eq!(
            stats.forms("évè", "nements"),
            Forms {
                joined: 1,
                hyphenated: 0,
                broken: 1
            }
        );
        assert_eq!(stats.forms("grand", "russe").hyphenated, 1);
        assert_eq!(stats.documents, 1);
    }

    #[test]
    fn merging_adds_up_and_matches_counting_all_at_once() {
        let a = "réfl exions\nafin de diffuser\n";
        let b = "afin que\nréflexions\n";
        let mut merged = CorpusStats::from_text(a);
        merged += CorpusStats::from_text(b);
        let mut once = CorpusStats::default();
        once.add_text(a);
        once.add_text(b);
        assert_eq!(merged, once);
        assert_eq!(merged.count("afin"), 2);
        assert_eq!(merged.documents, 2);
        let summed: CorpusStats = [a, b].iter().map(|t| CorpusStats::from_text(t)).sum();
        assert_eq!(summed, once);
    }

    #[test]
    fn ligatures_and_soft_hyphens_are_normalised() {
        let stats = CorpusStats::from_text("a\u{fb01}n di\u{ad}ffuser");
        assert_eq!(stats.count("afin"), 1);
        assert_eq!(stats.count("diffuser"), 1);
    }
}
