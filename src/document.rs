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

    /// Decode a file's bytes: UTF-8 with or without a BOM, UTF-16 with a BOM, or, when the
    /// bytes are not UTF-8, the legacy encoding that `chardetng` detects (Windows-1252 for
    /// Latin-1 text, and so on), when the bytes decode without error into plausible text.
    ///
    /// A NUL byte in what is not UTF-16 is [`Error::Binary`]; bytes whose encoding cannot be
    /// determined are [`Error::UnknownEncoding`], which says where UTF-8 decoding failed.
    pub fn from_bytes(name: impl Into<String>, bytes: &[u8]) -> Result<Self, Error> {
        let name = name.into();
        let (text, encoding, bom) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
            (decode_utf8(&name, rest, 3)?, "UTF-8", true)
        } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
            (
                decode_utf16(&name, rest, encoding_rs::UTF_16LE)?,
                "UTF-16LE",
                true,
            )
        } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
            (
                decode_utf16(&name, rest, encoding_rs::UTF_16BE)?,
                "UTF-16BE",
                true,
            )
        } else {
            match decode_utf8(&name, bytes, 0) {
                Ok(text) => (text, "UTF-8", false),
                Err(Error::InvalidUtf8 {
                    name,
                    offset,
                    line,
                    column,
                    byte,
                }) => {
                    if mostly_utf8(bytes) {
                        return Err(Error::InvalidUtf8 {
                            name,
                            offset,
                            line,
                            column,
                            byte,
                        });
                    }
                    let (text, encoding) = decode_legacy(bytes).ok_or(Error::UnknownEncoding {
                        name: name.clone(),
                        offset,
                        line,
                        column,
                        byte,
                    })?;
                    (text, encoding, false)
                }
                Err(e) => return Err(e),
            }
        };
        Ok(Self::decoded(name, text, encoding, bom))
    }

    /// [`Document::from_bytes`] of bytes the caller gives up: text in UTF-8 without a byte
    /// order mark, most text, becomes the document's without being copied (a long file is
    /// not held twice).
    pub fn from_vec(name: impl Into<String>, bytes: Vec<u8>) -> Result<Self, Error> {
        let marked = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
            .iter()
            .any(|bom| bytes.starts_with(bom));
        if marked {
            return Self::from_bytes(name, &bytes);
        }
        match String::from_utf8(bytes) {
            Ok(text) => {
                let name = name.into();
                if let Some(offset) = memchr::memchr(0, text.as_bytes()) {
                    return Err(Error::Binary { name, offset });
                }
                Ok(Self::decoded(name, text, "UTF-8", false))
            }
            Err(e) => Self::from_bytes(name, e.as_bytes()),
        }
    }

    /// A document of decoded text, its line ends made LF.
    fn decoded(name: String, text: String, encoding: &'static str, bom: bool) -> Self {
        let (text, crlf, lone_cr) = normalize_newlines(text);
        Document {
            name,
            text,
            lang: Lang::Unknown,
            decoding: Decoding {
                encoding,
                bom,
                crlf,
                lone_cr,
            },
        }
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

fn decode_utf16(
    name: &str,
    bytes: &[u8],
    encoding: &'static encoding_rs::Encoding,
) -> Result<String, Error> {
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => {
            // Find the first bad unit, for the message.
            let mut decoder = encoding.new_decoder_without_bom_handling();
            let mut out = String::with_capacity(bytes.len() * 2);
            let (result, read) =
                decoder.decode_to_string_without_replacement(bytes, &mut out, true);
            let offset = match result {
                encoding_rs::DecoderResult::Malformed(bad, _) => {
                    read.saturating_sub(usize::from(bad))
                }
                _ => read,
            };
            Err(Error::InvalidUtf16 {
                name: name.to_owned(),
                offset: offset + 2,
            })
        }
    }
}

/// Whether bytes that are not valid UTF-8 are still mostly UTF-8: more valid multi-byte
/// sequences than invalid bytes. Such a file is UTF-8 with a few damaged bytes; decoding it
/// whole as a legacy encoding would garble every accented letter ("Ã©"), so it is an error
/// that says where the damage is.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    multibyte > invalid
}

/// Bytes that are not UTF-8, decoded from the legacy encoding `chardetng` guesses, when they
/// decode without error and the result looks like text (almost no control characters).
fn decode_legacy(bytes: &[u8]) -> Option<(String, &'static str)> {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, chardetng::Utf8Detection::Deny);
    let text = encoding.decode_without_bom_handling_and_without_replacement(bytes)?;
    let (mut chars, mut controls) = (0usize, 0usize);
    for c in text.chars() {
        chars += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            controls += 1;
        }
    }
    // Text has (almost) no control characters; random bytes decoded as a single-byte
    // encoding have about one in ten.
    (controls * 200 <= chars).then(|| (text.into_owned(), encoding.name()))
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

    proptest::proptest! {
        /// Giving the bytes up changes nothing but the copy: the same document, or the same
        /// error, as from borrowed bytes.
        #[test]
        fn from_vec_is_from_bytes(
            mark in proptest::sample::select(vec![&b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"]),
            body in proptest::collection::vec(
                proptest::sample::select(vec![
                    b'a', b' ', b'\n', b'\r', 0, 0xef, 0xbb, 0xbf, 0xff, 0xfe, 0xc3, 0xa9, 0xe9, 0x80,
                ]),
                0..24,
            )
        ) {
            let bytes = [mark, &body[..]].concat();
            let borrowed = format!("{:?}", Document::from_bytes("n", &bytes));
            let owned = format!("{:?}", Document::from_vec("n", bytes));
            proptest::prop_assert_eq!(owned, borrowed);
        }
    }

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
    fn legacy_encodings_are_detected() {
        let latin1 = b"Les r\xe9flexions du comit\xe9 sur la soci\xe9t\xe9 fran\xe7aise, \xab na\xefve \xbb.\n";
        let d = Document::from_bytes("f.txt", latin1).unwrap();
        assert_eq!(
            d.text,
            "Les réflexions du comité sur la société française, « naïve ».\n"
        );
        assert_eq!(d.decoding.encoding, "windows-1252");
        // Windows-1252's own characters (curly quotes, the euro sign, œ).
        let d = Document::from_bytes("f.txt", b"\x93C\x9cur\x94 co\xfbte 5 \x80\n").unwrap();
        assert_eq!(d.text, "“Cœur” coûte 5 €\n");
    }

    #[test]
    fn damaged_utf8_is_not_read_as_a_legacy_encoding() {
        let mut bytes = "réflexions été\nça ÿ".as_bytes().to_vec();
        bytes.extend([0xFF, b'x']);
        let msg = Document::from_bytes("f.txt", &bytes)
            .unwrap_err()
            .to_string();
        assert!(
            msg.starts_with("f.txt: not valid UTF-8 at byte 24 (line 2, column 5"),
            "{msg}"
        );
    }

    #[test]
    fn undeterminable_encoding_says_where() {
        let err = Document::from_bytes("f.txt", b"ab\ncd\x01\x02\x03\xff\x04").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("f.txt: encoding not recognised"), "{msg}");
        assert!(msg.contains("line 2, column 6"), "{msg}");
        assert!(msg.contains("offset 8"), "{msg}");
    }

    #[test]
    fn nul_byte_is_binary() {
        let err = Document::from_bytes("b.bin", b"ab\0cd").unwrap_err();
        assert!(err.to_string().contains("binary"), "{err}");
    }
}
