//! The few URL operations the classifier needs, without a URL crate (wasm size budget).
//!
//! Scheme detection follows the WHATWG URL parser, because that is what the WebView itself does
//! before it asks the host app: leading/trailing C0 controls and spaces are stripped, ASCII tab
//! and newline are removed anywhere, and the scheme is compared lowercase (url.spec.whatwg.org,
//! "basic URL parser", steps 1–3 and "scheme state"). That is why `" JaVa\tScRiPt:…"` is still
//! seen as `javascript:` here.

use crate::prelude::*;
use crate::text;
use crate::text::AsciiCase as _;

/// Trims C0 controls and spaces at both ends and removes every ASCII tab, LF and CR.
pub(crate) fn clean(input: &str) -> String {
    text::trim_controls(input)
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// Splits `scheme:rest` and returns the scheme lowercased. `None` when there is no `:` or the
/// text before it is not a scheme (RFC 3986 §3.1 plus `_`, which real Korean schemes use:
/// `shinhan-sr-ansimclick_samsungpay`, portone-io/react-native-sdk src/appScheme.ts).
pub(crate) fn split_scheme(url: &str) -> Option<(String, &str)> {
    let colon = text::find_ascii(url, b':')?;
    let (scheme, rest) = (url.get(..colon)?, url.get(colon + 1..)?);
    let mut bytes = scheme.bytes();
    let first_ok = matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic());
    let rest_ok =
        bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.' | b'_'));
    (first_ok && rest_ok).then(|| (scheme.ascii_lower(), rest))
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes like Android's `Uri.decode`: `%XX` → byte, `+` stays `+`, the bytes are read
/// as UTF-8 (invalid sequences become U+FFFD). A `%` without two hex digits is kept as is.
pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Makes `s` a string of RFC 3986 characters: unreserved and reserved characters and valid
/// `%XX` escapes pass through; everything else (controls, space, `"`, `<`, `>`, `\`, `^`, `` ` ``,
/// `{`, `|`, `}`, non-ASCII, a stray `%`) is percent-encoded as UTF-8. Existing escapes are not
/// touched, so the app receives what Chrome would hand it, minus characters that strict URL
/// parsers (Swift `URL(string:)`, Dart `Uri.parse`) reject — flutter_inappwebview #1328 broke on
/// the V3 vaccine URL `intent://%7B"CD":…` for exactly that reason.
pub(crate) fn sanitize(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || b"-._~:/?#[]@!$&'()*+,;=".contains(&b)
            || (b == b'%'
                && bytes.get(i + 1).copied().and_then(hex).is_some()
                && bytes.get(i + 2).copied().and_then(hex).is_some());
        if keep {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// Host (lowercase, without userinfo and port) and path of an `http(s)` URL's `rest` after the
/// scheme's `:`. `\` counts as `/`, as in WHATWG parsing of special schemes.
pub(crate) fn host_and_path(rest: &str) -> (String, &str) {
    let start = rest.bytes().position(|b| b != b'/' && b != b'\\');
    let after = start.and_then(|i| rest.get(i..)).unwrap_or("");
    let end = text::find_any_ascii(after, b"/\\?#").unwrap_or(after.len());
    // `split_at_checked`: `end` is a char boundary, and the panicking `split_at` would link
    // core's slice-error formatting into the browser build (issue 8 size budget).
    let (authority, path) = after.split_at_checked(end).unwrap_or((after, ""));
    let host_port = text::rsplit_once_ascii(authority, b'@').map_or(authority, |(_, h)| h);
    let host = text::split_once_ascii(host_port, b':').map_or(host_port, |(h, _)| h);
    (host.ascii_lower(), path)
}

/// True when `url` — lowercase scheme and [`sanitize`]d rest, as the classifier rebuilds it — is
/// an absolute `http://` or `https://` URL with a host. Deliberately a strict subset of what a
/// WHATWG parser (the `url` crate, the WebView itself) accepts, because the browser build cannot
/// afford that parser (docs/size.md); the property test below checks the subset claim:
/// - the authority follows `//` directly and is not empty (`https:javascript:alert(1)` and
///   `https:///x` are refused);
/// - no userinfo: `https://pg.example@evil.example/` names evil.example;
/// - the host is ASCII letters, digits, `-` and `.` in non-empty labels, with no `xn--` label
///   (only a full IDNA implementation can tell valid punycode) and no IPv6 literal;
/// - a host whose last label is a number must be a dotted-quad IPv4 address (WHATWG "ends in a
///   number checker": `999.1.1.1` and `0x1g.0x` fail to parse);
/// - an optional port is 1–5 digits and at most 65535.
pub(crate) fn absolute_http_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let end = text::find_any_ascii(rest, b"/?#").unwrap_or(rest.len());
    let authority = rest.get(..end).unwrap_or("");
    if text::find_ascii(authority, b'@').is_some() {
        return false;
    }
    let (host, port) = match text::split_once_ascii(authority, b':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let port_ok = port.is_none_or(|p| decimal(p).is_some_and(|n| n <= 65535));
    port_ok && valid_host(host)
}

fn valid_host(host: &str) -> bool {
    let labels_ok = !host.is_empty()
        && text::split_ascii(host, b'.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !label.get(..4).is_some_and(|p| p.eq_ascii_case("xn--"))
        });
    if !labels_ok {
        return false;
    }
    let last = text::rsplit_once_ascii(host, b'.').map_or(host, |(_, l)| l);
    let numeric = last.bytes().all(|b| b.is_ascii_digit())
        || last.get(..2).is_some_and(|p| p.eq_ascii_case("0x"));
    !numeric || dotted_quad(host)
}

/// 1–5 ASCII digits as a number: one loop instead of two more `str::parse` instances in the
/// browser build (docs/size.md); `window`'s origin check uses it too.
pub(crate) fn decimal(digits: &str) -> Option<u32> {
    if !(1..=5).contains(&digits.len()) {
        return None;
    }
    digits.bytes().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// Four decimal octets without leading zeros (`010` would be octal to WHATWG).
fn dotted_quad(host: &str) -> bool {
    text::split_ascii(host, b'.').count() == 4
        && text::split_ascii(host, b'.').all(|octet| {
            (octet == "0" || !octet.starts_with('0')) && decimal(octet).is_some_and(|n| n <= 255)
        })
}

/// True when `pkg` is a Java package name as Android accepts it (two or more identifiers).
/// Anything else would let a page inject text into `market://details?id=…`.
pub(crate) fn valid_package(pkg: &str) -> bool {
    text::find_ascii(pkg, b'.').is_some()
        && text::split_ascii(pkg, b'.').all(|part| {
            let mut bytes = part.bytes();
            matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic())
                && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whatwg_cleaning_exposes_hidden_schemes() {
        let cleaned = clean(" \u{1}JaVa\tScR\nipt:alert(1) ");
        assert_eq!(
            split_scheme(&cleaned).map(|(s, _)| s).as_deref(),
            Some("javascript")
        );
    }

    #[test]
    fn decode_keeps_plus_and_stray_percent() {
        assert_eq!(percent_decode("a+b%20c%zz%4"), "a+b c%zz%4");
        assert_eq!(percent_decode("%ED%95%9C"), "한");
    }

    #[test]
    fn sanitize_encodes_only_what_uris_cannot_hold() {
        assert_eq!(sanitize("x://%7B\"CD\":1}"), "x://%7B%22CD%22:1%7D");
        assert_eq!(sanitize("a b%"), "a%20b%25");
    }

    #[test]
    fn absolute_http_urls() {
        for ok in [
            "https://pg.example/isp?a=1",
            "http://pg.example",
            "https://PG.Example:8443/x",
            "https://10.0.0.1/",
            "https://a-b.c1.example?x#y",
        ] {
            assert!(absolute_http_url(ok), "{ok}");
        }
        for bad in [
            "https:javascript:alert(1)",
            "https:/pg.example/",
            "https:///pg.example/",
            "https://",
            "https://pg.example@evil.example/",
            "https://pg..example/",
            "https://pg.example:/",
            "https://pg.example:65536/",
            "https://999.1.1.1/",
            "https://1.2.3/",
            "https://0x7f.1/",
            "https://xn--a.example/",
            "https://[::1]/",
            "https://pg%2Eexample/",
            "ftp://pg.example/",
        ] {
            assert!(!absolute_http_url(bad), "{bad}");
        }
    }

    #[test]
    fn host_ignores_userinfo_and_port() {
        assert_eq!(
            host_and_path("//play.google.com@Evil.com:443/x").0,
            "evil.com"
        );
    }
}

/// The subset claim of [`absolute_http_url`]: whatever it accepts, the WHATWG parser of the `url`
/// crate parses as http(s) with a host, so the browser build (which has only the subset check)
/// never returns a fallback the native build would refuse.
#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(clippy::disallowed_macros)] // native test code: the size rules are for the browser package
mod subset_of_whatwg {
    use super::*;
    use proptest::prelude::*;

    fn whatwg_accepts(url: &str) -> bool {
        url::Url::parse(url)
            .is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(5_000))]

        #[test]
        fn accepted_urls_parse(
            scheme in prop_oneof![Just("https://"), Just("http://"), Just("https:"), Just("https:/")],
            host in "[a-zA-Z0-9.@:%_\\-]{0,24}",
            tail in "([/?#][a-zA-Z0-9%/?#=&.:-]{0,12})?",
        ) {
            let url = sanitize(&format!("{scheme}{host}{tail}"));
            if absolute_http_url(&url) {
                prop_assert!(whatwg_accepts(&url), "{url}");
            }
        }

        #[test]
        fn accepted_numeric_hosts_parse(
            parts in proptest::collection::vec("(0x)?[0-9a-fA-F]{0,4}", 1..6),
            port in "(:[0-9]{0,6})?",
        ) {
            let url = format!("https://{}{port}/", parts.join("."));
            if absolute_http_url(&url) {
                prop_assert!(whatwg_accepts(&url), "{url}");
            }
        }
    }
}
