//! Issue 15's rule, enforced rather than reviewed: outside a PG's homes, no code names a PG.
//!
//! A PG's homes are its module `crates/hanpay-pg/src/pg/<pg>/`, its data file, its browser
//! adapter `crates/hanpay-web/src/adapters/<pg>.rs`, its emulator under `sandbox/src/emulator/`
//! and its row of published test credentials (`sandbox/src/credentials.rs`). Everywhere else the
//! code reaches a PG through the registry (`Pg::ALL`, `Pg::gateway()`, `Pg::server()`,
//! `Pg::returns()`), so this test fails on a `Pg::Kcp`, a `kcp::…` path or a `"kcp"` literal in
//! non-test code there. Unit tests (after a file's `#[cfg(test)]`) and comments may name PGs.
//! The few places that must name each PG are listed in [`ALLOWED`] with the reason, and each
//! entry must still match something, so the list cannot go stale.
#![cfg(not(target_arch = "wasm32"))]

use hanpay::pg::Pg;
use std::path::{Path, PathBuf};

/// `(file, text on the line, why)`: the places that name PGs one by one on purpose.
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "crates/hanpay-web/src/adapters/mod.rs",
        ".name()",
        "ADAPTERS: the browser layer's registration of each PG's adapter; its length is \
         Pg::ALL.len(), so a PG without its row does not build",
    ),
    (
        "crates/hanpay-web/src/adapters/mod.rs",
        "::pay(f, Config::new(o)?)",
        "ADAPTERS rows",
    ),
    (
        "crates/hanpay-web/js/dom.js",
        "pg: \"smartropay\"",
        "the SMARTRO PAY adapter's Callback, kept in the shared dom.js for size (docs/size.md, \
         one snippet per adapter measured +220 bytes)",
    ),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A PG's own files, where naming it is the point.
fn is_home(rel: &str) -> bool {
    Pg::ALL.iter().any(|pg| {
        let n = pg.name();
        rel.starts_with(&format!("crates/hanpay-pg/src/pg/{n}/"))
            || rel == format!("crates/hanpay-web/src/adapters/{n}.rs")
    }) || rel.starts_with("sandbox/src/emulator/")
        || rel == "sandbox/src/credentials.rs"
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "node_modules") {
                sources(&p, out);
            }
        } else if p
            .extension()
            .is_some_and(|x| x == "rs" || x == "js" || x == "mjs")
        {
            out.push(p);
        }
    }
}

fn ident(c: Option<char>) -> bool {
    c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Whether `code` names `pg`: `Pg::<Variant>`, a `<name>::` path or a `"<name>"` literal.
fn names(code: &str, pg: Pg) -> bool {
    let variant = format!("Pg::{pg:?}");
    let path = format!("{}::", pg.name());
    let literal = format!("\"{}\"", pg.name());
    let at = |needle: &str, whole_start: bool, whole_end: bool| {
        code.match_indices(needle).any(|(i, _)| {
            let before = code[..i].chars().next_back();
            let after = code[i + needle.len()..].chars().next();
            (!whole_start || !ident(before)) && (!whole_end || !ident(after))
        })
    };
    at(&variant, true, true) || at(&path, true, false) || at(&literal, false, false)
}

#[test]
fn no_code_outside_a_pgs_homes_names_it() {
    let root = root();
    let mut files = Vec::new();
    for dir in [
        "src",
        "client/src",
        "cli/src",
        "node/src",
        "ffi/src",
        "sandbox/src",
        "js",
    ] {
        sources(&root.join(dir), &mut files);
    }
    for krate in std::fs::read_dir(root.join("crates"))
        .expect("crates/")
        .flatten()
    {
        sources(&krate.path().join("src"), &mut files);
        sources(&krate.path().join("js"), &mut files);
    }
    assert!(files.len() > 50, "found {} source files", files.len());
    let mut used = vec![false; ALLOWED.len()];
    let mut found = Vec::new();
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .expect("under root")
            .to_string_lossy()
            .replace('\\', "/");
        if is_home(&rel) {
            continue;
        }
        let text = std::fs::read_to_string(f).expect("read source");
        for (n, line) in text.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.starts_with("#[cfg(test)]") {
                break;
            }
            if trimmed.starts_with('*') || trimmed.starts_with("/*") {
                continue;
            }
            let code = line.split("//").next().unwrap_or("");
            if !Pg::ALL.into_iter().any(|pg| names(code, pg)) {
                continue;
            }
            match ALLOWED
                .iter()
                .position(|(file, needle, _)| *file == rel && code.contains(needle))
            {
                Some(i) => used[i] = true,
                None => found.push(format!("{rel}:{}: {}", n + 1, line.trim())),
            }
        }
    }
    assert!(
        found.is_empty(),
        "code outside a PG's homes names a PG (reach it through the registry, or move it home):\n{}",
        found.join("\n")
    );
    for ((file, needle, _), used) in ALLOWED.iter().zip(used) {
        assert!(
            used,
            "ALLOWED entry {file} {needle:?} matches nothing: remove it"
        );
    }
}

/// The matcher can fail: each form it looks for is caught, and longer names are not taken for
/// shorter ones (`smartropay::` is not `smartro::`).
#[test]
fn the_matcher_catches_each_form() {
    let smartro = Pg::from_name("smartro").expect("smartro");
    let smartropay = Pg::from_name("smartropay").expect("smartropay");
    assert!(names("if pg == Pg::Smartro {", smartro));
    assert!(!names("Pg::SmartroPay.name()", smartro));
    assert!(names("Pg::SmartroPay.name()", smartropay));
    assert!(names("use crate::pg::smartro::cancel_url;", smartro));
    assert!(!names("use crate::pg::smartropay::cancel_url;", smartro));
    assert!(names("let pg = \"smartro\";", smartro));
    assert!(!names("let path = \"/pg/smartro/pay\";", smartro));
    assert!(!names("x.smartro_cancel()", smartro));
}
