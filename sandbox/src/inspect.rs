//! The QA inspector (issue #16 item 6): `/_inspect` lists, live, every request the emulated PGs
//! received — method, path, decoded fields with each field's byte length in the PG's charset
//! against the limit in hanpay's own request table (`hanpay::pg::<pg>::FIELDS`), the signature
//! check and what the emulator answered — and every notification the notifiers sent, attempt by
//! attempt, with the merchant's replies. `/_inspect.json` is the same record for tests (a failing
//! E2E test saves it next to its screenshot: `e2e/harness.mjs`).
//!
//! [`record`] is a middleware over the whole router that looks only at `/pg/<pg>/…`, so the
//! emulators need no edits; the signature verdict is read from the emulator's answer (its error
//! page names the failed check: `pg::error_page`'s `data-pg-error`). Notifications are recorded
//! by `pg::notify::deliver` through [`notice_start`] / [`notice_attempt`] / [`notice_end`].
//! Memory is bounded: the newest [`MAX_REQUESTS`] requests and [`MAX_NOTICES`] notifications.
//! Everything shown is data: the page renders it with `textContent` only (e2e/sandbox-security).

use axum::body::{to_bytes, Body};
use axum::extract::{Query, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use hanpay::pg::{FieldSpec, Gateway, Params, Pg};
use hanpay::text::{byte_len, Charset};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Requests kept (oldest dropped first).
pub const MAX_REQUESTS: usize = 500;
/// Notifications kept.
pub const MAX_NOTICES: usize = 200;
/// Bodies longer than this are not buffered for inspection (axum's own default body limit).
const BODY_LIMIT: usize = 2 * 1024 * 1024;
/// Characters of a response body kept as its excerpt.
const EXCERPT: usize = 400;
/// Characters of a field value kept.
const VALUE_CHARS: usize = 1000;

/// The sandbox's own generic PG (`emulator/generic.rs`), emulated beside hanpay's PGs.
const GENERIC: &str = "generic";

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    pub name: String,
    pub value: String,
    /// Bytes of the value in the PG's charset (`charset` of the request).
    pub bytes: usize,
    /// The limit from hanpay's request table for this PG, if the field is in it.
    pub max: Option<usize>,
    pub over: bool,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Exchange {
    pub seq: u64,
    /// Milliseconds since the Unix epoch.
    pub at_ms: u64,
    pub pg: String,
    pub method: String,
    pub path: String,
    pub query: String,
    /// The charset lengths are counted in: the one the PG's request table is checked in.
    pub charset: &'static str,
    pub fields: Vec<Field>,
    /// `verified`, `mismatch`, `unsigned` (no signature field in the request), `not checked`
    /// (the emulator refused the request for another reason first) or `n/a` (no signature on
    /// this PG's path).
    pub signature: String,
    pub signature_field: Option<&'static str>,
    pub status: u16,
    pub content_type: String,
    /// The check the emulator's error page names (`data-pg-error`), if it refused.
    pub error: Option<String>,
    pub body_excerpt: String,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Attempt {
    pub n: u32,
    pub at_ms: u64,
    /// HTTP status of the merchant's answer; `None` when the call failed.
    pub status: Option<u16>,
    /// The merchant's reply (excerpt) or the transport error.
    pub reply: String,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub seq: u64,
    pub at_ms: u64,
    pub pg: String,
    pub url: String,
    pub fields: Vec<(String, String)>,
    pub attempts: Vec<Attempt>,
    /// `None` while the delivery is still running.
    pub delivered: Option<bool>,
    /// The sequence number of the last change (a new attempt, the end).
    pub updated: u64,
}

#[derive(Default)]
struct Log {
    seq: u64,
    requests: VecDeque<Exchange>,
    notices: VecDeque<Notice>,
}

/// One record per process: the notifier runs where no router state reaches (`pg::notify`), and
/// the sandbox binary serves one router.
static LOG: Mutex<Log> = Mutex::new(Log {
    seq: 0,
    requests: VecDeque::new(),
    notices: VecDeque::new(),
});

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

fn with_log<T>(f: impl FnOnce(&mut Log) -> T) -> Option<T> {
    LOG.lock().ok().map(|mut l| f(&mut l))
}

fn excerpt(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// The PG a path belongs to: `/pg/<pg>/…` (the emulators' prefix, `pg::sandbox_url`), for
/// each of hanpay's PGs (`Pg::ALL`) and the generic one.
fn pg_of(path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix("/pg/")?;
    let seg = rest.split('/').next()?;
    if !rest.contains('/') {
        return None;
    }
    if seg == GENERIC {
        return Some(GENERIC);
    }
    Pg::from_name(seg).map(Pg::name)
}

/// hanpay's description of `pg` (`None` for the generic PG, which is the sandbox's own).
fn gateway(pg: &str) -> Option<&'static Gateway> {
    Pg::from_name(pg).map(Pg::gateway)
}

/// hanpay's request table for the PG (what the library validates before it builds the form).
fn table(g: Option<&Gateway>) -> &'static [FieldSpec] {
    g.map_or(&[], |g| g.fields)
}

/// The charset hanpay counts this request's byte lengths in (`Gateway::charset`:
/// XPay by `LGD_ENCODING`, KCP by `encoding_trans`, KISPG by `charset`, …); the generic PG
/// takes UTF-8.
fn charset(g: Option<&Gateway>, p: &Params) -> Charset {
    g.map_or(Charset::Utf8, |g| (g.charset)(p))
}

/// The field the emulator verifies as the merchant's signature on this PG's requests
/// (`Gateway::signature`: XPay `LGD_HASHDATA`, Smartro and SMARTRO PAY `EncryptData`, KISPG
/// `encData`; KCP's and KSNET's browser requests carry none), and the generic PG's `signature`.
fn signature_field(g: Option<&Gateway>) -> Option<&'static str> {
    match g {
        Some(g) => g.signature,
        None => Some("signature"),
    }
}

/// Decodes a value's bytes: UTF-8 when valid, else EUC-KR (the two charsets the PGs take).
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::EUC_KR.decode(bytes).0.into_owned(),
    }
}

/// The request's fields: a form or JSON body, else the query string.
fn fields_of(content_type: &str, query: &str, body: &[u8]) -> Params {
    if content_type.starts_with("application/json") {
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_slice(body) {
            return Params(
                map.into_iter()
                    .map(|(k, v)| match v {
                        serde_json::Value::String(s) => (k, s),
                        other => (k, other.to_string()),
                    })
                    .collect(),
            );
        }
    }
    if !body.is_empty() {
        return Params::from_urlencoded(body, &decode);
    }
    Params::from_urlencoded(query.as_bytes(), &decode)
}

/// The check an emulator's error page names: `data-pg-error="<code>"` (`pg::error_page`).
fn error_code(body: &str) -> Option<String> {
    let start = body.find("data-pg-error=\"")? + "data-pg-error=\"".len();
    let len = body[start..].find('"')?;
    Some(unescape(&body[start..start + len]))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn signature_verdict(
    sig: Option<&str>,
    p: &Params,
    status: u16,
    error: Option<&str>,
    body: &str,
) -> String {
    let Some(sig) = sig else { return "n/a".into() };
    if p.get(sig).is_none() {
        return "unsigned".into();
    }
    let mismatch = error.is_some_and(|e| e.starts_with(&format!("{sig}:")))
        // The generic PG's error page has no code, only its title (generic.rs).
        || (status >= 400 && body.contains("bad signature"));
    if mismatch {
        "mismatch".into()
    } else if status < 400 {
        "verified".into()
    } else {
        "not checked".into()
    }
}

/// Middleware: records each request to an emulated PG and its answer. The request body is read
/// whole (the emulators read it whole too) and handed on unchanged.
pub async fn record(req: Request, next: Next) -> Response {
    let Some(pg) = pg_of(req.uri().path()) else {
        return next.run(req).await;
    };
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response()
        }
    };
    let method = parts.method.to_string();
    let path = parts.uri.path().to_string();
    let query = parts.uri.query().unwrap_or("").to_string();
    let req_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let params = fields_of(&req_type, &query, &bytes);
    let res = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;

    let (rparts, rbody) = res.into_parts();
    let rbytes = match to_bytes(rbody, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "response body too large\n",
            )
                .into_response()
        }
    };
    let content_type = rparts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = if content_type.to_ascii_lowercase().contains("euc-kr") {
        encoding_rs::EUC_KR.decode(&rbytes).0.into_owned()
    } else {
        String::from_utf8_lossy(&rbytes).into_owned()
    };
    let status = rparts.status.as_u16();
    let error = error_code(&text);
    let g = gateway(pg);
    let cs = charset(g, &params);
    let spec = table(g);
    let fields = params
        .0
        .iter()
        .map(|(k, v)| {
            let bytes = byte_len(v, cs);
            let max = spec.iter().find(|f| f.name == k).and_then(|f| f.max);
            Field {
                name: k.clone(),
                value: excerpt(v, VALUE_CHARS),
                bytes,
                max,
                over: max.is_some_and(|m| bytes > m),
            }
        })
        .collect();
    let sig = signature_field(g);
    let entry = Exchange {
        seq: 0,
        at_ms: now_ms(),
        pg: pg.to_string(),
        method,
        path,
        query: excerpt(&query, VALUE_CHARS),
        charset: cs.label(),
        fields,
        signature: signature_verdict(sig, &params, status, error.as_deref(), &text),
        signature_field: sig,
        status,
        content_type,
        error,
        body_excerpt: excerpt(&text, EXCERPT),
    };
    with_log(|l| {
        l.seq += 1;
        let mut e = entry;
        e.seq = l.seq;
        if l.requests.len() == MAX_REQUESTS {
            l.requests.pop_front();
        }
        l.requests.push_back(e);
    });
    Response::from_parts(rparts, Body::from(rbytes))
}

/// A notification starts: returns its id for [`notice_attempt`] and [`notice_end`].
pub fn notice_start(url: &str, fields: &[(String, String)]) -> u64 {
    let pg = url
        .split("/merchant/")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .unwrap_or("")
        .to_string();
    with_log(|l| {
        l.seq += 1;
        if l.notices.len() == MAX_NOTICES {
            l.notices.pop_front();
        }
        l.notices.push_back(Notice {
            seq: l.seq,
            at_ms: now_ms(),
            pg,
            url: url.to_string(),
            fields: fields
                .iter()
                .map(|(k, v)| (k.clone(), excerpt(v, VALUE_CHARS)))
                .collect(),
            attempts: Vec::new(),
            delivered: None,
            updated: l.seq,
        });
        l.seq
    })
    .unwrap_or(0)
}

fn with_notice(id: u64, f: impl FnOnce(&mut Notice)) {
    with_log(|l| {
        l.seq += 1;
        let seq = l.seq;
        if let Some(n) = l.notices.iter_mut().find(|n| n.seq == id) {
            f(n);
            n.updated = seq;
        }
    });
}

/// One delivery attempt of notification `id` and what the merchant answered.
pub fn notice_attempt(id: u64, n: u32, status: Option<u16>, reply: &str) {
    with_notice(id, |notice| {
        notice.attempts.push(Attempt {
            n,
            at_ms: now_ms(),
            status,
            reply: excerpt(reply, EXCERPT),
        })
    });
}

/// Notification `id` is over: delivered (the merchant answered as the PG requires) or given up.
pub fn notice_end(id: u64, delivered: bool) {
    with_notice(id, |notice| notice.delivered = Some(delivered));
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Snapshot {
    /// The highest sequence number handed out so far (pass it back as `since`).
    seq: u64,
    max_requests: usize,
    max_notices: usize,
    requests: Vec<Exchange>,
    notices: Vec<Notice>,
}

#[derive(Deserialize)]
struct Since {
    #[serde(default)]
    since: u64,
}

/// `GET /_inspect.json[?since=N]`: the record, entries with a sequence number above `since`
/// (notifications changed since then, so a poller sees their new attempts and their end).
async fn json(Query(q): Query<Since>) -> Response {
    let snap = with_log(|l| Snapshot {
        seq: l.seq,
        max_requests: MAX_REQUESTS,
        max_notices: MAX_NOTICES,
        requests: l
            .requests
            .iter()
            .filter(|e| e.seq > q.since)
            .cloned()
            .collect(),
        notices: l
            .notices
            .iter()
            .filter(|n| n.updated > q.since)
            .cloned()
            .collect(),
    });
    match snap {
        Some(s) => {
            let mut res = Json(s).into_response();
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            res
        }
        None => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "inspector lock poisoned\n",
        )
            .into_response(),
    }
}

const PAGE: &str = include_str!("../templates/inspect.html");
const SCRIPT: &str = include_str!("../templates/inspect.js");

async fn page() -> Html<&'static str> {
    Html(PAGE)
}

async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

/// `/_inspect`, its script and `/_inspect.json`. Served behind `origin::guard` like every route,
/// so only the sandbox's own `Host` gets them and no other site may frame the page.
pub fn router() -> Router {
    Router::new()
        .route("/_inspect", get(page))
        .route("/_inspect.js", get(script))
        .route("/_inspect.json", get(json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_emulator_paths_are_recorded() {
        assert_eq!(pg_of("/pg/xpay/window"), Some("xpay"));
        assert_eq!(pg_of("/pg/kcp/plugin/payplus_web.jsp"), Some("kcp"));
        assert_eq!(pg_of("/pg/xpay.html"), None, "the merchant's checkout page");
        assert_eq!(pg_of("/pg/unknown/x"), None);
        assert_eq!(pg_of("/merchant/xpay/return"), None);
        // Every PG hanpay knows is recorded (SMARTRO PAY was missing from a hand-written list).
        for pg in Pg::ALL {
            let path = format!("/pg/{}/x", pg.name());
            assert_eq!(pg_of(&path), Some(pg.name()), "{path}");
        }
        assert_eq!(pg_of("/pg/generic/pay"), Some("generic"));
    }

    #[test]
    fn charsets_and_signature_fields_come_from_the_library() {
        let utf8 = Params::from_pairs([("encoding_trans", "UTF-8")]);
        assert_eq!(charset(gateway("kcp"), &utf8), Charset::Utf8);
        assert_eq!(charset(gateway("kcp"), &Params::new()), Charset::EucKr);
        let euc = Params::from_pairs([("LGD_ENCODING", "EUC-KR")]);
        assert_eq!(charset(gateway("xpay"), &euc), Charset::EucKr);
        assert_eq!(charset(gateway("kspay"), &Params::new()), Charset::EucKr);
        assert_eq!(charset(gateway("generic"), &Params::new()), Charset::Utf8);
        assert_eq!(signature_field(gateway("smartropay")), Some("EncryptData"));
        assert_eq!(signature_field(gateway("kcp")), None);
        assert_eq!(signature_field(gateway("generic")), Some("signature"));
        assert!(!table(gateway("smartropay")).is_empty());
    }

    #[test]
    fn signature_verdicts() {
        let p = Params::from_pairs([("LGD_HASHDATA", "ab")]);
        let v = |status, err: Option<&str>| {
            signature_verdict(Some("LGD_HASHDATA"), &p, status, err, "")
        };
        assert_eq!(v(200, None), "verified");
        assert_eq!(v(400, Some("LGD_HASHDATA:mismatch")), "mismatch");
        assert_eq!(v(400, Some("LGD_MID:mismatch")), "not checked");
        assert_eq!(
            signature_verdict(Some("LGD_HASHDATA"), &Params::new(), 200, None, ""),
            "unsigned"
        );
        assert_eq!(signature_verdict(None, &p, 200, None, ""), "n/a");
    }

    #[test]
    fn error_codes_are_read_back_unescaped() {
        assert_eq!(
            error_code("<body data-pg-error=\"a&amp;b:mismatch\">").as_deref(),
            Some("a&b:mismatch")
        );
        assert_eq!(error_code("<body>"), None);
    }
}
