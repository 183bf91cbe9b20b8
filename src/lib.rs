//! ocrtidy turns raw OCR and PDF-extracted text into clean reading text, and says exactly what
//! it changed and why.
//!
//! The library takes text and returns text plus edits; it does no I/O. A [`Document`] is run
//! through a [`Pipeline`] of passes (see [`passes`]); each pass proposes [`Edit`]s tagged with
//! a rule id from the [`rules`] registry, a confidence and the evidence used. The pipeline
//! applies them and keeps a map back to the raw text, so every [`AppliedEdit`] in the
//! [`Outcome`] knows where it came from ([`LineIndex`] turns that into line and column).
//!
//! ```
//! let out = ocrtidy::clean("ﬁn de page  \n\n\n\nsuite\u{ad}ment");
//! assert_eq!(out, "fin de page\n\nsuitement\n");
//! ```

pub mod canonical;
pub mod degrade;
pub mod document;
pub mod edit;
pub mod eval;
pub mod exceptions;
pub mod language;
pub mod lexicon;
pub mod lines;
pub mod passes;
pub mod per_thread;
pub mod pipeline;
pub mod rules;
pub mod settings;
mod sourcemap;
#[cfg(test)]
mod test_texts;

pub use document::{Decoding, Document, Lang};
pub use edit::{AppliedEdit, Edit, SkipReason, SkippedEdit};
pub use exceptions::{Exception, Exceptions};
pub use language::LangSetting;
pub use lexicon::{CorpusStats, Lexicon};
pub use lines::{LineIndex, Position, visible};
pub use pipeline::{Outcome, Pipeline};
pub use rules::Rule;
pub use settings::Settings;

/// Errors of the library: a document that cannot be decoded.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    #[error(
        "{name}: not valid UTF-8 at byte {offset} (line {line}, column {column}: byte 0x{byte:02X}); \
         convert it to UTF-8 first"
    )]
    InvalidUtf8 {
        name: String,
        offset: usize,
        line: usize,
        column: usize,
        byte: u8,
    },
    #[error(
        "{name}: encoding not recognised: not UTF-8 (byte 0x{byte:02X} at offset {offset}, line \
         {line}, column {column}), and no legacy encoding gives plausible text; convert it to \
         UTF-8 first"
    )]
    UnknownEncoding {
        name: String,
        offset: usize,
        line: usize,
        column: usize,
        byte: u8,
    },
    #[error("{name}: not valid UTF-16 at byte {offset}")]
    InvalidUtf16 { name: String, offset: usize },
    #[error("{name}: skipped: binary file (NUL byte at offset {offset}), not text")]
    Binary { name: String, offset: usize },
    #[error("{name}:{line}: {message}")]
    Config {
        name: String,
        line: usize,
        message: String,
    },
}

/// Clean a text with the default pipeline and return the cleaned text.
pub fn clean(text: &str) -> String {
    Pipeline::default().run(&Document::new("<text>", text)).text
}
