//! The passes, one module each, in pipeline order.
//!
//! | order | pass | what it repairs |
//! |---|---|---|
//! | 0 | [`decode`] | bytes to text: BOM, UTF-16, CRLF and CR line ends (before the pipeline) |
//! | 1 | [`unicode`] | ligature code points, soft hyphens, invisible and control characters |
//! | 2 | [`nfc`] | canonical composition (NFC) |
//! | 2b | [`boilerplate`] | boilerplate lines (navigation bars, share buttons), from `rules/boilerplate.toml` |
//! | 3 | [`page`] | running headers, footers, page numbers; page breaks in mid-sentence |
//! | 4 | [`dehyphen`] | words hyphenated at line ends (French and English) |
//! | 5 | [`ligsplit`] | words split by a space after a ligature (French and English) |
//! | 6 | [`confusion`] | OCR character confusions, from `rules/confusions.toml` (French and English) |
//! | 7 | [`reflow`] | hard line wraps inside paragraphs (off with `--keep-lines`) |
//! | 8 | [`whitespace`] | odd spaces, trailing blanks, blank lines, page feeds, the final newline |
//! | 9 | [`spacing`] | runs of spaces, doubled punctuation, spaces inside brackets |
//! | 10 | `punctuation` ([`spacing`]) | spaces before punctuation, by the language's typography |
//! | 11 | `rewrap` ([`reflow`]) | re-wrap at a width (only with `--width`) |

use crate::edit::Edit;
use crate::pipeline::Context;
use crate::rules::Rule;

pub mod boilerplate;
pub mod confusion;
pub mod decode;
pub mod dehyphen;
pub mod ligsplit;
pub mod nfc;
pub mod page;
pub mod reflow;
pub mod spacing;
pub mod unicode;
pub mod whitespace;
pub(crate) mod words;

/// A pass looks at the current text and proposes edits to it.
pub trait Pass: Send + Sync {
    /// Stable id of the pass (kebab-case).
    fn id(&self) -> &'static str;
    /// The rules this pass can apply.
    fn rules(&self) -> &'static [Rule];
    /// Edits for `text`, in any order; the pipeline sorts and applies them.
    fn run(&self, text: &str, ctx: &Context<'_>) -> Vec<Edit>;
    /// Whether the pass depends on the document's language. Such a pass runs only on French
    /// and English documents, and none of its edits lands in a passage in another language.
    fn language_specific(&self) -> bool {
        false
    }
    /// Whether the pass uses corpus statistics ([`Context::corpus`]).
    fn uses_corpus(&self) -> bool {
        false
    }
    /// Whether the pass looks no further than a paragraph: run on the pieces of a text cut at
    /// [`crate::pipeline::pieces`] boundaries, it proposes the edits it proposes on the whole
    /// text. The pipeline then runs it on the pieces of a long text in parallel (the test
    /// `pieces_give_the_edits_of_the_whole` holds every local pass to it).
    fn local(&self) -> bool {
        false
    }
}

/// The built-in passes, in pipeline order.
pub static PASSES: &[&dyn Pass] = &[
    &unicode::Unicode,
    &nfc::Nfc,
    &boilerplate::Boilerplate,
    &page::Page,
    &dehyphen::Dehyphen,
    &ligsplit::LigSplit,
    &confusion::ConfusionPass,
    &reflow::Reflow,
    &whitespace::Whitespace,
    &spacing::Spacing,
    &spacing::Punctuation,
    &reflow::Rewrap,
];
