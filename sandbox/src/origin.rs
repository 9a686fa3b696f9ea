//! The sandbox's own origin and what it lets through: which `Host` headers it answers, which of
//! its pages may be framed and by whom, and which URLs count as its own when it posts to them,
//! redirects to them or echoes them into a page (security review, findings 2 and 11).
//!
//! The sandbox has exactly two origins, `http://127.0.0.1:<port>` and `http://localhost:<port>`,
//! where `<port>` is the port it listens on. [`guard`] makes that port known to everything a
//! request runs (a task-local, since `pg::http::post` is called from handlers that do not see
//! the router's state), so a URL check outside a request fails closed.

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderValue};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hanpay::pg::Pg;
use std::sync::LazyLock;
use url::Url;

tokio::task_local! {
    static OWN_PORT: u16;
}

/// The hosts the sandbox's origins use (it binds 127.0.0.1 only: `main.rs`).
const HOSTS: [&str; 2] = ["127.0.0.1", "localhost"];

/// The guard's state: the port the sandbox listens on and the paths that may be framed.
///
/// Framed are the documents a PG flow loads inside the merchant's page, which is itself a
/// sandbox page: hanpay's iframe layer (`payFrame`: the generic PG, Smartro, KISPG and KSPay
/// windows and the merchant return page they post to), KSNET's `payment-frame`, KISPG's
/// `pay_frame`, XPay's `LGD_PAYMENTWINDOW_IFRAME` (its window and the `LGD_RETURNURL` page) and
/// KCP's `naxIfr` (its window). Each emulator and the merchant list their own (`FRAMED` in each,
/// gathered by `crate::app`). They may be framed by the sandbox's own origins only; everything
/// else may not be framed at all. `*` matches one path segment.
#[derive(Clone, Copy)]
pub struct Guard {
    pub port: u16,
    pub framed: &'static [&'static str],
}

/// The port of the sandbox serving the current request; `None` outside a request.
pub fn own_port() -> Option<u16> {
    OWN_PORT.try_with(|p| *p).ok()
}

/// Whether `host` (a `Host` header or a URI authority) names one of the sandbox's origins.
/// Anything else is a DNS-rebinding name pointing at 127.0.0.1 (finding 2) and is refused.
pub fn is_own_host(host: &str, port: u16) -> bool {
    let (name, p) = match host.rsplit_once(':') {
        Some((name, p)) => (name, p.parse::<u16>().ok()),
        // A browser leaves out the default port.
        None => (host, Some(80)),
    };
    p == Some(port) && HOSTS.iter().any(|h| name.eq_ignore_ascii_case(h))
}

/// Whether `path` matches one of the `framed` patterns (`*` is one non-empty segment).
pub fn framed(framed: &[&str], path: &str) -> bool {
    framed.iter().any(|pattern| {
        let (mut want, mut got) = (pattern.split('/'), path.split('/'));
        loop {
            match (want.next(), got.next()) {
                (None, None) => return true,
                (Some(w), Some(g)) if w == g || (w == "*" && !g.is_empty()) => {}
                _ => return false,
            }
        }
    })
}

/// Middleware of the whole router: refuses foreign `Host`s with 421, runs the request with the
/// port known ([`own_port`]), and sets the framing headers of every response.
pub async fn guard(State(g): State<Guard>, req: Request, next: Next) -> Response {
    let port = g.port;
    let host_ok = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| is_own_host(h, port));
    // An absolute-form request target carries its own authority; it must name us too.
    let authority_ok = req
        .uri()
        .authority()
        .is_none_or(|a| is_own_host(a.as_str(), port));
    let own = host_ok && authority_ok;
    let frame_ok = own && framed(g.framed, req.uri().path());
    let mut res = if own {
        OWN_PORT.scope(port, next.run(req)).await
    } else {
        (
            StatusCode::MISDIRECTED_REQUEST,
            "hanpay sandbox: this server answers only Host 127.0.0.1:<port> or localhost:<port>\n",
        )
            .into_response()
    };
    let h = res.headers_mut();
    // The KSNET result fetch answers text/plain with request values in it: never render it.
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if frame_ok {
        // Only the merchant's page, which is a sandbox page, may hold the PG's frames.
        let ancestors =
            format!("frame-ancestors 'self' http://127.0.0.1:{port} http://localhost:{port}");
        if let Ok(v) = HeaderValue::from_str(&ancestors) {
            h.insert(header::CONTENT_SECURITY_POLICY, v);
        }
        h.insert(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        );
    } else {
        // Framing also helps clickjack the PG window's buttons (finding 2).
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    res
}

/// Why a URL was refused; `Display` names the rule.
#[derive(Debug, PartialEq, Eq)]
pub enum UrlError {
    /// No request in scope, so no own origin to compare with.
    NoOrigin,
    /// CR, LF, TAB, space, other controls or a backslash in the raw text: the URL parser would
    /// silently drop or rewrite them (`/\evil.example` becomes `//evil.example`).
    Characters,
    Unparsable,
    /// Parsed, but not `http://127.0.0.1:<port>` or `http://localhost:<port>`.
    Foreign(String),
    /// On the sandbox, but outside the paths allowed for this use.
    Path(String),
}

impl std::fmt::Display for UrlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            UrlError::NoOrigin => f.write_str("no sandbox origin to check the URL against"),
            UrlError::Characters => {
                f.write_str("URL contains a control character, a space or a backslash")
            }
            UrlError::Unparsable => f.write_str("not a URL"),
            UrlError::Foreign(o) => write!(
                f,
                "{o} is not the sandbox's own origin (http://127.0.0.1:<port> or http://localhost:<port>)"
            ),
            UrlError::Path(p) => write!(f, "path {p} is not allowed here"),
        }
    }
}

impl std::error::Error for UrlError {}

/// Parses `raw` (absolute, or relative to the sandbox) and requires one of the sandbox's own
/// origins. Returns the parsed URL; a relative `raw` resolves against `http://127.0.0.1:<port>`,
/// so callers that echo a URL into a page echo `raw` to keep the page's own host.
pub fn own_url(raw: &str) -> Result<Url, UrlError> {
    let port = own_port().ok_or(UrlError::NoOrigin)?;
    if raw.is_empty()
        || raw
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err(UrlError::Characters);
    }
    let url = match Url::parse(raw) {
        Ok(u) => u,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            Url::parse(&format!("http://127.0.0.1:{port}/"))
                .and_then(|base| base.join(raw))
                .map_err(|_| UrlError::Unparsable)?
        }
        Err(_) => return Err(UrlError::Unparsable),
    };
    let own = HOSTS.iter().any(|h| {
        Url::parse(&format!("http://{h}:{port}/")).is_ok_and(|o| o.origin() == url.origin())
    });
    // `origin()` ignores userinfo; `http://127.0.0.1:1@evil` already fails on the host.
    if !own || !url.username().is_empty() || url.password().is_some() {
        return Err(UrlError::Foreign(url.origin().ascii_serialization()));
    }
    Ok(url)
}

/// A URL the sandbox may send the browser to (a form action, `location.replace`): on its own
/// origin (findings 2 and 11: no open redirect, no `javascript:`). Returns the text to echo.
pub fn navigation_target(raw: &str) -> Result<&str, UrlError> {
    own_url(raw).map(|_| raw)
}

/// A URL the sandbox may call server-to-server: its own origin, under one of `prefixes`.
pub fn call_target(raw: &str, prefixes: &[&str]) -> Result<Url, UrlError> {
    let url = own_url(raw)?;
    if !raw.starts_with("http://") {
        return Err(UrlError::Unparsable);
    }
    if !prefixes.iter().any(|p| url.path().starts_with(p)) {
        return Err(UrlError::Path(url.path().to_string()));
    }
    Ok(url)
}

/// Real PG origins and the PG whose emulator stands in for each: the origins of every endpoint
/// hanpay knows (`hanpay::pg::ENDPOINTS`, from `crates/hanpay-pg/data/pg/<pg>.json`), in test and in live mode,
/// so a new PG's URLs are routed to its emulator without an edit here. The adapters apply the
/// same mapping in the browser (`crates/hanpay-web/src/adapters`).
pub fn real_origins() -> &'static [(String, Pg)] {
    static ORIGINS: LazyLock<Vec<(String, Pg)>> = LazyLock::new(|| {
        let mut out: Vec<(String, Pg)> = Vec::new();
        for (pg, _, endpoint) in hanpay::pg::ENDPOINTS {
            for raw in [endpoint.test, endpoint.live] {
                let Ok(url) = Url::parse(raw) else { continue };
                let origin = url.origin().ascii_serialization();
                if !out.iter().any(|(o, _)| *o == origin) {
                    out.push((origin, *pg));
                }
            }
        }
        out
    });
    &ORIGINS
}

/// The sandbox stand-in of a real PG URL: `<base>/pg/<pg><path>`; URLs of other origins are
/// returned unchanged. The origin must end where the URL's path, query or fragment begins, so
/// `https://pay.kcp.co.kr.example` is not KCP.
pub fn sandbox_url(base: &str, real: &str) -> String {
    for (origin, pg) in real_origins() {
        if let Some(path) = real.strip_prefix(origin.as_str()) {
            if path.is_empty() || path.starts_with(['/', '?', '#']) {
                return format!("{base}/pg/{}{path}", pg.name());
            }
        }
    }
    real.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert!(is_own_host("127.0.0.1:8080", 8080));
        assert!(is_own_host("LOCALHOST:8080", 8080));
        assert!(!is_own_host("127.0.0.1:8081", 8080));
        assert!(!is_own_host("rebind.attacker.example:8080", 8080));
        assert!(!is_own_host("127.0.0.1", 8080));
        assert!(is_own_host("localhost", 80));
        assert!(!is_own_host("127.0.0.1.nip.io:8080", 8080));
    }

    #[test]
    fn every_endpoint_is_routed_to_its_emulator() {
        for (pg, name, e) in hanpay::pg::ENDPOINTS {
            for raw in [e.test, e.live] {
                let routed = sandbox_url("http://127.0.0.1:8080", raw);
                let prefix = format!("http://127.0.0.1:8080/pg/{}", pg.name());
                assert!(routed.starts_with(&prefix), "{name} {raw} -> {routed}");
            }
        }
        assert_eq!(
            sandbox_url("http://s", "https://pay.kcp.co.kr.example/x"),
            "https://pay.kcp.co.kr.example/x"
        );
        assert_eq!(
            sandbox_url("http://s", "https://evil.example/?u=https://pay.kcp.co.kr/"),
            "https://evil.example/?u=https://pay.kcp.co.kr/"
        );
        assert_eq!(
            sandbox_url("http://s", "https://spl.kcp.co.kr/a?b"),
            "http://s/pg/kcp/a?b"
        );
    }

    #[test]
    fn framed_patterns() {
        let list = ["/pg/kcp/window", "/merchant/*/return"];
        assert!(framed(&list, "/pg/kcp/window"));
        assert!(framed(&list, "/merchant/xpay/return"));
        assert!(!framed(&list, "/merchant//return"));
        assert!(!framed(&list, "/merchant/xpay/return/x"));
        assert!(!framed(&list, "/pg/kcp.html"));
        assert!(!framed(&list, "/index.html"));
    }

    #[tokio::test]
    async fn urls() {
        let check = |raw: &'static str| OWN_PORT.scope(8080, async move { own_url(raw).is_ok() });
        assert!(check("/merchant/generic/return").await);
        assert!(check("http://localhost:8080/merchant/x").await);
        for bad in [
            "/\\evil.example/steal",
            "//evil.example/steal",
            "http://127.0.0.1:8081/merchant/x",
            "http://127.0.0.1:8080/a b",
            "http://127.0.0.1:8080/a\r\nX: y",
            "javascript:alert(1)",
            "https://127.0.0.1:8080/",
            "http://u@127.0.0.1:8080/",
            "",
        ] {
            assert!(!check(bad).await, "{bad:?} must be refused");
        }
        assert_eq!(own_url("/x"), Err(UrlError::NoOrigin), "outside a request");
    }
}
