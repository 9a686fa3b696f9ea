//! Result and notification parsing + verification for every PG on arbitrary bodies.
//!
//! Input: byte 0 picks the PG, byte 1 the flags (bit 0 empty key, bit 1 expect an amount), the
//! rest is the posted body, parsed as `application/x-www-form-urlencoded` (any bytes, invalid
//! UTF-8 included), as a flat JSON object, and as a KSPay `recv_post` reply. Checks: no panic;
//! `success` never with `authentic: false`; nothing is authentic without a key; a reply is only
//! offered for messages that were not found forged; results serialize to valid JSON.
#![no_main]

use hanpay::pg::{self, kspay, smartro, Params, PaymentResult, Pg};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn check(r: &PaymentResult, key: &str, expected: Option<u64>) {
    if r.authentic == Some(false) {
        assert!(!r.success, "forged message reported as success");
        assert!(r.reply.is_none(), "forged message acknowledged");
    }
    if key.is_empty() {
        assert_ne!(r.authentic, Some(true), "authentic without a key");
    }
    if let (true, Some(e)) = (r.success, expected) {
        assert_eq!(r.amount, Some(e), "success with a different amount");
    }
    let json: Value = serde_json::from_str(&r.to_json()).expect("result JSON");
    assert_eq!(json["tid"].as_str(), Some(r.tid.as_str()));
    assert_eq!(json["message"].as_str(), Some(r.message.as_str()));
}

fuzz_target!(|data: &[u8]| {
    let [pg_byte, flags, body @ ..] = data else {
        return;
    };
    let pg = Pg::ALL[usize::from(*pg_byte) % Pg::ALL.len()];
    let key = if flags & 1 != 0 {
        ""
    } else {
        "fuzz-merchant-key"
    };
    let expected = (flags & 2 != 0).then_some(1004);
    let params = Params::from_urlencoded(body, &pg::decode_utf8);
    check(&pg::verify(pg, &params, key, expected), key, expected);
    let text = String::from_utf8_lossy(body);
    if let Ok(params) = Params::from_json(&text) {
        check(&pg::verify(pg, &params, key, expected), key, expected);
    }
    let recv = kspay::parse_recv_post(&text);
    check(&pg::verify(Pg::Kspay, &recv, key, expected), key, expected);
    let _ = smartro::divide_info_amounts(&text);
});
