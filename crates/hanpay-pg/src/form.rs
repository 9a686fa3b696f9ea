//! The signed checkout form a merchant server hands to the browser, and the typed
//! validation error every PG builder returns before anything leaves the server.

use crate::prelude::*;

use core::fmt;

/// An HTML form ready to submit (or to give to a PG script adapter).
///
/// `fields` keep the PG's own parameter names and their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutForm {
    /// Where the form goes. For script-driven PGs (XPay cross-platform, KCP 표준웹) this is the
    /// PG script the browser adapter loads, which then posts the form itself.
    pub action: String,
    pub method: String,
    pub accept_charset: String,
    /// Window name the PG expects (`payWindow` for Smartro popups), or empty for the current page.
    pub target: String,
    pub fields: Vec<(String, String)>,
}

impl CheckoutForm {
    /// The value of a field, if present.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `{"pg", "action", "method", "accept_charset", "target", "fields": [[name, value], …]}`
    /// (the CLI's `hanpay form` output; [`CheckoutForm::wire`]).
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn to_json(&self, pg: &str) -> String {
        serde_json::to_string(&self.wire(pg)).unwrap_or_default()
    }

    /// The form with its PG's name, as `to_json` and the Node entry write it.
    pub fn wire<'a>(&'a self, pg: &'a str) -> FormWire<'a> {
        FormWire {
            pg,
            action: &self.action,
            method: &self.method,
            accept_charset: &self.accept_charset,
            target: &self.target,
            fields: &self.fields,
        }
    }
}

/// [`CheckoutForm::wire`]: the form in this key order, `fields` as `[name, value]` pairs.
#[derive(Debug, serde::Serialize)]
pub struct FormWire<'a> {
    pub pg: &'a str,
    pub action: &'a str,
    pub method: &'a str,
    pub accept_charset: &'a str,
    pub target: &'a str,
    pub fields: &'a [(String, String)],
}

/// Which rule a field broke. `code()` is stable and safe to match on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A required field is missing or empty.
    Required,
    /// Longer than the manual's maximum, in bytes of the charset the PG receives.
    MaxBytes,
    /// Must be ASCII digits only (no commas, signs or spaces).
    Digits,
    /// Contains a character or sequence the manual forbids.
    ForbiddenChar,
    /// Uses a character outside the allowed alphabet (order ids, codes).
    Alphabet,
    /// Must be upper case (KCP `site_cd`).
    Uppercase,
    /// Does not match the documented format.
    Format,
    /// Not one of the documented values.
    OneOf,
    /// A timestamp outside the window the PG accepts.
    Stale,
    /// Disagrees with another field or with the mode (test/live).
    Conflict,
    /// Parts do not add up to the total (Smartro `DivideInfo`, KCP composite tax).
    Sum,
    /// The merchant key is empty.
    Key,
}

impl Rule {
    /// Every rule, in declaration order (the registry test in `tests/errors.rs` walks it).
    pub const ALL: [Rule; 12] = [
        Rule::Required,
        Rule::MaxBytes,
        Rule::Digits,
        Rule::ForbiddenChar,
        Rule::Alphabet,
        Rule::Uppercase,
        Rule::Format,
        Rule::OneOf,
        Rule::Stale,
        Rule::Conflict,
        Rule::Sum,
        Rule::Key,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::MaxBytes => "max_bytes",
            Rule::Digits => "digits",
            Rule::ForbiddenChar => "forbidden_char",
            Rule::Alphabet => "alphabet",
            Rule::Uppercase => "uppercase",
            Rule::Format => "format",
            Rule::OneOf => "one_of",
            Rule::Stale => "stale",
            Rule::Conflict => "conflict",
            Rule::Sum => "sum",
            Rule::Key => "key",
        }
    }
}

/// A field failed a rule. `field` is the PG's own parameter name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub field: String,
    pub rule: Rule,
    pub detail: String,
}

impl ValidationError {
    pub fn new(field: &str, rule: Rule, detail: impl Into<String>) -> Self {
        ValidationError {
            field: field.to_string(),
            rule,
            detail: detail.into(),
        }
    }

    /// Stable code `"<rule>"`; together with `field` it names what to fix.
    pub fn code(&self) -> &'static str {
        self.rule.code()
    }

    /// `{"error":"invalid_input","field":…,"rule":…,"message":…}`.
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn to_json(&self) -> String {
        #[derive(serde::Serialize)]
        struct Wire<'a> {
            error: &'static str,
            field: &'a str,
            rule: &'static str,
            message: String,
        }
        serde_json::to_string(&Wire {
            error: "invalid_input",
            field: &self.field,
            rule: self.rule.code(),
            message: self.to_string(),
        })
        .unwrap_or_default()
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.field, self.rule.code(), self.detail)
    }
}

impl core::error::Error for ValidationError {}
