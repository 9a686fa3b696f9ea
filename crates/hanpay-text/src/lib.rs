//! Text as a PG receives it: byte lengths in the PG's charset, forbidden characters,
//! and truncation at a character boundary.
//!
//! EUC-KR lengths follow what a browser actually sends from a form with
//! `accept-charset="EUC-KR"`: ASCII is 1 byte, every character the WHATWG EUC-KR encoder
//! can map (all 11,172 Hangul syllables, KS X 1001 symbols and hanja) is 2 bytes, and any
//! other character is sent as the decimal reference `&#NNNNN;`. The encodability table is
//! generated at build time from encoding_rs (`build.rs`), so no encoder is linked here.

#![no_std]

extern crate alloc;
#[cfg(test)]
extern crate std;

/// The `alloc` items std's prelude would bring, for this crate and the layer crates above it
/// (`use hanpay_text::prelude::*`): they are `no_std` so the browser package links them without
/// std (ARCHITECTURE.md "Layers").
#[doc(hidden)]
#[allow(unused_imports)]
pub mod prelude {
    pub use alloc::boxed::Box;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec::Vec;
    pub use alloc::{format, vec};
}

use crate::prelude::*;

mod table {
    include!(concat!(env!("OUT_DIR"), "/euckr_table.rs"));
}

/// The character set a PG decodes a field in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    EucKr,
    Utf8,
}

impl Charset {
    /// The label used in `accept-charset` and in PG parameters.
    pub fn label(self) -> &'static str {
        match self {
            Charset::EucKr => "EUC-KR",
            Charset::Utf8 => "UTF-8",
        }
    }

    /// The charset a PG parameter names by its [`label`](Charset::label) (`LGD_ENCODING`,
    /// `encoding_trans`, KISPG's `charset`): exactly `EUC-KR` or `UTF-8`, else `None`.
    pub fn from_label(label: &str) -> Option<Charset> {
        match label {
            "EUC-KR" => Some(Charset::EucKr),
            "UTF-8" => Some(Charset::Utf8),
            _ => None,
        }
    }
}

/// Whether the WHATWG EUC-KR encoder maps `c` (ASCII included).
pub fn euc_kr_encodable(c: char) -> bool {
    let cp = c as u32;
    if cp < 0x80 {
        return true;
    }
    if cp > 0xFFFF {
        return false;
    }
    let block = table::BLOCK_INDEX
        .get((cp >> 8) as usize)
        .copied()
        .unwrap_or(0) as usize;
    let low = cp & 0xFF;
    table::BLOCKS
        .get(block)
        .and_then(|bits| bits.get((low >> 5) as usize))
        .is_some_and(|word| (word >> (low & 31)) & 1 == 1)
}

fn decimal_digits(mut n: u32) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// Bytes one character takes in `charset` as a browser submits it.
pub fn char_len(c: char, charset: Charset) -> usize {
    match charset {
        Charset::Utf8 => c.len_utf8(),
        Charset::EucKr => {
            if (c as u32) < 0x80 {
                1
            } else if euc_kr_encodable(c) {
                2
            } else {
                // "&#" + decimal code point + ";"
                3 + decimal_digits(c as u32)
            }
        }
    }
}

/// Bytes `s` takes in `charset` as a browser submits it.
pub fn byte_len(s: &str, charset: Charset) -> usize {
    match charset {
        Charset::Utf8 => s.len(),
        Charset::EucKr => s.chars().map(|c| char_len(c, charset)).sum(),
    }
}

/// The longest prefix of `s` that fits in `max` bytes of `charset`, cut between characters.
/// KSNET asks for this for `sndGoodname` (manual 002, Part 3: "30byte까지 꼭 잘라서 보내주셔야").
pub fn truncate_to_bytes(s: &str, max: usize, charset: Charset) -> &str {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        let n = char_len(c, charset);
        if used + n > max {
            return s.get(..i).unwrap_or("");
        }
        used += n;
    }
    s
}

/// The first forbidden pattern found in `s`, if any. Patterns may be multi-character
/// (XPay forbids `+-` and `--`, not `+` or `-` alone).
pub fn find_forbidden<'a>(s: &str, patterns: &[&'a str]) -> Option<&'a str> {
    patterns
        .iter()
        .copied()
        .find(|p| !p.is_empty() && contains_str(s, p))
}

/// The byte offset of the first `needle` in `hay`, by a plain byte scan. `str::find`/`contains`
/// with a `&str` pattern link core's two-way searcher and its panic formatting into the browser
/// build (issue 8 size budget) for needles of a few bytes. A valid UTF-8 needle can only match
/// at a char boundary, so the offset is safe to slice at.
pub fn find_str(hay: &str, needle: &str) -> Option<usize> {
    let Some((first, rest)) = needle.as_bytes().split_first() else {
        return Some(0);
    };
    // The first byte decides most positions without a slice comparison (a call to `bcmp`),
    // which made user-agent detection about 40 ns per byte for its dozens of tokens.
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.split_first() == Some((first, rest)))
}

/// `hay.contains(needle)` without the two-way searcher (see [`find_str`]).
pub fn contains_str(hay: &str, needle: &str) -> bool {
    find_str(hay, needle).is_some()
}

// Splitting at one ASCII byte. `str::split_once(char)` and friends link core's char searchers,
// `memchr` and their slicing panics into the browser build (issue 8 size budget); a byte scan
// does the same job for the ASCII delimiters of URLs and intents. An ASCII byte never occurs
// inside a multi-byte UTF-8 sequence, so its offset is a char boundary and `get` cannot fail.

/// The offset of the first `b` (ASCII) in `s`: `s.find(b as char)`.
pub fn find_ascii(s: &str, b: u8) -> Option<usize> {
    s.bytes().position(|x| x == b)
}

/// The offset of the last `b` (ASCII) in `s`: `s.rfind(b as char)`.
pub fn rfind_ascii(s: &str, b: u8) -> Option<usize> {
    s.bytes().rposition(|x| x == b)
}

fn split_at_ascii(s: &str, i: usize) -> Option<(&str, &str)> {
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// The offset of the first byte of `s` that is one of the ASCII `set`: `s.find([..])`.
pub fn find_any_ascii(s: &str, set: &[u8]) -> Option<usize> {
    s.bytes().position(|x| set.contains(&x))
}

/// `s.split_once(b as char)` for an ASCII `b`.
pub fn split_once_ascii(s: &str, b: u8) -> Option<(&str, &str)> {
    split_at_ascii(s, find_ascii(s, b)?)
}

/// `s.rsplit_once(b as char)` for an ASCII `b`.
pub fn rsplit_once_ascii(s: &str, b: u8) -> Option<(&str, &str)> {
    split_at_ascii(s, rfind_ascii(s, b)?)
}

/// `s.split(b as char)` for an ASCII `b`.
pub fn split_ascii(s: &str, b: u8) -> SplitAscii<'_> {
    SplitAscii { rest: Some(s), b }
}

/// The iterator of [`split_ascii`].
pub struct SplitAscii<'a> {
    rest: Option<&'a str>,
    b: u8,
}

impl<'a> Iterator for SplitAscii<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match split_once_ascii(rest, self.b) {
            Some((head, tail)) => {
                self.rest = Some(tail);
                Some(head)
            }
            None => self.rest.take(),
        }
    }
}

/// `s.trim_end_matches(b as char)` for an ASCII `b`.
pub fn trim_end_ascii(s: &str, b: u8) -> &str {
    let keep = s.bytes().rposition(|x| x != b).map_or(0, |i| i + 1);
    s.get(..keep).unwrap_or(s)
}

/// `s.trim_matches(|c: char| c <= ' ')`: strips ASCII control characters and spaces at both
/// ends, as Android's `Uri`/`Intent` parsers (and the WHATWG URL parser) do.
pub fn trim_controls(s: &str) -> &str {
    let start = s.bytes().position(|x| x > b' ').unwrap_or(s.len());
    let end = s.bytes().rposition(|x| x > b' ').map_or(start, |i| i + 1);
    s.get(start..end).unwrap_or("")
}

/// `parts.concat()`, by `push_str` into a string of the right capacity: `<[&str]>::concat`
/// copies with `copy_from_slice`, whose length-mismatch panic links integer formatting into
/// the browser build (issue 8 size budget).
pub fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// ASCII case mapping and comparison compiled once for every crate of the browser package.
/// `str::to_ascii_lowercase` and `str::eq_ignore_ascii_case` are inlined into each crate that
/// calls them, so after the split into crates the package carried three copies of each
/// (docs/size.md "Crates and inlining"); these out-of-line methods keep one. crates/clippy.toml
/// points callers here.
pub trait AsciiCase {
    /// `str::to_ascii_lowercase`.
    fn ascii_lower(&self) -> String;
    /// `str::eq_ignore_ascii_case`.
    fn eq_ascii_case(&self, other: &str) -> bool;
}

#[allow(clippy::disallowed_methods)] // the one call of each
impl AsciiCase for str {
    #[inline(never)]
    fn ascii_lower(&self) -> String {
        self.to_ascii_lowercase()
    }

    #[inline(never)]
    fn eq_ascii_case(&self, other: &str) -> bool {
        self.eq_ignore_ascii_case(other)
    }
}

/// True when `s` is non-empty and only ASCII digits (no sign, comma or space).
pub fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

// The tests hold the byte helpers to `str`'s own methods, so they call them.
#[cfg(test)]
#[allow(clippy::disallowed_macros, clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn find_str_matches_str_find() {
        for (hay, needle) in [
            ("", ""),
            ("abc", ""),
            ("", "a"),
            ("abc", "abc"),
            ("abcabc", "ca"),
            ("ab", "abc"),
            ("한글 line/1", "line/"),
            ("kakaotalk-scrap kakaotalk 9", "kakaotalk"),
        ] {
            assert_eq!(
                find_str(hay, needle),
                hay.find(needle),
                "{hay:?} {needle:?}"
            );
        }
    }

    #[test]
    fn ascii_splitting_matches_str() {
        let hays = [
            "",
            "=",
            "a=b",
            "a=b=c",
            "==",
            "한=글",
            "no delimiter",
            "=lead",
            "trail=",
            "  \t a = b \n",
            "\u{1}x\u{7f}",
            "a/b/c//",
            "////",
            "é/",
        ];
        for hay in hays {
            for b in [b'=', b'/', b' ', b'x'] {
                let c = b as char;
                assert_eq!(find_ascii(hay, b), hay.find(c), "{hay:?} {c:?}");
                assert_eq!(rfind_ascii(hay, b), hay.rfind(c), "{hay:?} {c:?}");
                assert_eq!(split_once_ascii(hay, b), hay.split_once(c), "{hay:?} {c:?}");
                assert_eq!(
                    rsplit_once_ascii(hay, b),
                    hay.rsplit_once(c),
                    "{hay:?} {c:?}"
                );
                assert_eq!(
                    split_ascii(hay, b).collect::<Vec<_>>(),
                    hay.split(c).collect::<Vec<_>>(),
                    "{hay:?} {c:?}"
                );
                assert_eq!(
                    trim_end_ascii(hay, b),
                    hay.trim_end_matches(c),
                    "{hay:?} {c:?}"
                );
            }
            assert_eq!(
                find_any_ascii(hay, b"/= "),
                hay.find(['/', '=', ' ']),
                "{hay:?}"
            );
            assert_eq!(
                trim_controls(hay),
                hay.trim_matches(|c: char| c <= ' '),
                "{hay:?}"
            );
        }
    }

    #[test]
    fn counts_hangul_and_references() {
        assert_eq!(byte_len("a한", Charset::EucKr), 3);
        assert_eq!(byte_len("a한", Charset::Utf8), 4);
        // U+00E9 is not in EUC-KR: "&#233;" is 6 bytes.
        assert_eq!(byte_len("é", Charset::EucKr), 6);
        assert_eq!(byte_len("😀", Charset::EucKr), "&#128512;".len());
    }

    #[test]
    fn truncates_between_characters() {
        assert_eq!(truncate_to_bytes("가나다", 5, Charset::EucKr), "가나");
        assert_eq!(truncate_to_bytes("가나다", 5, Charset::Utf8), "가");
        assert_eq!(truncate_to_bytes("abc", 10, Charset::EucKr), "abc");
    }
}
