//! Protected words: valid in every language and never changed by a repair.

use rustc_hash::FxHashSet as HashSet;

use crate::Error;

/// A set of protected words, read from word files (one word per line, `#` comments).
///
/// An all-lower-case entry protects the word in any case ("politburo" protects "Politburo");
/// an entry with capitals protects that spelling and its ALL CAPS form.
#[derive(Debug, Clone, Default)]
pub struct Words {
    exact: HashSet<String>,
    any_case: HashSet<String>,
}

impl Words {
    /// Add the words of one file. `name` is used in error messages.
    pub fn add_file(&mut self, name: &str, text: &str) -> Result<(), Error> {
        for (n, line) in text.lines().enumerate() {
            let word = line.trim();
            if word.is_empty() || word.starts_with('#') {
                continue;
            }
            if word.contains(char::is_whitespace) {
                return Err(Error::Config {
                    name: name.to_owned(),
                    line: n + 1,
                    message: format!("{word:?}: one word per line (no spaces)"),
                });
            }
            let word = super::fold_apostrophes(word);
            if word.chars().any(char::is_uppercase) {
                self.exact.insert(word.to_uppercase());
                self.exact.insert(word.into_owned());
            } else {
                self.any_case.insert(word.into_owned());
            }
        }
        Ok(())
    }

    /// Whether `word` is protected.
    pub fn contains(&self, word: &str) -> bool {
        let word = super::fold_apostrophes(word);
        if self.exact.contains(word.as_ref()) {
            return true;
        }
        if self.any_case.is_empty() {
            return false;
        }
        // Lower-case ASCII is its own lower case; anything else is lower-cased.
        if word
            .bytes()
            .any(|b| !b.is_ascii() || b.is_ascii_uppercase())
        {
            self.any_case.contains(&word.to_lowercase())
        } else {
            self.any_case.contains(word.as_ref())
        }
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.exact.len() + self.any_case.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A lower-case entry protects the word in any case, accents included.
    #[test]
    fn lower_case_entries_protect_every_case() {
        let mut words = Words::default();
        words.add_file("t", "élysée\npolitburo\nMoscou\n").unwrap();
        for w in [
            "élysée",
            "Élysée",
            "ÉLYSÉE",
            "Politburo",
            "Moscou",
            "MOSCOU",
        ] {
            assert!(words.contains(w), "{w}");
        }
        assert!(!words.contains("moscou"));
    }
}
