//! Documents and decoding: bytes in, text out, with a record of what decoding changed.

use std::fmt;

use serde::Serialize;

use crate::Error;

/// The language of a document, as far as ocrtidy knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Lang {
    /// Not known (not detected reliably, or not yet detected).
    #[default]
    Unknown,
    /// French: has resources.
    Fr,
    /// English: has resources.
    En,
    /// Another language, by its ISO 639-3 code (`spa`, `deu`): language-neutral passes only.
    Other(&'static str),
}

impl Lang {
    /// Whether ocrtidy has language resources for it (dictionary, frequencies, patterns).
    pub fn has_resources(self) -> bool {
        matches!(self, Lang::Fr | Lang::En)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::Unknown => "unknown",
            Lang::Fr => "fr",
            Lang::En => "en",
            Lang::Other(code) => code,
        })
    }
}

impl Serialize for Lang {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// What the `decode` step found and changed before any pass ran.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Decoding {
    /// The encoding the bytes were read as (`UTF-8`, `UTF-16LE`, `UTF-16BE`).
    pub encoding: &'static str,
    /// A byte-order mark was removed.
    pub bom: bool,
    /// CRLF line ends turned into LF.
    pub crlf: usize,
    /// Lone CR line ends turned into LF.
    pub lone_cr: usize,
}

/// One text to clean.
///
/// `text` is the *raw* text of the pipeline: decoded, with LF line ends, and otherwise exactly
/// as it was read. Every reported position (line, column) is a position in this text, which has
/// the same lines and columns as the file itself (CRLF, CR and LF each end one line; columns
/// count characters).
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub text: String,
    pub lang: Lang,
    pub decoding: Decoding,
}

impl Document {
    /// A document from text that is already decoded. Line ends are normalised to LF (and
    /// counted in [`Document::decoding`]); a leading BOM is removed.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let (text, bom) = match text.strip_prefix('\u{feff}') {
            Some(rest) => (rest.to_owned(), true),
            None => (text, false),
        };
        let (text, crlf, lone_cr) = normalize_newlines(text);
        Document {
            name: name.into(),
            text,
            lang: Lang::Unknown,
            decoding: Decoding {
                encoding: "UTF-8",
                bom,
                crlf,
                lone_cr,
            },
        }
    }

    /// Decode a file's bytes: UTF-8 with or without a BOM, or UTF-16 with a BOM.
    ///
    /// Bytes that are not valid UTF-8, and UTF-8 text with NUL bytes (a binary file, or UTF-16
    /// without a BOM), are errors that say where the problem is.
    pub fn from_bytes(name: impl Into<String>, bytes: &[u8]) -> Result<Self, Error> {
        let name = name.into();
        let (text, encoding, bom) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            (decode_utf8(&name, rest, 3)?, "UTF-8", true)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
            (
                decode_utf16(&name, rest, u16::from_le_bytes)?,
                "UTF-16LE",
                true,
            )
        } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
            (
                decode_utf16(&name, rest, u16::from_be_bytes)?,
                "UTF-16BE",
                true,
            )
        } else {
            (decode_utf8(&name, bytes, 0)?, "UTF-8", false)
        };
        let (text, crlf, lone_cr) = normalize_newlines(text);
        Ok(Document {
            name,
            text,
            lang: Lang::Unknown,
            decoding: Decoding {
                encoding,
                bom,
                crlf,
                lone_cr,
            },
        })
    }

    /// How many changes each decode rule made, for summaries (rules with no change left out).
    pub fn decode_counts(&self) -> impl Iterator<Item = (&'static str, usize)> {
        let d = &self.decoding;
        [
            (crate::passes::decode::BOM.id, usize::from(d.bom)),
            (crate::passes::decode::NEWLINE.id, d.crlf + d.lone_cr),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
    }
}

fn decode_utf8(name: &str, bytes: &[u8], offset: usize) -> Result<String, Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            if let Some(at) = memchr::memchr(0, bytes) {
                return Err(Error::Binary {
                    name: name.to_owned(),
                    offset: at + offset,
                });
            }
            Ok(text.to_owned())
        }
        Err(e) => {
            let at = e.valid_up_to();
            let good = &bytes[..at];
            let line = memchr::memchr_iter(b'\n', good).count() + 1;
            let line_start = memchr::memrchr(b'\n', good).map_or(0, |i| i + 1);
            // `good` is valid UTF-8 by construction.
            let column =
                std::str::from_utf8(&good[line_start..]).map_or(0, |s| s.chars().count()) + 1;
            Err(Error::InvalidUtf8 {
                name: name.to_owned(),
                offset: at + offset,
                line,
                column,
                byte: bytes[at],
            })
        }
    }
}

fn decode_utf16(name: &str, bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, Error> {
    let units = bytes.chunks(2).map(|c| match *c {
        [a, b] => unit([a, b]),
        _ => 0xFFFF, // an odd trailing byte: reported below
    });
    if bytes.len() % 2 == 1 {
        return Err(Error::InvalidUtf16 {
            name: name.to_owned(),
            offset: bytes.len() + 1,
        });
    }
    let mut text = String::with_capacity(bytes.len());
    for (i, c) in char::decode_utf16(units).enumerate() {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                return Err(Error::InvalidUtf16 {
                    name: name.to_owned(),
                    offset: 2 + 2 * i,
                });
            }
        }
    }
    Ok(text)
}

/// Turn CRLF and lone CR into LF. Returns the text and the number of each that was changed.
pub fn normalize_newlines(text: String) -> (String, usize, usize) {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return (text, 0, 0);
    }
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut crlf, mut lone) = (0, 0);
    let mut last = 0;
    for i in memchr::memchr_iter(b'\r', bytes) {
        out.push_str(&text[last..i]);
        out.push('\n');
        if bytes.get(i + 1) == Some(&b'\n') {
            crlf += 1;
            last = i + 2;
        } else {
            lone += 1;
            last = i + 1;
        }
    }
    out.push_str(&text[last..]);
    (out, crlf, lone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_and_lone_cr() {
        let (t, crlf, cr) = normalize_newlines("a\r\nb\rc\n\r\n".to_owned());
        assert_eq!(t, "a\nb\nc\n\n");
        assert_eq!((crlf, cr), (2, 1));
    }

    #[test]
    fn bom_is_removed_and_recorded() {
        let d = Document::from_bytes("x", b"\xEF\xBB\xBFabc").unwrap();
        assert_eq!(d.text, "abc");
        assert!(d.decoding.bom);
    }

    #[test]
    fn utf16_with_bom() {
        let d = Document::from_bytes("x", b"\xFF\xFEa\x00\xE9\x00\r\x00\n\x00").unwrap();
        assert_eq!(d.text, "aé\n");
        assert_eq!(d.decoding.encoding, "UTF-16LE");
        let d = Document::from_bytes("x", b"\xFE\xFF\x00a\x00\xE9").unwrap();
        assert_eq!(d.text, "aé");
    }

    #[test]
    fn invalid_utf8_says_where() {
        let err = Document::from_bytes("f.txt", b"ab\ncd\xE9f").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("f.txt"), "{msg}");
        assert!(msg.contains("line 2, column 3"), "{msg}");
        assert!(msg.contains("byte 5"), "{msg}");
    }

    #[test]
    fn nul_byte_is_binary() {
        let err = Document::from_bytes("b.bin", b"ab\0cd").unwrap_err();
        assert!(err.to_string().contains("binary"), "{err}");
    }
}
