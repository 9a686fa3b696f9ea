//! Result and notification parsing + verification for every PG on arbitrary bodies.
//!
//! Input: byte 0 picks the PG, byte 1 the flags (bit 0 empty key, bit 1 expect an amount,
//! bits 2-3 the message kind, bit 4 a peer address from KCP's test notifier list), the rest is the posted body, parsed as `application/x-www-form-urlencoded` (any bytes, invalid
//! UTF-8 included), as a flat JSON object, and as a KSPay `recv_post` reply. Checks: no panic;
//! `success` never with `authentic: false`, and only for `paid`/`deposited`; a rejected message
//! is never acknowledged; nothing signed is authentic without a key; results serialize to JSON.
#![no_main]

use hanpay::pg::{self, kspay, smartro, MessageKind, Mode, Params, PaymentResult, Pg, Status, Verify};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn check(r: &PaymentResult, key: &str, expected: Option<u64>) {
    if r.authentic == Some(false) {
        assert!(!r.success, "forged message reported as success");
        assert_eq!(r.status, Status::Rejected, "forged message not rejected");
    }
    if r.status == Status::Rejected {
        assert!(r.reply.is_none(), "rejected message acknowledged");
    }
    assert_eq!(r.success, r.status.is_success(), "success disagrees with status");
    if key.is_empty() && !(r.pg == Pg::Kcp && r.kind == MessageKind::Notice) {
        assert_ne!(r.authentic, Some(true), "authentic without a key");
    }
    if let (true, Some(e)) = (r.success, expected) {
        if r.status == Status::Deposited {
            assert!(r.amount >= Some(e), "deposited short of the order amount");
        } else {
            assert_eq!(r.amount, Some(e), "success with a different amount");
        }
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
    let kind = MessageKind::ALL[usize::from(flags >> 2 & 3) % 3];
    let mut v = Verify::new(kind, key).mode(Mode::Test);
    if flags & 16 != 0 {
        v = v.peer_ip("203.238.36.17");
    }
    v.expect.amount = expected;
    let params = Params::from_urlencoded(body, &pg::decode_utf8);
    check(&pg::verify(pg, &params, &v), key, expected);
    let text = String::from_utf8_lossy(body);
    if let Ok(params) = Params::from_json(&text) {
        check(&pg::verify(pg, &params, &v), key, expected);
    }
    let recv = kspay::parse_recv_post(&text);
    check(&pg::verify(Pg::Kspay, &recv, &v), key, expected);
    let _ = smartro::divide_info_amounts(&text);
});
