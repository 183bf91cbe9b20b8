//! The embedded language resources, each loaded once, on first use.

use std::io::Cursor;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use hyphenation::{Language, Load, Standard};

use crate::Lang;

static FR_AFF: &str = include_str!("../../rules/dict/fr/fr.aff");
static FR_DIC: &str = include_str!("../../rules/dict/fr/fr.dic");
static EN_AFF: &str = include_str!("../../rules/dict/en/en_US.aff");
static EN_DIC: &str = include_str!("../../rules/dict/en/en_US.dic");

static FR_FREQ: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/freq-fr.fst"));
static EN_FREQ: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/freq-en.fst"));

static FR_HYPH: &[u8] = include_bytes!("../../rules/hyph/fr.standard.bincode");
static EN_HYPH: &[u8] = include_bytes!("../../rules/hyph/en-us.standard.bincode");

/// Parse the embedded Hunspell dictionary of `lang` (not cached: see [`dictionary`]).
///
/// # Panics
/// If the embedded data is broken, which the test suite rules out.
pub fn load_dictionary(lang: Lang) -> spellbook::Dictionary {
    let (aff, dic) = match lang {
        Lang::Fr => (FR_AFF, FR_DIC),
        _ => (EN_AFF, EN_DIC),
    };
    spellbook::Dictionary::new(aff, dic).expect("the embedded Hunspell dictionary parses")
}

static FR_DICT: LazyLock<spellbook::Dictionary> = LazyLock::new(|| load_dictionary(Lang::Fr));
static EN_DICT: LazyLock<spellbook::Dictionary> = LazyLock::new(|| load_dictionary(Lang::En));

/// The Hunspell dictionary of `lang`, loaded on first use. `None` for languages without one.
pub fn dictionary(lang: Lang) -> Option<&'static spellbook::Dictionary> {
    match lang {
        Lang::Fr => Some(&FR_DICT),
        Lang::En => Some(&EN_DICT),
        _ => None,
    }
}

/// How many answers each thread remembers before it starts afresh.
const MEMO_CAPACITY: usize = 1 << 17;

thread_local! {
    /// Hunspell's answers on this thread, by dictionary and word: Hunspell is the slowest
    /// lookup (affix stripping), and the words of a corpus repeat.
    #[allow(clippy::type_complexity)]
    static MEMO: std::cell::RefCell<rustc_hash::FxHashMap<usize, rustc_hash::FxHashMap<Box<str>, bool>>> =
        std::cell::RefCell::new(rustc_hash::FxHashMap::default());

    /// Frequencies looked up on this thread, French and English: the lookup lower-cases,
    /// folds apostrophes and walks the `fst`, and running text repeats its words.
    static FREQ_MEMO: std::cell::RefCell<[rustc_hash::FxHashMap<Box<str>, Option<f32>>; 2]> =
        std::cell::RefCell::new(Default::default());
}

/// The frequency of `word` in `lang` (French or English), remembered per thread; `look`
/// computes it the first time.
pub fn frequency_memo(lang: Lang, word: &str, look: impl FnOnce() -> Option<f32>) -> Option<f32> {
    let slot = usize::from(lang == Lang::En);
    if let Some(&known) = FREQ_MEMO
        .with_borrow(|memo| memo[slot].get(word).copied())
        .as_ref()
    {
        return known;
    }
    let answer = look();
    FREQ_MEMO.with_borrow_mut(|memo| {
        let memo = &mut memo[slot];
        if memo.len() >= MEMO_CAPACITY {
            memo.clear();
        }
        memo.insert(Box::from(word), answer);
    });
    answer
}

/// Ask Hunspell about one word (remembered per thread), counting the calls that really ask
/// it in `calls`.
pub fn hunspell_check(dict: &spellbook::Dictionary, word: &str, calls: &AtomicUsize) -> bool {
    let key = std::ptr::from_ref(dict) as usize;
    MEMO.with_borrow_mut(|memo| {
        let memo = memo.entry(key).or_default();
        if let Some(&known) = memo.get(word) {
            return known;
        }
        calls.fetch_add(1, Ordering::Relaxed);
        let answer = dict.check(word);
        if memo.len() >= MEMO_CAPACITY {
            memo.clear();
        }
        memo.insert(Box::from(word), answer);
        answer
    })
}

static FR_FREQ_MAP: LazyLock<fst::Map<&'static [u8]>> =
    LazyLock::new(|| fst::Map::new(FR_FREQ).expect("the embedded French frequency map is valid"));
static EN_FREQ_MAP: LazyLock<fst::Map<&'static [u8]>> =
    LazyLock::new(|| fst::Map::new(EN_FREQ).expect("the embedded English frequency map is valid"));

/// The word-frequency map of `lang` (lower-case word to Zipf × 100).
pub fn frequencies(lang: Lang) -> Option<&'static fst::Map<&'static [u8]>> {
    match lang {
        Lang::Fr => Some(&FR_FREQ_MAP),
        Lang::En => Some(&EN_FREQ_MAP),
        _ => None,
    }
}

fn load_hyphenator(lang: Lang) -> Standard {
    let (language, bytes) = match lang {
        Lang::Fr => (Language::French, FR_HYPH),
        _ => (Language::EnglishUS, EN_HYPH),
    };
    Standard::from_reader(language, &mut Cursor::new(bytes))
        .expect("the embedded hyphenation patterns load")
}

static FR_HYPHENATOR: LazyLock<Standard> = LazyLock::new(|| load_hyphenator(Lang::Fr));
static EN_HYPHENATOR: LazyLock<Standard> = LazyLock::new(|| load_hyphenator(Lang::En));

/// The hyphenation patterns of `lang`.
pub fn hyphenator(lang: Lang) -> Option<&'static Standard> {
    match lang {
        Lang::Fr => Some(&FR_HYPHENATOR),
        Lang::En => Some(&EN_HYPHENATOR),
        _ => None,
    }
}

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/word_files.rs"));
}

/// The protected-word files embedded from `rules/words/`, as (file name, text).
pub fn embedded_word_files() -> &'static [(&'static str, &'static str)] {
    embedded::WORD_FILES
}

/// The hyphenated entries of a `.dic` file (stems, lower case, apostrophes as '), after its
/// first line (the count): found from the file's hyphens (`memchr`), not by splitting each of
/// its lines (a French dictionary has 80,000, a few thousand with a hyphen).
fn compounds_of(dic: &str) -> std::collections::HashSet<String> {
    let body = dic.find('\n').map_or("", |i| &dic[i + 1..]);
    let bytes = body.as_bytes();
    let mut out = std::collections::HashSet::new();
    // The end of the last line read: a line with two hyphens is read once.
    let mut read_to = 0;
    for at in memchr::memchr_iter(b'-', bytes) {
        if at < read_to {
            continue;
        }
        let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |i| at + i);
        read_to = end;
        let line = &body[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let stem = line.split(['/', '\t', ' ']).next().unwrap_or_default();
        if stem.contains('-') {
            out.insert(stem.replace('’', "'").to_lowercase());
        }
    }
    out
}

static FR_COMPOUNDS: LazyLock<std::collections::HashSet<String>> =
    LazyLock::new(|| compounds_of(FR_DIC));
static EN_COMPOUNDS: LazyLock<std::collections::HashSet<String>> =
    LazyLock::new(|| compounds_of(EN_DIC));

/// Load every embedded resource now (each is otherwise loaded on first use, by the first
/// thread that needs it, while the others that need it wait): a caller with work to do
/// before cleaning (reading its inputs, counting the corpus) can load them meanwhile, on a
/// thread of their own.
pub fn preload() {
    for lang in [Lang::Fr, Lang::En] {
        let _ = (
            dictionary(lang),
            frequencies(lang),
            hyphenator(lang),
            listed_compounds(lang),
        );
    }
}

/// The hyphenated compounds the dictionary of `lang` lists as entries.
pub fn listed_compounds(lang: Lang) -> Option<&'static std::collections::HashSet<String>> {
    match lang {
        Lang::Fr => Some(&FR_COMPOUNDS),
        Lang::En => Some(&EN_COMPOUNDS),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compounds found from the hyphens are those of every line read in turn.
    #[test]
    fn compounds_are_those_of_every_line() {
        let reference = |dic: &str| -> std::collections::HashSet<String> {
            dic.lines()
                .skip(1)
                .filter_map(|line| line.split(['/', '\t', ' ']).next())
                .filter(|stem| stem.contains('-'))
                .map(|stem| stem.replace('’', "'").to_lowercase())
                .collect()
        };
        // (The English dictionary has none.)
        assert!(compounds_of(FR_DIC).len() > 1000);
        for dic in [FR_DIC, EN_DIC] {
            assert_eq!(compounds_of(dic), reference(dic));
        }
        let small = "3\nab-cd/X\r\nno/A-B\n\u{2019}x-Y\t-\nplain-word\r\nlast-one";
        assert_eq!(compounds_of(small), reference(small));
        assert_eq!(compounds_of("1-2"), reference("1-2"));
    }
}
