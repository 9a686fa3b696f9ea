//! NHN KCP emulation (notes/pg-protocols.md §3): `payplus_web.jsp`, which — like the real
//! one — only works when loaded synchronously (it defines `KCP_Pay_Execute_Web`,
//! `KCP_Pay_Execute` and `GetField` through `document.write`); KCP's window in its block
//! returning opaque `enc_data`/`enc_info`/`tran_cd`; mobile trade registration
//! (`approval_key`, `PayUrl`) with the `encodingFilter.jsp` rule for UTF-8 forms; server
//! approval re-checking `ordr_mony`; and `common_return` deposit notices retried until the
//! merchant answers `result=0000`.

mod api;

use super::ledger::{Payment, State as Booked};
use super::notify::default_gap;
use super::{notify, pay_window, Pending, Session, Shared};
use crate::credentials::KCP_SITE_CD;
use crate::credentials::KCP_USER_CANCEL as USER_CANCEL;
use crate::http::base_url;
use crate::pages::error_page;
use crate::pages::script_json;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use hanpay::pg::{kcp, KstTime, Params, Pg};
use hanpay::text::Charset;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// KCP's "결제금액 불일치" (crates/hanpay-pg/data/codes/results.json, manual 003 F&Q) for an `ordr_mony` that
/// differs from the authenticated amount.
const AMOUNT_MISMATCH: &str = "8059";
/// Unregistered site (manual 003 F&Q: lower-case or unknown site_cd gives 3014).
const UNKNOWN_SITE: &str = "3014";
/// Sandbox-defined: a card refused in KCP's window (the manual lists issuer codes only).
const DECLINED: &str = "D999";
/// `tran_cd` of a payment approval (notes §3.1, `tx_cd=00100000`).
const TRAN_PAY: &str = "00100000";
/// The test mobile payment page registration hands out (host of notes §3.3).
const PAY_URL: &str = "https://testsmpay.kcp.co.kr/pay/mobileGW.kcp";

/// Pages of this emulator the merchant's page may frame (`origin::guard`): KCP's window in its `naxIfr` iframe, the phone page and the decision page in it.
pub const FRAMED: &[&str] = &["/pg/kcp/window", "/pg/kcp/kcpPaypop.do", "/pg/kcp/decide"];

pub fn routes() -> Router<Shared> {
    Router::new()
        .merge(api::routes())
        .route("/pg/kcp/plugin/payplus_web.jsp", get(script))
        .route("/pg/kcp/window", post(pc))
        .route("/pg/kcp/kcpPaypop.do", post(pc))
        .route("/pg/kcp/decide", post(decide))
        .route("/pg/kcp/trade/register.do", post(register))
        .route("/pg/kcp/pay/mobileGW.kcp", post(mobile_gw))
        .route(
            "/pg/kcp/pay/jsp/encodingFilter/encodingFilter.jsp",
            post(encoding_filter),
        )
        .route("/pg/kcp/gw/enc/v1/payment", post(approve))
        .route("/pg/kcp/sandbox/deposit", post(deposit))
}

/// `payplus_web.jsp`: writes its layer and its functions with `document.write`, so a copy
/// appended after load (where Chrome ignores `document.write`) defines nothing. As the real
/// chain (payplus_web.jsp → web_cross_hub.js, vendor-scripts.md §2.1) it defines
/// `KCP_Pay_Execute_Web(payform)`, which copies the order into `document.KCP_Form_Hidden`
/// inside `#kcp_event_form` and posts it to `kcpPaypop.do?encType=…` (`ordr_enc_type`) in the
/// iframe `naxIfr` of the block `#NAX_BLOCK` (760×570), and `KCP_Pay_Execute`, which
/// dispatches to it (the EXE module for other `pay_method` bits is not modelled). The real
/// page is on KCP's npay/spay domain; the sandbox serves it next to the script.
/// Stricter than KCP: a form lacking the response fields throws.
const SCRIPT: &str = include_str!("../../../templates/kcp.js");

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

fn form_charset_utf8(body: &[u8]) -> bool {
    String::from_utf8_lossy(body).contains("encoding_trans=UTF-8")
}

pub(super) fn site_check(site_cd: &str) -> Result<(), (String, String)> {
    // Manual 003 F&Q: a lower-case site_cd is refused with 3014.
    if site_cd.chars().any(|c| c.is_ascii_lowercase()) {
        return Err((
            format!("site_cd:{UNKNOWN_SITE}"),
            "site_cd must be upper case (3014)".into(),
        ));
    }
    if site_cd != KCP_SITE_CD {
        return Err((
            format!("site_cd:{UNKNOWN_SITE}"),
            "unregistered site_cd (3014)".into(),
        ));
    }
    Ok(())
}

/// The PC window's checks: site code, the order table with lengths in EUC-KR bytes (KCP's
/// own charset: manual 003 §2 gives byte lengths), forbidden characters, and the empty
/// response fields `GetField` fills (notes §3.1).
fn check_pc(p: &Params) -> Result<(), (String, String)> {
    site_check(p.str("site_cd"))?;
    hanpay::pg::validate(p, kcp::FIELDS, Charset::EucKr, kcp::FORBIDDEN)
        .map_err(|e| (format!("{}:{}", e.field, e.code()), e.to_string()))?;
    if let Some(k) = kcp::RESPONSE_FIELDS.iter().find(|k| p.get(k).is_none()) {
        return Err((
            format!("{k}:required"),
            format!("the order form must carry the empty response field {k}"),
        ));
    }
    Ok(())
}

fn vcnt(pay_method: &str) -> bool {
    pay_method == "001000000000" || pay_method == "VCNT"
}

/// Session key of the origin of the page that posted the order (the `Origin` header), which
/// the window's result message is addressed to; KCP's own mechanism between kcpPaypop.do and
/// the merchant page is not public.
const PARENT_ORIGIN: &str = " parent-origin";

async fn pc(State(st): State<Shared>, headers: HeaderMap, body: axum::body::Bytes) -> Response {
    let mut p = match crate::http::decode_form(&body, !form_charset_utf8(&body)) {
        Ok(p) => p,
        Err(e) => return error_page("KCP", "charset", &e),
    };
    if let Err((code, detail)) = check_pc(&p) {
        return error_page("KCP", &code, &detail);
    }
    let origin = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .and_then(|o| url::Url::parse(o).ok())
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_default();
    p.set(PARENT_ORIGIN, origin);
    window(&st, p, false)
}

fn window(st: &Shared, p: Params, mobile: bool) -> Response {
    let rows = [
        ("상점", p.str("site_cd").to_string()),
        ("주문번호", p.str("ordr_idxx").to_string()),
        ("상품명", p.str("good_name").to_string()),
        ("금액", p.str("good_mny").to_string()),
        ("결제수단", p.str("pay_method").to_string()),
    ];
    let session = st.open_session(Session {
        pg: Pg::Kcp,
        params: p,
        mobile,
    });
    pay_window(
        "KCP",
        &session,
        "/pg/kcp/decide",
        &rows,
        &[
            ("approve", "인증 (Approve)"),
            ("decline", "거절 (Decline)"),
            ("cancel", "취소 (Cancel)"),
            ("cancel_7777", "취소 7777"),
            ("cancel_empty", "취소 (res_cd 없음)"),
        ],
    )
}

fn token(st: &Shared, salt: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hanpay::pg::sha256_hex(&format!("{salt}{}{nanos}", st.next_id()))
}

/// `enc_info` binds `enc_data`: the approval refuses a pair that was not issued together.
fn enc_info(enc_data: &str) -> String {
    hanpay::pg::sha256_hex(&format!("kcp-sandbox-enc-info:{enc_data}"))
        .get(..40)
        .unwrap_or("")
        .to_string()
}

/// The buyer's decision. PC: KCP's frame hands the data to its script (`m_Completepayment`);
/// mobile: a post to `Ret_URL`.
async fn decide(State(st): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let Some(s) = st.take_session(f.get("session").map(String::as_str).unwrap_or("")) else {
        return error_page(
            "KCP",
            "session",
            "this payment window has already been used or expired",
        );
    };
    let p = &s.params;
    let mut data: Vec<(String, String)> = Vec::new();
    let mut put = |k: &str, v: &str| data.push((k.to_string(), v.to_string()));
    match f.get("decision").map(String::as_str) {
        Some("approve") => {
            let enc = token(&st, "enc");
            let method = if vcnt(p.str("pay_method")) {
                "vcnt"
            } else {
                "card"
            };
            st.put_pending(
                &enc,
                Pending {
                    pg: Pg::Kcp,
                    order_id: p.str("ordr_idxx").into(),
                    amount: p.str("good_mny").parse().unwrap_or(0),
                    tid: String::new(),
                    approve: true,
                    method: method.into(),
                    used: false,
                },
            );
            put("res_cd", "0000");
            put("res_msg", "정상처리");
            put("enc_data", &enc);
            put("enc_info", &enc_info(&enc));
            put("tran_cd", TRAN_PAY);
            put("use_pay_method", p.str("pay_method"));
            put("ret_pay_method", p.str("pay_method"));
        }
        Some("cancel") => {
            put("res_cd", USER_CANCEL);
            put("res_msg", "사용자 취소");
        }
        // The other cancel shapes a live-tested integration sees (gnuboard/
        // g7-plugin-sirsoft-pay-nhnkcp:resources/js/handlers/requestPayment.ts@64b4d58c).
        Some("cancel_7777") => {
            put("res_cd", "7777");
            put("res_msg", "");
        }
        Some("cancel_empty") => {
            put("res_cd", "");
            put("res_msg", "결제를 취소하였습니다");
        }
        _ => {
            put("res_cd", DECLINED);
            put("res_msg", "카드 인증 거절 (declined)");
        }
    }
    put("ordr_idxx", p.str("ordr_idxx"));
    if s.mobile {
        return super::auto_post("KCP", p.str("Ret_URL"), &data, "UTF-8");
    }
    let obj: serde_json::Map<String, Value> = data
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect();
    let to = match p.str(PARENT_ORIGIN) {
        "" | "null" => Value::Null,
        o => Value::String(o.to_string()),
    };
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>KCP</title><p>처리 중…</p>\
         <script>parent.postMessage({{kcp: {}}}, {} || location.origin)</script>",
        script_json(&Value::Object(obj)),
        script_json(&to)
    ))
    .into_response()
}

/// Mobile trade registration (notes §3.3, REST generation): binds order, amount and `Ret_URL`
/// to an `approvalKey`, answered with the `PayUrl` the form must go to.
async fn register(State(st): State<Shared>, Json(v): Json<Value>) -> Response {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    if let Err((_, msg)) = site_check(&s("site_cd")) {
        return Json(json!({"Code": UNKNOWN_SITE, "Message": msg})).into_response();
    }
    let amount = s("good_mny");
    if !hanpay::text::is_digits(&amount)
        || s("ordr_idxx").is_empty()
        || !hanpay::pg::safe_url(&s("Ret_URL"))
        || crate::origin::navigation_target(&s("Ret_URL")).is_err()
    {
        return Json(json!({"Code": "9502", "Message": "ordr_idxx, good_mny (digits) and Ret_URL are required"}))
            .into_response();
    }
    let key = token(&st, "approval");
    st.put_pending(
        &format!("kcp-approval:{key}"),
        Pending {
            pg: Pg::Kcp,
            order_id: s("ordr_idxx"),
            amount: amount.parse().unwrap_or(0),
            tid: s("Ret_URL"),
            approve: false,
            method: s("pay_method"),
            used: false,
        },
    );
    Json(json!({
        "Code": "0000", "Message": "정상처리", "approvalKey": key,
        "traceNo": format!("T{}", crate::ids::yymmddhhmmss()), "PayUrl": PAY_URL,
    }))
    .into_response()
}

/// The mobile page checks the registration: known `approval_key`, and order, amount and
/// `Ret_URL` exactly as registered (so an amount changed in the browser is refused).
fn open_mobile(st: &Shared, p: Params) -> Response {
    let Some(reg) = st.pending(&format!("kcp-approval:{}", p.str("approval_key")), false) else {
        return error_page(
            "KCP",
            "approval_key:unknown",
            "approval_key was not issued by trade registration",
        );
    };
    if let Err((code, detail)) = site_check(p.str("site_cd")) {
        return error_page("KCP", &code, &detail);
    }
    if p.str("ordr_idxx") != reg.order_id || p.str("Ret_URL") != reg.tid {
        return error_page(
            "KCP",
            "order:mismatch",
            "ordr_idxx / Ret_URL differ from the registration",
        );
    }
    if p.str("good_mny").parse::<u64>().ok() != Some(reg.amount) {
        return error_page(
            "KCP",
            &format!("good_mny:{AMOUNT_MISMATCH}"),
            "good_mny differs from the registered amount (8059)",
        );
    }
    window(st, p, true)
}

/// `PayUrl` itself reads EUC-KR: a UTF-8 form must go through `encodingFilter.jsp` (§3.3).
async fn mobile_gw(State(st): State<Shared>, body: axum::body::Bytes) -> Response {
    if form_charset_utf8(&body) {
        return error_page(
            "KCP",
            "encoding_trans:filter",
            "encoding_trans=UTF-8 forms must be posted to <PayUrl dir>/jsp/encodingFilter/encodingFilter.jsp",
        );
    }
    match crate::http::decode_form(&body, true) {
        Ok(p) => open_mobile(&st, p),
        Err(e) => error_page("KCP", "charset", &e),
    }
}

async fn encoding_filter(State(st): State<Shared>, body: axum::body::Bytes) -> Response {
    let p = match crate::http::decode_form(&body, false) {
        Ok(p) => p,
        Err(e) => return error_page("KCP", "charset", &e),
    };
    if p.str("PayUrl").is_empty() {
        return error_page(
            "KCP",
            "PayUrl:required",
            "encodingFilter.jsp needs the PayUrl field",
        );
    }
    open_mobile(&st, p)
}

fn fail(code: &str, msg: &str) -> Response {
    Json(json!({"res_cd": code, "res_msg": msg})).into_response()
}

/// Server approval (notes §3.2 REST shape): certificate present, `tran_cd`, an `enc_data` /
/// `enc_info` pair issued together and unused, `ordr_mony` equal to the authenticated amount
/// (8059 otherwise) and a `pay_type` matching the method. The certificate itself is not
/// verified: the sandbox holds no KCP keys.
async fn approve(State(st): State<Shared>, Json(v): Json<Value>) -> Response {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    if site_check(&s("site_cd")).is_err() {
        return fail(UNKNOWN_SITE, "미등록 가맹점");
    }
    if !s("kcp_cert_info").starts_with("-----BEGIN CERTIFICATE-----") {
        return fail("S102", "kcp_cert_info: PEM certificate required");
    }
    if s("tran_cd") != TRAN_PAY {
        return fail("S102", "tran_cd");
    }
    let enc = s("enc_data");
    let Some(pend) = st
        .pending(&enc, false)
        .filter(|p| p.pg == Pg::Kcp && p.approve)
    else {
        return fail("6003", "요청 전문 복호화 오류");
    };
    if !hanpay::pg::same(&enc_info(&enc), &s("enc_info")) {
        return fail("6003", "요청 전문 복호화 오류 (enc_info)");
    }
    if pend.used {
        return fail("S102", "이미 승인된 거래");
    }
    if s("ordr_mony").parse::<u64>().ok() != Some(pend.amount) {
        return fail(AMOUNT_MISMATCH, "포맷에러(지불정보-공통:결제금액 불일치)");
    }
    let pay_type = if pend.method == "vcnt" {
        "PAVC"
    } else {
        "PACA"
    };
    if s("pay_type") != pay_type {
        return fail("S102", "pay_type does not match the authenticated method");
    }
    st.pending(&enc, true);
    let tno = format!("{}{:02}", crate::ids::yymmddhhmmss(), st.next_id() % 100);
    let state = if pend.method == "vcnt" {
        Booked::Issued
    } else {
        Booked::Paid
    };
    let booked = Payment::new(&pend.order_id, pend.amount, pay_type, state);
    st.ledger.record(Pg::Kcp, &tno, booked);
    let mut out = json!({
        "res_cd": "0000", "res_msg": "정상처리", "tno": tno, "amount": pend.amount.to_string(),
        "ordr_idxx": pend.order_id, "pay_method": pay_type, "app_time": KstTime::now().format(),
        // use_pay_method is the 12-position pay_method bitmap (manual 003 §2, result table).
        "use_pay_method": if pend.method == "vcnt" { "001000000000" } else { "100000000000" },
    });
    if pend.method == "vcnt" {
        out["bankname"] = json!("국민은행");
        out["account"] = json!("56211000123456");
        st.put_pending(
            &format!("kcp-notify:{}", pend.order_id),
            Pending { tid: tno, ..pend },
        );
    } else {
        out["card_cd"] = json!("CCBC");
        out["app_no"] = json!("30012345");
    }
    Json(out).into_response()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DepositRequest {
    order_id: String,
    #[serde(default = "default_gap")]
    gap_ms: u64,
    /// The `common_return` URL registered in KCP's merchant admin (not part of the order).
    #[serde(default)]
    notify_url: Option<String>,
}

/// Sandbox control: the buyer deposits; KCP posts the `common_return` notice (`tx_cd=TX00`,
/// manual 003 §6) until the merchant's page carries `result=0000`.
async fn deposit(
    State(st): State<Shared>,
    headers: HeaderMap,
    Json(req): Json<DepositRequest>,
) -> Response {
    let Some(va) = st.pending(&format!("kcp-notify:{}", req.order_id), false) else {
        return error_page(
            "KCP",
            "vcnt:unknown",
            "no virtual account issued for this order",
        );
    };
    // `notifyUrl` comes from the request: only the merchant stub may be notified (finding 2).
    let url = req
        .notify_url
        .unwrap_or_else(|| format!("{}/merchant/kcp/notify", base_url(&headers)));
    if let Err(e) = crate::http::notice_target(&url) {
        return error_page("KCP", "notifyUrl:origin", &e);
    }
    st.ledger.deposit(Pg::Kcp, &va.order_id);
    let amount = va.amount.to_string();
    let fields: Vec<(String, String)> = [
        ("site_cd", KCP_SITE_CD),
        ("tno", &va.tid),
        ("ordr_no", &va.order_id),
        ("tx_cd", "TX00"),
        ("tx_tm", &KstTime::now().format()),
        // 50 당행입금확인 / 18 타행입금확인 / 13 취소 (manual 003 §6, 003:L2777-2781).
        ("op_cd", "50"),
        ("ipgm_mnyx", &amount),
        ("totl_mnyx", &amount),
        // The notice's bank_code is N 2 without the result's BK prefix (003:L2668).
        ("bank_code", "04"),
        ("account", "56211000123456"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    Json(notify::deliver(&url, &fields, notify::kcp_result_0000, req.gap_ms).await).into_response()
}
