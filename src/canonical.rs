//! The canonical cleaned form, as a check.
//!
//! Cleaned text is UTF-8 (a Rust `str`), NFC, with LF line ends, no trailing blanks, no
//! blank line at the start, blocks separated by exactly one blank line, and one final newline
//! (or nothing at all for an empty text). It holds no control characters but newline and tab,
//! no zero-width characters, soft hyphens or ligature code points.

use unicode_normalization::{IsNormalized, is_nfc_quick};

/// Why a text is not in canonical form; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    #[error("not NFC")]
    NotNfc,
    #[error("line {line}: trailing blank")]
    TrailingBlank { line: usize },
    #[error("line {line}: more than one blank line in a row, or a blank line at the start")]
    BlankLines { line: usize },
    #[error("line {line}: character U+{code:04X} not allowed in cleaned text")]
    Char { line: usize, code: u32 },
    #[error("does not end with exactly one newline")]
    FinalNewline,
}

/// Characters that never appear in cleaned text.
pub fn is_forbidden(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{ad}' | '\u{200b}' | '\u{2060}' | '\u{feff}'
        | '\u{2028}' | '\u{2029}'
        | '\u{fb00}'..='\u{fb06}')
}

/// Check that `text` is in canonical cleaned form.
pub fn check(text: &str) -> Result<(), Violation> {
    if text.is_empty() {
        return Ok(());
    }
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => {}
        _ => {
            if !unicode_normalization::is_nfc(text) {
                return Err(Violation::NotNfc);
            }
        }
    }
    if !text.ends_with('\n') || text.ends_with("\n\n") {
        return Err(Violation::FinalNewline);
    }
    let mut blank_run = 0;
    for (i, line) in text[..text.len() - 1].split('\n').enumerate() {
        let n = i + 1;
        if let Some(c) = line.chars().find(|&c| is_forbidden(c)) {
            return Err(Violation::Char {
                line: n,
                code: c as u32,
            });
        }
        if line.ends_with(|c: char| c.is_whitespace()) {
            return Err(Violation::TrailingBlank { line: n });
        }
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 || n == 1 {
                return Err(Violation::BlankLines { line: n });
            }
        } else {
            blank_run = 0;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_canonical() {
        assert_eq!(check(""), Ok(()));
        assert_eq!(check("a\n"), Ok(()));
        assert_eq!(check("a\n\nb\tc\n"), Ok(()));
    }

    #[test]
    fn rejects_each_violation() {
        assert_eq!(check("a"), Err(Violation::FinalNewline));
        assert_eq!(check("a\n\n"), Err(Violation::FinalNewline));
        assert_eq!(check("\na\n"), Err(Violation::BlankLines { line: 1 }));
        assert_eq!(check("a\n\n\nb\n"), Err(Violation::BlankLines { line: 3 }));
        assert_eq!(check("a \n"), Err(Violation::TrailingBlank { line: 1 }));
        assert_eq!(check("a\r\n"), Err(Violation::Char { line: 1, code: 13 }));
        assert_eq!(check("e\u{301}\n"), Err(Violation::NotNfc));
        assert_eq!(
            check("\u{fb01}\n"),
            Err(Violation::Char {
                line: 1,
                code: 0xfb01
            })
        );
    }
}
