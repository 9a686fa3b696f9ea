//! Code-table lookups (tests/data/pg-codes.json) through the public `codes` functions, natively
//! and in the browser, and the tables' own consistency (crates/hanpay-pg/data/codes/*.json).

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use hanpay::pg::{codes, Pg};
use serde_json::Value;

const DATA: &str = include_str!("data/pg-codes.json");

/// Tables looked up by a (pg, code) pair; a code listed twice for one PG would shadow the second.
const TABLES: &[(&str, &str)] = &[
    (
        "banks",
        include_str!("../crates/hanpay-pg/data/codes/banks.json"),
    ),
    (
        "cards",
        include_str!("../crates/hanpay-pg/data/codes/cards.json"),
    ),
    (
        "carriers",
        include_str!("../crates/hanpay-pg/data/codes/carriers.json"),
    ),
    (
        "couriers",
        include_str!("../crates/hanpay-pg/data/codes/couriers.json"),
    ),
    (
        "statuses",
        include_str!("../crates/hanpay-pg/data/codes/statuses.json"),
    ),
    (
        "easypay",
        include_str!("../crates/hanpay-pg/data/codes/easypay.json"),
    ),
];

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_code_resolves_as_the_manual_says() {
    let d: Value = serde_json::from_str(DATA).expect("pg-codes.json parses");
    let mut failures = Vec::new();
    for case in d["cases"].as_array().expect("cases") {
        let pg = Pg::from_name(case["pg"].as_str().expect("pg")).expect("pg");
        let code = case["code"].as_str().expect("code");
        let got = match case["table"].as_str().expect("table") {
            "bank" => codes::bank_name(pg, code),
            "card" => codes::card_company(pg, code).map(|c| c.name()),
            "status" => codes::status_name(pg, code),
            "easy_pay" => codes::easy_pay_name(pg, code),
            other => panic!("unknown table {other}"),
        };
        if got != case["expect"].as_str() {
            failures.push(format!("{}: got {got:?}", case["source"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn no_code_is_listed_twice_for_one_pg() {
    let mut failures = Vec::new();
    for (file, text) in TABLES {
        let v: Value = serde_json::from_str(text).expect("code table parses");
        for (pg, rows) in v["pg"].as_object().expect("pg") {
            let mut seen = std::collections::HashSet::new();
            for row in rows.as_array().expect("rows") {
                let code = row[0].as_str().expect("code");
                if !seen.insert(code) {
                    failures.push(format!("{file}.json {pg}: {code} twice"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// KCP's buyer-cancel signals (tests/data/kcp-cancel.json), which the browser adapter turns into
/// `USER_CANCEL` rather than `PG_ERROR`.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn kcp_buyer_cancel_signals() {
    let d: Value = serde_json::from_str(include_str!("data/kcp-cancel.json")).expect("parses");
    for case in d["cases"].as_array().expect("cases") {
        let (cd, msg) = (
            case["res_cd"].as_str().expect("cd"),
            case["res_msg"].as_str().expect("msg"),
        );
        assert_eq!(
            hanpay::pg::kcp::is_buyer_cancel(cd, msg),
            case["cancel"].as_bool().expect("cancel"),
            "{case}"
        );
    }
}

/// Every row of the carrier and courier tables resolves through its public lookup (these tables
/// have no vectors in tests/data/pg-codes.json: the data file is its own expectation).
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn carrier_and_courier_rows_resolve() {
    type Lookup = fn(Pg, &str) -> Option<&'static str>;
    let lookups: [(&str, Lookup); 2] = [
        ("carriers", codes::carrier_name),
        ("couriers", codes::courier_name),
    ];
    let mut rows_seen = 0;
    for (file, lookup) in lookups {
        let text = TABLES.iter().find(|(f, _)| *f == file).expect("table").1;
        let v: Value = serde_json::from_str(text).expect("code table parses");
        for (pg, rows) in v["pg"].as_object().expect("pg") {
            let pg = Pg::from_name(pg).expect("pg name");
            for row in rows.as_array().expect("rows") {
                let (code, name) = (row[0].as_str().expect("code"), row[1].as_str());
                assert_eq!(lookup(pg, code), name, "{file}.json {pg:?} {code}");
                rows_seen += 1;
            }
            assert_eq!(lookup(pg, "no-such-code"), None, "{file}.json {pg:?}");
        }
    }
    assert!(rows_seen > 3, "{rows_seen}");
}
