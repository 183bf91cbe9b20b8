//! Language resources: the evidence that word repairs decide from.
//!
//! - **Validity**: Hunspell dictionaries (Dicollecte French "classique", SCOWL US English), read
//!   with `spellbook`, loaded once per language on first use. Hunspell is slow next to the
//!   other lookups (microseconds a word), so repairs ask it only about candidate words.
//! - **Frequency**: wordfreq Zipf frequencies (about 200,000 words a language), compiled at
//!   build time into `fst` maps: nothing to load. Such lists also hold OCR fragments ("réfl",
//!   "1a"), so frequency ranks candidates; it does not prove a word.
//! - **Hyphenation**: the French and US English TeX patterns (`hyphenation` crate).
//! - **Corpus statistics**: counts of word forms over a whole batch ([`CorpusStats`]).
//! - **Protected words**: `rules/words/*.txt` and a user's own ([`Words`]).
//!
//! Every lookup handles case (Capitalised, ALL CAPS), both apostrophes (' and ’), French
//! elisions (l', d', qu', jusqu'...; "aujourd'hui" is a word of its own) and hyphenated
//! compounds (the whole, else each part).

use std::borrow::Cow;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::{Error, Lang};

pub mod corpus;
pub mod resources;
mod words;

pub use corpus::{CorpusStats, Forms};
pub use words::Words;

/// French elided articles, pronouns and conjunctions, before an apostrophe.
const FRENCH_ELISIONS: &[&str] = &[
    "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu",
    "quelqu",
];

/// The languages that have resources.
pub const LANGS: [Lang; 2] = [Lang::Fr, Lang::En];

/// Lookups in the embedded resources, plus a set of protected words.
#[derive(Debug, Clone)]
pub struct Lexicon {
    protected: Words,
    /// Hunspell look-ups made through this lexicon (and its clones).
    hunspell_calls: Arc<AtomicUsize>,
}

impl Default for Lexicon {
    /// The embedded resources and the protected words of `rules/words/`.
    fn default() -> Self {
        let mut protected = Words::default();
        for (name, text) in resources::embedded_word_files() {
            protected
                .add_file(&format!("rules/words/{name}"), text)
                .expect("the embedded word files are valid");
        }
        Lexicon {
            protected,
            hunspell_calls: Arc::default(),
        }
    }
}

impl Lexicon {
    /// The embedded resources with no protected words at all.
    pub fn without_words() -> Self {
        Lexicon {
            protected: Words::default(),
            hunspell_calls: Arc::default(),
        }
    }

    /// How many times this lexicon (or a clone) has asked Hunspell about a word. Hunspell is
    /// the slow lookup: repairs ask it only about candidates, and this lets tests check that.
    pub fn hunspell_calls(&self) -> usize {
        self.hunspell_calls.load(Ordering::Relaxed)
    }

    /// Add protected words from a file's text (`name` is used in error messages).
    pub fn add_words(&mut self, name: &str, text: &str) -> Result<(), Error> {
        self.protected.add_file(name, text)
    }

    /// The protected words.
    pub fn protected_words(&self) -> &Words {
        &self.protected
    }

    /// Whether `word` is a protected word (valid, never changed).
    pub fn is_protected(&self, word: &str) -> bool {
        self.protected.contains(word)
    }

    /// Whether `word` is a valid word of `lang`: protected, accepted by the Hunspell
    /// dictionary, an elision of a valid word ("l'homme"), or a hyphenated compound that is
    /// valid whole or in each of its parts. Always false for languages without a dictionary.
    pub fn is_word(&self, lang: Lang, word: &str) -> bool {
        let word = fold_apostrophes(word.trim());
        if word.is_empty() {
            return false;
        }
        if self.is_protected(&word) {
            return true;
        }
        let Some(dict) = resources::dictionary(lang) else {
            return false;
        };
        self.is_word_in(dict, lang, &word, true)
    }

    /// Whether the dictionary of `lang` lists `word`, a hyphenated compound, as an entry of
    /// its own ("peut-être", "arc-en-ciel"). Hunspell itself accepts any hyphenated pair of
    /// valid words (its BREAK rule), so that cannot tell a compound from a word broken in two;
    /// this can. Protected words count as listed.
    pub fn is_listed_compound(&self, lang: Lang, word: &str) -> bool {
        let word = fold_apostrophes(word.trim());
        self.is_protected(&word)
            || resources::listed_compounds(lang)
                .is_some_and(|set| set.contains(&word.to_lowercase()))
    }

    fn is_word_in(
        &self,
        dict: &spellbook::Dictionary,
        lang: Lang,
        word: &str,
        split_compounds: bool,
    ) -> bool {
        if resources::hunspell_check(dict, word, &self.hunspell_calls) {
            return true;
        }
        if let Some(rest) = elided(lang, word)
            && !rest.is_empty()
            && (self.is_protected(rest) || self.is_word_in(dict, lang, rest, split_compounds))
        {
            return true;
        }
        if split_compounds && word.contains('-') {
            let mut parts = word.split('-');
            return parts.clone().count() > 1
                && parts.all(|p| {
                    !p.is_empty() && (self.is_protected(p) || self.is_word_in(dict, lang, p, false))
                });
        }
        false
    }

    /// The Zipf frequency of `word` in `lang` (about 1 for one in 100 million words, 7 for
    /// the commonest), or `None` when the word is not in the list. An elision takes the
    /// frequency of the elided word ("l'homme": "homme"); a hyphenated compound missing from
    /// the list takes that of its rarest part.
    pub fn frequency(&self, lang: Lang, word: &str) -> Option<f32> {
        let map = resources::frequencies(lang)?;
        // (Most words start and end with an ASCII letter: nothing to trim.)
        let plain = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
        let bytes = word.as_bytes();
        let word = if plain(bytes.first()) && plain(bytes.last()) {
            word
        } else {
            word.trim()
        };
        resources::frequency_memo(lang, word, || {
            frequency_of(map, lang, &lookup_key(word), true)
        })
    }

    /// Where `word` may be hyphenated in `lang`, as character indices: a break may go before
    /// the character at each index ("révolution": 2, 4, 6 for ré-vo-lu-tion). The patterns
    /// leave at least two characters before a break and three after it. In a compound, each
    /// part is hyphenated and the hyphens themselves are not listed; in an elision, only the
    /// elided word is.
    pub fn hyphenation_points(&self, lang: Lang, word: &str) -> Vec<usize> {
        let Some(hyphenator) = resources::hyphenator(lang) else {
            return Vec::new();
        };
        let mut points = Vec::new();
        let mut offset = 0; // in characters
        for part in word.split('-') {
            let (skip, stem) = match elided(lang, &fold_apostrophes(part)) {
                Some(rest) => {
                    let skip = part.chars().count() - rest.chars().count();
                    (skip, part.chars().skip(skip).collect::<String>())
                }
                None => (0, part.to_owned()),
            };
            points.extend(
                word_breaks(hyphenator, &stem)
                    .into_iter()
                    .map(|p| p + offset + skip),
            );
            offset += part.chars().count() + 1;
        }
        points
    }
}

fn frequency_of(
    map: &fst::Map<&'static [u8]>,
    lang: Lang,
    key: &str,
    split_compounds: bool,
) -> Option<f32> {
    if let Some(v) = map.get(key) {
        return Some(v as f32 / 100.0);
    }
    if let Some(rest) = elided(lang, key)
        && let Some(f) = frequency_of(map, lang, rest, split_compounds)
    {
        return Some(f);
    }
    if split_compounds && key.contains('-') {
        let mut min = f32::INFINITY;
        for part in key.split('-') {
            min = min.min(frequency_of(map, lang, part, false)?);
        }
        return min.is_finite().then_some(min);
    }
    None
}

/// The character-index breaks of one simple word, lower-cased one character for one, so the
/// indices hold for the word as written.
fn word_breaks(hyphenator: &hyphenation::Standard, word: &str) -> Vec<usize> {
    use hyphenation::Hyphenator as _;
    if word.is_empty() {
        return Vec::new();
    }
    let lower: String = word
        .chars()
        .map(|c| c.to_lowercase().next().unwrap_or(c))
        .collect();
    let hyphenated = hyphenator.hyphenate(&lower);
    hyphenated
        .breaks
        .iter()
        .map(|&byte| lower[..byte].chars().count())
        .collect()
}

/// The word after a French elision ("l'homme" → "homme"), if `word` is one. The apostrophe
/// must already be folded to '.
fn elided(lang: Lang, word: &str) -> Option<&str> {
    if lang != Lang::Fr {
        return None;
    }
    let (head, rest) = word.split_once('\'')?;
    FRENCH_ELISIONS
        .iter()
        .any(|e| head.eq_ignore_ascii_case(e))
        .then_some(rest)
}

/// The key of a word in the frequency lists: lower case, apostrophes folded. Borrowed (no
/// allocation) when the word is already in that form, as most running-text words are.
fn lookup_key(word: &str) -> Cow<'_, str> {
    let plain = if word.is_ascii() {
        !word.bytes().any(|b| b.is_ascii_uppercase())
    } else {
        !word
            .chars()
            .any(|c| c.is_uppercase() || matches!(c, '\u{2019}' | '\u{2bc}'))
    };
    if plain {
        Cow::Borrowed(word)
    } else {
        Cow::Owned(fold_apostrophes(word).to_lowercase())
    }
}

/// ’ (U+2019) and ʼ (U+02BC) as the ASCII apostrophe, borrowed when there is none.
pub fn fold_apostrophes(word: &str) -> Cow<'_, str> {
    if word.contains(['\u{2019}', '\u{2bc}']) {
        Cow::Owned(word.replace(['\u{2019}', '\u{2bc}'], "'"))
    } else {
        Cow::Borrowed(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elisions() {
        assert_eq!(elided(Lang::Fr, "l'homme"), Some("homme"));
        assert_eq!(elided(Lang::Fr, "Qu'il"), Some("il"));
        assert_eq!(elided(Lang::Fr, "aujourd'hui"), None);
        assert_eq!(elided(Lang::En, "l'homme"), None);
    }

    #[test]
    fn apostrophes_fold() {
        assert_eq!(fold_apostrophes("l’homme"), "l'homme");
        assert!(matches!(fold_apostrophes("homme"), Cow::Borrowed(_)));
    }
}
