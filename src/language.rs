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
    let sample = sample(text);
    if sample.chars().filter(|c| c.is_alphabetic()).count() < MIN_LETTERS {
        return Lang::Unknown;
    }
    if let Some(lang) = plainly(&sample) {
        return lang;
    }
    match whatlang::detect(&sample) {
        Some(info) if info.is_reliable() => from_whatlang(info.lang()),
        _ => Lang::Unknown,
    }
}

/// What detection reads of `text`: its first 4 KB, words only, one space between them,
/// hyphenated line ends joined.
fn sample(text: &str) -> String {
    let mut end = text.len().min(SAMPLE);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    // Words only, one space between them, hyphenated line ends joined: cleaning changes
    // spaces and line breaks, and the language of the cleaned text must be the language of
    // the raw text (or a second run would make other repairs).
    let mut visible = text[..end]
        .chars()
        .filter(|&c| !crate::canonical::is_forbidden(c) && !matches!(c, '\u{200c}' | '\u{200d}'))
        .peekable();
    let mut out = String::with_capacity(end);
    let mut space = false;
    while let Some(c) = visible.next() {
        if c == '-' && visible.next_if_eq(&'\n').is_some() {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// Whether `word` is a French or an English marker. French markers are words frequent in
/// French prose and rare in the other languages written in Latin script (so not "les", "des",
/// "est", "qui": Catalan and Latin have them; nor "mais", "lui", "du", "au": Portuguese,
/// Italian, German, Romanian); English ones likewise (not "to", "is", "was", "for": Polish,
/// Czech, Dutch, German, the Scandinavian languages have them). A `match`: this runs on every
/// word of every sample.
fn marker(word: &str) -> Option<Lang> {
    match word {
        "une" | "dans" | "pour" | "sur" | "avec" | "cette" | "sont" | "nous" | "vous" | "ils"
        | "elle" | "elles" | "leur" | "leurs" | "été" | "être" | "ces" | "fait" | "comme"
        | "tout" | "ont" | "avait" | "était" | "aussi" | "sans" | "peut" | "très" | "même"
        | "ainsi" | "entre" | "après" | "donc" => Some(Lang::Fr),
        "the" | "and" | "of" | "that" | "with" | "this" | "which" | "are" | "have" | "from"
        | "be" | "were" | "his" | "their" | "they" | "been" | "has" | "but" | "had" | "it"
        | "would" | "there" | "not" => Some(Lang::En),
        _ => None,
    }
}

/// Words a sample needs before its markers decide.
const MIN_MARKED_SAMPLE: usize = 50;

/// The language of a sample that is plainly French or plainly English, without whatlang:
/// at least 50 words, at least 5% of them French markers and fewer than 1% English ones (or
/// 12% English markers and under 1% French ones). whatlang costs about 0.2 ms a call, which
/// is most of the time spent on a short document; any other sample (a mixed one, another
/// language, a short one) is left to whatlang. The test `markers_agree_with_whatlang`
/// checks both agree on every French and English text of the repository.
fn plainly(sample: &str) -> Option<Lang> {
    let (mut words, mut fr, mut en) = (0usize, 0usize, 0usize);
    for word in sample.split(|c: char| !c.is_alphabetic()) {
        if word.is_empty() {
            continue;
        }
        words += 1;
        if word.len() > 6 {
            continue;
        }
        // "The", "Dans" at the start of a sentence; not "THE" or "NOUS".
        let lower;
        let word = if word.starts_with(char::is_uppercase) {
            lower = word.to_lowercase();
            if word.chars().skip(1).any(char::is_uppercase) {
                continue;
            }
            lower.as_str()
        } else {
            word
        };
        match marker(word) {
            Some(Lang::Fr) => fr += 1,
            Some(_) => en += 1,
            None => {}
        }
    }
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

    proptest::proptest! {
        /// The one-pass sample is the sample as first written: characters that cleaning
        /// removes left out, hyphenated line ends joined, words with one space between them.
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
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            proptest::prop_assert_eq!(sample(&text), slow);
        }
    }

    /// Every text of the repository in French or English, as (path, text).
    fn repository_texts() -> Vec<(String, String)> {
        let root = env!("CARGO_MANIFEST_DIR");
        let mut out = Vec::new();
        let mut stack: Vec<std::path::PathBuf> = ["raw", "cleaned", "quality", "tests/fixtures"]
            .iter()
            .map(|d| std::path::Path::new(root).join(d))
            .collect();
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "txt")
                    && let Ok(text) = std::fs::read_to_string(&path)
                {
                    out.push((path.display().to_string(), text));
                }
            }
        }
        out
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
}
