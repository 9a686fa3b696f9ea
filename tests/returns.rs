//! The browser step coming back (issue 15: the return read by the library, not by each
//! merchant): every case of tests/data/returns.json — a PG's post to the merchant's return URL
//! and the merchant's own order — must read to the expected status, cancel flag and next step;
//! and every PG's return description is consistent with its server calls.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use hanpay::pg::call::{self, Call, Next, StepSpec};
use hanpay::pg::{MessageKind, Params, Pg, Status, Verify};
use serde_json::Value;

const DATA: &str = include_str!("data/returns.json");

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_return_reads_as_expected() {
    let d: Value = serde_json::from_str(DATA).expect("returns.json parses");
    let cases = d["cases"].as_array().expect("cases");
    let mut failures = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let pg = Pg::from_name(case["pg"].as_str().expect("pg")).expect("known pg");
        seen.insert(pg);
        let post = Params::from_json(&case["post"].to_string()).expect("post");
        let order = &case["order"];
        let v = Verify::new(MessageKind::Return, case["key"].as_str().unwrap_or(""))
            .expect_order(order["id"].as_str().expect("order id"))
            .expect_amount(order["amount"].as_u64().expect("order amount"));
        let back = call::read_return(pg, &post, &v);
        let want = &case["want"];
        let next = back
            .next
            .as_ref()
            .map(|n| serde_json::to_value(n).expect("next serializes"));
        let got = (
            back.result.status.as_str(),
            back.cancelled,
            next.clone().unwrap_or(Value::Null),
        );
        let expected = (
            want["status"].as_str().expect("status"),
            want["cancelled"].as_bool().expect("cancelled"),
            want["next"].clone(),
        );
        if got != expected {
            failures.push(format!("{name}: got {got:?}, want {expected:?}"));
        }
        // Only an authenticated or paid post leaves a step, and it round-trips.
        if let (Some(n), Some(json)) = (&back.next, next) {
            assert!(
                matches!(
                    back.result.status,
                    Status::Authenticated | Status::Paid | Status::Pending
                ),
                "{name}"
            );
            let again: Next = serde_json::from_value(json).expect("next parses");
            assert_eq!(&again, n, "{name}");
        }
        if back.cancelled {
            assert_eq!(back.result.status, Status::Failed, "{name}");
        }
    }
    assert_eq!(seen.len(), Pg::ALL.len(), "a case for every PG");
    assert!(cases.len() >= 25, "{} cases", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_step_is_one_of_the_pgs_calls_and_reachable() {
    for pg in Pg::ALL {
        for s in pg.returns().steps {
            assert!(Call::of(pg).contains(&s.call), "{}: {}", pg.name(), s.next);
            assert_eq!(
                StepSpec::named(pg, s.next).map(|x| x.call),
                Some(s.call),
                "{}",
                pg.name()
            );
            assert!(
                !s.values.is_empty(),
                "{}: {} carries no value",
                pg.name(),
                s.next
            );
        }
    }
    // The `next` the browser hands over names one of the PG's steps (the generic reader would
    // otherwise turn every success into `failed`): every step of tests/data/next-steps.json, and
    // a PG whose browser step is no call has no steps at all.
    let d: Value = serde_json::from_str(include_str!("data/next-steps.json")).expect("parses");
    let mut with_call = Vec::new();
    for c in d["steps"].as_array().expect("steps") {
        let pg = Pg::from_name(c["object"]["pg"].as_str().expect("pg")).expect("a PG");
        let next = c["object"]["next"].as_str().expect("next");
        match c["step"]["call"].as_str() {
            Some(call) => {
                let call: Call = call.parse().expect("a call");
                assert_eq!(StepSpec::named(pg, next).map(|x| x.call), Some(call), "{c}");
                with_call.push(pg);
            }
            None => assert!(StepSpec::named(pg, next).is_none(), "{c}"),
        }
    }
    // And a step accepted under its call's name (KISPG's `payment`) names that step too.
    for a in d["aliases"].as_array().expect("aliases") {
        let pg = Pg::from_name(a["object"]["pg"].as_str().expect("pg")).expect("a PG");
        let next = a["object"]["next"].as_str().expect("next");
        let call: Call = a["call"].as_str().expect("call").parse().expect("a call");
        assert_eq!(StepSpec::named(pg, next).map(|x| x.call), Some(call), "{a}");
    }
    for pg in Pg::ALL {
        assert_eq!(
            with_call.contains(&pg),
            !pg.returns().steps.is_empty(),
            "{}",
            pg.name()
        );
    }
}
