//! The sandbox's server-to-server calls: PG → merchant notifications ([`notice`]) and merchant →
//! PG approval APIs ([`post`], [`post_form`]). Both halves are the sandbox itself, so every
//! target must be on the sandbox's own origin (`origin::call_target`): notifications under
//! `/merchant/`, PG APIs under `/pg/`. Anything else — another port, another host, CR/LF or a
//! space in the path — is refused before a connection is opened (security review finding 2:
//! the hand-written client wrote the path raw into the request line, so a `notifyUrl` from a
//! request could inject headers and whole requests into any loopback service).
//!
//! The requests are built by `reqwest`, which never follows redirects here (a redirect could
//! lead off the sandbox) and ignores proxy variables (the target is always loopback).
//!
//! Also the incoming side both halves share: the sandbox's own base URL ([`base_url`]) and form
//! bodies in UTF-8 or EUC-KR ([`decode_form`]).

use crate::origin::{self, UrlError};
use axum::http::HeaderMap;
use hanpay::pg::Params;
use std::sync::OnceLock;
use std::time::Duration;

/// A response: status code, `Content-Type` and body text (lossy UTF-8), plus the raw body bytes
/// for PGs that answer in EUC-KR (KSNET's `recv_post.jsp`).
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: String,
    pub bytes: Vec<u8>,
}

/// The loopback address the sandbox's notifiers post from. Merchant endpoints that check the
/// notifier address (KCP `common_return`, KISPG result notices) trust this one in the sandbox,
/// as they trust the PG's published addresses in production; a request from 127.0.0.1 (a
/// browser, `curl`) is therefore not a notifier.
pub const NOTIFIER_IP: &str = "127.0.0.2";

/// Where the merchant stub's notification routes live (PG → merchant).
const MERCHANT: &[&str] = &["/merchant/"];
/// Where the emulated PGs' server APIs live (merchant → PG).
const PG: &[&str] = &["/pg/"];

/// The merchant's calls (from any local address) and the PGs' notices, which leave from
/// [`NOTIFIER_IP`] as real notices leave from the PG's published addresses.
fn client(notifier: bool) -> Result<&'static reqwest::Client, String> {
    static CLIENT: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    static NOTIFIER: OnceLock<Result<reqwest::Client, String>> = OnceLock::new();
    let cell = if notifier { &NOTIFIER } else { &CLIENT };
    cell.get_or_init(|| {
        let local = notifier
            .then(|| NOTIFIER_IP.parse::<std::net::IpAddr>().ok())
            .flatten();
        reqwest::Client::builder()
            .local_address(local)
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            // notify::deliver counts and paces its own attempts.
            .retry(reqwest::retry::never())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(Clone::clone)
}

async fn send(
    url: &str,
    allowed: &[&str],
    notifier: bool,
    content_type: &str,
    body: Vec<u8>,
) -> Result<Reply, String> {
    let target =
        origin::call_target(url, allowed).map_err(|e: UrlError| format!("refused {url:?}: {e}"))?;
    let res = client(notifier)?
        .post(target)
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let bytes = res.bytes().await.map_err(|e| e.to_string())?.to_vec();
    Ok(Reply {
        status,
        content_type,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
    })
}

/// POSTs `body` with `content_type` to one of the emulated PGs' APIs and reads the whole
/// response.
pub async fn post(url: &str, content_type: &str, body: Vec<u8>) -> Result<Reply, String> {
    send(url, PG, false, content_type, body).await
}

/// Form-encodes pairs (UTF-8).
pub fn form(pairs: &[(String, String)]) -> String {
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// POSTs form pairs to one of the emulated PGs' APIs.
pub async fn post_form(url: &str, pairs: &[(String, String)]) -> Result<Reply, String> {
    post(
        url,
        "application/x-www-form-urlencoded",
        form(pairs).into_bytes(),
    )
    .await
}

/// Whether `url` may receive a PG notification: the merchant stub's `/merchant/` routes.
pub fn notice_target(url: &str) -> Result<(), String> {
    origin::call_target(url, MERCHANT)
        .map(|_| ())
        .map_err(|e| format!("refused {url:?}: {e}"))
}

/// POSTs a PG notification (form pairs) to the merchant stub's `/merchant/` routes.
pub async fn notice(url: &str, pairs: &[(String, String)]) -> Result<Reply, String> {
    send(
        url,
        MERCHANT,
        true,
        "application/x-www-form-urlencoded",
        form(pairs).into_bytes(),
    )
    .await
}

/// `http://<Host>` of the request: the sandbox only listens on loopback, so the Host header is
/// where both the browser and the server-to-server calls reach it.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b':' || b == b'-')
        })
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

/// Decodes a form body. EUC-KR PGs receive the bytes the browser encoded with
/// `accept-charset="EUC-KR"`; a body that is not valid in the declared charset is an error,
/// which is what the real PGs show as broken (mojibake) order names.
pub fn decode_form(body: &[u8], euc_kr: bool) -> Result<Params, String> {
    let mut bad = None;
    let decode = |bytes: &[u8]| -> String {
        if euc_kr {
            let (text, _, errors) = encoding_rs::EUC_KR.decode(bytes);
            if errors {
                return "\u{fffd}".into();
            }
            text.into_owned()
        } else {
            match std::str::from_utf8(bytes) {
                Ok(s) => s.to_string(),
                Err(_) => "\u{fffd}".into(),
            }
        }
    };
    let p = Params::from_urlencoded(body, &decode);
    for (k, v) in &p.0 {
        if v.contains('\u{fffd}') {
            bad = Some(k.clone());
        }
    }
    match bad {
        Some(k) => Err(format!(
            "{k}: not valid {} (check accept-charset)",
            if euc_kr { "EUC-KR" } else { "UTF-8" }
        )),
        None => Ok(p),
    }
}
