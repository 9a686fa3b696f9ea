//! PG signing vectors (notes/pg-protocols.md §6), form building and result verification,
//! driven by tests/data/pg-vectors.json, natively and in the browser.

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use hanpay::pg::{self, xpay, KstTime, MessageKind, Mode, Params, Pg, Status, Verify};
use serde_json::Value;

const DATA: &str = include_str!("data/pg-vectors.json");

fn data() -> Value {
    serde_json::from_str(DATA).expect("pg-vectors.json parses")
}

fn key(d: &Value, pg: &str) -> String {
    d["keys"][pg].as_str().unwrap_or("").to_string()
}

/// Every published digest vector through `pg::digest`, the PG's digest table
/// (`Gateway::digests`): `fn` is `<pg>.<digest>`, and a case with `expect_error` names the
/// field and rule the layout refuses.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn hash_vectors() {
    let d = data();
    let mut failures = Vec::new();
    for case in d["hashes"].as_array().expect("hashes") {
        let a: Vec<&str> = case["args"]
            .as_array()
            .expect("args")
            .iter()
            .map(|v| v.as_str().expect("arg"))
            .collect();
        let f = case["fn"].as_str().expect("fn");
        let (name, digest) = f.split_once('.').expect("fn is <pg>.<digest>");
        let pg = Pg::from_name(name).expect("pg name");
        let got = pg::digest(pg, digest, &a, &key(&d, name));
        let ok = match (&got, case["expect"].as_str()) {
            (Ok(v), Some(e)) => v == e,
            (Err(e), None) => {
                let want = &case["expect_error"];
                want["field"].as_str() == Some(e.field.as_str())
                    && want["rule"].as_str() == Some(e.code())
            }
            _ => false,
        };
        if !ok {
            failures.push(format!("{f} ({}): got {got:?}", case["source"]));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every digest a PG declares has a published vector, and every vector names a declared one.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_digest_has_a_vector() {
    let d = data();
    let named: Vec<&str> = d["hashes"]
        .as_array()
        .expect("hashes")
        .iter()
        .map(|c| c["fn"].as_str().expect("fn"))
        .collect();
    for pg in Pg::ALL {
        for dg in pg.gateway().digests {
            let f = format!("{}.{}", pg.name(), dg.name);
            assert!(named.contains(&f.as_str()), "no vector for {f}");
            assert!(!dg.args.is_empty() && !dg.source.is_empty(), "{f}");
        }
    }
    for f in named {
        let (name, digest) = f.split_once('.').expect("fn");
        let pg = Pg::from_name(name).expect("pg name");
        assert!(
            pg.gateway().digests.iter().any(|dg| dg.name == digest),
            "{f} is not a digest of {name}"
        );
    }
}

/// `pg::digest` refuses what it cannot compute with a typed error naming the field and rule.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn digest_errors_name_the_field_and_rule() {
    // (PG, digest, inputs, key, the error's field, its rule)
    type Case = (
        Pg,
        &'static str,
        &'static [&'static str],
        &'static str,
        &'static str,
        &'static str,
    );
    let cases: [Case; 4] = [
        (Pg::Xpay, "sign_value", &["a"], "k", "digest", "one_of"),
        (Pg::Xpay, "hashdata", &["a", "b"], "k", "args", "format"),
        (
            Pg::Kispg,
            "enc_data",
            &["m", "20240101123000", "1"],
            "",
            "key",
            "key",
        ),
        (Pg::Kcp, "hashdata", &[], "k", "digest", "one_of"),
    ];
    for (pg, name, args, key, field, rule) in cases {
        let e = pg::digest(pg, name, args, key).expect_err(name);
        assert_eq!(
            (e.field.as_str(), e.code()),
            (field, rule),
            "{} {name}",
            pg.name()
        );
    }
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn form_vectors() {
    let d = data();
    let mut failures = Vec::new();
    for case in d["forms"].as_array().expect("forms") {
        let name = case["pg"].as_str().expect("pg");
        let pg = Pg::from_name(name).expect("pg name");
        let mode = Mode::from_name(case["mode"].as_str().expect("mode")).expect("mode");
        let now = KstTime::parse(case["now"].as_str().expect("now")).expect("now");
        let params = Params::from_json(&case["params"].to_string()).expect("params");
        let form = match pg::build_form(pg, params, &key(&d, name), mode, now) {
            Ok(f) => f,
            Err(e) => {
                failures.push(format!("{name} ({}): {e}", case["source"]));
                continue;
            }
        };
        let e = &case["expect"];
        for (k, v) in [
            ("action", &form.action),
            ("accept_charset", &form.accept_charset),
            ("target", &form.target),
        ] {
            if e[k].as_str() != Some(v.as_str()) {
                failures.push(format!("{name} {k}: got {v}"));
            }
        }
        for (k, v) in e["fields"].as_object().expect("fields") {
            if form.field(k) != v.as_str() {
                failures.push(format!("{name} field {k}: got {:?}", form.field(k)));
            }
        }
        // Round trip: the JSON the CLI prints parses back to the same fields in order.
        let json: Value = serde_json::from_str(&form.to_json(name)).expect("form json");
        let back: Vec<(String, String)> = json["fields"]
            .as_array()
            .expect("fields")
            .iter()
            .map(|p| {
                (
                    p[0].as_str().unwrap_or("").to_string(),
                    p[1].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        if back != form.fields {
            failures.push(format!("{name}: to_json does not round-trip"));
        }
        // The signature field the PG's description names (the sandbox inspector checks it) is
        // in the signed form.
        let g = pg.gateway();
        if let Some(sig) = g.signature {
            if form.field(sig).is_none_or(str::is_empty) {
                failures.push(format!(
                    "{name}: signature field {sig} missing from the form"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn result_vectors() {
    let d = data();
    let mut failures = Vec::new();
    for case in d["results"].as_array().expect("results") {
        let name = case["pg"].as_str().expect("pg");
        let pg = Pg::from_name(name).expect("pg name");
        let body = case["body"].as_str().expect("body");
        let params = if body.starts_with('{') {
            Params::from_json(body).expect("json body")
        } else {
            Params::from_urlencoded(body.as_bytes(), &pg::decode_utf8)
        };
        let kind: MessageKind = case["kind"]
            .as_str()
            .expect("kind")
            .parse()
            .expect("kind name");
        let k = case["key"]
            .as_str()
            .map_or_else(|| key(&d, name), String::from);
        let mode = Mode::from_name(case["mode"].as_str().unwrap_or("live")).expect("mode");
        let mut v = Verify::new(kind, &k).mode(mode);
        if let Some(ip) = case["peer_ip"].as_str() {
            v = v.peer_ip(ip);
        }
        v.expect.amount = case["expect_amount"].as_u64();
        v.expect.order_id = case["expect_order"].as_str().map(String::from);
        let r = pg::verify(pg, &params, &v);
        let got: Value = serde_json::from_str(&r.to_json()).expect("result json");
        for (k, v) in case["expect"].as_object().expect("expect") {
            if &got[k] != v {
                failures.push(format!(
                    "{name} ({}): {k} expected {v} got {}",
                    case["source"], got[k]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A form built by hanpay verifies with the same key, as a sandbox would check it.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn sign_then_verify_round_trip() {
    let d = data();
    let k = key(&d, "xpay");
    let order = hanpay::Order {
        merchant_id: "lgdacomxpay".into(),
        order_id: "A-1".into(),
        amount: 12000,
        goods_name: "책".into(),
        buyer_name: "김".into(),
        return_url: "https://shop.example/r".into(),
        ..Default::default()
    };
    let now = KstTime::parse("20240101123000").expect("now");
    let form = order.checkout(Pg::Xpay, &k, Mode::Test, now).expect("form");
    let f = |n: &str| form.field(n).unwrap_or("").to_string();
    let note = xpay::note_hashdata(
        &f("LGD_MID"),
        &f("LGD_OID"),
        &f("LGD_AMOUNT"),
        "0000",
        &f("LGD_TIMESTAMP"),
        &k,
    );
    assert_eq!(
        f("LGD_HASHDATA"),
        xpay::hashdata(
            &f("LGD_MID"),
            &f("LGD_OID"),
            &f("LGD_AMOUNT"),
            &f("LGD_TIMESTAMP"),
            &k
        )
    );
    let posted = Params::from_pairs([
        ("LGD_RESPCODE", "0000".to_string()),
        ("LGD_MID", f("LGD_MID")),
        ("LGD_OID", f("LGD_OID")),
        ("LGD_AMOUNT", f("LGD_AMOUNT")),
        ("LGD_TIMESTAMP", f("LGD_TIMESTAMP")),
        ("LGD_HASHDATA", note),
    ]);
    let notice = Verify::new(MessageKind::Notice, &k).expect_amount(12000);
    let r = pg::verify(Pg::Xpay, &posted, &notice);
    assert_eq!(
        (r.status, r.authentic, r.success, r.reply.as_deref()),
        (Status::Paid, Some(true), true, Some("OK"))
    );
    let wrong = Verify::new(MessageKind::Notice, "wrong-key").expect_amount(12000);
    let r = pg::verify(Pg::Xpay, &posted, &wrong);
    assert_eq!(
        (r.status, r.authentic, r.success),
        (Status::Rejected, Some(false), false)
    );
}

/// Every PG of the registry has form and result vectors, so a new PG's data file without its
/// vectors fails here rather than passing untested.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn every_pg_has_vectors() {
    let d = data();
    for section in ["forms", "results"] {
        let named: Vec<&str> = d[section]
            .as_array()
            .expect(section)
            .iter()
            .filter_map(|c| c["pg"].as_str())
            .collect();
        for pg in Pg::ALL {
            assert!(
                named.contains(&pg.name()),
                "tests/data/pg-vectors.json {section}: no case for {}",
                pg.name()
            );
        }
    }
}
