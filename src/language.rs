//! Language: which language a document is in, and which spans of it are in another one.

use std::ops::Range;

use whatlang::Lang as W;

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

/// The language of a text, from its first 4 KB. Detection that whatlang itself does not call
/// reliable, or a text of fewer than 40 letters, gives [`Lang::Unknown`], so a short or mixed
/// text gets only the language-neutral passes. Characters that cleaning removes (soft hyphens,
/// zero-width and control characters) are left out first, so a text and its cleaned form are
/// judged alike.
pub fn detect(text: &str) -> Lang {
    let mut end = text.len().min(SAMPLE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // Words only, one space between them, hyphenated line ends joined: cleaning changes
    // spaces and line breaks, and the language of the cleaned text must be the language of
    // the raw text (or a second run would make other repairs).
    let visible: String = text[..end]
        .chars()
        .filter(|&c| !crate::canonical::is_forbidden(c) && !matches!(c, '\u{200c}' | '\u{200d}'))
        .collect();
    let sample = visible
        .replace("-\n", "")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return Lang::Unknown;
    }
    match whatlang::detect(&sample) {
        Some(info) if info.is_reliable() => from_whatlang(info.lang()),
        _ => Lang::Unknown,
    }
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

/// Spans of `text` (byte ranges) written in a language other than `lang`: lines, and passages
/// between « » or “ ” or ( ), of at least four words, that whatlang places in another
/// language, reliably and with a third of its words not common words of `lang`, or with a
/// confidence of at least 0.5 and half of them not common (by the frequency list: Hunspell is
/// not asked). Repairs that depend on the language make no edit
/// inside them.
pub fn foreign_spans(text: &str, lang: Lang, lexicon: &Lexicon) -> Vec<Range<usize>> {
    if !matches!(lang, Lang::Fr | Lang::En) {
        return Vec::new();
    }
    let mut spans = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        spans.extend(line_spans(text, start..start + line.len(), lang, lexicon));
        start += line.len();
    }
    spans
}

/// The foreign spans of one line (`line` is its byte range in `text`, line feed included or
/// not): what [`foreign_spans`] finds there.
fn line_spans(text: &str, line: Range<usize>, lang: Lang, lexicon: &Lexicon) -> Vec<Range<usize>> {
    let range = line.start..line.start + text[line].trim_end().len();
    let mut spans = Vec::new();
    if range.is_empty() {
        return spans;
    }
    // Quoted passages first, so that a foreign title does not take its French line with it;
    // then the whole line.
    for inner in quoted(&text[range.clone()]) {
        let inner = range.start + inner.start..range.start + inner.end;
        if is_foreign(&text[inner.clone()], lang, lexicon) {
            spans.push(inner);
        }
    }
    if spans.is_empty() && is_foreign(&text[range.clone()], lang, lexicon) {
        spans.push(range);
    }
    spans
}

/// [`foreign_spans`] asked line by line, for the lines an edit touches only: the same answers,
/// without judging the lines no edit is proposed in.
#[derive(Debug)]
pub struct ForeignSpans<'a> {
    text: &'a str,
    lang: Lang,
    lexicon: &'a Lexicon,
    /// Lines already judged: their start, and their foreign spans.
    lines: std::collections::HashMap<usize, Vec<Range<usize>>>,
}

impl<'a> ForeignSpans<'a> {
    pub fn new(text: &'a str, lang: Lang, lexicon: &'a Lexicon) -> Self {
        ForeignSpans {
            text,
            lang,
            lexicon,
            lines: std::collections::HashMap::new(),
        }
    }

    /// Whether a foreign span overlaps `range` of the text (an empty range counts as its
    /// first character).
    pub fn overlaps(&mut self, range: &Range<usize>) -> bool {
        if !matches!(self.lang, Lang::Fr | Lang::En) {
            return false;
        }
        let (a, b) = (range.start, range.end.max(range.start + 1));
        let bytes = self.text.as_bytes();
        let mut start = bytes[..a.min(bytes.len())]
            .iter()
            .rposition(|&c| c == b'\n')
            .map_or(0, |i| i + 1);
        while start < b && start < bytes.len() {
            let end = bytes[start..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(bytes.len(), |i| start + i + 1);
            let (text, lang, lexicon) = (self.text, self.lang, self.lexicon);
            let spans = self
                .lines
                .entry(start)
                .or_insert_with(|| line_spans(text, start..end, lang, lexicon));
            if spans.iter().any(|s| s.start < b && a < s.end) {
                return true;
            }
            start = end;
        }
        false
    }
}

/// Passages between « », “ ” and ( ) within a line, as byte ranges of the line.
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
    let words: Vec<&str> = span
        .split(|c: char| !c.is_alphabetic() && c != '\'' && c != '’')
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if words.len() < MIN_WORDS {
        return false;
    }
    let rare = words
        .iter()
        .filter(|w| {
            !lexicon.is_protected(w)
                && lexicon
                    .frequency(lang, w)
                    .is_none_or(|zipf| zipf < COMMON_ZIPF)
        })
        .count();
    if rare * 3 < words.len() {
        return false;
    }
    // whatlang must place it in another language: reliably with a third of its words rare in
    // `lang`, or with some confidence and half of them rare.
    whatlang::detect(span).is_some_and(|info| {
        from_whatlang(info.lang()) != lang
            && ((info.is_reliable() && rare * 3 >= words.len())
                || (info.confidence() >= MIN_CONFIDENCE && rare * 2 >= words.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_passages() {
        let line = "Tiré de « Comunismo de Consejos » (et autre) 07/01/2022";
        let spans: Vec<&str> = quoted(line).into_iter().map(|r| &line[r]).collect();
        assert_eq!(spans, [" Comunismo de Consejos ", "et autre"]);
    }
}
