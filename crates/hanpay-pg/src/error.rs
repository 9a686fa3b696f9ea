//! One error vocabulary for every surface: the registry of error codes ([`REGISTRY`]), and the
//! umbrella [`Error`] every internal error converts into.
//!
//! A code has one of four levels, and each level one spelling:
//!
//! | level | spelling | where it appears |
//! |---|---|---|
//! | [`Level::Code`] | `SCREAMING_SNAKE` | `HanpayError.code` in the browser, [`Error::code`] |
//! | [`Level::Kind`] | `snake_case` | the `error`/`kind`/`cause` keys of server-side JSON (`invalid_input`, `transport`, …) |
//! | [`Level::Rule`] | `snake_case` | which rule a field broke: `ValidationError.rule`, `HanpayError.rule` |
//! | [`Level::Reason`] | `kebab-case` | the classifier's and the mobile bridge's `code` (`platform-unknown`, `null-argument`) |
//!
//! Every code any surface emits is a row here: `tests/errors.rs` walks the Rust error types and
//! scans the sources of every surface (Rust, `js/`, the TypeScript declarations, the Kotlin and
//! Swift samples) for codes, and `docs/errors.md` is checked against this table. Each surface
//! maps internal errors to its own error in one place: [`Error`] here for Rust callers (and the
//! Node entry, through [`Error::code`]/[`Error::field`]/[`Error::rule`]), `crates/hanpay-web/src/error.rs` for
//! the browser, `impl From<hanpay::Error> for CallError` in `ffi/src/calls.rs` for the bridge.

use crate::app_return::AppReturnError;
use crate::apps::intent::IntentError;
use crate::apps::{PlatformError, PolicyError};
use crate::form::{Rule, ValidationError};
use crate::pg::JsonError;
use crate::window::{ErrorCode, FormProblem};
use core::fmt;

/// The level of a code, which fixes its spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The top-level code of an error (`INVALID_PARAMETERS`). `SCREAMING_SNAKE`.
    Code,
    /// The machine name of a server-side failure in JSON output (`invalid_input`). `snake_case`.
    Kind,
    /// Which rule a field broke (`max_bytes`). `snake_case`.
    Rule,
    /// A classifier or bridge error code (`platform-unknown`). `kebab-case`.
    Reason,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Code => "code",
            Level::Kind => "kind",
            Level::Rule => "rule",
            Level::Reason => "reason",
        }
    }

    /// Whether `code` is spelled as this level requires.
    pub fn spelled(self, code: &str) -> bool {
        let (lower, sep) = match self {
            Level::Code => (false, b'_'),
            Level::Kind | Level::Rule => (true, b'_'),
            Level::Reason => (true, b'-'),
        };
        let b = code.as_bytes();
        !b.is_empty()
            && b[0].is_ascii_alphabetic()
            && b.last() != Some(&sep)
            && !crate::text::contains_str(code, if sep == b'_' { "__" } else { "--" })
            && b.iter().all(|&c| {
                c == sep
                    || c.is_ascii_digit()
                    || (lower && c.is_ascii_lowercase())
                    || (!lower && c.is_ascii_uppercase())
            })
    }
}

/// One registered code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub code: &'static str,
    pub level: Level,
    /// Who emits it.
    pub surfaces: &'static str,
    pub meaning: &'static str,
}

const fn e(
    code: &'static str,
    level: Level,
    surfaces: &'static str,
    meaning: &'static str,
) -> Entry {
    Entry {
        code,
        level,
        surfaces,
        meaning,
    }
}

use Level::{Code, Kind, Reason, Rule as R};

/// Every error code hanpay emits, on any surface.
pub const REGISTRY: &[Entry] = &[
    // Level::Code: `HanpayError.code` (crates/hanpay-policy/src/window.rs `ErrorCode`, js/index.d.ts).
    e("INVALID_PARAMETERS", Code, "browser, rust", "An argument or form broke a rule; `field` and `rule` say which."),
    e("POPUP_BLOCKED", Code, "browser", "The browser blocked the payment popup."),
    e("USER_CANCEL", Code, "browser", "The buyer cancelled in the PG's window."),
    e("WINDOW_CLOSED", Code, "browser", "The payment window was closed before a result arrived."),
    e("TIMEOUT", Code, "browser", "No result within the configured time."),
    e("REDIRECT_REQUIRED", Code, "browser", "This environment needs a same-window redirect, which the options forbid."),
    e("SCRIPT_LOAD_FAILED", Code, "browser", "The PG's script did not load."),
    e("PG_ERROR", Code, "browser", "The PG reported a failure; `pgCode`/`pgMessage` carry its own code."),
    e("NAME_CONFLICT", Code, "browser", "A window name or page global hanpay must own is held by another window, frame or payment."),
    e("NO_BROWSER", Code, "browser", "A browser function was called where there is no window or document (a Node or server-rendering import, a worker)."),
    e("NOT_INITIALIZED", Code, "browser (js glue)", "A function was called before `await init()` finished."),
    e("INVALID_SCHEME", Code, "rust", "`AppReturnError.code`: the host app's scheme is not a URL scheme (the browser reports `INVALID_PARAMETERS`)."),
    e("INVALID_URL", Code, "rust", "`AppReturnError.code`: the page URL is not an absolute http(s) URL (the browser reports `INVALID_PARAMETERS`)."),
    // Level::Kind: server-side JSON (`ValidationError::to_json`, hanpay-client, CLI, Node).
    e("invalid_input", Kind, "node, cli, client", "Bad input; nothing was sent (`field` and `rule` say which)."),
    e("transport", Kind, "client, cli", "A server call did not produce a verified answer; `kind` says how."),
    e("not_sent", Kind, "client, cli", "The connection was never established; calling again is safe."),
    e("refused", Kind, "client, cli", "The PG refused the request with a 4xx status."),
    e("exhausted", Kind, "client, cli", "A retryable call failed on every attempt."),
    e("rolled_back", Kind, "client, cli", "XPay: the answer was lost and the PG rolled the call back."),
    e("unknown", Kind, "client, cli", "The answer of a money-moving call was lost; look the payment up before acting."),
    e("connect", Kind, "client, cli", "`cause`: the connection could not be established."),
    e("connect_timeout", Kind, "client, cli", "`cause`: no connection within the connect timeout."),
    e("read_timeout", Kind, "client, cli", "`cause`: the answer did not arrive within the read timeout."),
    e("lost", Kind, "client, cli", "`cause`: the connection broke while sending or reading."),
    e("status", Kind, "client, cli", "`cause`: the PG answered with an HTTP error status."),
    e("decode", Kind, "client, cli", "`cause`: the answer could not be read."),
    // Level::Rule: `ValidationError.rule` (src/form.rs `Rule`) and the browser's form checks.
    e("required", R, "all", "A required field is missing or empty."),
    e("max_bytes", R, "all", "Longer than the manual's maximum, in bytes of the PG's charset."),
    e("digits", R, "all", "Must be ASCII digits only."),
    e("forbidden_char", R, "all", "Contains a character or sequence the manual forbids."),
    e("alphabet", R, "all", "Uses a character outside the allowed alphabet."),
    e("uppercase", R, "all", "Must be upper case."),
    e("format", R, "all", "Does not match the documented format."),
    e("one_of", R, "all", "Not one of the documented values."),
    e("stale", R, "all", "A timestamp outside the window the PG accepts."),
    e("conflict", R, "all", "Disagrees with another field or with the mode."),
    e("sum", R, "all", "Parts do not add up to the total."),
    e("key", R, "all", "The merchant key is empty."),
    e("http_or_relative_url", R, "browser", "A form action must be an http(s) URL or a path on this site."),
    e("get_or_post", R, "browser", "A form method must be GET or POST."),
    e("non_empty_names", R, "browser", "Form field names must not be empty."),
    e("explicit_http_origin", R, "browser", "A target origin must be an explicit http(s) origin."),
    e("loopback_http_origin", R, "browser", "A sandbox origin must be an http origin on a loopback host."),
    e("shape", R, "browser", "An argument does not have the documented shape."),
    // Level::Reason: the classifier's typed errors and the mobile bridge (ffi/, samples).
    e("platform-unknown", Reason, "rust, bridge", "`platform` is neither `android` nor `ios`."),
    e("policy-unknown", Reason, "rust, bridge", "`policy` is neither `default` nor `strict`."),
    e("intent-prefix-missing", Reason, "rust", "The URL does not start with `intent:`."),
    e("intent-field-unknown", Reason, "rust", "An intent item is not a known key or typed extra."),
    e("intent-extra-invalid", Reason, "rust", "A typed extra's value does not parse as its type."),
    e("intent-launch-flags-invalid", Reason, "rust", "`launchFlags` is not a Java integer."),
    e("invalid-scheme", Reason, "bridge", "App return: the host app's scheme is not a URL scheme (`INVALID_SCHEME`)."),
    e("invalid-url", Reason, "bridge", "App return: the page URL is not an absolute http(s) URL (`INVALID_URL`)."),
    e("invalid-argument", Reason, "bridge", "An argument broke a rule not listed above; `message` names it."),
    e("null-argument", Reason, "bridge", "A required argument was a null pointer (C) or `null` (JVM)."),
    e("invalid-utf8", Reason, "bridge", "An argument's bytes were not UTF-8."),
    e("internal-panic", Reason, "bridge", "hanpay hit an internal error; report the input."),
    e("serialize-failed", Reason, "bridge", "The result could not be written as JSON."),
    e("null-result", Reason, "ios sample", "The bridge returned a null pointer."),
    e("unreadable", Reason, "ios sample", "The bridge's answer was not readable JSON."),
];

/// The registry row of `code`, if it is registered.
pub fn lookup(code: &str) -> Option<&'static Entry> {
    REGISTRY.iter().find(|e| e.code == code)
}

/// Any error of the `hanpay` crate. Each module keeps its own precise type; this is what a
/// caller that handles them together (or a surface that reports them) converts into.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A form or order field broke a rule (server side).
    Validation(ValidationError),
    /// A form the browser must submit broke a rule.
    Form(FormProblem),
    /// A JSON document was malformed.
    Json(JsonError),
    /// An unknown platform name.
    Platform(PlatformError),
    /// An unknown launch policy name.
    Policy(PolicyError),
    /// A malformed `intent:` URL.
    Intent(IntentError),
    /// Bad input to the app-return helpers.
    AppReturn(AppReturnError),
    /// A checkout flow ended without a result (the browser's codes).
    Flow(ErrorCode),
}

impl Error {
    /// The top-level code ([`Level::Code`]).
    /// Bad input of any kind is `INVALID_PARAMETERS`, as the browser reports it; the
    /// finer code is [`Error::rule`] and [`Error::reason`].
    pub fn code(&self) -> &'static str {
        match self {
            Error::Flow(c) => c.as_str(),
            _ => ErrorCode::InvalidParameters.as_str(),
        }
    }

    /// The input that was wrong, as the caller named it.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Validation(e) => Some(&e.field),
            Error::Form(p) => Some(p.field),
            Error::Platform(_) => Some("platform"),
            Error::Policy(_) => Some("policy"),
            Error::Intent(_) => Some("url"),
            Error::AppReturn(e) => Some(e.field),
            Error::Json(_) | Error::Flow(_) => None,
        }
    }

    /// Which rule `field` broke ([`Level::Rule`]).
    pub fn rule(&self) -> Option<&'static str> {
        Some(match self {
            Error::Validation(e) => e.rule.code(),
            Error::Form(p) => p.rule,
            Error::Platform(_) | Error::Policy(_) => Rule::OneOf.code(),
            Error::Intent(_) | Error::AppReturn(_) | Error::Json(_) => Rule::Format.code(),
            Error::Flow(_) => return None,
        })
    }

    /// The classifier's or bridge's finer code ([`Level::Reason`]), where one exists.
    pub fn reason(&self) -> Option<&'static str> {
        match self {
            Error::Platform(e) => Some(e.code()),
            Error::Policy(e) => Some(e.code()),
            Error::Intent(e) => Some(e.code()),
            Error::AppReturn(e) if e.code == "INVALID_SCHEME" => Some("invalid-scheme"),
            Error::AppReturn(_) => Some("invalid-url"),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Validation(e) => e.fmt(f),
            Error::Form(e) => e.fmt(f),
            Error::Json(e) => e.fmt(f),
            Error::Platform(e) => e.fmt(f),
            Error::Policy(e) => e.fmt(f),
            Error::Intent(e) => e.fmt(f),
            Error::AppReturn(e) => e.fmt(f),
            Error::Flow(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for Error {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        Some(match self {
            Error::Validation(e) => e,
            Error::Form(e) => e,
            Error::Json(e) => e,
            Error::Platform(e) => e,
            Error::Policy(e) => e,
            Error::Intent(e) => e,
            Error::AppReturn(e) => e,
            Error::Flow(e) => e,
        })
    }
}

macro_rules! from {
    ($($variant:ident($ty:ty)),*) => {$(
        impl From<$ty> for Error {
            fn from(e: $ty) -> Self {
                Error::$variant(e)
            }
        }
    )*};
}

from!(
    Validation(ValidationError),
    Form(FormProblem),
    Json(JsonError),
    Platform(PlatformError),
    Policy(PolicyError),
    Intent(IntentError),
    AppReturn(AppReturnError),
    Flow(ErrorCode)
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prelude::*;

    /// One value of every variant; the `match` fails to compile when a variant is added.
    fn one_of_each() -> Vec<Error> {
        let all: Vec<Error> = vec![
            ValidationError::new("LGD_OID", Rule::MaxBytes, "too long").into(),
            FormProblem {
                field: "action",
                rule: "http_or_relative_url",
            }
            .into(),
            JsonError("unexpected end".into()).into(),
            PlatformError {
                given: "symbian".into(),
            }
            .into(),
            PolicyError {
                given: "lax".into(),
            }
            .into(),
            IntentError::NotIntent.into(),
            crate::app_return::derive(&crate::env::detect("", 0), "", Some("my shop"))
                .unwrap_err()
                .into(),
            ErrorCode::Timeout.into(),
        ];
        for e in &all {
            match e {
                Error::Validation(_)
                | Error::Form(_)
                | Error::Json(_)
                | Error::Platform(_)
                | Error::Policy(_)
                | Error::Intent(_)
                | Error::AppReturn(_)
                | Error::Flow(_) => {}
            }
        }
        all
    }

    #[test]
    fn the_umbrella_speaks_the_registry() {
        for e in one_of_each() {
            let at = |code: &str, level: Level| {
                let entry = lookup(code).unwrap_or_else(|| panic!("{code} unregistered ({e})"));
                assert_eq!(entry.level, level, "{code}");
            };
            at(e.code(), Level::Code);
            if let Some(rule) = e.rule() {
                at(rule, Level::Rule);
                assert!(e.field().is_some() || matches!(e, Error::Json(_)), "{e}");
            }
            if let Some(reason) = e.reason() {
                at(reason, Level::Reason);
            }
            assert!(!e.to_string().is_empty());
            assert!(core::error::Error::source(&e).is_some());
        }
    }

    #[test]
    fn codes_fields_and_rules() {
        let all = one_of_each();
        assert_eq!(
            (all[0].code(), all[0].field(), all[0].rule()),
            ("INVALID_PARAMETERS", Some("LGD_OID"), Some("max_bytes"))
        );
        assert_eq!(
            (all[3].field(), all[3].rule(), all[3].reason()),
            (Some("platform"), Some("one_of"), Some("platform-unknown"))
        );
        assert_eq!(
            (all[6].field(), all[6].reason()),
            (Some("host_scheme"), Some("invalid-scheme"))
        );
        assert_eq!((all[7].code(), all[7].rule()), ("TIMEOUT", None));
        assert!(lookup("NO_SUCH_CODE").is_none());
    }
}
