//! One bad-input case per validation rule and PG (tests/data/pg-invalid.json), natively and
//! in the browser: each must fail on the named field with the named rule, or pass when `ok`.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use hanpay::pg::{self, KstTime, Mode, Params, Pg};
use serde_json::Value;

const DATA: &str = include_str!("data/pg-invalid.json");

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_rule_rejects_bad_input() {
    let d: Value = serde_json::from_str(DATA).expect("pg-invalid.json parses");
    let mut failures = Vec::new();
    for case in d["cases"].as_array().expect("cases") {
        let name = case["pg"].as_str().expect("pg");
        let pg = Pg::from_name(name).expect("pg");
        let mut params = Params::from_json(&d["base"][name].to_string()).expect("base");
        for (k, v) in case["set"].as_object().expect("set") {
            params.set(k, v.as_str().expect("string value"));
        }
        let mode = Mode::from_name(case["mode"].as_str().unwrap_or("test")).expect("mode");
        let now = KstTime::parse(case["now"].as_str().unwrap_or("20240101120000")).expect("now");
        let key = case["key"].as_str().unwrap_or("k");
        let got = pg::build_form(pg, params, key, mode, now);
        let source = case["source"].as_str().unwrap_or("");
        match (case["ok"].as_bool().unwrap_or(false), got) {
            (true, Ok(_)) => {}
            (true, Err(e)) => failures.push(format!("{source}: expected ok, got {e}")),
            (false, Ok(_)) => failures.push(format!("{source}: expected an error")),
            (false, Err(e)) => {
                if Some(e.field.as_str()) != case["field"].as_str()
                    || Some(e.code()) != case["rule"].as_str()
                {
                    failures.push(format!("{source}: got {e}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
