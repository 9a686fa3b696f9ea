//! Android `intent:` URLs, parsed the way `Intent.parseUri(uri, URI_INTENT_SCHEME)` reads the
//! format that `Intent.toUri(URI_INTENT_SCHEME)` writes (AOSP frameworks/base,
//! core/java/android/content/Intent.java):
//!
//! ```text
//! intent:<data without scheme>#Intent;key=value;…;end
//! ```
//!
//! Keys: `action`, `category` (repeatable), `type`, `identifier`, `launchFlags` (Java
//! `Integer.decode`), `package`, `component` (`pkg/cls`, `cls` may start with `.`), `scheme`,
//! `sourceBounds`, the selector marker `SEL` (later keys describe the selector intent, which is
//! kept only when the main intent has no package), and typed extras `S.` `B.` `b.` `c.` `d.`
//! `f.` `i.` `l.` `s.`. Values (and extra names) are percent-decoded like `Uri.decode`. The data
//! part is `scheme + ":" + <text after "intent:">`.
//!
//! Lenient where PG pages are sloppy (shared/notes/webview-anchors.md §3.2, portone_flutter
//! tests, flutter_inappwebview #1328): a missing `end` ends at the input's end, empty items
//! (`;;`, trailing `;`) are skipped, `intent:scheme://…` without `scheme=` keeps its own scheme,
//! the prefix and the `#Intent;` marker are matched case-insensitively, and the data part is
//! never run through a strict URI parser (hosts with `:port` or percent-encoded JSON survive).
//! Without `#Intent;` the URL carries no fields at all (Android then views the raw URL).
//!
//! One pass over the input: the marker is found by a single backward scan and each item is
//! split once, so parsing is linear in the input length.

use crate::prelude::*;
use crate::text::AsciiCase as _;

use super::uri;
use crate::text;
use core::fmt;

/// A parsed `intent:` URL. Only [`Intent::data`], [`Intent::package`] and the
/// `S.browser_fallback_url` extra ever reach a launch; the rest is parsed so callers can see
/// (and the classifier can refuse) what the page asked for.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Intent {
    /// The data URI (`scheme:` + the part after `intent:`), unparsed; `None` when empty.
    pub data: Option<String>,
    /// The `scheme=` value (decoded), as given.
    pub scheme: Option<String>,
    pub action: Option<String>,
    pub categories: Vec<String>,
    /// `type=` (MIME type).
    pub mime_type: Option<String>,
    pub identifier: Option<String>,
    pub package: Option<String>,
    pub component: Option<Component>,
    pub launch_flags: Option<i32>,
    pub source_bounds: Option<String>,
    pub extras: Vec<Extra>,
    /// The `SEL;` selector intent (dropped when the main intent names a package, as Android does).
    pub selector: Option<Box<Intent>>,
    /// Whether a `#Intent;` field list was present.
    pub has_fields: bool,
    /// Whether the field list was closed by `end`.
    pub terminated: bool,
}

/// `component=pkg/cls` (`ComponentName.unflattenFromString`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    pub package: String,
    pub class: String,
}

/// One typed extra.
#[derive(Debug, Clone, PartialEq)]
pub struct Extra {
    pub key: String,
    pub value: ExtraValue,
}

/// Extra values, typed by their prefix letter as in `Intent.parseUri`.
#[derive(Debug, Clone, PartialEq)]
pub enum ExtraValue {
    /// `S.`
    String(String),
    /// `B.` (Java `Boolean.parseBoolean`: only a case-insensitive "true" is true)
    Bool(bool),
    /// `b.`
    Byte(i8),
    /// `c.` (first character)
    Char(char),
    /// `d.`: the trimmed literal, checked against Java's `Double.parseDouble` grammar. Kept as
    /// text (issue 8 size budget): nothing downstream needs the number, and Rust's float parsing
    /// would link ~10 KB gzip of power-of-five tables into the browser package.
    Double(String),
    /// `f.`: the trimmed literal, checked like `d.` (`Float.parseFloat` has the same grammar).
    Float(String),
    /// `i.`
    Int(i32),
    /// `l.`
    Long(i64),
    /// `s.`
    Short(i16),
}

impl Intent {
    /// The `S.browser_fallback_url` extra, the page's own fallback when no app handles the intent
    /// (Chrome "Android Intents with Chrome" documentation).
    pub fn browser_fallback_url(&self) -> Option<&str> {
        self.extras
            .iter()
            .find_map(|e| match (&e.value, e.key.as_str()) {
                (ExtraValue::String(v), "browser_fallback_url") => Some(v.as_str()),
                _ => None,
            })
    }
}

/// Why an `intent:` URL was rejected. Each variant names the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntentError {
    /// The URL does not start with `intent:`.
    NotIntent,
    /// An item is neither a known key, `SEL`, `end`, nor a typed extra `X.name=value`
    /// (Android throws "unknown EXTRA type").
    UnknownField { item: String },
    /// A typed extra's value does not parse as its type (Android throws `NumberFormatException`).
    BadExtraValue { key: String, kind: char },
    /// `launchFlags` is not a Java `Integer.decode` integer.
    BadLaunchFlags { value: String },
}

impl IntentError {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            IntentError::NotIntent => "intent-prefix-missing",
            IntentError::UnknownField { .. } => "intent-field-unknown",
            IntentError::BadExtraValue { .. } => "intent-extra-invalid",
            IntentError::BadLaunchFlags { .. } => "intent-launch-flags-invalid",
        }
    }
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

impl fmt::Display for IntentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntentError::NotIntent => write!(f, "url: must start with \"intent:\""),
            IntentError::UnknownField { item } => {
                write!(
                    f,
                    "fields: {:?} is not a known key or typed extra",
                    short(item)
                )
            }
            IntentError::BadExtraValue { key, kind } => {
                write!(
                    f,
                    "extra {:?}: value is not a valid {kind}. value",
                    short(key)
                )
            }
            IntentError::BadLaunchFlags { value } => {
                write!(f, "launchFlags: {:?} is not a 32-bit integer", short(value))
            }
        }?;
        write!(f, " ({})", self.code())
    }
}

impl core::error::Error for IntentError {}

const PREFIX: &str = "intent:";
const MARKER: &[u8] = b"#intent;";

/// Byte offset of the last case-insensitive `#Intent;` (one backward scan, 8 bytes per step).
fn find_marker(url: &str) -> Option<usize> {
    let bytes = url.as_bytes();
    let last = bytes.len().checked_sub(MARKER.len())?;
    (0..=last).rev().find(|&i| {
        bytes
            .get(i..i + MARKER.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(MARKER))
    })
}

/// Java `Integer.decode`: optional sign, then `0x`/`0X`/`#` hex, leading `0` octal, or decimal.
fn java_decode_int(s: &str) -> Option<i32> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let (radix, digits) =
        if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, d)
        } else if let Some(d) = body.strip_prefix('#') {
            (16, d)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, body.get(1..)?)
        } else {
            (10, body)
        };
    if digits.is_empty() || digits.starts_with(['-', '+']) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    i32::try_from(if negative { -magnitude } else { magnitude }).ok()
}

/// Leading ASCII digits of `radix` 10 or 16 (bytes, not `char::is_digit`, whose radix check
/// links a panic message into the browser build; docs/size.md).
fn digits_with(s: &str, radix: u32) -> usize {
    s.bytes()
        .take_while(|b| {
            if radix == 16 {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count()
}

/// `str::parse` for the integer extras (`b.`, `s.`, `i.`, `l.`) without core's radix parser,
/// which cost the browser package 681 bytes of code once the classifier became its own crate
/// (docs/size.md): an optional `+` or `-`, then one or more ASCII digits, in range of `T`.
/// Accepts and refuses exactly what `str::parse::<T>` does (tested below).
fn integer<T: TryFrom<i64>>(s: &str) -> Option<T> {
    let b = s.as_bytes();
    // `split_first`, not `&b[1..]`: no slice-index panic path in the browser build.
    let (negative, digits) = match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, b),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        let v = i64::from(d - b'0');
        n = n.checked_mul(10)?;
        n = if negative {
            n.checked_sub(v)?
        } else {
            n.checked_add(v)?
        };
    }
    T::try_from(n).ok()
}

/// The literal when `value` is what Java's `Double.parseDouble` / `Float.parseFloat` accept
/// (OpenJDK `FloatingDecimal.readJavaFormatString`): trimmed of characters <= U+0020, an optional
/// sign, then `NaN`, `Infinity`, a decimal `d[.d][e±d]` or hex `0xh[.h]p±d` number with at least one
/// mantissa digit, and an optional `f`/`F`/`d`/`D` suffix on numbers. One pass, no float parsing.
fn java_float(value: &str) -> Option<String> {
    let t = text::trim_controls(value);
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    if body == "NaN" || body == "Infinity" {
        return Some(t.to_string());
    }
    let body = body.strip_suffix(['f', 'F', 'd', 'D']).unwrap_or(body);
    let hex = body.get(..2).is_some_and(|p| p.eq_ascii_case("0x"));
    let (radix, rest, exp_marks) = if hex {
        (16, body.get(2..)?, ['p', 'P'])
    } else {
        (10, body, ['e', 'E'])
    };
    let int = digits_with(rest, radix);
    let rest = rest.get(int..)?;
    let (frac, rest) = match rest.strip_prefix('.') {
        Some(r) => {
            let n = digits_with(r, radix);
            (n, r.get(n..)?)
        }
        None => (0, rest),
    };
    if int + frac == 0 {
        return None;
    }
    let ok = match rest.strip_prefix(exp_marks) {
        Some(e) => {
            let e = e.strip_prefix(['+', '-']).unwrap_or(e);
            !e.is_empty() && digits_with(e, 10) == e.len()
        }
        // Java requires the binary exponent on hex literals.
        None => rest.is_empty() && !hex,
    };
    ok.then(|| t.to_string())
}

fn typed_extra(kind: char, key: &str, value: String) -> Result<ExtraValue, IntentError> {
    let bad = || IntentError::BadExtraValue {
        key: key.to_string(),
        kind,
    };
    Ok(match kind {
        'S' => ExtraValue::String(value),
        'B' => ExtraValue::Bool(value.eq_ascii_case("true")),
        'b' => ExtraValue::Byte(integer(&value).ok_or_else(bad)?),
        'c' => ExtraValue::Char(value.chars().next().ok_or_else(bad)?),
        'd' => ExtraValue::Double(java_float(&value).ok_or_else(bad)?),
        'f' => ExtraValue::Float(java_float(&value).ok_or_else(bad)?),
        'i' => ExtraValue::Int(integer(&value).ok_or_else(bad)?),
        'l' => ExtraValue::Long(integer(&value).ok_or_else(bad)?),
        's' => ExtraValue::Short(integer(&value).ok_or_else(bad)?),
        _ => {
            return Err(IntentError::UnknownField {
                item: text::concat(&[kind.encode_utf8(&mut [0; 4]), ".", key]),
            })
        }
    })
}

/// Applies one `key=value` item to `target`.
fn apply(target: &mut Intent, item: &str, in_selector: bool) -> Result<(), IntentError> {
    let Some((key, raw)) = text::split_once_ascii(item, b'=') else {
        return Err(IntentError::UnknownField {
            item: item.to_string(),
        });
    };
    let value = uri::percent_decode(raw);
    match key {
        "action" => target.action = Some(value),
        "category" => target.categories.push(value),
        "type" => target.mime_type = Some(value),
        "identifier" => target.identifier = Some(value),
        "launchFlags" => {
            let flags = java_decode_int(&value).ok_or(IntentError::BadLaunchFlags { value })?;
            target.launch_flags = Some(flags);
        }
        "package" => target.package = Some(value),
        "component" => {
            // ComponentName.unflattenFromString: no '/' means no component.
            target.component = text::split_once_ascii(&value, b'/').map(|(pkg, cls)| Component {
                package: pkg.to_string(),
                class: if cls.starts_with('.') {
                    text::concat(&[pkg, cls])
                } else {
                    cls.to_string()
                },
            });
        }
        // Inside the selector, `scheme=` sets the selector's data to "value:" (Intent.parseUri).
        "scheme" if in_selector => target.data = Some(value + ":"),
        "scheme" => target.scheme = Some(value),
        "sourceBounds" => target.source_bounds = Some(value),
        _ => {
            let mut chars = key.chars();
            let (Some(kind), Some('.')) = (chars.next(), chars.next()) else {
                return Err(IntentError::UnknownField {
                    item: item.to_string(),
                });
            };
            let name = uri::percent_decode(chars.as_str());
            let typed = typed_extra(kind, &name, value)?;
            target.extras.push(Extra {
                key: name,
                value: typed,
            });
        }
    }
    Ok(())
}

/// Parses an `intent:` URL (see the module docs for the grammar and the lenient shapes).
///
/// ```
/// let i = hanpay_apps::parse_intent(
///     "intent:hdcardappcardansimclick://appcard?acctid=01#Intent;package=com.hyundaicard.appcard;end;",
/// ).unwrap();
/// assert_eq!(i.data.as_deref(), Some("hdcardappcardansimclick://appcard?acctid=01"));
/// assert_eq!(i.package.as_deref(), Some("com.hyundaicard.appcard"));
/// ```
pub fn parse_intent(url: &str) -> Result<Intent, IntentError> {
    let prefix_ok = url
        .get(..PREFIX.len())
        .is_some_and(|p| p.eq_ascii_case(PREFIX));
    if !prefix_ok {
        return Err(IntentError::NotIntent);
    }
    let marker = find_marker(url);
    let data_end = marker.unwrap_or(url.len());
    let rest = url.get(PREFIX.len()..data_end).unwrap_or("");
    let fields = marker
        .and_then(|m| url.get(m + MARKER.len()..))
        .unwrap_or("");

    let mut intent = Intent {
        has_fields: marker.is_some(),
        ..Intent::default()
    };
    let mut selector: Option<Intent> = None;
    for item in text::split_ascii(fields, b';') {
        // Intent.parseUri stops at any item starting with "end".
        if item.starts_with("end") {
            intent.terminated = true;
            break;
        }
        if item.is_empty() {
            continue;
        }
        if item == "SEL" {
            selector = Some(Intent::default());
            continue;
        }
        match selector.as_mut() {
            Some(sel) => apply(sel, item, true)?,
            None => apply(&mut intent, item, false)?,
        }
    }
    if intent.package.is_none() {
        intent.selector = selector.map(Box::new);
    }

    intent.data = match (&intent.scheme, rest) {
        (_, "") => None,
        (Some(scheme), rest) => {
            // Field shape: "intent:hd://x#Intent;scheme=hd;end" repeats the scheme; Android
            // would build "hd:hd://x". Keep the URL's own scheme when it is the same one.
            let own = uri::split_scheme(rest).map(|(s, _)| s);
            if own.as_deref().is_some_and(|s| s.eq_ascii_case(scheme)) {
                Some(rest.to_string())
            } else {
                Some(text::concat(&[scheme, ":", rest]))
            }
        }
        (None, rest) => Some(rest.to_string()),
    };
    Ok(intent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_is_str_parse() {
        let mut cases: std::vec::Vec<String> = [
            "",
            "+",
            "-",
            "0",
            "-0",
            "+0",
            "007",
            "127",
            "128",
            "-128",
            "-129",
            "32767",
            "32768",
            "-32769",
            "2147483647",
            "2147483648",
            "-2147483648",
            "-2147483649",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "99999999999999999999",
            "1 ",
            " 1",
            "1_000",
            "0x10",
            "١",
            "--1",
            "+-1",
            "1e3",
            "１",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for i in -300i64..300 {
            cases.push(i.to_string());
        }
        for c in &cases {
            let s = c.as_str();
            assert_eq!(integer::<i8>(s), s.parse::<i8>().ok(), "i8 {s:?}");
            assert_eq!(integer::<i16>(s), s.parse::<i16>().ok(), "i16 {s:?}");
            assert_eq!(integer::<i32>(s), s.parse::<i32>().ok(), "i32 {s:?}");
            assert_eq!(integer::<i64>(s), s.parse::<i64>().ok(), "i64 {s:?}");
        }
    }

    #[test]
    fn java_float_grammar() {
        for ok in [
            "1",
            "-1.5",
            "+.5",
            "5.",
            "1e10",
            "1E-3d",
            "2f",
            " 3.0 ",
            "NaN",
            "-Infinity",
            "0x1.8p1",
            "0X.8P-2F",
        ] {
            assert!(java_float(ok).is_some(), "{ok}");
        }
        for bad in [
            "", ".", "e3", "1e", "1e+", "inf", "nan", "0x1.8", "1.2.3", "1f2", "--1", "NaNf", "0x",
        ] {
            assert!(java_float(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn java_integer_decode_forms() {
        assert_eq!(java_decode_int("0x10000000"), Some(0x1000_0000));
        assert_eq!(java_decode_int("#10"), Some(16));
        assert_eq!(java_decode_int("010"), Some(8));
        assert_eq!(java_decode_int("-5"), Some(-5));
        assert_eq!(java_decode_int("0x80000000"), None);
        assert_eq!(java_decode_int(""), None);
        assert_eq!(java_decode_int("0x-1"), None);
    }

    #[test]
    fn selector_dropped_when_package_set() {
        let i = parse_intent("intent:#Intent;package=a.b;SEL;component=x.y/.Z;end").unwrap();
        assert!(i.selector.is_none());
        let i = parse_intent("intent:#Intent;SEL;component=x.y/.Z;end").unwrap();
        let sel = i.selector.expect("selector kept");
        assert_eq!(sel.component.map(|c| c.class).as_deref(), Some("x.y.Z"));
    }

    #[test]
    fn typed_extras_and_errors() {
        let i = parse_intent("intent://x#Intent;i.n=7;B.ok=TRUE;S.s%20k=a%3Bb;c.ch=%ED%95%9C;end")
            .unwrap();
        assert_eq!(i.extras.len(), 4);
        assert_eq!(i.extras[0].value, ExtraValue::Int(7));
        assert_eq!(i.extras[1].value, ExtraValue::Bool(true));
        assert_eq!(i.extras[2].key, "s k");
        assert_eq!(i.extras[2].value, ExtraValue::String("a;b".into()));
        assert_eq!(i.extras[3].value, ExtraValue::Char('한'));
        assert_eq!(
            parse_intent("intent://x#Intent;i.n=x;end")
                .unwrap_err()
                .code(),
            "intent-extra-invalid"
        );
        assert_eq!(
            parse_intent("intent://x#Intent;Q.n=x;end")
                .unwrap_err()
                .code(),
            "intent-field-unknown"
        );
        assert_eq!(
            parse_intent("https://x").unwrap_err().code(),
            "intent-prefix-missing"
        );
    }
}
