//! The gateways (five PGs; Smartro with two modules). Each module owns its PG-native parameter names, endpoints, signing,
//! result and notification parsing; [`call`] builds the merchant server's calls to them. This
//! module holds what they share:
//! the parameter map, modes, the KST clock, field specs and their validation, digests, and
//! the one typed result every PG parses into.

// The browser package's size rules (crates/clippy.toml, applied to every crate of the browser
// build by `make lint`) do not bind the PG core: its builders, signers and readers run on
// merchant servers, and the browser surface reaches only `Mode`, `action_url`, the script URLs
// and KCP's `TEST_SITE_CODES`/`is_buyer_cancel` (grep `pg::` in crates/hanpay-web), which use neither
// `format!` nor `str`'s searchers. The rest is dropped from the wasm build (`make size`
// measures it). `form.rs` and `error.rs`, which the browser surface names too, follow the rules.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

use crate::prelude::*;

// The merchant server's calls (JSON bodies through serde_json): not in the browser package.
#[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
pub mod call;
pub mod codes;
pub mod kcp;
pub mod kispg;
pub mod kspay;
pub mod order;
pub mod result;
pub mod smartro;
pub mod smartropay;
pub mod xpay;

use crate::form::{CheckoutForm, Rule, ValidationError};
use crate::text::{self, Charset};
use order::Order;

pub use result::{Expect, MessageKind, PaymentResult, Status, Verify};

// The `Pg` enum, `Pg::ALL`, `Pg::name` and `Pg::gateway`, generated from `data/pg/*.json`
// (build/pg.rs): a PG exists once its data file and its module do.
include!(concat!(env!("OUT_DIR"), "/pg_registry.rs"));

/// TypeScript declarations generated from the same data (build/pg.rs): the browser and Node
/// entries put them in their `.d.ts`, so a new PG changes them without a hand edit.
pub mod ts {
    include!(concat!(env!("OUT_DIR"), "/pg_ts.rs"));
}

impl Pg {
    pub fn from_name(name: &str) -> Option<Pg> {
        Pg::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// Everything the library does with one PG that is not a server call ([`call::Server`]), as one
/// description per module (`<pg>::GATEWAY`): the one place each PG's builders and parsers are
/// reached through, so nothing outside a PG's own module switches on its identity.
pub struct Gateway {
    /// The checkout request's field table (`data/pg/<pg>.json`, table `FIELDS`).
    pub fields: &'static [FieldSpec],
    /// Defaults, validation and signing of the checkout form from the PG's own names.
    pub build: fn(Params, &str, Mode, KstTime) -> Result<CheckoutForm, ValidationError>,
    /// Reads one returned message into the contract [`result::judge`] decides on.
    pub(crate) read: fn(&Params, &Verify<'_>) -> result::Reading,
    /// The generic [`Order`] in the PG's own names (before defaults, validation and signing).
    pub from_order: fn(&Order) -> Result<Params, ValidationError>,
    /// The phone variant of a built form (audit M5), or why there is none without a server step.
    pub phone_form: fn(CheckoutForm, Mode) -> Result<CheckoutForm, ValidationError>,
    /// The charset `build` checks a checkout request's byte lengths in, from the request's own
    /// fields (XPay's `LGD_ENCODING`, KCP's `encoding_trans`, KISPG's `charset`); the sandbox
    /// inspector counts what a browser posted the same way. It is the form's `accept-charset`
    /// except where the PG's limits are counted otherwise: Smartro checks UTF-8, the stricter
    /// count, because the same fields also go to its UTF-8 phone page; KSPay checks EUC-KR.
    pub charset: fn(&Params) -> Charset,
    /// The checkout request's field that carries the merchant's signature, if the PG signs the
    /// browser request at all (KCP and KSNET do not).
    pub signature: Option<&'static str>,
    /// Reads a message body in a text format of the PG's own (KSNET's backtick-delimited
    /// `recv_post` answer), or `None` when the body is not in it: callers then read JSON or
    /// form-urlencoded as for every PG. [`no_text_body`] for PGs without one.
    pub text_body: fn(&str) -> Option<Params>,
    /// The digests the PG's messages carry that the merchant key makes or checks, by name
    /// ([`digest`]): what a merchant recomputes when the PG reports a signature mismatch, and what
    /// the published vectors (`tests/data/pg-vectors.json`) are checked through. Empty for a PG
    /// that signs nothing with a shared key (KCP, KSNET).
    pub digests: &'static [Digest],
}

/// One named digest of a PG ([`Gateway::digests`]): the field it fills, the inputs it takes in
/// order (the PG's own field names), and where the layout is documented.
#[derive(Debug, Clone, Copy)]
pub struct Digest {
    /// The name [`digest`] takes (`hashdata`, `encrypt_data`, …).
    pub name: &'static str,
    /// The message field the digest goes in or is compared with.
    pub field: &'static str,
    /// The inputs, in the order [`digest`] takes them.
    pub args: &'static [&'static str],
    /// The manual section or sample the layout comes from.
    pub source: &'static str,
    /// Called by [`digest`] only, with exactly `args.len()` inputs and a non-empty key.
    pub(crate) compute: fn(&[&str], &str) -> Result<String, ValidationError>,
}

/// The PG's digest `name` over `args` (in [`Digest::args`] order) with the merchant key: an
/// error on `digest` for a name the PG does not have, on `args` for the wrong number of inputs,
/// on `key` for an empty key, or on the input the layout cannot use (a Smartro `TID` shorter
/// than 15 characters).
pub fn digest(pg: Pg, name: &str, args: &[&str], key: &str) -> Result<String, ValidationError> {
    let digests = pg.gateway().digests;
    let Some(d) = digests.iter().find(|d| d.name == name) else {
        let names: Vec<&str> = digests.iter().map(|d| d.name).collect();
        let detail = if names.is_empty() {
            format!(
                "{} has no digest made with a shared merchant key",
                pg.name()
            )
        } else {
            format!("one of {}", names.join("|"))
        };
        return Err(ValidationError::new("digest", Rule::OneOf, detail));
    };
    if args.len() != d.args.len() {
        return Err(ValidationError::new(
            "args",
            Rule::Format,
            format!(
                "{} takes {} inputs: {}",
                d.name,
                d.args.len(),
                d.args.join(", ")
            ),
        ));
    }
    if key.is_empty() {
        return Err(ValidationError::new(
            "key",
            Rule::Key,
            "the merchant key is empty",
        ));
    }
    (d.compute)(args, key)
}

/// [`Gateway::text_body`] of a PG whose messages are JSON or form-urlencoded only.
pub fn no_text_body(_: &str) -> Option<Params> {
    None
}

/// [`Gateway::phone_form`] of a PG whose desktop form is also its phone form.
pub fn same_form(form: CheckoutForm, _: Mode) -> Result<CheckoutForm, ValidationError> {
    Ok(form)
}

/// Test (sandbox) or live endpoints and credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Test,
    Live,
}

impl Mode {
    pub fn from_name(name: &str) -> Option<Mode> {
        match name {
            "test" => Some(Mode::Test),
            "live" => Some(Mode::Live),
            _ => None,
        }
    }
}

/// One URL of a PG in test and in live mode (`data/pg/<pg>.json` `endpoints`; every PG's in
/// [`ENDPOINTS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub test: &'static str,
    pub live: &'static str,
}

impl Endpoint {
    /// The URL for `mode`.
    pub const fn at(self, mode: Mode) -> &'static str {
        match mode {
            Mode::Test => self.test,
            Mode::Live => self.live,
        }
    }
}

/// Ordered PG parameters, as posted (names exactly as each manual spells them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn new() -> Self {
        Params(Vec::new())
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Params(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        )
    }

    /// The first value for `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value for `name`, or "" when absent.
    pub fn str(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    /// Sets `name`, replacing an existing value in place or appending.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = value.into();
        match self.0.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name.to_string(), value)),
        }
    }

    /// Sets `name` only when it is absent or empty (caller-given values win).
    pub fn set_default(&mut self, name: &str, value: impl Into<String>) {
        if self.str(name).is_empty() {
            self.set(name, value);
        }
    }

    /// Parses `application/x-www-form-urlencoded`. `decode` turns the percent-decoded bytes
    /// into text (UTF-8 by default; the CLI passes an EUC-KR-aware decoder for Smartro/KCP).
    pub fn from_urlencoded(body: &[u8], decode: &dyn Fn(&[u8]) -> String) -> Params {
        let mut out = Params::new();
        for part in body.split(|b| *b == b'&') {
            if part.is_empty() {
                continue;
            }
            let (k, v) = match part.iter().position(|b| *b == b'=') {
                Some(i) => (
                    part.get(..i).unwrap_or(b""),
                    part.get(i + 1..).unwrap_or(b""),
                ),
                None => (part, &b""[..]),
            };
            let k = decode(&percent_decode(k));
            let v = decode(&percent_decode(v));
            out.0
                .push((k.trim_start_matches('\u{feff}').to_string(), v));
        }
        out
    }

    /// Parses a flat JSON object (KISPG API responses; CLI input) with serde_json, as the
    /// `Deserialize` impl below reads it.
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn from_json(text: &str) -> Result<Params, JsonError> {
        serde_json::from_str(text).map_err(|e| JsonError(e.to_string()))
    }

    /// `{"name":"value",…}` in order (the JSON body of KCP's, KISPG's and SMARTRO PAY's calls).
    #[cfg(any(not(target_arch = "wasm32"), feature = "server"))]
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Why a JSON document was not a flat object (serde_json's message, with line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(pub String);

impl core::fmt::Display for JsonError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "invalid JSON: {}", self.0)
    }
}

impl core::error::Error for JsonError {}

/// A JSON object, in order. Strings are kept, numbers and booleans become their text (a number
/// as Rust prints it: integers exactly), `null` and nested values are dropped — the shape of PG
/// parameter maps and answers. A key that appears twice is refused: a signed message with two
/// values for one field is ambiguous (architecture review, `Params::get` is first-wins).
/// Any serde format works: serde_json natively, serde-wasm-bindgen for the Node entry's objects.
impl<'de> serde::Deserialize<'de> for Params {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{Error, MapAccess, Visitor};
        struct Flat;
        impl<'de> Visitor<'de> for Flat {
            type Value = Params;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("an object of strings, numbers and booleans")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Params, A::Error> {
                let mut out = Params::new();
                while let Some(key) = m.next_key::<String>()? {
                    let Scalar(value) = m.next_value()?;
                    if out.0.iter().any(|(k, _)| *k == key) {
                        return Err(A::Error::custom(format!("duplicate key {key:?}")));
                    }
                    if let Some(v) = value {
                        out.0.push((key, v));
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(Flat)
    }
}

/// One value of a flat object: its text, or `None` for `null` and nested values.
struct Scalar(Option<String>);

impl<'de> serde::Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string, number, boolean or null")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar(Some(v)))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(Some(v.to_string())))
            }
            fn visit_unit<E>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_none<E>(self) -> Result<Scalar, E> {
                Ok(Scalar(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Scalar, A::Error> {
                while m.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Scalar(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Scalar, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Scalar(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// `{"name":"value",…}` in order, duplicates as they are.
impl serde::Serialize for Params {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// `+` → space, `%XX` → byte; malformed escapes are kept as they are (the
/// application/x-www-form-urlencoded parser, <https://url.spec.whatwg.org/#urlencoded-parsing>,
/// before its UTF-8 step: the caller decodes the bytes in the PG's charset).
pub fn percent_decode(s: &[u8]) -> Vec<u8> {
    let plus_as_space: Vec<u8> = s
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    percent_encoding::percent_decode(&plus_as_space).collect()
}

/// Lossy UTF-8 decoding, the default for [`Params::from_urlencoded`].
pub fn decode_utf8(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A wall-clock time in KST (UTC+9), second precision, as the PGs write it: `YYYYMMDDHHMMSS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct KstTime {
    /// Seconds since 1970-01-01T00:00:00 *KST* (not UTC), so formatting needs no offset.
    secs: i64,
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

impl KstTime {
    /// Parses `YYYYMMDDHHMMSS`; rejects impossible dates and times.
    pub fn parse(s: &str) -> Option<KstTime> {
        if s.len() != 14 || !text::is_digits(s) {
            return None;
        }
        let n = |a: usize, b: usize| s.get(a..b).and_then(|t| t.parse::<i64>().ok());
        let (y, mo, d, h, mi, se) = (
            n(0, 4)?,
            n(4, 6)?,
            n(6, 8)?,
            n(8, 10)?,
            n(10, 12)?,
            n(12, 14)?,
        );
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let mdays = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        let max_d = *mdays.get(usize::try_from(mo - 1).ok()?)?;
        if !(1..=12).contains(&mo) || d < 1 || d > max_d || h > 23 || mi > 59 || se > 59 {
            return None;
        }
        Some(KstTime {
            secs: days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se,
        })
    }

    /// From Unix seconds (UTC).
    pub fn from_unix(unix_secs: i64) -> KstTime {
        KstTime {
            secs: unix_secs + 9 * 3600,
        }
    }

    /// The current time from the system clock. Not available on wasm32, where the caller
    /// passes `Date.now()` through [`KstTime::from_unix`].
    #[cfg(not(target_arch = "wasm32"))]
    pub fn now() -> KstTime {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        KstTime::from_unix(secs)
    }

    /// `YYYYMMDDHHMMSS`.
    pub fn format(self) -> String {
        let (y, m, d) = civil_from_days(self.secs.div_euclid(86_400));
        let t = self.secs.rem_euclid(86_400);
        format!(
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            y,
            m,
            d,
            t / 3600,
            t % 3600 / 60,
            t % 60
        )
    }

    /// Seconds from `self` to `later` (negative when `later` is earlier).
    pub fn seconds_until(self, later: KstTime) -> i64 {
        later.secs - self.secs
    }
}

/// What a field's value must look like.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// Free text: checked for the PG's forbidden characters.
    Text,
    /// ASCII digits only.
    Digits,
    /// Characters from a fixed alphabet (`desc` is shown in the error).
    Alphabet {
        desc: &'static str,
        allowed: fn(char) -> bool,
    },
    /// One of the listed values.
    OneOf(&'static [&'static str]),
    /// `YYYYMMDDHHMMSS`.
    Timestamp,
    /// A URL or app scheme: no forbidden-character check (URLs legitimately carry `&`, `;`).
    Url,
    /// A PG-specific format checked by `check` (returns a description of the expected form).
    Format {
        desc: &'static str,
        check: fn(&str) -> bool,
    },
}

/// One parameter in a PG's request table.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub required: bool,
    /// Maximum bytes in the PG's charset, from the manual's table.
    pub max: Option<usize>,
    pub kind: Kind,
}

/// Shorthand used by the per-PG tables.
pub const fn field(name: &'static str, required: bool, max: usize, kind: Kind) -> FieldSpec {
    FieldSpec {
        name,
        required,
        max: if max == 0 { None } else { Some(max) },
        kind,
    }
}

/// Order-id alphabet shared by XPay (manual 000 §5.2 "영문,숫자, -, _ 만"), KCP and KISPG.
pub fn order_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// What [`safe_url`] accepts, as shown in the error.
pub const SAFE_URL_DESC: &str =
    "absolute http(s) or app URL without spaces or controls (javascript:, data:, file:, … refused)";

/// Whether a URL field may be handed to a PG, which later navigates or posts the buyer to it.
/// Hardening (issue 8): the PG would otherwise run a `javascript:` / `data:` return URL on its own
/// origin. The scheme is judged exactly as a WebView would see it, by the app classifier
/// (WHATWG cleaning, case-insensitive, blocked-scheme table), and anything with spaces or control
/// characters is refused outright rather than cleaned, since the PG may not clean it the same way.
pub fn safe_url(value: &str) -> bool {
    use crate::apps::{classify, Action, Platform};
    if value.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return false;
    }
    let d = classify(value, Platform::Android);
    match d.action {
        Action::Block => false,
        // about: and blob: pages belong to a browsing context; a PG can only return to http(s).
        Action::Load => matches!(d.scheme.as_deref(), Some("http" | "https")) && web_url(value),
        Action::Launch => true,
    }
}

/// An http(s) URL the WHATWG parser (`url`) accepts, with a host (`https://` alone, `http://a:b:c/`
/// or `https://[::1/` are no place to return to). Native builds only: the server half on wasm32
/// (the Node entry) and the browser package do not link `url` (docs/size.md), and keep the
/// classifier's scheme check alone.
#[cfg(not(target_arch = "wasm32"))]
fn web_url(value: &str) -> bool {
    url::Url::parse(value).is_ok_and(|u| u.host().is_some())
}

#[cfg(target_arch = "wasm32")]
fn web_url(_: &str) -> bool {
    true
}

/// Validates `params` against `spec`: required, charset byte length, kind, forbidden characters.
/// Parameters not in the table (merchant extras) are checked for forbidden characters only.
pub fn validate(
    params: &Params,
    spec: &[FieldSpec],
    charset: Charset,
    forbidden: &[&str],
) -> Result<(), ValidationError> {
    for f in spec {
        let value = params.str(f.name);
        if value.is_empty() {
            if f.required {
                return Err(ValidationError::new(
                    f.name,
                    Rule::Required,
                    "missing or empty",
                ));
            }
            continue;
        }
        if let Some(max) = f.max {
            let n = text::byte_len(value, charset);
            if n > max {
                return Err(ValidationError::new(
                    f.name,
                    Rule::MaxBytes,
                    format!("{n} bytes in {} > {max}", charset.label()),
                ));
            }
        }
        match f.kind {
            Kind::Text => {}
            Kind::Url => {
                if !safe_url(value) {
                    return Err(ValidationError::new(f.name, Rule::Format, SAFE_URL_DESC));
                }
            }
            Kind::Digits => {
                if !text::is_digits(value) {
                    return Err(ValidationError::new(
                        f.name,
                        Rule::Digits,
                        "digits only, no commas",
                    ));
                }
            }
            Kind::Alphabet { desc, allowed } => {
                if let Some(c) = value.chars().find(|c| !allowed(*c)) {
                    return Err(ValidationError::new(
                        f.name,
                        Rule::Alphabet,
                        format!("{c:?} not in {desc}"),
                    ));
                }
            }
            Kind::OneOf(values) => {
                if !values.contains(&value) {
                    return Err(ValidationError::new(
                        f.name,
                        Rule::OneOf,
                        format!("expected one of {}", values.join("|")),
                    ));
                }
            }
            Kind::Timestamp => {
                if KstTime::parse(value).is_none() {
                    return Err(ValidationError::new(f.name, Rule::Format, "YYYYMMDDHHMMSS"));
                }
            }
            Kind::Format { desc, check } => {
                if !check(value) {
                    return Err(ValidationError::new(f.name, Rule::Format, desc));
                }
            }
        }
    }
    for (name, value) in &params.0 {
        let kind = spec.iter().find(|f| f.name == name).map(|f| f.kind);
        // Hardening (issue 8, tests/data/hostile.json): no manual allows control characters in a
        // field, and CR/LF/NUL are how values break out into the PGs' line-based logs and legacy
        // CGI parsers, so they are refused in every field of every PG (alphabets such as KSPay's
        // "ASCII" or Smartro's Moid blacklist would otherwise let them through), not only KCP's "\n".
        if let Some(c) = value.chars().find(|c| c.is_control()) {
            return Err(ValidationError::new(
                name,
                Rule::ForbiddenChar,
                format!("contains control character U+{:04X}", u32::from(c)),
            ));
        }
        let free_text = matches!(kind, None | Some(Kind::Text));
        if free_text {
            if let Some(p) = text::find_forbidden(value, forbidden) {
                return Err(ValidationError::new(
                    name,
                    Rule::ForbiddenChar,
                    format!("contains {p:?}"),
                ));
            }
        }
    }
    Ok(())
}

/// Refuses characters a form posted in EUC-KR cannot carry. The browser would send each as the
/// reference `&#NNNN;`, whose `&` and `;` are characters KCP (003:L1151-1157) and XPay (000:L420)
/// forbid, and which Smartro, counting UTF-8, would undercount (audit W10).
pub fn require_euc_kr(params: &Params) -> Result<(), ValidationError> {
    for (name, value) in &params.0 {
        if let Some(c) = value.chars().find(|c| !text::euc_kr_encodable(*c)) {
            return Err(ValidationError::new(
                name,
                Rule::ForbiddenChar,
                format!(
                    "U+{:04X} is not in EUC-KR (the browser would send &#{};)",
                    u32::from(c),
                    u32::from(c)
                ),
            ));
        }
    }
    Ok(())
}

/// Rejects an empty merchant key before signing.
pub fn require_key(field: &str, key: &str) -> Result<(), ValidationError> {
    if key.is_empty() {
        Err(ValidationError::new(
            field,
            Rule::Key,
            "merchant key is empty",
        ))
    } else {
        Ok(())
    }
}

/// `ediDate` freshness for PGs that enforce it (KISPG: "현재 시각 -10분까지 유효", manual 004 §3.1).
/// Times ahead of the clock by more than the same window are rejected too (clock skew).
pub fn check_fresh(
    field: &str,
    value: &str,
    now: KstTime,
    window_secs: i64,
) -> Result<(), ValidationError> {
    let t = KstTime::parse(value)
        .ok_or_else(|| ValidationError::new(field, Rule::Format, "YYYYMMDDHHMMSS"))?;
    let age = t.seconds_until(now);
    if age > window_secs || age < -window_secs {
        return Err(ValidationError::new(
            field,
            Rule::Stale,
            format!("{age} s from the clock; allowed ±{window_secs} s"),
        ));
    }
    Ok(())
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Lowercase hex MD5 of the UTF-8 bytes of `s`.
pub fn md5_hex(s: &str) -> String {
    use md5::{Digest, Md5};
    hex(&Md5::digest(s.as_bytes()))
}

/// Lowercase hex SHA-256 of the UTF-8 bytes of `s`.
pub fn sha256_hex(s: &str) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(s.as_bytes()))
}

/// Standard base64 (with padding).
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Constant-time string comparison for signatures.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Parses a digits-only amount.
pub fn amount(s: &str) -> Option<u64> {
    if text::is_digits(s) {
        s.parse().ok()
    } else {
        None
    }
}

/// Builds and signs the checkout form of `pg` from its own parameter names.
pub fn build_form(
    pg: Pg,
    params: Params,
    key: &str,
    mode: Mode,
    now: KstTime,
) -> Result<CheckoutForm, ValidationError> {
    (pg.gateway().build)(params, key, mode, now)
}

/// Verifies one message of `pg` as the kind the caller says it is (never as the kind the message
/// claims), against the merchant's own record of the order (see [`result`]).
pub fn verify(pg: Pg, params: &Params, v: &Verify<'_>) -> PaymentResult {
    result::judge((pg.gateway().read)(params, v), v)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::safe_url;

    #[test]
    fn return_urls_are_parsed_by_the_whatwg_parser() {
        assert!(safe_url("https://shop.example/return?o=1"));
        assert!(safe_url("http://127.0.0.1:8080/merchant/kispg/return"));
        assert!(safe_url("myapp://pay/done"));
        // http(s) the classifier passes on its scheme alone, which `url` refuses.
        assert!(!safe_url("https://"));
        assert!(!safe_url("http://a:b:c/"));
        assert!(!safe_url("https://[::1/"));
        assert!(!safe_url("javascript:alert(1)"));
    }
}
