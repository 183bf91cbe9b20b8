//! A synthetic OCR corpus with exact gold: clean text in, OCR-like raw text and its gold out.
//!
//! The gold is the clean text in canonical form with one paragraph per line. The raw text is
//! that text typeset at a width, with end-of-line hyphenation at valid break points, pages
//! whose breaks fall mid-sentence with a running header or a page number, and the damage OCR
//! and PDF extraction do: split ligatures ("afi n"), ligature code points, "1a" for "la" and
//! "1'" for "l'", soft hyphens, doubled spaces, trailing blanks, stray spaces before
//! punctuation, CRLF line ends. Everything is drawn from a seeded generator: the same text,
//! options and seed give the same output, byte for byte.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::{Lang, Lexicon};

/// What to do, and how often. Rates are probabilities per opportunity (per word, line, or
/// space, as documented on each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DegradeOptions {
    /// Line width in characters.
    pub width: usize,
    /// Lines per page (0: no pages).
    pub page_lines: usize,
    /// Running header text.
    pub title: String,
    /// Per word that does not fit at a line end: hyphenate it at a valid break point.
    pub hyphenate: f64,
    /// Per ligature (fi fl ff ffi ffl) inside a word: a space after it ("afi n").
    pub lig_split: f64,
    /// Per ligature inside a word: its code point (ﬁ).
    pub lig_codepoint: f64,
    /// Per "la" word and per "l'" elision: "1a", "1'".
    pub one_for_l: f64,
    /// Per end-of-line hyphen: a soft hyphen instead; also per long word: a soft hyphen at a
    /// break point inside the line.
    pub soft_hyphen: f64,
    /// Per space: two spaces.
    pub double_space: f64,
    /// Per line: blanks at its end.
    pub trailing_blank: f64,
    /// Per word ending with , or .: a space before that punctuation.
    pub space_before_punct: f64,
    /// CRLF line ends.
    pub crlf: bool,
}

impl Default for DegradeOptions {
    fn default() -> Self {
        DegradeOptions {
            width: 64,
            page_lines: 40,
            title: String::from("DOCUMENT"),
            hyphenate: 0.8,
            lig_split: 0.15,
            lig_codepoint: 0.05,
            one_for_l: 0.08,
            soft_hyphen: 0.05,
            double_space: 0.01,
            trailing_blank: 0.3,
            space_before_punct: 0.02,
            crlf: false,
        }
    }
}

/// A raw text and its exact gold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Degraded {
    pub raw: String,
    pub gold: String,
}

/// The gold of a clean text: its paragraphs (blocks separated by blank lines), each on one
/// line, separated by one blank line, with one final newline.
pub fn gold_of(clean: &str) -> String {
    let paragraphs = paragraphs(clean);
    if paragraphs.is_empty() {
        return String::new();
    }
    paragraphs.join("\n\n") + "\n"
}

fn paragraphs(clean: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in clean.lines().chain(std::iter::once("")) {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(current.join(" "));
                current.clear();
            }
        } else {
            current.extend(line.split_whitespace());
        }
    }
    out
}

const LIGATURES: [(&str, char); 5] = [
    ("ffi", '\u{fb03}'),
    ("ffl", '\u{fb04}'),
    ("ff", '\u{fb00}'),
    ("fi", '\u{fb01}'),
    ("fl", '\u{fb02}'),
];

/// Degrade `clean` (in language `lang`, for hyphenation) with `options`, drawing from `seed`.
pub fn degrade(
    clean: &str,
    lang: Lang,
    lexicon: &Lexicon,
    options: &DegradeOptions,
    seed: u64,
) -> Degraded {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let gold = gold_of(clean);
    let width = options.width.max(10);
    // Page furniture style for this document: a running header with the page number, or a
    // centred page number at the foot of the page.
    let header_style = rng.random_bool(0.5);
    let mut lines: Vec<String> = Vec::new();
    for paragraph in paragraphs(clean) {
        let units = corrupt_words(&paragraph, lexicon, lang, options, &mut rng);
        typeset(&units, width, lang, lexicon, options, &mut rng, &mut lines);
        lines.push(String::new());
    }
    lines.pop();
    // Pages: furniture between every `page_lines` lines, wherever that falls.
    let mut raw = String::with_capacity(gold.len() * 11 / 10);
    let mut page = 1;
    for (i, line) in lines.iter().enumerate() {
        if options.page_lines > 0 && i > 0 && i % options.page_lines == 0 {
            page += 1;
            if header_style {
                let header = if page % 2 == 0 {
                    format!("{page}  {}", options.title)
                } else {
                    format!("{}  {page}", options.title)
                };
                raw.push_str(&format!("\n\n{header}\n\n"));
            } else {
                raw.push_str(&format!("\n\n— {} —\n\n\n", page - 1));
            }
        }
        raw.push_str(line);
        if rng.random_bool(options.trailing_blank.clamp(0.0, 1.0)) {
            raw.push_str(if rng.random_bool(0.5) { " " } else { "  " });
        }
        raw.push('\n');
    }
    if options.crlf {
        raw = raw.replace('\n', "\r\n");
    }
    Degraded { raw, gold }
}

/// A word as it will be typeset: its text (which may now hold a space, for a split ligature),
/// and whether it may be hyphenated at a line end.
struct Unit {
    text: String,
    hyphenable: bool,
}

fn corrupt_words(
    paragraph: &str,
    lexicon: &Lexicon,
    lang: Lang,
    options: &DegradeOptions,
    rng: &mut ChaCha8Rng,
) -> Vec<Unit> {
    let p = |rate: f64| rate.clamp(0.0, 1.0);
    let mut units = Vec::new();
    for word in paragraph.split_whitespace() {
        let mut text = word.to_owned();
        let mut hyphenable = true;
        if (text == "la" || text.starts_with("l'") || text.starts_with("l’"))
            && rng.random_bool(p(options.one_for_l))
        {
            text.replace_range(0..1, "1");
            hyphenable = false;
        }
        // Ligatures inside the word (not at its very end): split or code point.
        if let Some((at, lig, cp)) = LIGATURES.iter().find_map(|&(lig, cp)| {
            text.find(lig)
                .filter(|&at| at + lig.len() < text.len())
                .map(|at| (at, lig, cp))
        }) {
            let after = &text[at + lig.len()..];
            let next_is_letter = after.chars().next().is_some_and(char::is_alphabetic);
            if next_is_letter && rng.random_bool(p(options.lig_split)) {
                text.insert(at + lig.len(), ' ');
                hyphenable = false;
            } else if rng.random_bool(p(options.lig_codepoint)) {
                text.replace_range(at..at + lig.len(), &cp.to_string());
                hyphenable = false;
            }
        }
        // A soft hyphen inside the word, at a valid break point.
        if hyphenable && text.chars().count() >= 8 && rng.random_bool(p(options.soft_hyphen)) {
            let points = lexicon.hyphenation_points(lang, &text);
            if !points.is_empty() {
                let at = points[rng.random_range(0..points.len())];
                let byte = text.char_indices().nth(at).map_or(text.len(), |(b, _)| b);
                text.insert(byte, '\u{ad}');
                hyphenable = false;
            }
        }
        if (text.ends_with(',') || text.ends_with('.'))
            && text.len() > 1
            && rng.random_bool(p(options.space_before_punct))
        {
            let at = text.len() - 1;
            text.insert(at, ' ');
            hyphenable = false;
        }
        units.push(Unit { text, hyphenable });
    }
    units
}

/// Greedy typesetting of `units` at `width`, appending lines to `lines`.
fn typeset(
    units: &[Unit],
    width: usize,
    lang: Lang,
    lexicon: &Lexicon,
    options: &DegradeOptions,
    rng: &mut ChaCha8Rng,
    lines: &mut Vec<String>,
) {
    let p = |rate: f64| rate.clamp(0.0, 1.0);
    let mut line = String::new();
    let mut len = 0; // characters in `line`
    for unit in units {
        let mut rest: String = unit.text.clone();
        loop {
            let rest_len = rest.chars().count();
            let sep = if len == 0 {
                ""
            } else if rng.random_bool(p(options.double_space)) {
                "  "
            } else {
                " "
            };
            if len + sep.len() + rest_len <= width || len == 0 && rest_len > width {
                line.push_str(sep);
                line.push_str(&rest);
                len += sep.len() + rest_len;
                break;
            }
            // It does not fit: hyphenate it, or carry it to the next line whole.
            let room = width.saturating_sub(len + sep.len() + 1);
            let split = if unit.hyphenable && rng.random_bool(p(options.hyphenate)) {
                break_point(&rest, room, lang, lexicon)
            } else {
                None
            };
            match split {
                Some((at, explicit)) => {
                    let byte = rest.char_indices().nth(at).map_or(rest.len(), |(b, _)| b);
                    let head = &rest[..byte];
                    let mark = if explicit {
                        "" // a compound's own hyphen
                    } else if rng.random_bool(p(options.soft_hyphen)) {
                        "\u{ad}"
                    } else {
                        "-"
                    };
                    line.push_str(sep);
                    line.push_str(head);
                    line.push_str(mark);
                    lines.push(std::mem::take(&mut line));
                    len = 0;
                    rest = rest[byte..].to_owned();
                }
                None => {
                    lines.push(std::mem::take(&mut line));
                    len = 0;
                }
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
}

/// The last place `word` may be broken with at most `room` characters before the break:
/// after a hyphen of its own (`true`), or at a hyphenation point of a word of letters.
fn break_point(word: &str, room: usize, lang: Lang, lexicon: &Lexicon) -> Option<(usize, bool)> {
    let chars: Vec<char> = word.chars().collect();
    // After an explicit hyphen ("grand-" / "russe"), keeping the hyphen.
    if let Some(i) = (1..chars.len().saturating_sub(1))
        .rev()
        .find(|&i| chars[i] == '-' && i < room && chars[i + 1].is_alphabetic())
    {
        return Some((i + 1, true));
    }
    if !chars.iter().all(|c| c.is_alphabetic()) {
        // Keep trailing punctuation with the word: hyphenate the letters only.
        let letters = chars.iter().take_while(|c| c.is_alphabetic()).count();
        if letters < 5 || chars[letters..].iter().any(|c| c.is_alphabetic()) {
            return None;
        }
    }
    let letters: String = chars.iter().take_while(|c| c.is_alphabetic()).collect();
    lexicon
        .hyphenation_points(lang, &letters)
        .into_iter()
        .filter(|&p| p <= room)
        .max()
        .map(|p| (p, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_has_one_paragraph_per_line() {
        assert_eq!(
            gold_of("Un deux\ntrois.\n\n\nQuatre\n"),
            "Un deux trois.\n\nQuatre\n"
        );
        assert_eq!(gold_of("\n \n"), "");
    }
}

/// A recipe: which sources to degrade, with which seeds and options. Loaded from TOML.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipe {
    #[serde(rename = "doc")]
    pub docs: Vec<RecipeDoc>,
}

/// One document of a recipe.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecipeDoc {
    /// The clean source, relative to the recipe file.
    pub source: String,
    /// Its language (for hyphenation): "fr" or "en".
    pub lang: crate::LangSetting,
    pub seed: u64,
    /// Options; the title defaults to one made from the file name.
    #[serde(default)]
    pub options: Option<DegradeOptions>,
}

impl Recipe {
    /// Parse a recipe; errors name the file and the line.
    pub fn from_toml(name: &str, text: &str) -> Result<Self, crate::Error> {
        crate::settings::parse_toml(name, text)
    }
}

impl Recipe {
    /// Degrade every document. `read` gives the text of a source (its path as written in the
    /// recipe). Returns the output file names with their raw text and gold.
    pub fn generate<E>(
        &self,
        lexicon: &Lexicon,
        mut read: impl FnMut(&str) -> Result<String, E>,
    ) -> Result<Vec<(String, Degraded)>, E> {
        let mut out = Vec::with_capacity(self.docs.len());
        for doc in &self.docs {
            let text = read(&doc.source)?;
            let stem = std::path::Path::new(&doc.source)
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let mut options = doc.options.clone().unwrap_or_default();
            if options.title == DegradeOptions::default().title {
                options.title = title_from_stem(&stem);
            }
            let lang = match doc.lang {
                crate::LangSetting::En => Lang::En,
                _ => Lang::Fr,
            };
            let name = output_name(&stem, doc.seed);
            if out.iter().any(|(n, _)| *n == name) {
                // Two documents with the same stem and seed: keep the first, like a collision
                // check would refuse; callers check names up front.
                continue;
            }
            out.push((name, degrade(&text, lang, lexicon, &options, doc.seed)));
        }
        Ok(out)
    }

    /// Output names that two documents share (they would overwrite each other).
    pub fn collisions(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.docs
            .iter()
            .map(|d| {
                let stem = std::path::Path::new(&d.source)
                    .file_stem()
                    .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
                output_name(&stem, d.seed)
            })
            .filter(|n| !seen.insert(n.clone()))
            .collect()
    }
}

/// The running-header title made from a file stem ("zola_germinal" → "ZOLA GERMINAL").
pub fn title_from_stem(stem: &str) -> String {
    stem.replace(['_', '-'], " ").to_uppercase()
}

/// The output file name for a source stem and a seed ("zola_germinal-s1.txt").
pub fn output_name(stem: &str, seed: u64) -> String {
    format!("{stem}-s{seed}.txt")
}
