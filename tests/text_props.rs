//! The byte-level string helpers of `hanpay::text` (which the browser build uses instead of
//! `str`'s char-pattern methods, docs/size.md) agree with `str` on generated input (native only).
#![cfg(not(target_arch = "wasm32"))]

use hanpay::text;
use proptest::prelude::*;

/// Strings mixing the delimiters with ASCII, controls, Hangul and 4-byte characters.
fn hay() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('='),
            Just('/'),
            Just(';'),
            Just('#'),
            Just('?'),
            Just('@'),
            Just(' '),
            Just('\t'),
            Just('\u{1}'),
            Just('a'),
            Just('한'),
            Just('😀'),
            any::<char>(),
        ],
        0..40,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

fn delimiter() -> impl Strategy<Value = u8> {
    prop_oneof![Just(b'='), Just(b'/'), Just(b';'), Just(b'#'), Just(b' ')]
}

proptest! {
    #[test]
    fn ascii_helpers_agree_with_str(s in hay(), b in delimiter()) {
        let c = b as char;
        prop_assert_eq!(text::find_ascii(&s, b), s.find(c));
        prop_assert_eq!(text::rfind_ascii(&s, b), s.rfind(c));
        prop_assert_eq!(text::split_once_ascii(&s, b), s.split_once(c));
        prop_assert_eq!(text::rsplit_once_ascii(&s, b), s.rsplit_once(c));
        prop_assert_eq!(
            text::split_ascii(&s, b).collect::<Vec<_>>(),
            s.split(c).collect::<Vec<_>>()
        );
        prop_assert_eq!(text::trim_end_ascii(&s, b), s.trim_end_matches(c));
        prop_assert_eq!(text::find_any_ascii(&s, b"#?/"), s.find(['#', '?', '/']));
        prop_assert_eq!(text::trim_controls(&s), s.trim_matches(|c: char| c <= ' '));
    }

    #[test]
    fn concat_and_find_str_agree_with_str(parts in proptest::collection::vec(hay(), 0..5), needle in hay()) {
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        let joined = text::concat(&refs);
        prop_assert_eq!(&joined, &refs.concat());
        prop_assert_eq!(text::find_str(&joined, &needle), joined.find(needle.as_str()));
    }
}
