//! `nfc`: canonical composition (Unicode NFC).
//!
//! Runs right after [`super::unicode`], so that text uncovered by its edits (a ligature spelt
//! out before a combining accent, a control character removed between a letter and its accent)
//! is composed too. Language-neutral.

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
use unicode_segmentation::UnicodeSegmentation;

use super::Pass;
use crate::edit::Edit;
use crate::pipeline::Context;
use crate::rules::Rule;

pub const NFC: Rule = Rule {
    id: "unicode-nfc",
    pass: "nfc",
    summary: "Compose characters to Unicode NFC",
    what: "A letter followed by a combining accent (e + U+0301) becomes the precomposed letter \
           (é), and other canonically equivalent sequences become their NFC form. Each changed \
           character cluster is one edit.",
    why: "PDF text layers and some OCR engines emit decomposed accents. They look the same but \
          do not match in search, dictionaries or comparisons.",
    example_before: "e\u{301}crit",
    example_after: "écrit\n",
    risks: "None for reading text: NFC is canonically equivalent. A few CJK compatibility \
            ideographs are mapped to their unified forms, as NFC requires.",
    layout: false,
    example_lang: crate::Lang::Unknown,
};

/// The `nfc` pass.
pub struct Nfc;

impl Pass for Nfc {
    fn local(&self) -> bool {
        true
    }

    fn id(&self) -> &'static str {
        "nfc"
    }

    fn rules(&self) -> &'static [Rule] {
        &[NFC]
    }

    fn run(&self, text: &str, _ctx: &Context<'_>) -> Vec<Edit> {
        let mut edits = Vec::new();
        nfc_edits(text, &mut edits);
        edits
    }
}

/// NFC edits, one per changed grapheme cluster (or per line, in the rare case where clusters
/// normalised one by one differ from the line normalised whole).
/// Whether `text` is plainly in NFC (`is_nfc_quick` says yes), asked only of its runs of
/// characters beyond ASCII: ASCII is in NFC, and of combining class 0, so it takes no part in
/// the check but to start each run afresh.
fn plainly_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        let start = super::words::find_byte(bytes, i, |b| !b.is_ascii());
        if start == bytes.len() {
            return true;
        }
        let end = bytes[start..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |n| start + n);
        if is_nfc_quick(text[start..end].chars()) != IsNormalized::Yes {
            return false;
        }
        i = end;
    }
}

fn nfc_edits(text: &str, edits: &mut Vec<Edit>) {
    if plainly_nfc(text) {
        return;
    }
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        if plainly_nfc(line) {
            continue;
        }
        let whole: String = line.nfc().collect();
        if whole == line {
            continue;
        }
        let mut pieces = Vec::new();
        let mut joined = String::with_capacity(whole.len());
        for (i, cluster) in line.grapheme_indices(true) {
            if cluster.is_ascii() {
                joined.push_str(cluster);
                continue;
            }
            let nfc: String = cluster.nfc().collect();
            joined.push_str(&nfc);
            if nfc != cluster {
                pieces.push((start + i..start + i + cluster.len(), nfc));
            }
        }
        if joined != whole {
            pieces = vec![(start..start + line.len(), whole)];
        }
        for (range, nfc) in pieces {
            let evidence = format!(
                "NFC: {} -> {}",
                code_points(&text[range.clone()]),
                code_points(&nfc)
            );
            edits.extend(Edit::minimal(text, range, &nfc, NFC.id, 1.0, evidence));
        }
    }
}

fn code_points(s: &str) -> String {
    s.chars()
        .map(|c| format!("U+{:04X}", c as u32))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Asking only the runs beyond ASCII gives the quick check's answer on the whole.
        #[test]
        fn plainly_nfc_is_the_quick_check(
            text in "([a-z ]{0,40}[\u{300}\u{301}\u{327}éeÅ\u{212b}\u{1e0b}\u{323}]{0,3}){0,6}"
        ) {
            proptest::prop_assert_eq!(
                plainly_nfc(&text),
                is_nfc_quick(text.chars()) == IsNormalized::Yes
            );
        }
    }
}
