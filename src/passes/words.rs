//! Word scanning shared by the word-repair passes.

use std::ops::Range;

/// A whitespace-separated token and its byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
}

/// Whether the character at byte `i` of `text` is white space (`char::is_whitespace`), and
/// its length: ASCII bytes are judged directly, other characters decoded.
#[inline]
pub(crate) fn space_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b.is_ascii() {
        (is_ascii_space(b), 1)
    } else if matches!(b, 0xc2 | 0xe1 | 0xe2 | 0xe3) {
        // U+0080 to U+00BF, U+1xxx, U+2xxx, U+3xxx: where the white space beyond ASCII is.
        let c = text[i..].chars().next().expect("a character at a boundary");
        (c.is_whitespace(), c.len_utf8())
    } else {
        // Any other character is no white space; its length is told by its first byte.
        (false, utf8_len(b))
    }
}

/// Whether ASCII byte `b` is white space, as `char::is_whitespace` tells it.
#[inline]
pub(crate) fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// The length of the UTF-8 character that starts with byte `b`.
#[inline]
pub(crate) fn utf8_len(b: u8) -> usize {
    match b {
        0..0x80 => 1,
        0xf0.. => 4,
        0xe0.. => 3,
        _ => 2,
    }
}

/// `is_alphabetic`, with the letters of ASCII, Latin-1 and Latin Extended-A and -B (most
/// of a French or English text) told without the Unicode tables, and the signs around them
/// (guillemets, the general punctuation: apostrophes, dashes, quotes, ellipses) too.
#[inline]
pub(crate) fn is_alphabetic(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' => true,
        '\0'..='\x7f' => false,
        '\u{80}'..='\u{bf}' => matches!(c, 'ª' | 'µ' | 'º'),
        '\u{c0}'..='\u{24f}' => c != '\u{d7}' && c != '\u{f7}',
        '\u{2000}'..='\u{206f}' => false,
        _ => c.is_alphabetic(),
    }
}

/// `char::is_alphanumeric`, told like [`is_alphabetic`].
#[inline]
pub(crate) fn is_alphanumeric(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\x7f' => false,
        '\u{80}'..='\u{bf}' => matches!(c, 'ª' | '²' | '³' | 'µ' | '¹' | 'º' | '¼' | '½' | '¾'),
        '\u{c0}'..='\u{24f}' => c != '\u{d7}' && c != '\u{f7}',
        '\u{2000}'..='\u{206f}' => false,
        _ => c.is_alphanumeric(),
    }
}

/// The tokens of `text`, in order: the list [`token_iter`], [`token_at`] and the walks from
/// a token are checked against (the passes find their tokens without listing them all).
#[cfg(test)]
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    token_iter(text).collect()
}

/// [`tokens`] one at a time, for a pass that reads them in order (no list of them all: on a
/// long text it would be several times the text's size).
pub fn token_iter(text: &str) -> impl Iterator<Item = Token<'_>> {
    let mut i = 0;
    std::iter::from_fn(move || {
        let start = skip_space(text, i);
        if start >= text.len() {
            return None;
        }
        i = skip_token(text, start);
        Some(Token {
            start,
            end: i,
            text: &text[start..i],
        })
    })
}

/// The first byte of `bytes` from `i` that is `wanted` (or the end). Chunks of 32 bytes with
/// none are skipped whole, judged without branches (a few vector steps each): for a pass
/// that looks for bytes most text does not hold.
#[inline]
pub(crate) fn find_byte(bytes: &[u8], mut i: usize, wanted: impl Fn(u8) -> bool) -> usize {
    const CHUNK: usize = 32;
    while let Some(chunk) = bytes.get(i..i + CHUNK) {
        if chunk.iter().fold(false, |any, &b| any | wanted(b)) {
            break;
        }
        i += CHUNK;
    }
    while i < bytes.len() && !wanted(bytes[i]) {
        i += 1;
    }
    i
}

/// Eight bytes at once (`x`, one per byte): the high bit of each byte that is below 0x80 and
/// strictly between `lo` and `hi` (ASCII bounds, `hi` at most 0x80), the others clear.
/// Branch-free, exact per byte (Bit Twiddling Hacks' "has a byte between": no carry or borrow
/// crosses a byte, as the low seven bits are added to at most 127).
#[inline]
pub(crate) const fn bytes_between(x: u64, lo: u8, hi: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low = x & (ONES * 127);
    (ONES * (127 + hi as u64) - low) & !x & (low + ONES * (127 - lo as u64)) & (ONES * 0x80)
}

/// The first byte of `bytes` from `i` that is not strictly between `LO` and `HI`, two bounds
/// in ASCII (`HI` at most 0x80), read eight bytes at a time ([`bytes_between`]): for the runs
/// of letters or of visible ASCII that make most of a text.
#[inline]
pub(crate) fn skip_between<const LO: u8, const HI: u8>(bytes: &[u8], mut i: usize) -> usize {
    const { assert!(LO < HI && HI <= 0x80) };
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let outside = !bytes_between(x, LO, HI) & 0x8080_8080_8080_8080;
        if outside != 0 {
            return i + (outside.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i] > LO && bytes[i] < HI {
        i += 1;
    }
    i
}

/// The first byte of `bytes` from `i` that is no ASCII lower-case letter.
#[inline]
pub(crate) fn skip_lowercase(bytes: &[u8], i: usize) -> usize {
    skip_between::<{ b'a' - 1 }, { b'z' + 1 }>(bytes, i)
}

/// The end of the white space of `text` from byte `i` (`i` when there is none).
#[inline]
pub(crate) fn skip_space(text: &str, mut i: usize) -> usize {
    while i < text.len() {
        match space_at(text, i) {
            (true, len) => i += len,
            (false, _) => break,
        }
    }
    i
}

/// The end of the token (no white space) of `text` from byte `i`.
#[inline]
pub(crate) fn skip_token(text: &str, mut i: usize) -> usize {
    while i < text.len() {
        // Visible ASCII, eight bytes at a time.
        i = skip_between::<b' ', 0x80>(text.as_bytes(), i);
        if i >= text.len() {
            break;
        }
        match space_at(text, i) {
            (false, len) => i += len,
            (true, _) => break,
        }
    }
    i
}

/// The token of `text` that holds byte `at` (a character boundary that is no white space):
/// the one [`tokens`] gives there, found without reading the text around it.
pub fn token_at(text: &str, at: usize) -> Token<'_> {
    let mut start = at;
    while let Some(c) = text[..start].chars().next_back() {
        if c.is_whitespace() {
            break;
        }
        start -= c.len_utf8();
    }
    let end = skip_token(text, at);
    Token {
        start,
        end,
        text: &text[start..end],
    }
}

/// The token before `token` in `text`, if any.
pub fn token_before<'a>(text: &'a str, token: &Token<'_>) -> Option<Token<'a>> {
    let mut end = token.start;
    loop {
        let c = text[..end].chars().next_back()?;
        if !c.is_whitespace() {
            return Some(token_at(text, end - c.len_utf8()));
        }
        end -= c.len_utf8();
    }
}

/// The token after `token` in `text`, if any.
pub fn token_after<'a>(text: &'a str, token: &Token<'_>) -> Option<Token<'a>> {
    let start = skip_space(text, token.end);
    (start < text.len()).then(|| token_at(text, start))
}

/// Each token of `text` that ends with a hyphen ('-', '¬' or U+2010), with the token after
/// it: the pairs of [`token_iter`] whose first ends so, found from the hyphens (a search for
/// their last bytes) instead of by reading every token.
pub fn hyphen_breaks(text: &str) -> impl Iterator<Item = (Token<'_>, Token<'_>)> {
    let bytes = text.as_bytes();
    // '-', and the last bytes of '¬' (C2 AC) and of U+2010 (E2 80 90).
    memchr::memchr3_iter(b'-', 0xac, 0x90, bytes).filter_map(move |last| {
        // Where the hyphen starts, if these bytes end one.
        let first = match bytes[last] {
            b'-' => last,
            0xac if last >= 1 && bytes[last - 1] == 0xc2 => last - 1,
            0x90 if last >= 2 && bytes[last - 2..last] == [0xe2, 0x80] => last - 2,
            _ => return None,
        };
        let end = last + 1;
        // A hyphen that ends its token, and a token after it.
        if end >= text.len() || !space_at(text, end).0 {
            return None;
        }
        let a = token_at(text, first);
        let b = token_after(text, &a)?;
        Some((a, b))
    })
}

/// The white space between two tokens, as the repairs see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gap {
    /// Spaces or tabs only.
    Space,
    /// One line break (with blanks around it).
    Line,
    /// Blank lines too (a paragraph or page break).
    Blank,
}

/// What separates `text[a.end..b.start]`.
pub fn gap(text: &str, a: &Token<'_>, b: &Token<'_>) -> Gap {
    let between = &text[a.end..b.start];
    match between.matches(['\n', '\u{c}']).count() {
        0 => Gap::Space,
        1 if !between.contains('\u{c}') => Gap::Line,
        _ => Gap::Blank,
    }
}

/// Whether a token must never be repaired: URLs, e-mail addresses, paths, and tokens made of
/// digits and signs (numbers, dates, references such as "2/XI" or "0001-0003").
pub fn untouchable(token: &str) -> bool {
    // One reading of the bytes for the signs ("://" holds a slash).
    token.starts_with("www.")
        || token
            .bytes()
            .any(|b| matches!(b, b'@' | b'/' | b'\\' | b'_'))
        || !token.chars().any(is_alphabetic)
}

/// The leading run of letters (with apostrophes and hyphens inside) of a token, and its
/// length in bytes.
pub fn leading_word(token: &str) -> &str {
    let mut end = 0;
    for (i, c) in token.char_indices() {
        if is_alphabetic(c) || ((c == '\'' || c == '’' || c == '-') && i > 0) {
            end = i + c.len_utf8();
        } else {
            break;
        }
    }
    // Not ending on an apostrophe or hyphen.
    token[..end].trim_end_matches(['\'', '’', '-'])
}

/// The trailing run of letters of a token (after any opening punctuation).
pub fn trailing_word(token: &str) -> &str {
    let start = token
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_alphabetic(*c))
        .last()
        .map_or(token.len(), |(i, _)| i);
    &token[start..]
}

/// A replacement that joins `text[from..]` up to the end of token `b` onto the line where
/// `from` is: the range to replace and its text. When more text follows `b` on its line, the
/// line break moves after `b` (and after any punctuation standing alone after it, such as a
/// French " ;"), so the line count stays the same.
pub fn join_onto_line(text: &str, from: usize, b: &Token<'_>) -> (Range<usize>, String) {
    // `b`, with punctuation-only tokens that follow it on its line.
    let mut end = b.end;
    loop {
        let rest = &text[end..];
        let spaces = rest.len()
            - rest
                .trim_start_matches([' ', '\t', '\u{a0}', '\u{202f}'])
                .len();
        let next_len = rest[spaces..]
            .find(char::is_whitespace)
            .unwrap_or(rest.len() - spaces);
        let next = &rest[spaces..spaces + next_len];
        if next.is_empty() || next.contains(is_alphanumeric) {
            break;
        }
        end += spaces + next_len;
    }
    let moved = &text[b.start..end];
    let rest = &text[end..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let line_goes_on = !rest[spaces..].is_empty() && !rest[spaces..].starts_with('\n');
    let crossed_line = text[from..b.start].contains('\n');
    if crossed_line && line_goes_on {
        (from..end + spaces, format!("{moved}\n"))
    } else {
        (from..end, moved.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Tokens found from a byte inside them, and their neighbours, are those of the list.
        #[test]
        fn tokens_found_from_inside_are_those_of_the_list(
            text in "[ab é\n\u{a0}\u{2009}\u{3000}.-]{0,30}"
        ) {
            let all = tokens(&text);
            for (k, token) in all.iter().enumerate() {
                for (at, _) in token.text.char_indices() {
                    proptest::prop_assert_eq!(token_at(&text, token.start + at), *token);
                }
                proptest::prop_assert_eq!(
                    token_before(&text, token),
                    k.checked_sub(1).map(|j| all[j])
                );
                proptest::prop_assert_eq!(token_after(&text, token), all.get(k + 1).copied());
            }
        }
    }

    proptest::proptest! {
        /// The hyphen breaks found from the hyphens are the pairs of tokens whose first ends
        /// with one.
        #[test]
        fn hyphen_breaks_are_the_pairs_of_the_list(
            text in "([ab é\n\u{a0}\u{2009}.-]|¬|\u{2010}|ì|€|\u{2090}|\u{c2}){0,40}"
        ) {
            proptest::prop_assert_eq!(
                hyphen_breaks(&text).collect::<Vec<_>>(),
                hyphen_breaks_reference(&text)
            );
        }
    }

    /// [`hyphen_breaks`] as `dehyphen` first found them: every pair of tokens, in order.
    fn hyphen_breaks_reference(text: &str) -> Vec<(Token<'_>, Token<'_>)> {
        let all = tokens(text);
        all.windows(2)
            .filter(|w| w[0].text.ends_with(['-', '¬', '\u{2010}']))
            .map(|w| (w[0], w[1]))
            .collect()
    }

    #[test]
    fn hyphen_breaks_match_the_reference_on_the_repository_texts() {
        let mut pairs = 0;
        for (path, text) in crate::test_texts::repository_texts() {
            let expected = hyphen_breaks_reference(&text);
            pairs += expected.len();
            assert_eq!(hyphen_breaks(&text).collect::<Vec<_>>(), expected, "{path}");
        }
        assert!(
            pairs > 100,
            "{pairs} hyphen breaks: the texts hold too few to tell"
        );
    }

    /// White space and lengths are told right for every character.
    /// The eight-at-a-time skip stops where a byte-at-a-time one does: every byte value at
    /// every place of a chunk and of the tail, among bytes it skips.
    #[test]
    fn skips_stop_at_the_first_byte_out_of_range() {
        fn check<const LO: u8, const HI: u8>(filler: u8) {
            for len in [5, 8, 13, 16, 21] {
                for at in 0..len {
                    for v in 0..=255u8 {
                        let mut bytes = vec![filler; len];
                        bytes[at] = v;
                        for from in [0, 1, 3] {
                            let slow = (from..len)
                                .find(|&k| !(bytes[k] > LO && bytes[k] < HI))
                                .unwrap_or(len);
                            assert_eq!(
                                skip_between::<LO, HI>(&bytes, from),
                                slow,
                                "{LO}..{HI}: {v:#x} at {at} of {len}, from {from}"
                            );
                        }
                    }
                }
            }
        }
        check::<{ b'a' - 1 }, { b'z' + 1 }>(b'q');
        check::<b' ', 0x80>(b'!');
        check::<b' ', 0x80>(0x7f);
        assert_eq!(skip_lowercase(b"abcdefghijklmnopqrstuvwxyz{", 0), 26);
        assert_eq!(skip_lowercase("abcdefgé".as_bytes(), 0), 7);
    }

    #[test]
    fn space_at_agrees_with_the_standard_library() {
        let mut text = String::new();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            text.clear();
            text.push(c);
            assert_eq!(
                space_at(&text, 0),
                (c.is_whitespace(), c.len_utf8()),
                "{c:?}"
            );
        }
    }

    /// The fast letter tests agree with the standard library on every character.
    #[test]
    fn letter_tests_agree_with_the_standard_library() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(is_alphabetic(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn words_of_tokens() {
        assert_eq!(leading_word("tion),"), "tion");
        assert_eq!(leading_word("hui'"), "hui");
        assert_eq!(leading_word("«par"), "");
        assert_eq!(trailing_word("«réfl"), "réfl");
        assert_eq!(trailing_word("(révolu"), "révolu");
        assert!(untouchable("07/01/2022"));
        assert!(untouchable("1912-1927"));
        assert!(untouchable("https://x.org"));
        assert!(!untouchable("réfl"));
    }

    #[test]
    fn joining_keeps_the_line_count() {
        let text = "des évè-\nnements qui se\nsuite";
        let t = tokens(text);
        let hyphen = text.find('-').unwrap();
        let (range, rep) = join_onto_line(text, hyphen, &t[2]);
        assert_eq!((&text[range], rep.as_str()), ("-\nnements ", "nements\n"));
        let text = "notre cama-\nrade ; les\nsuite";
        let t = tokens(text);
        let (range, rep) = join_onto_line(text, text.find('-').unwrap(), &t[2]);
        assert_eq!((&text[range], rep.as_str()), ("-\nrade ; ", "rade ;\n"));
        let text = "des évè-\nnements\nsuite";
        let t = tokens(text);
        let (range, rep) = join_onto_line(text, text.find('-').unwrap(), &t[2]);
        assert_eq!((&text[range], rep.as_str()), ("-\nnements", "nements"));
    }
}
