//! LG U+ XPay cross-platform emulation (notes/pg-protocols.md §1): `xpay_crossplatform.js`
//! (`openXpay` / `open_paymentwindow` / `closeIframe`, needing the page's `getFormObject` and
//! `payment_return`), the PC window in XPay's iframe and the Smart XPay page (`submit`), the
//! unsigned `LGD_RETURNURL` post (`LGD_RESPCODE`, `LGD_RESPMSG`, `LGD_PAYKEY`), the
//! `PaymentByKey` gateway authenticated by `LGD_TXID`/`LGD_AUTHCODE`, and the CAS deposit
//! notice signed with `LGD_HASHDATA`, retried until the merchant answers exactly `OK`.

mod api;

use super::ledger::{Payment, State as Booked};
use super::notify::default_gap;
use super::{notify, pay_window, Pending, Session, Shared};
use crate::credentials::XPAY_USER_CANCEL as USER_CANCEL;
use crate::credentials::{XPAY_CST_MID, XPAY_KEY};
use crate::pages::error_page;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use hanpay::pg::{xpay, KstTime, Mode, Params, Pg};
use hanpay::text::Charset;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Sandbox-defined codes: manual 000 lists no code for these emulated refusals.
const DECLINED: &str = "D999";
const GW_REFUSED: &str = "XC01";
const GW_AMOUNT: &str = "XC02";

/// Pages of this emulator the merchant's page may frame (`origin::guard`): XPay's window in `LGD_PAYMENTWINDOW_IFRAME` and the decision page in it.
pub const FRAMED: &[&str] = &["/pg/xpay/window", "/pg/xpay/decide"];

pub fn routes() -> Router<Shared> {
    Router::new()
        // Test and service script paths of notes §1.5, behind the sandbox prefix.
        .route("/pg/xpay/xpay_crossplatform/sandbox/v1", get(script))
        .route("/pg/xpay/xpay/js/xpay_crossplatform.js", get(script))
        .route("/pg/xpay/window", post(pc))
        .route("/pg/xpay/mobile", post(mobile))
        .route("/pg/xpay/decide", post(decide))
        .route("/pg/xpay/xpay/Gateway.do", post(gateway))
        .route("/pg/xpay/sandbox/deposit", post(deposit))
}

/// The vendor-like script: like the real one it reads the form through the page's
/// `getFormObject()` and needs `payment_return()` for the iframe flow; it draws XPay's iframe
/// and posts the form into it, or (`submit`) posts it in the same window.
const SCRIPT: &str = include_str!("../../../templates/xpay.js");

async fn script() -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/javascript; charset=utf-8",
        )],
        SCRIPT,
    )
        .into_response()
}

fn key_of(cst_mid: &str) -> Option<&'static str> {
    (cst_mid == XPAY_CST_MID).then_some(XPAY_KEY)
}

fn mode_of(p: &Params) -> Mode {
    if p.str("CST_PLATFORM") == "service" {
        Mode::Live
    } else {
        Mode::Test
    }
}

/// The window's checks: the request table (manual 000 §5.2: required, bytes, forbidden
/// characters), a known MID with the `t` prefix matching the platform (§1.4), and
/// `LGD_HASHDATA` = MD5(MID + OID + AMOUNT + TIMESTAMP + MertKey) (§1.1).
fn check(p: &Params) -> Result<(), (String, String)> {
    let charset = Charset::from_label(p.str("LGD_ENCODING")).unwrap_or(Charset::Utf8);
    hanpay::pg::validate(p, xpay::FIELDS, charset, xpay::FORBIDDEN)
        .map_err(|e| (format!("{}:{}", e.field, e.code()), e.to_string()))?;
    let key = key_of(p.str("CST_MID")).ok_or((
        "CST_MID:unknown".to_string(),
        "unregistered CST_MID".to_string(),
    ))?;
    super::check_urls(p, &["LGD_RETURNURL"], &["LGD_CASNOTEURL"])?;
    let mid = xpay::effective_mid(p.str("CST_MID"), mode_of(p));
    if p.str("LGD_MID") != mid {
        return Err((
            "LGD_MID:mismatch".into(),
            format!(
                "LGD_MID must be {mid} for CST_PLATFORM={}",
                p.str("CST_PLATFORM")
            ),
        ));
    }
    let expect = xpay::hashdata(
        &mid,
        p.str("LGD_OID"),
        p.str("LGD_AMOUNT"),
        p.str("LGD_TIMESTAMP"),
        key,
    );
    if !hanpay::pg::same(&expect, p.str("LGD_HASHDATA")) {
        return Err((
            "LGD_HASHDATA:mismatch".into(),
            "LGD_HASHDATA does not match MID + OID + AMOUNT + TIMESTAMP (changed after signing?)"
                .into(),
        ));
    }
    Ok(())
}

fn open(st: &Shared, body: &[u8], mobile: bool) -> Response {
    // The form is posted in LGD_ENCODING (UTF-8 unless the merchant chose EUC-KR).
    let euc = String::from_utf8_lossy(body).contains("LGD_ENCODING=EUC-KR");
    let p = match crate::http::decode_form(body, euc) {
        Ok(p) => p,
        Err(e) => return error_page("XPay", "charset", &e),
    };
    if let Err((code, detail)) = check(&p) {
        return error_page("XPay", &code, &detail);
    }
    let rows = [
        ("상점", p.str("LGD_MID").to_string()),
        ("주문번호", p.str("LGD_OID").to_string()),
        ("상품명", p.str("LGD_PRODUCTINFO").to_string()),
        ("금액", p.str("LGD_AMOUNT").to_string()),
        ("결제수단", p.str("LGD_CUSTOM_USABLEPAY").to_string()),
    ];
    let session = st.open_session(Session {
        pg: Pg::Xpay,
        params: p,
        mobile,
    });
    pay_window(
        "XPay",
        &session,
        "/pg/xpay/decide",
        &rows,
        &[
            ("approve", "인증 (Approve)"),
            ("decline", "거절 (Decline)"),
            ("cancel", "취소 (Cancel)"),
        ],
    )
}

async fn pc(State(st): State<Shared>, body: axum::body::Bytes) -> Response {
    open(&st, &body, false)
}

async fn mobile(State(st): State<Shared>, body: axum::body::Bytes) -> Response {
    open(&st, &body, true)
}

fn pending(order_id: &str, amount: u64, tid: &str, method: &str, approve: bool) -> Pending {
    Pending {
        pg: Pg::Xpay,
        order_id: order_id.into(),
        amount,
        tid: tid.into(),
        approve,
        method: method.into(),
        used: false,
    }
}

/// The buyer's decision: the return page gets `LGD_RESPCODE`, `LGD_RESPMSG` and (on success)
/// the one-time `LGD_PAYKEY`; nothing is signed on this path (notes §1.2).
async fn decide(State(st): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let Some(s) = st.take_session(f.get("session").map(String::as_str).unwrap_or("")) else {
        return error_page(
            "XPay",
            "session",
            "this payment window has already been used or expired",
        );
    };
    let p = &s.params;
    let (code, msg, key) = match f.get("decision").map(String::as_str) {
        Some("approve") => {
            let key = format!(
                "{}{}{:06}",
                p.str("LGD_MID"),
                crate::ids::yymmddhhmmss(),
                st.next_id()
            );
            // LGD_TID is at most 24 bytes (manual 000 §7.1), e.g. `tlgda` + 19 digits.
            let tid = format!(
                "{}{}{:07}",
                p.str("LGD_MID").get(..5).unwrap_or("tlgda"),
                crate::ids::yymmddhhmmss(),
                st.next_id() % 10_000_000
            );
            let method = p
                .str("LGD_CUSTOM_USABLEPAY")
                .get(..6)
                .unwrap_or("SC0010")
                .to_string();
            let amount = p.str("LGD_AMOUNT").parse().unwrap_or(0);
            st.put_pending(&key, pending(p.str("LGD_OID"), amount, &tid, &method, true));
            if method == "SC0040" {
                // Remember where the CAS notice goes (LGD_CASNOTEURL) for the deposit control.
                st.put_pending(
                    &format!("xpay-notify:{}", p.str("LGD_OID")),
                    pending(
                        p.str("LGD_OID"),
                        amount,
                        p.str("LGD_CASNOTEURL"),
                        &tid,
                        false,
                    ),
                );
            }
            ("0000", "인증 성공", key)
        }
        Some("cancel") => (USER_CANCEL, "결제를 취소하였습니다", String::new()),
        _ => (DECLINED, "카드 인증 거절 (declined)", String::new()),
    };
    let fields = vec![
        ("LGD_RESPCODE".to_string(), code.to_string()),
        ("LGD_RESPMSG".to_string(), msg.to_string()),
        ("LGD_PAYKEY".to_string(), key),
    ];
    super::auto_post("XPay", p.str("LGD_RETURNURL"), &fields, "UTF-8")
}

fn gw_fail(code: &str, msg: &str) -> Response {
    Json(json!({"LGD_RESPCODE": code, "LGD_RESPMSG": msg})).into_response()
}

/// The `PaymentByKey` gateway: authenticates the merchant (`LGD_TXID` starting with the MID,
/// `LGD_AUTHCODE` = SHA-1(LGD_TXID + MertKey), notes §1.2), spends the one-time key once,
/// and with `LGD_AMOUNTCHECKYN=Y` refuses an amount other than the authenticated one.
async fn gateway(State(st): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let s = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    if s("LGD_TXNAME") == "Rollback" {
        return api::rollback(&st, &f);
    }
    if s("LGD_TXNAME") != "PaymentByKey" {
        // Cancel / PartialCancel (issue 13): api.rs.
        return api::gateway(&st, &f);
    }
    let mid = s("LGD_MID");
    let cst = mid.strip_prefix('t').unwrap_or(mid);
    let Some(key) = key_of(cst) else {
        return gw_fail(GW_REFUSED, "unregistered LGD_MID");
    };
    let txid = s("LGD_TXID");
    if !txid.starts_with(&format!("{mid}-"))
        || !hanpay::pg::same(&sha1_hex(&format!("{txid}{key}")), s("LGD_AUTHCODE"))
    {
        return gw_fail(GW_REFUSED, "LGD_AUTHCODE does not authenticate LGD_TXID");
    }
    let paykey = s("LGD_PAYKEY");
    let Some(pend) = st
        .pending(paykey, false)
        .filter(|p| p.pg == Pg::Xpay && p.approve)
    else {
        return gw_fail(GW_REFUSED, "unknown LGD_PAYKEY");
    };
    if pend.used {
        return gw_fail(GW_REFUSED, "LGD_PAYKEY already used");
    }
    if s("LGD_AMOUNTCHECKYN") == "Y" && s("LGD_AMOUNT").parse::<u64>().ok() != Some(pend.amount) {
        return gw_fail(GW_AMOUNT, "결제금액 불일치 (amount check failed)");
    }
    st.pending(paykey, true);
    let vbank = pend.method == "SC0040";
    let state = if vbank { Booked::Issued } else { Booked::Paid };
    let booked = Payment::new(&pend.order_id, pend.amount, &pend.method, state);
    st.ledger.record(Pg::Xpay, &pend.tid, booked);
    // What the call was, under its LGD_TXID: XPayClient's Rollback names the lost call by it
    // (LGD_RB_TXID, api.rs `rollback`).
    st.put_pending(&format!("{}{txid}", api::TXID_KEY), pend.clone());
    if pend.order_id.ends_with(api::SLOW_SUFFIX) {
        // Test hook: the answer of an order whose id ends so is held back after the payment is
        // booked — a lost answer, for the client's recovery (the rollback) to undo.
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    }
    let mut v: Value = json!({
        "LGD_RESPCODE": "0000", "LGD_RESPMSG": "결제성공", "LGD_MID": mid, "LGD_OID": pend.order_id,
        "LGD_AMOUNT": pend.amount.to_string(), "LGD_TID": pend.tid, "LGD_PAYTYPE": pend.method,
        "LGD_PAYDATE": KstTime::now().format(),
    });
    if vbank {
        v["LGD_CASFLAG"] = json!("R");
        v["LGD_ACCOUNTNUM"] = json!("56211000123456");
        v["LGD_FINANCECODE"] = json!("004");
    } else {
        v["LGD_FINANCECODE"] = json!("11");
        v["LGD_FINANCEAUTHNUM"] = json!("30012345");
    }
    Json(v).into_response()
}

/// Lowercase hex SHA-1 (XPayClient `Gen_Auth_Code`, notes §1.2).
pub fn sha1_hex(s: &str) -> String {
    use sha1::{Digest, Sha1};
    hanpay::pg::hex(&Sha1::digest(s.as_bytes()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DepositRequest {
    order_id: String,
    #[serde(default = "default_gap")]
    gap_ms: u64,
}

/// Sandbox control: the buyer deposits; XPay posts the CAS notice (`LGD_CASFLAG=I`, signed
/// with the note `LGD_HASHDATA`, notes §1.2) until the merchant answers exactly `OK`.
async fn deposit(State(st): State<Shared>, Json(req): Json<DepositRequest>) -> Response {
    let Some(va) = st.pending(&format!("xpay-notify:{}", req.order_id), false) else {
        return error_page(
            "XPay",
            "vbank:unknown",
            "no virtual account issued for this order",
        );
    };
    st.ledger.deposit(Pg::Xpay, &va.order_id);
    let mid = xpay::effective_mid(XPAY_CST_MID, Mode::Test);
    let amount = va.amount.to_string();
    let ts = KstTime::now().format();
    let hash = xpay::note_hashdata(&mid, &va.order_id, &amount, "0000", &ts, XPAY_KEY);
    let fields: Vec<(String, String)> = [
        ("LGD_RESPCODE", "0000"),
        ("LGD_RESPMSG", "입금완료"),
        ("LGD_MID", &mid),
        ("LGD_OID", &va.order_id),
        ("LGD_AMOUNT", &amount),
        ("LGD_TID", &va.method),
        ("LGD_PAYTYPE", "SC0040"),
        ("LGD_PAYDATE", &ts),
        ("LGD_TIMESTAMP", &ts),
        ("LGD_CASFLAG", "I"),
        // 입금누적금액 / 현입금금액 (manual 000:L1194-1201): one deposit of the whole amount.
        ("LGD_CASTAMOUNT", &amount),
        ("LGD_CASCAMOUNT", &amount),
        ("LGD_HASHDATA", &hash),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Json(notify::deliver(&va.tid, &fields, notify::exactly_ok, req.gap_ms).await).into_response()
}
