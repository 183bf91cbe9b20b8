//! Line and column positions in a text.

use serde::Serialize;

/// A 1-based line and column; the column counts characters (Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// The lines of `text` that end at a line feed or a page feed, each with the character that
/// ends it (the last one may have none): what `text.split_inclusive(['\n', '\u{c}'])` gives,
/// found with `memchr` (most of a text is neither, and a search character by character costs
/// several times more on long texts).
pub fn feed_pieces(text: &str) -> impl Iterator<Item = &str> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let end = memchr::memchr2(b'\n', b'\x0c', rest.as_bytes()).map_or(rest.len(), |i| i + 1);
        let (piece, after) = rest.split_at(end);
        rest = after;
        Some(piece)
    })
}

/// The starts of the lines of a text, to turn byte offsets into positions.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { text, starts }
    }

    /// The position of byte `offset` (clamped to the text, moved back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        Position {
            line,
            column: self.text[start..offset].chars().count() + 1,
        }
    }

    /// The whole line (without its `\n`) that holds byte `offset`.
    pub fn line_text(&self, offset: usize) -> &'a str {
        let pos = self.position(offset);
        let start = self.starts[pos.line - 1];
        let end = self
            .starts
            .get(pos.line)
            .map_or(self.text.len(), |&next| next - 1);
        &self.text[start..end.max(start)]
    }
}

/// A one-line rendering of a piece of text for reports: line feeds as ⏎, tabs as ⇥, and
/// other invisible or non-text characters by code point (`⟨U+00A0⟩`).
pub fn visible(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push('⏎'),
            '\t' => out.push('⇥'),
            ' ' => out.push(' '),
            c if c.is_whitespace()
                || c.is_control()
                || crate::canonical::is_forbidden(c)
                || matches!(c, '\u{200c}' | '\u{200d}' | '\u{200e}' | '\u{200f}') =>
            {
                out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let text = "ab\nçd\n\nx";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(0), Position { line: 1, column: 1 });
        assert_eq!(idx.position(2), Position { line: 1, column: 3 });
        assert_eq!(idx.position(3), Position { line: 2, column: 1 });
        // "ç" is two bytes: "d" is at column 2.
        assert_eq!(idx.position(5), Position { line: 2, column: 2 });
        assert_eq!(idx.position(7), Position { line: 3, column: 1 });
        assert_eq!(idx.position(8), Position { line: 4, column: 1 });
        assert_eq!(idx.position(99), Position { line: 4, column: 2 });
        assert_eq!(idx.line_text(4), "çd");
        assert_eq!(idx.line_text(7), "");
    }

    #[test]
    fn visible_names_invisible_characters() {
        assert_eq!(visible("a b\u{a0}c\td\n\u{ad}"), "a b⟨U+00A0⟩c⇥d⏎⟨U+00AD⟩");
    }

    proptest::proptest! {
        #[test]
        fn feed_pieces_split_like_split_inclusive(text in "[a\n\u{c}é ]{0,40}") {
            let ours: Vec<&str> = feed_pieces(&text).collect();
            let std: Vec<&str> = text.split_inclusive(['\n', '\u{c}']).collect();
            proptest::prop_assert_eq!(ours, std);
        }
    }
}
