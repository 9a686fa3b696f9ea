//! The generic lifecycle (issue 13): `call::lifecycle::lifecycle` maps cancel, partial cancel,
//! refund, capture and lookup to each PG's own call and field names, and the mapped parameters
//! build a valid request with the PG's builder; steps a PG has no call for, and refunds without
//! the buyer's account, fail on a named field and rule.

use hanpay::pg::call::lifecycle::{lifecycle, Change, Op, RefundAccount};
use hanpay::pg::call::{self, Call};
use hanpay::pg::{KstTime, Mode, Params, Pg};
use serde_json::Value;
use std::sync::LazyLock;

static DATA: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!("data/lifecycle.json")).expect("lifecycle.json parses")
});

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("a string: {v}"))
}

fn pg_of(v: &Value) -> Pg {
    Pg::from_name(text(v)).unwrap_or_else(|| panic!("a PG: {v}"))
}

fn op_of(v: &Value) -> Op {
    Op::from_name(text(v)).unwrap_or_else(|| panic!("an op: {v}"))
}

fn call_of(v: &Value) -> Call {
    text(v).parse().unwrap_or_else(|_| panic!("a call: {v}"))
}

fn now() -> KstTime {
    KstTime::parse("20240101120000").expect("now")
}

fn change(tid: &str, method: &str) -> Change {
    Change {
        tid: tid.into(),
        order_id: "O-1".into(),
        method: method.into(),
        order_amount: 1004,
        remaining: 704,
        amount: 300,
        reason: "고객요청".into(),
        refund: None,
    }
}

/// The PG's test merchant (`merchants` in lifecycle.json): configuration, key, a transaction id.
fn merchant(pg: Pg) -> (Params, &'static str, &'static str) {
    let m = &DATA["merchants"][pg.name()];
    let params = m["params"]
        .as_object()
        .unwrap_or_else(|| panic!("no merchant for {}", pg.name()));
    (
        Params::from_pairs(params.iter().map(|(k, v)| (k.as_str(), text(v)))),
        text(&m["key"]),
        text(&m["tid"]),
    )
}

#[test]
fn every_pg_has_lifecycle_cases() {
    for pg in Pg::ALL {
        let named = |list: &str| {
            DATA[list]
                .as_array()
                .expect(list)
                .iter()
                .any(|c| pg_of(&c["pg"]) == pg)
        };
        assert!(named("mapped") || named("unmapped"), "{}", pg.name());
    }
}

#[test]
fn every_mapped_step_builds_with_the_pgs_builder() {
    for case in DATA["mapped"].as_array().expect("mapped") {
        let (pg, op, want_call) = (
            pg_of(&case["pg"]),
            op_of(&case["op"]),
            call_of(&case["call"]),
        );
        let (m, key, tid) = merchant(pg);
        let (c, params) = lifecycle(pg, op, &change(tid, "card"), m).expect("mapped");
        assert_eq!(c, want_call, "{} {op:?}", pg.name());
        let req = call::request(pg, c, params, key, Mode::Test, now())
            .unwrap_or_else(|e| panic!("{} {op:?}: {e}", pg.name()));
        for (k, v) in case["want"].as_object().expect("want") {
            assert_eq!(req.fields.get(k), Some(text(v)), "{} {op:?} {k}", pg.name());
        }
    }
}

#[test]
fn kispg_lookup_goes_by_tid_or_else_by_order_number() {
    let (m, key, tid) = merchant(Pg::Kispg);
    let (_, by_tid) = lifecycle(Pg::Kispg, Op::Lookup, &change(tid, "card"), m.clone()).unwrap();
    assert_eq!((by_tid.get("tid"), by_tid.get("ordNo")), (Some(tid), None));
    let mut c = change(tid, "card");
    c.tid.clear();
    let (call_, by_order) = lifecycle(Pg::Kispg, Op::Lookup, &c, m).unwrap();
    assert_eq!(by_order.get("tid"), None);
    assert_eq!(by_order.get("ordNo"), Some(c.order_id.as_str()));
    call::request(Pg::Kispg, call_, by_order, key, Mode::Test, now()).expect("built by ordNo");
}

#[test]
fn the_merchant_signs_kcp_mod_requests_only() {
    use hanpay::pg::call::key_signature;
    let p = Params::from_pairs([("site_cd", "T0000"), ("tno", "20240101000001")]);
    for (c, mod_type) in [
        (Call::Cancel, "STSC"),
        (Call::PartialCancel, "STPC"),
        (Call::Capture, "STMR"),
    ] {
        let sig = key_signature(Pg::Kcp, c, &p).expect("a mod request is signed");
        assert_eq!(
            (sig.field, sig.input),
            ("kcp_sign_data", format!("T0000^20240101000001^{mod_type}"))
        );
    }
    assert_eq!(key_signature(Pg::Kcp, Call::Approve, &p), None);
    let mut signed = p.clone();
    signed.set("kcp_sign_data", "c2ln");
    assert_eq!(
        key_signature(Pg::Kcp, Call::Cancel, &signed),
        None,
        "the caller's own signature stands"
    );
    for pg in Pg::ALL.into_iter().filter(|pg| *pg != Pg::Kcp) {
        assert_eq!(key_signature(pg, Call::Cancel, &p), None, "{}", pg.name());
    }
}

#[test]
fn op_names_round_trip() {
    for op in Op::ALL {
        assert_eq!(Op::from_name(op.name()), Some(op));
    }
    assert_eq!(Op::from_name("partial-cancel"), None);
}

#[test]
fn refunds_need_the_buyers_account_and_missing_steps_are_named() {
    let (m, key, tid) = merchant(Pg::Kispg);
    let e =
        lifecycle(Pg::Kispg, Op::Refund, &change(tid, "vacnt"), m.clone()).expect_err("account");
    assert_eq!(
        (e.field.as_str(), e.rule.code()),
        ("refundAccnt", "required")
    );
    let mut c = change(tid, "vacnt");
    c.refund = Some(RefundAccount {
        bank: "004".into(),
        account: "123456789".into(),
        holder: "임꺽정".into(),
    });
    let (call_, params) = lifecycle(Pg::Kispg, Op::Refund, &c, m).expect("refund");
    let req = call::request(Pg::Kispg, call_, params, key, Mode::Test, now()).expect("built");
    // 300 of the 704 remaining: a partial refund.
    assert_eq!(req.fields.get("partCanFlg"), Some("1"));
    assert_eq!(req.fields.get("refundNm"), Some("임꺽정"));

    let (m, _, tid) = merchant(Pg::Xpay);
    let e = lifecycle(Pg::Xpay, Op::Refund, &change(tid, "SC0040"), m).expect_err("account");
    assert_eq!(e.field, "LGD_RFACCOUNTNUM");
    for case in DATA["unmapped"].as_array().expect("unmapped") {
        let (pg, op) = (pg_of(&case["pg"]), op_of(&case["op"]));
        let e = lifecycle(pg, op, &change("T", "card"), Params::new()).expect_err("no call");
        assert_eq!(
            (e.field.as_str(), e.rule.code()),
            ("call", "one_of"),
            "{} {op:?}",
            pg.name()
        );
    }
}
