//! The error registry (`hanpay::error::REGISTRY`) is complete: every code a Rust error type
//! returns, and every code literal in the sources of every surface (Rust, the browser's JS and
//! TypeScript declarations, the bridge and the Kotlin/Swift samples), is a row, spelled as its
//! level requires; `docs/errors.md` is the registry's table (`HANPAY_BLESS=1` rewrites it).
#![cfg(not(target_arch = "wasm32"))]

use hanpay::apps::IntentError;
use hanpay::error::{lookup, Level, REGISTRY};
use hanpay::window::ErrorCode;
use hanpay::Rule;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn registered(code: &str, level: Level, whence: &str) {
    let entry =
        lookup(code).unwrap_or_else(|| panic!("{whence}: code {code:?} is not in the registry"));
    assert_eq!(
        entry.level, level,
        "{whence}: {code:?} is registered at another level"
    );
}

#[test]
fn every_code_is_spelled_as_its_level_and_unique() {
    let mut seen = BTreeSet::new();
    for e in REGISTRY {
        assert!(
            e.level.spelled(e.code),
            "{:?} is not spelled as a {} code",
            e.code,
            e.level.as_str()
        );
        assert!(seen.insert(e.code), "{:?} is registered twice", e.code);
        assert!(
            !e.meaning.is_empty() && !e.surfaces.is_empty(),
            "{:?}",
            e.code
        );
    }
    // The spelling check can fail.
    assert!(!Level::Code.spelled("max_bytes") && !Level::Reason.spelled("max_bytes"));
    assert!(!Level::Rule.spelled("INVALID_URL") && !Level::Kind.spelled("platform-unknown"));
}

/// Index of each variant: adding one without adding it to `ALL` fails to compile here.
fn rule_index(r: Rule) -> usize {
    match r {
        Rule::Required => 0,
        Rule::MaxBytes => 1,
        Rule::Digits => 2,
        Rule::ForbiddenChar => 3,
        Rule::Alphabet => 4,
        Rule::Uppercase => 5,
        Rule::Format => 6,
        Rule::OneOf => 7,
        Rule::Stale => 8,
        Rule::Conflict => 9,
        Rule::Sum => 10,
        Rule::Key => 11,
    }
}

fn code_index(c: ErrorCode) -> usize {
    match c {
        ErrorCode::InvalidParameters => 0,
        ErrorCode::PopupBlocked => 1,
        ErrorCode::UserCancel => 2,
        ErrorCode::WindowClosed => 3,
        ErrorCode::Timeout => 4,
        ErrorCode::RedirectRequired => 5,
        ErrorCode::ScriptLoadFailed => 6,
        ErrorCode::PgError => 7,
        ErrorCode::NameConflict => 8,
        ErrorCode::NoBrowser => 9,
    }
}

#[test]
fn rust_error_types_use_registered_codes() {
    for (i, r) in Rule::ALL.into_iter().enumerate() {
        assert_eq!(rule_index(r), i, "Rule::ALL order");
        registered(r.code(), Level::Rule, "Rule");
    }
    for (i, c) in ErrorCode::ALL.into_iter().enumerate() {
        assert_eq!(code_index(c), i, "ErrorCode::ALL order");
        registered(c.as_str(), Level::Code, "ErrorCode");
        assert_eq!(c.to_string(), c.as_str());
    }
    let intents = [
        IntentError::NotIntent,
        IntentError::UnknownField { item: "x".into() },
        IntentError::BadExtraValue {
            key: "k".into(),
            kind: 'i',
        },
        IntentError::BadLaunchFlags { value: "z".into() },
    ];
    for e in &intents {
        // Exhaustive: a new variant must be added to the list above.
        match e {
            IntentError::NotIntent
            | IntentError::UnknownField { .. }
            | IntentError::BadExtraValue { .. }
            | IntentError::BadLaunchFlags { .. } => {}
        }
        registered(e.code(), Level::Reason, "IntentError");
    }
    let platform = "symbian".parse::<hanpay::apps::Platform>().unwrap_err();
    registered(platform.code(), Level::Reason, "PlatformError");
    let policy = "lax".parse::<hanpay::apps::Policy>().unwrap_err();
    registered(policy.code(), Level::Reason, "PolicyError");
}

/// The string literal after each `prefix` in `text`.
fn literals_after<'a>(text: &'a str, prefix: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        rest = &rest[i + prefix.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
        }
    }
    out
}

fn files(dir: &Path, exts: &[&str], out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read source dir") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            files(&path, exts, out);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| exts.contains(&e))
        {
            out.push(path);
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn every_code_literal_in_the_rust_surfaces_is_registered() {
    let mut paths = Vec::new();
    for dir in [
        "src",
        "crates",
        "node/src",
        "ffi/src",
        "client/src",
        "cli/src",
    ] {
        files(&root().join(dir), &["rs"], &mut paths);
    }
    let mut found = 0;
    for path in &paths {
        let text = read(path);
        let whence = path.display().to_string();
        // `AppReturnError.rule` is a sentence, not a code (the browser forwards it as
        // `HanpayError.rule` from crates/hanpay-web/src/app_return.rs; see docs/errors.md "Known gaps").
        if !whence.ends_with("hanpay-policy/src/app_return.rs") {
            for code in literals_after(&text, "rule: \"") {
                registered(code, Level::Rule, &whence);
                found += 1;
            }
        }
        for code in literals_after(&text, "(\"rule\", \"") {
            registered(code, Level::Rule, &whence);
            found += 1;
        }
        for code in literals_after(&text, "code: \"") {
            let level = if Level::Code.spelled(code) {
                Level::Code
            } else {
                Level::Reason
            };
            registered(code, level, &whence);
            found += 1;
        }
        for prefix in [
            "\"error\", \"",
            "\"error\": \"",
            "\"error\":\"",
            "\\\"error\\\":\\\"",
        ] {
            for code in literals_after(&text.replace("\\\"", "\""), prefix) {
                if code.contains('{') {
                    continue; // a format placeholder (the CLI's serialize failure), not a code
                }
                registered(code.trim_end_matches('\\'), Level::Kind, &whence);
                found += 1;
            }
        }
    }
    // The scan sees the FormProblem rules, the shape rule, the app-return codes, the bridge's
    // codes and the form's `invalid_input`: it cannot pass vacuously.
    assert!(found >= 12, "only {found} code literals found");
}

fn typescript_codes() -> BTreeSet<String> {
    let dts = read(&root().join("js/index.d.ts"));
    let start = dts
        .find("export type HanpayErrorCode =")
        .expect("HanpayErrorCode in js/index.d.ts");
    let body = &dts[start..];
    let body = &body[..body.find(';').expect("end of HanpayErrorCode")];
    literals_after(body, "| \"")
        .into_iter()
        .map(String::from)
        .collect()
}

fn browser_codes() -> BTreeSet<String> {
    REGISTRY
        .iter()
        .filter(|e| e.level == Level::Code && e.surfaces.contains("browser"))
        .map(|e| e.code.to_string())
        .collect()
}

#[test]
fn typescript_and_js_error_codes_are_the_registry_s() {
    assert_eq!(
        typescript_codes(),
        browser_codes(),
        "js/index.d.ts HanpayErrorCode vs registry"
    );
    // crates/hanpay-web/js/errors.js lists the codes in its header comment; the JavaScript of
    // js/ and of the browser crate raises some by name.
    let errors_js = read(&root().join("crates/hanpay-web/js/errors.js"));
    let header: String = errors_js
        .lines()
        .take_while(|l| l.starts_with("//"))
        .collect();
    let listed: BTreeSet<String> = header
        .split(|c: char| !(c.is_ascii_uppercase() || c == '_'))
        .filter(|w| (w.len() > 3 && w.contains('_')) || *w == "TIMEOUT")
        .map(String::from)
        .collect();
    assert_eq!(
        listed,
        browser_codes(),
        "crates/hanpay-web/js/errors.js header vs registry"
    );
    let mut paths = Vec::new();
    files(&root().join("js"), &["js", "mjs"], &mut paths);
    files(
        &root().join("crates/hanpay-web/js"),
        &["js", "mjs"],
        &mut paths,
    );
    let mut raised = 0;
    for path in &paths {
        let text = read(path).replace("\\\"", "\"");
        for code in literals_after(&text, "makeError(\"") {
            registered(code, Level::Code, &path.display().to_string());
            raised += 1;
        }
    }
    assert!(raised >= 2, "makeError calls found: {raised}");
}

#[test]
fn bridge_and_mobile_codes_are_registered() {
    let mut paths = Vec::new();
    for dir in ["ffi/tests", "android-sample", "ios-sample"] {
        files(
            &root().join(dir),
            &["kt", "swift", "java", "c", "rs", "h"],
            &mut paths,
        );
    }
    let mut found = 0;
    for path in &paths {
        let text = read(path).replace("\\\"", "\"");
        let whence = path.display().to_string();
        for prefix in ["\"code\":\"", "[\"error\"][\"code\"], \"", "?? \""] {
            for code in literals_after(&text, prefix) {
                registered(code, Level::Reason, &whence);
                found += 1;
            }
        }
    }
    assert!(found >= 10, "only {found} bridge codes found");
    // Every code registered for the bridge is one the bridge tests see or the bridge can emit.
    let calls = read(&root().join("ffi/src/calls.rs"));
    for e in REGISTRY
        .iter()
        .filter(|e| e.surfaces.contains("ios sample"))
    {
        assert!(
            read(&root().join("ios-sample/HanpaySample/Hanpay.swift")).contains(e.code),
            "{}",
            e.code
        );
    }
    assert!(calls.contains("impl From<hanpay::Error> for CallError"));
}

/// The table of docs/errors.md, rendered from the registry.
fn table() -> String {
    let mut out = String::from("| code | level | emitted by | meaning |\n|---|---|---|---|\n");
    for e in REGISTRY {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            e.code,
            e.level.as_str(),
            e.surfaces,
            e.meaning
        ));
    }
    out
}

#[test]
fn docs_errors_md_is_the_registry() {
    let path = root().join("docs/errors.md");
    let doc = read(&path);
    let (begin, end) = ("<!-- registry:begin -->\n", "<!-- registry:end -->");
    let a = doc.find(begin).expect("registry:begin marker") + begin.len();
    let b = doc.find(end).expect("registry:end marker");
    if std::env::var_os("HANPAY_BLESS").is_some() {
        std::fs::write(&path, format!("{}{}{}", &doc[..a], table(), &doc[b..]))
            .expect("write docs/errors.md");
        return;
    }
    assert_eq!(
        &doc[a..b],
        table(),
        "docs/errors.md is stale: run HANPAY_BLESS=1 cargo test --test errors"
    );
}
