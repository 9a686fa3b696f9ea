#![cfg(not(target_arch = "wasm32"))]
//! EUC-KR byte lengths against a real encoder over the whole BMP: for every scalar value,
//! hanpay's count equals the length encoding_rs produces (which writes `&#NNNNN;` for
//! unmappable characters, as browsers do in form submissions).

use hanpay::text::{byte_len, truncate_to_bytes, Charset};

#[test]
fn euc_kr_lengths_match_encoding_rs_over_the_bmp() {
    let mut mismatches = Vec::new();
    for cp in 0u32..=0xFFFF {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        let s = c.to_string();
        let (bytes, _, _) = encoding_rs::EUC_KR.encode(&s);
        if bytes.len() != byte_len(&s, Charset::EucKr) {
            mismatches.push(format!(
                "U+{cp:04X}: encoder {} vs {}",
                bytes.len(),
                byte_len(&s, Charset::EucKr)
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first: {:?}",
        mismatches.len(),
        mismatches.first()
    );
}

#[test]
fn mixed_strings_and_astral_characters_match() {
    for s in [
        "홍길동 ABC",
        "당근10kg",
        "Café ☃ 漢字 가",
        "😀 emoji",
        "\u{AC00}\u{D7A3}\u{3131}",
    ] {
        assert_eq!(
            byte_len(s, Charset::EucKr),
            encoding_rs::EUC_KR.encode(s).0.len(),
            "{s}"
        );
    }
}

proptest::proptest! {
    #[test]
    fn truncation_fits_and_is_a_prefix(s in "\\PC{0,40}", max in 0usize..60) {
        let t = truncate_to_bytes(&s, max, Charset::EucKr);
        proptest::prop_assert!(s.starts_with(t));
        proptest::prop_assert!(encoding_rs::EUC_KR.encode(t).0.len() <= max);
        if t.len() < s.len() {
            let next = s[t.len()..].chars().next().map(|c| c.to_string()).unwrap_or_default();
            proptest::prop_assert!(byte_len(t, Charset::EucKr) + byte_len(&next, Charset::EucKr) > max);
        }
    }
}
