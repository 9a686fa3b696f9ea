//! Every PG form builder (validation + signing) on arbitrary parameters.
//!
//! Input: byte 0 picks the PG, byte 1 the flags (bit 0 live mode, bit 1 empty merchant key,
//! bit 2 start from the valid base parameters of tests/data/pg-invalid.json so the fuzzer reaches
//! signing), byte 2 shifts the clock by minutes; the rest is `name=value` items separated by NUL,
//! applied on top of the base. Checks: no panic; errors and forms serialize to valid JSON that
//! round-trips; a PG that signs never builds a form without a merchant key.
#![no_main]

use hanpay::pg::{self, KstTime, Mode, Params, Pg};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;

fn bases() -> &'static Value {
    static BASES: OnceLock<Value> = OnceLock::new();
    BASES.get_or_init(|| {
        let d: Value = serde_json::from_str(include_str!("../../tests/data/pg-invalid.json"))
            .expect("pg-invalid.json");
        d["base"].clone()
    })
}

fuzz_target!(|data: &[u8]| {
    let [pg_byte, flags, minutes, rest @ ..] = data else {
        return;
    };
    let pg = Pg::ALL[usize::from(*pg_byte) % Pg::ALL.len()];
    let mode = if flags & 1 != 0 {
        Mode::Live
    } else {
        Mode::Test
    };
    let key = if flags & 2 != 0 {
        ""
    } else {
        "fuzz-merchant-key"
    };
    let mut params = if flags & 4 != 0 {
        Params::from_json(&bases()[pg.name()].to_string()).expect("base params")
    } else {
        Params::new()
    };
    let text = String::from_utf8_lossy(rest);
    for item in text.split('\0') {
        let (k, v) = item.split_once('=').unwrap_or((item, ""));
        params.set(k, v);
    }
    let now = KstTime::from_unix(1_704_067_200 + i64::from(*minutes) * 60);
    match pg::build_form(pg, params, key, mode, now) {
        Ok(form) => {
            if key.is_empty() {
                assert!(
                    !matches!(pg, Pg::Xpay | Pg::Smartro | Pg::Kispg),
                    "{} signed a form without a key",
                    pg.name()
                );
            }
            let json: Value = serde_json::from_str(&form.to_json(pg.name())).expect("form JSON");
            let fields = json["fields"].as_array().expect("fields");
            assert_eq!(fields.len(), form.fields.len());
            for (got, (k, v)) in fields.iter().zip(&form.fields) {
                assert_eq!(got[0].as_str(), Some(k.as_str()));
                assert_eq!(got[1].as_str(), Some(v.as_str()));
            }
        }
        Err(e) => {
            let json: Value = serde_json::from_str(&e.to_json()).expect("error JSON");
            assert_eq!(json["field"].as_str(), Some(e.field.as_str()));
            assert_eq!(json["rule"].as_str(), Some(e.code()));
        }
    }
});
