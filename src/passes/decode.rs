//! `decode`: bytes to text, before the pipeline runs.
//!
//! Decoding is done by [`crate::Document::from_bytes`] (and [`crate::Document::new`] for text
//! that is already decoded). It is not an edit pass: what it changes does not move any line or
//! column, so positions in the decoded text are positions in the file. Its changes are counted
//! under these rules in summaries.

use crate::rules::Rule;

pub const BOM: Rule = Rule {
    id: "decode-bom",
    pass: "decode",
    summary: "Remove a byte-order mark at the start of the file",
    what: "A UTF-8 byte-order mark (EF BB BF) at the start of a file is removed. A UTF-16 \
           byte-order mark selects UTF-16 (little- or big-endian) decoding and is removed.",
    why: "A byte-order mark is not text; left in, it ends up at the start of the first word.",
    example_before: "\u{feff}Camarades,",
    example_after: "Camarades,\n",
    risks: "None known: a BOM at the start of a file has no other meaning.",
    layout: true,
    example_lang: crate::Lang::Unknown,
};

pub const NEWLINE: Rule = Rule {
    id: "decode-newline",
    pass: "decode",
    summary: "Turn CRLF and lone CR line ends into LF",
    what: "Each CRLF pair and each lone CR becomes one LF.",
    why: "Cleaned text has one kind of line end. Files from Windows tools (CRLF) and old Mac \
          tools (CR) are common in archives.",
    example_before: "Ligne un.\r\nLigne deux.\rLigne trois.",
    example_after: "Ligne un.\nLigne deux.\nLigne trois.\n",
    risks: "A CR used as an overstrike (text printed twice on one line) becomes a line break; \
            such files are rare outside line-printer output.",
    layout: true,
    example_lang: crate::Lang::Unknown,
};

/// The decode rules, for the registry.
pub static RULES: &[Rule] = &[BOM, NEWLINE];
