//! KISPG emulation: the auth window behind `/v2/auth`, the auth result with `encData`, and the
//! server approval `/v2/payment` that re-checks `encData`, `ediDate` freshness and the amount
//! (manual 004 §3.1–§3.2, §7.1).
//!
//! How the auth window ends, per the official sample (qwerthong/qwerthong.github.io:
//! paySample.jsp@e245accd): on PC (`model=WEB`) the window sits in the merchant's iframe
//! `pay_frame` and ends with `parent.postMessage({resultCode: '0000' | 'XXXX', data})`; the
//! merchant page posts `data` to `returnUrl` itself (`receive_result`). In a frame the sandbox
//! does exactly that. On mobile (`MOB`, a full page) and in a popup (no parent: unverified, one
//! third-party popup integration expects its `returnUrl` page inside the popup) it posts the
//! fields to `returnUrl`. The message's target origin (`*` here) and the failure codes inside
//! `data` (`C999` cancel, `D999` decline) are the sandbox's own: the sample shows neither.

mod api;

use super::{pay_window, Pending, Session, Shared};
use crate::credentials::KISPG_USER_CANCEL as USER_CANCEL;
use crate::credentials::{KISPG_KEY, KISPG_MID};
use crate::pages::error_page;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::post;
use axum::{Form, Json, Router};
use hanpay::pg::{kispg, KstTime, Params, Pg};
use hanpay::text::Charset;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Sandbox-defined decline code (card refused in the auth window).
const DECLINED: &str = "D999";

/// Pages of this emulator the merchant's page may frame (`origin::guard`): KISPG's auth window in its `pay_frame` (or hanpay's `payFrame` layer) and the decision page in it.
pub const FRAMED: &[&str] = &["/pg/kispg/v2/auth", "/pg/kispg/decide"];

pub fn routes() -> Router<Shared> {
    Router::new()
        .merge(api::routes())
        .route("/pg/kispg/v2/auth", post(auth))
        .route("/pg/kispg/decide", post(decide))
        .route("/pg/kispg/v2/payment", post(payment))
}

pub(super) fn key_of(mid: &str) -> Option<&'static str> {
    (mid == KISPG_MID).then_some(KISPG_KEY)
}

/// The checks of the auth page: request table, known MID, `ediDate` within 10 minutes, and
/// `encData` = SHA-256(mid + ediDate + goodsAmt + key).
fn check(p: &Params) -> Result<(), (String, String)> {
    let charset = Charset::from_label(p.str("charset")).unwrap_or(Charset::Utf8);
    hanpay::pg::validate(p, kispg::FIELDS, charset, &[])
        .map_err(|e| (format!("{}:{}", e.field, e.code()), e.to_string()))?;
    hanpay::pg::check_fresh(
        "ediDate",
        p.str("ediDate"),
        KstTime::now(),
        kispg::EDI_WINDOW_SECS,
    )
    .map_err(|e| (format!("ediDate:{}", e.code()), e.to_string()))?;
    super::check_urls(p, &["returnUrl"], &[])?;
    let key =
        key_of(p.str("mid")).ok_or(("mid:unknown".to_string(), "unregistered mid".to_string()))?;
    let expect = kispg::enc_data(p.str("mid"), p.str("ediDate"), p.str("goodsAmt"), key);
    if !hanpay::pg::same(&expect, p.str("encData")) {
        return Err((
            "encData:mismatch".into(),
            "encData does not match mid + ediDate + goodsAmt (changed after signing?)".into(),
        ));
    }
    Ok(())
}

async fn auth(State(st): State<Shared>, body: axum::body::Bytes) -> Response {
    let p = match crate::http::decode_form(&body, false) {
        Ok(p) => p,
        Err(e) => return error_page("KISPG", "charset", &e),
    };
    if let Err((code, detail)) = check(&p) {
        return error_page("KISPG", &code, &detail);
    }
    let rows = [
        ("가맹점", p.str("mid").to_string()),
        ("주문번호", p.str("ordNo").to_string()),
        ("상품명", p.str("goodsNm").to_string()),
        ("금액", p.str("goodsAmt").to_string()),
    ];
    let mobile = p.str("model") == "MOB";
    let session = st.open_session(Session {
        pg: Pg::Kispg,
        params: p,
        mobile,
    });
    pay_window(
        "KISPG",
        &session,
        "/pg/kispg/decide",
        &rows,
        &[
            ("approve", "인증 (Approve)"),
            ("decline", "거절 (Decline)"),
            ("cancel", "취소 (Cancel)"),
        ],
    )
}

async fn decide(State(st): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let Some(s) = st.take_session(f.get("session").map(String::as_str).unwrap_or("")) else {
        return error_page(
            "KISPG",
            "session",
            "this payment window has already been used or expired",
        );
    };
    let p = &s.params;
    let decision = f.get("decision").map(String::as_str).unwrap_or("");
    if decision == "cancel" && !s.mobile {
        // In pay_frame: `XXXX` to the parent. A popup closes; otherwise the cancel goes to
        // returnUrl.
        let fields = vec![
            ("resultCd".to_string(), USER_CANCEL.to_string()),
            ("resultMsg".to_string(), "사용자 취소 (sandbox)".to_string()),
            ("ordNo".to_string(), p.str("ordNo").to_string()),
        ];
        return Html(format!(
            "<!doctype html><meta charset=utf-8><title>취소</title><p>결제를 취소했습니다.</p>\
             <form method=post action=\"{a}\" id=back>{f}</form>\
             <script type=application/json id=msg>{m}</script>\
             <script>if (parent !== window) parent.postMessage(JSON.parse(document.getElementById('msg').textContent), '*');\
             else if (window.opener) window.close(); else document.getElementById('back').submit();</script>",
            a = crate::pages::escape(p.str("returnUrl")),
            f = crate::pages::hidden_inputs(&fields),
            m = message("XXXX", &fields),
        ))
        .into_response();
    }
    let fields: Vec<(String, String)> = match decision {
        "approve" => {
            let tid = format!(
                "{KISPG_MID}0101{}{:04}",
                crate::ids::yymmddhhmmss(),
                st.next_id() % 10_000
            );
            let edi = KstTime::now().format();
            let amt = p.str("goodsAmt");
            let enc = kispg::enc_data(KISPG_MID, &edi, amt, KISPG_KEY);
            st.put_pending(
                &tid,
                Pending {
                    pg: Pg::Kispg,
                    order_id: p.str("ordNo").into(),
                    amount: amt.parse().unwrap_or(0),
                    tid: tid.clone(),
                    approve: true,
                    method: p.str("payMethod").to_ascii_lowercase(),
                    used: false,
                },
            );
            [
                ("resultCd", "0000"),
                ("resultMsg", "인증 성공"),
                ("payMethod", p.str("payMethod")),
                ("tid", &tid),
                ("ordNo", p.str("ordNo")),
                ("amt", amt),
                ("mbsReserved", p.str("mbsReserved")),
                ("ediDate", &edi),
                ("encData", &enc),
            ]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
        }
        "cancel" => vec![
            ("resultCd".into(), USER_CANCEL.into()),
            ("resultMsg".into(), "사용자 취소 (sandbox)".into()),
            ("ordNo".into(), p.str("ordNo").into()),
        ],
        // "인증에 실패하였을 경우에는 결과코드와 결과메시지만 응답" (manual 004 §3.1.2); the
        // order number is kept so the merchant can match the failure to its order.
        _ => vec![
            ("resultCd".into(), DECLINED.into()),
            ("resultMsg".into(), "카드 인증 실패 (declined)".into()),
            ("ordNo".into(), p.str("ordNo").into()),
        ],
    };
    if s.mobile {
        return super::auto_post("KISPG", p.str("returnUrl"), &fields, "UTF-8");
    }
    // PC: in pay_frame the result goes to the parent as a message; in a popup (no parent) to
    // returnUrl as before.
    if let Err(e) = crate::origin::navigation_target(p.str("returnUrl")) {
        return error_page("KISPG", "return_url:origin", &e.to_string());
    }
    let code = if decision == "approve" {
        "0000"
    } else {
        "XXXX"
    };
    Html(format!(
        "<!doctype html><meta charset=utf-8><title>returning…</title>\
         <form method=post action=\"{a}\" accept-charset=UTF-8 id=back>{f}</form>\
         <script type=application/json id=msg>{m}</script>\
         <script>if (parent !== window) parent.postMessage(JSON.parse(document.getElementById('msg').textContent), '*');\
         else document.getElementById('back').submit();</script>",
        a = crate::pages::escape(p.str("returnUrl")),
        f = crate::pages::hidden_inputs(&fields),
        m = message(code, &fields),
    ))
    .into_response()
}

/// `{resultCode, data}` as KISPG's PC window sends it, as JSON safe inside a `<script>`.
fn message(code: &str, fields: &[(String, String)]) -> String {
    let data: serde_json::Map<String, Value> = fields
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    crate::pages::script_json(&json!({"resultCode": code, "data": data}))
}

fn fail(code: &str, msg: &str) -> Response {
    Json(json!({"resultCd": code, "resultMsg": msg})).into_response()
}

/// Server approval (manual 004 §3.2): JSON in, JSON out. Re-checks what auth checked and that
/// `goodsAmt` equals the authenticated amount; a TID is approved once.
async fn payment(State(st): State<Shared>, Json(v): Json<Value>) -> Response {
    let s = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let (mid, tid, amt, edi) = (s("mid"), s("tid"), s("goodsAmt"), s("ediDate"));
    let Some(key) = key_of(&mid) else {
        return fail("9001", "mid 오류");
    };
    if hanpay::pg::check_fresh("ediDate", &edi, KstTime::now(), kispg::EDI_WINDOW_SECS).is_err() {
        return fail("9002", "ediDate 유효시간 초과");
    }
    if !hanpay::pg::same(&kispg::enc_data(&mid, &edi, &amt, key), &s("encData")) {
        return fail("9003", "encData 검증 실패");
    }
    let Some(pend) = st.pending(&tid, false) else {
        return fail("9004", "거래번호 없음");
    };
    if pend.used {
        return fail("9005", "이미 승인된 거래");
    }
    if amt.parse::<u64>().ok() != Some(pend.amount) {
        return fail("9006", "결제금액 불일치");
    }
    st.pending(&tid, true);
    let method = if pend.method.is_empty() {
        "card".to_string()
    } else {
        pend.method.clone()
    };
    api::book(&st, &tid, &pend.order_id, pend.amount, &method);
    if method == "vacnt" {
        // "가상계좌 발급 성공" (4100, notes §5.3): issued, nothing paid yet.
        return Json(json!({
            "resultCd": "4100", "resultMsg": "가상계좌 발급 성공", "payMethod": method, "tid": tid,
            "appDtm": KstTime::now().format(), "ordNo": pend.order_id, "amt": amt,
            "vacntNo": "56211000123456", "fnNm": "국민은행", "cancelYN": "N",
        }))
        .into_response();
    }
    Json(json!({
        "resultCd": "3001", "resultMsg": "카드 결제 성공", "payMethod": method, "tid": tid,
        "appDtm": KstTime::now().format(), "appNo": "30001234", "ordNo": pend.order_id,
        "amt": amt, "appCardCd": "01", "cancelYN": "N",
    }))
    .into_response()
}
