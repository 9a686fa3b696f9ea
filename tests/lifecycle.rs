//! The generic lifecycle (issue 13): `call::lifecycle::lifecycle` maps cancel, partial cancel,
//! refund, capture and lookup to each PG's own call and field names, and the mapped parameters
//! build a valid request with the PG's builder; steps a PG has no call for, and refunds without
//! the buyer's account, fail on a named field and rule.

use hanpay::pg::call::lifecycle::{lifecycle, Change, Op, RefundAccount};
use hanpay::pg::call::{self, Call};
use hanpay::pg::{KstTime, Mode, Params, Pg};

const XPAY_KEY: &str = "95160cce09854ef44d2edb2bfb05f9f3";
const SMARTRO_KEY: &str =
    "0/4GFsSd7ERVRGX9WHOzJ96GyeMTwvIaKSWUCKmN3fDklNRGw3CualCFoMPZaS99YiFGOuwtzTkrLo4bR4V+Ow==";
const KISPG_KEY: &str =
    "2d6ECGhR1pg/1QGE1lcRI4awsWEgshjEyI8UgYslLPJSuNeyPTkdrT8XWARezvDTUJClWQWhjxzBbu7AsuLZqg==";

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

fn merchant(pg: Pg) -> (Params, &'static str, &'static str) {
    match pg {
        Pg::Xpay => (
            Params::from_pairs([("CST_MID", "lgdacomxpay")]),
            XPAY_KEY,
            "tlgda2024010112300012345",
        ),
        Pg::Smartro => (
            Params::from_pairs([("Cancelpw", "123456")]),
            SMARTRO_KEY,
            "SMTPAY001m01012401011230001234",
        ),
        Pg::Kcp => (
            Params::from_pairs([
                ("site_cd", "T0000"),
                (
                    "kcp_cert_info",
                    "-----BEGIN CERTIFICATE-----x-----END CERTIFICATE-----",
                ),
                ("kcp_sign_data", "c2ln"),
            ]),
            "",
            "20240101123456",
        ),
        Pg::Kispg => (
            Params::from_pairs([("mid", "kistest00m")]),
            KISPG_KEY,
            "kistest00m01012401011230001234",
        ),
        Pg::SmartroPay => (
            Params::from_pairs([("Mid", "t_hanpay1m"), ("CancelPwd", "123456")]),
            "0123456789abcdef0123456789abcdef0123456789abcdef",
            "t_hanpay1m01012512021200000001",
        ),
        Pg::Kspay => (Params::new(), "", "1"),
    }
}

/// A lifecycle step, the call it maps to, and fields the built request must carry.
type Case = (Pg, Op, Call, &'static [(&'static str, &'static str)]);

#[test]
fn every_mapped_step_builds_with_the_pgs_builder() {
    let cases: &[Case] = &[
        (
            Pg::Xpay,
            Op::Cancel,
            Call::Cancel,
            &[("LGD_TXNAME", "Cancel")],
        ),
        (
            Pg::Xpay,
            Op::PartialCancel,
            Call::PartialCancel,
            &[("LGD_CANCELAMOUNT", "300"), ("LGD_REMAINAMOUNT", "704")],
        ),
        (
            Pg::Smartro,
            Op::Cancel,
            Call::Cancel,
            &[("CancelAmt", "704"), ("PartialCancelCode", "0")],
        ),
        (
            Pg::Smartro,
            Op::PartialCancel,
            Call::PartialCancel,
            &[("CancelAmt", "300"), ("PartialCancelCode", "1")],
        ),
        (Pg::Kcp, Op::Cancel, Call::Cancel, &[("mod_type", "STSC")]),
        (
            Pg::Kcp,
            Op::PartialCancel,
            Call::PartialCancel,
            &[("mod_type", "STPC"), ("mod_mny", "300"), ("rem_mny", "704")],
        ),
        (Pg::Kcp, Op::Capture, Call::Capture, &[("mod_type", "STMR")]),
        (
            Pg::Kispg,
            Op::Cancel,
            Call::Cancel,
            &[
                ("canAmt", "704"),
                ("partCanFlg", "0"),
                ("payMethod", "card"),
            ],
        ),
        (
            Pg::Kispg,
            Op::PartialCancel,
            Call::PartialCancel,
            &[("canAmt", "300"), ("partCanFlg", "1")],
        ),
        (Pg::Kispg, Op::Lookup, Call::Order, &[("goodsAmt", "1004")]),
        (
            Pg::SmartroPay,
            Op::Cancel,
            Call::Cancel,
            &[("Mid", "t_hanpay1m")],
        ),
        (
            Pg::SmartroPay,
            Op::PartialCancel,
            Call::PartialCancel,
            &[("Mid", "t_hanpay1m")],
        ),
    ];
    for (pg, op, want_call, want) in cases {
        let (m, key, tid) = merchant(*pg);
        let (c, params) = lifecycle(*pg, *op, &change(tid, "card"), m).expect("mapped");
        assert_eq!(c, *want_call, "{} {op:?}", pg.name());
        let req = call::request(*pg, c, params, key, Mode::Test, now())
            .unwrap_or_else(|e| panic!("{} {op:?}: {e}", pg.name()));
        for (k, v) in *want {
            assert_eq!(req.fields.get(k), Some(*v), "{} {op:?} {k}", pg.name());
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
    for (pg, op) in [
        (Pg::Smartro, Op::Lookup),
        (Pg::Smartro, Op::Refund),
        (Pg::Xpay, Op::Capture),
        (Pg::Kspay, Op::Cancel),
        (Pg::Kcp, Op::Lookup),
        (Pg::SmartroPay, Op::Lookup),
    ] {
        let e = lifecycle(pg, op, &change("T", "card"), Params::new()).expect_err("no call");
        assert_eq!(
            (e.field.as_str(), e.rule.code()),
            ("call", "one_of"),
            "{} {op:?}",
            pg.name()
        );
    }
}
