//! The public helpers a merchant calls beside the form builders: SMARTRO `DivideInfo`
//! (manual 001 §3.1.4) and the KSNET `sndGoodname` cut (manual 002 Part 3, README's KSPay row).
#![cfg(not(target_arch = "wasm32"))]

use hanpay::pg::{kspay, smartro};
use hanpay::text::{byte_len, Charset};
use hanpay::Rule;

fn part(mid: &str, amt: u64, goods_name: &str) -> smartro::DividePart {
    smartro::DividePart {
        mid: mid.into(),
        amt,
        goods_name: goods_name.into(),
    }
}

#[test]
fn divide_info_round_trips_and_checks_the_sum() {
    let parts = [
        part("t_sub0001m", 700, "사과"),
        part("t_sub0002m", 300, "배"),
    ];
    let b64 = smartro::divide_info(&parts, 1000).expect("parts add up");
    // The validator the form builder uses reads the same amounts back.
    assert_eq!(smartro::divide_info_amounts(&b64), Some(vec![700, 300]));
    let err = smartro::divide_info(&parts, 1001).unwrap_err();
    assert_eq!((err.field.as_str(), err.rule), ("DivideInfo", Rule::Sum));
}

#[test]
fn goodname_is_cut_to_30_euc_kr_bytes_at_a_character_boundary() {
    let long = "가나다라마바사아자차카타파하가나다라"; // 18 Hangul = 36 EUC-KR bytes
    let cut = kspay::truncate_goodname(long);
    assert!(long.starts_with(cut));
    assert_eq!(byte_len(cut, Charset::EucKr), 30);
    assert_eq!(kspay::truncate_goodname("short name"), "short name");
    // An odd budget never splits a two-byte character.
    let mixed = format!("a{long}");
    assert_eq!(
        byte_len(kspay::truncate_goodname(&mixed), Charset::EucKr),
        29
    );
}
