//! A server call on the wire: the request body in the PG's charset, and the answer's bytes as the
//! flat [`Params`] [`super::read_response`] reads. One encoder and one reader for every
//! transport — `hanpay-client` (reqwest), the Node entry (`js/server.mjs` sends with `fetch`),
//! the sandbox's demo merchant — so a PG's answer format is decided here once, not per transport.
//!
//! What the PGs answer (each reader's manual section says more):
//! - JSON objects: XPayClient (whose `LGD_RESPONSE` array holds the transaction, read as
//!   XPayClient's `Response(name, 0)` does, `Akachu/lg-xpay-php-utf-8:lgdacom/XPayClient.php`),
//!   KCP's REST gateway (manual 003), KISPG (004 §3), SMARTRO PAY.
//! - KSNET's backtick-delimited `recv_post.jsp` text in EUC-KR (notes §4.1), through the PG's
//!   [`crate::pg::Gateway::text_body`].
//! - `k=v&…` with percent-escapes of EUC-KR bytes: Smartro's cancel answer (manual 001 §5.3
//!   Note, 001:L862 "value 를 euc-kr 로 인코딩").

use crate::prelude::*;

use super::recover::{request_charset, response_charset};
use super::{Request, FORM, JSON};
use crate::pg::{Params, Pg};
use crate::text::Charset;
use core::fmt;

/// Why a body could not be written or an answer not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireError {
    /// A field is not encodable in the PG's request charset. The builders validate every field in
    /// that charset, so this is a caller that built the request by hand; sending `&#NNNN;` in its
    /// place would change a signed value.
    Unencodable { field: String, charset: Charset },
    /// The answer's bytes are not valid in its charset.
    Charset(Charset),
    /// The answer is empty.
    Empty,
    /// The answer says JSON but is not a JSON object.
    Json(String),
    /// The answer is neither JSON, the PG's text form, nor `k=v`.
    Unreadable,
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::Unencodable { field, charset } => {
                write!(f, "{field} is not encodable in {}", charset.label())
            }
            WireError::Charset(c) => write!(f, "the answer is not {}", c.label()),
            WireError::Empty => f.write_str("empty answer"),
            WireError::Json(e) => write!(f, "the answer is not a JSON object: {e}"),
            WireError::Unreadable => f.write_str("the answer is neither JSON nor k=v"),
        }
    }
}

impl core::error::Error for WireError {}

/// A request body ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The `Content-Type` header, with the charset of a form body.
    pub content_type: String,
    pub bytes: Vec<u8>,
}

fn encoding(charset: Charset) -> &'static encoding_rs::Encoding {
    match charset {
        Charset::EucKr => encoding_rs::EUC_KR,
        Charset::Utf8 => encoding_rs::UTF_8,
    }
}

/// `req`'s body: a JSON object of strings (UTF-8) for [`JSON`], otherwise form-urlencoded bytes
/// in the PG's request charset ([`request_charset`]).
pub fn encode(pg: Pg, req: &Request) -> Result<Body, WireError> {
    if req.content_type == JSON {
        return Ok(Body {
            content_type: JSON.to_string(),
            bytes: req.json_body().into_bytes(),
        });
    }
    let charset = request_charset(pg);
    let enc = encoding(charset);
    let mut out = String::new();
    for (k, v) in &req.fields.0 {
        if !out.is_empty() {
            out.push('&');
        }
        for (i, s) in [k, v].into_iter().enumerate() {
            if i == 1 {
                out.push('=');
            }
            let (bytes, _, unmappable) = enc.encode(s);
            if unmappable {
                return Err(WireError::Unencodable {
                    field: k.clone(),
                    charset,
                });
            }
            out.extend(form_urlencoded::byte_serialize(&bytes));
        }
    }
    Ok(Body {
        content_type: format!("{FORM}; charset={}", charset.label()),
        bytes: out.into_bytes(),
    })
}

/// The charset a `Content-Type` header names (`charset=`, any WHATWG label of EUC-KR or UTF-8:
/// `euc-kr`, `ks_c_5601-1987`, `cp949`, `utf8`, …), if it names one of the two.
pub fn header_charset(content_type: Option<&str>) -> Option<Charset> {
    let label = content_type?
        .split(';')
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))?
        .1
        .trim()
        .trim_matches('"');
    let enc = encoding_rs::Encoding::for_label(label.as_bytes())?;
    if enc == encoding_rs::EUC_KR {
        Some(Charset::EucKr)
    } else if enc == encoding_rs::UTF_8 {
        Some(Charset::Utf8)
    } else {
        None
    }
}

/// The charset of the answer to `sent`: its header's, else the PG's rule
/// ([`response_charset`]).
pub fn answer_charset(pg: Pg, sent: &Request, content_type: Option<&str>) -> Charset {
    header_charset(content_type).unwrap_or_else(|| response_charset(pg, sent))
}

/// `bytes` as text in `charset`, malformed sequences replaced (an error page's body, for a
/// message).
pub fn text(bytes: &[u8], charset: Charset) -> String {
    encoding(charset)
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// The answer to `sent` as flat fields. JSON when `content_type` says so or the text starts with
/// `{`: nested values are kept as their JSON text (KISPG's `cancelData`), `null` is absent, and
/// XPay's `LGD_RESPONSE[0]` is merged over the top level. Otherwise the PG's text form (KSNET),
/// else `k=v&…` whose escapes are bytes of the answer's charset. A repeated `k=v` name keeps its
/// first value, as [`Params::get`] reads it.
pub fn decode(
    pg: Pg,
    sent: &Request,
    bytes: &[u8],
    content_type: Option<&str>,
) -> Result<Params, WireError> {
    let charset = answer_charset(pg, sent, content_type);
    let enc = encoding(charset);
    let (text, malformed) = enc.decode_without_bom_handling(bytes);
    if malformed {
        return Err(WireError::Charset(charset));
    }
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(WireError::Empty);
    }
    let is_json = content_type.is_some_and(|c| c.to_ascii_lowercase().contains("json"))
        || trimmed.starts_with('{');
    if is_json {
        let v: serde_json::Value =
            serde_json::from_str(trimmed).map_err(|e| WireError::Json(e.to_string()))?;
        let serde_json::Value::Object(map) = v else {
            return Err(WireError::Json("not an object".into()));
        };
        let mut p = Params::new();
        flatten(&mut p, &map);
        if let Some(serde_json::Value::Array(items)) = map.get("LGD_RESPONSE") {
            if let Some(serde_json::Value::Object(first)) = items.first() {
                flatten(&mut p, first);
            }
        }
        return Ok(p);
    }
    if let Some(p) = (pg.gateway().text_body)(trimmed) {
        return Ok(p);
    }
    if !trimmed.contains('=') {
        return Err(WireError::Unreadable);
    }
    // The raw bytes, not the decoded text: an unescaped EUC-KR byte must be decoded once, in
    // EUC-KR, with the escaped ones.
    let raw = bytes.trim_ascii();
    let mut p = Params::new();
    let lossy = |b: &[u8]| enc.decode_without_bom_handling(b).0.into_owned();
    for (k, v) in Params::from_urlencoded(raw, &lossy).0 {
        if p.get(&k).is_none() {
            p.0.push((k, v));
        }
    }
    Ok(p)
}

fn flatten(p: &mut Params, map: &serde_json::Map<String, serde_json::Value>) {
    for (k, v) in map {
        match v {
            serde_json::Value::Null => {}
            serde_json::Value::String(s) => p.set(k, s.as_str()),
            serde_json::Value::Array(_) | serde_json::Value::Object(_) if k == "LGD_RESPONSE" => {}
            other => p.set(k, other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sent request without a charset field: the answer charset is the PG's default.
    fn sent(_: Pg) -> Request {
        Request::post("https://pg.example/x", FORM, Params::new())
    }

    #[test]
    fn header_labels() {
        assert_eq!(
            header_charset(Some("text/html; charset=euc-kr")),
            Some(Charset::EucKr)
        );
        assert_eq!(
            header_charset(Some("text/html;charset=\"ks_c_5601-1987\"")),
            Some(Charset::EucKr)
        );
        assert_eq!(
            header_charset(Some("application/json;charset=\"UTF-8\"")),
            Some(Charset::Utf8)
        );
        assert_eq!(header_charset(Some("application/json")), None);
        assert_eq!(header_charset(Some("text/plain; charset=latin1")), None);
    }

    #[test]
    fn xpay_nested_response_is_flattened() {
        let body = r#"{"LGD_RESPCODE":"0000","LGD_RESPMSG":"ok","LGD_RESPONSE":[{"LGD_TID":"T1","LGD_AMOUNT":1000}],"x":null}"#;
        let p = decode(Pg::Xpay, &sent(Pg::Xpay), body.as_bytes(), None).unwrap();
        assert_eq!(p.str("LGD_TID"), "T1");
        assert_eq!(p.str("LGD_AMOUNT"), "1000");
        assert_eq!(p.str("LGD_RESPCODE"), "0000");
        assert_eq!(p.get("x"), None);
        assert_eq!(p.get("LGD_RESPONSE"), None);
    }

    #[test]
    fn nested_values_stay_json_text() {
        let body = r#"{"resultCd":"0000","cancelData":[{"canAmt":"300"}]}"#;
        let p = decode(
            Pg::Kispg,
            &sent(Pg::Kispg),
            body.as_bytes(),
            Some("application/json"),
        )
        .unwrap();
        assert_eq!(p.str("cancelData"), r#"[{"canAmt":"300"}]"#);
    }

    #[test]
    fn smartro_euc_kr_pairs() {
        // "취소" in EUC-KR is C3 EB BC D2: once escaped, once raw, and a repeated name.
        let mut body = b"ResultCode=2001&ResultMsg=%C3%EB%BC%D2&Raw=".to_vec();
        body.extend_from_slice(&[0xC3, 0xEB, 0xBC, 0xD2]);
        body.extend_from_slice(b"&ResultCode=9999\r\n");
        let p = decode(Pg::Smartro, &sent(Pg::Smartro), &body, None).unwrap();
        assert_eq!(p.str("ResultMsg"), "취소");
        assert_eq!(p.str("Raw"), "취소");
        assert_eq!(p.str("ResultCode"), "2001");
    }

    #[test]
    fn kspay_text_body() {
        let p = decode(Pg::Kspay, &sent(Pg::Kspay), b"`O`0000`", None);
        assert!(p.is_ok(), "{p:?}");
    }

    #[test]
    fn unreadable_answers() {
        let s = sent(Pg::Kcp);
        assert_eq!(decode(Pg::Kcp, &s, b"  \n", None), Err(WireError::Empty));
        assert_eq!(
            decode(Pg::Kcp, &s, b"<html>", None),
            Err(WireError::Unreadable)
        );
        assert!(matches!(
            decode(Pg::Kcp, &s, b"[1]", Some("application/json")),
            Err(WireError::Json(_))
        ));
        assert_eq!(
            decode(
                Pg::Kcp,
                &s,
                &[0xff, b'='],
                Some("text/plain; charset=utf-8")
            ),
            Err(WireError::Charset(Charset::Utf8))
        );
    }

    #[test]
    fn form_bodies_in_the_pg_charset() {
        let mut f = Params::new();
        f.set("Msg", "취소 요청");
        f.set("a&b", "1+1=2");
        let req = Request::post("https://pg.example/x", FORM, f);
        // KSNET's recv_post takes EUC-KR (notes §4.1).
        let kspay = encode(Pg::Kspay, &req).unwrap();
        assert_eq!(
            kspay.content_type,
            "application/x-www-form-urlencoded; charset=EUC-KR"
        );
        assert_eq!(
            String::from_utf8(kspay.bytes).unwrap(),
            "Msg=%C3%EB%BC%D2+%BF%E4%C3%BB&a%26b=1%2B1%3D2"
        );
        let xpay = encode(Pg::Xpay, &req).unwrap();
        assert_eq!(
            xpay.content_type,
            "application/x-www-form-urlencoded; charset=UTF-8"
        );
        assert!(String::from_utf8(xpay.bytes)
            .unwrap()
            .starts_with("Msg=%EC%B7%A8%EC%86%8C+"));
        let mut bad = Params::new();
        bad.set("Msg", "😀");
        let err = encode(Pg::Kspay, &Request::post("https://pg.example/x", FORM, bad)).unwrap_err();
        assert_eq!(err.to_string(), "Msg is not encodable in EUC-KR");
    }

    #[test]
    fn json_bodies() {
        let mut f = Params::new();
        f.set("tid", "T1");
        let b = encode(Pg::Kispg, &Request::post("https://pg.example/x", JSON, f)).unwrap();
        assert_eq!(b.content_type, "application/json");
        assert_eq!(b.bytes, br#"{"tid":"T1"}"#);
    }
}
