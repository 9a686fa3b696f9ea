//! Generates the PG code tables (`OUT_DIR/codes_table.rs`) from `data/codes/*.json`, so the
//! tables stay reviewable data while the lib carries them as plain statics (no JSON parser
//! in the wasm build). `src/pg/codes.rs` includes the output.

use std::fmt::Write as _;

fn load(name: &str) -> serde_json::Value {
    let path = format!("data/codes/{name}.json");
    println!("cargo:rerun-if-changed={path}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `Pg::<Variant>` of a PG named in `data/codes`, from the PG registry (`data/pg/*.json`).
fn pg_variant(pgs: &[super::pg::PgData], name: &str) -> String {
    match pgs.iter().find(|d| d.pg == name) {
        Some(d) => format!("Pg::{}", d.variant),
        None => panic!("unknown pg {name} in data/codes (no data/pg/{name}.json)"),
    }
}

fn rows(pgs: &[super::pg::PgData], v: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for (pg, list) in v["pg"].as_object().expect("pg object") {
        for row in list.as_array().expect("rows") {
            let cells: Vec<String> = row
                .as_array()
                .expect("row")
                .iter()
                .map(|c| c.as_str().expect("string cell").to_string())
                .collect();
            out.push((pg_variant(pgs, pg), cells));
        }
    }
    out
}

fn pairs_table(pgs: &[super::pg::PgData], out: &mut String, name: &str, file: &str) {
    let v = load(file);
    let _ = writeln!(out, "pub(crate) static {name}: &[(Pg, &str, &str)] = &[");
    for (pg, cells) in rows(pgs, &v) {
        let _ = writeln!(out, "    ({pg}, {:?}, {:?}),", cells[0], cells[1]);
    }
    out.push_str("];\n");
}

/// `forms` of a code file: other spellings of the PG's codes, each rewritten to the table's
/// (`{len?, strip?, add?, source}`: a code of `len` bytes starting with `strip` is looked up as
/// `add` + the rest), in the order they are tried.
fn forms_table(pgs: &[super::pg::PgData], out: &mut String, name: &str, v: &serde_json::Value) {
    let _ = writeln!(out, "pub(crate) static {name}: &[(Pg, CodeForm)] = &[");
    if let Some(forms) = v.get("forms") {
        for (pg, list) in forms.as_object().expect("forms object") {
            for f in list.as_array().expect("forms") {
                let obj = f.as_object().expect("form");
                for k in obj.keys() {
                    assert!(
                        matches!(k.as_str(), "len" | "strip" | "add" | "source"),
                        "{name} {pg}: unknown form key {k}"
                    );
                }
                let source = f["source"].as_str().unwrap_or("");
                assert!(
                    !source.trim().is_empty(),
                    "{name} {pg}: a form without a source"
                );
                let len = f["len"].as_u64().unwrap_or(0);
                let strip = f["strip"].as_str().unwrap_or("");
                let add = f["add"].as_str().unwrap_or("");
                assert!(
                    len > 0 || !strip.is_empty(),
                    "{name} {pg}: a form names a length or a prefix"
                );
                let _ = writeln!(out, "    // {source}");
                let _ = writeln!(
                    out,
                    "    ({}, CodeForm {{ len: {len}, strip: {strip:?}, add: {add:?} }}),",
                    pg_variant(pgs, pg)
                );
            }
        }
    }
    out.push_str("];\n");
}

pub fn generate(pgs: &[super::pg::PgData]) {
    let mut out = String::new();
    let cards = load("cards");
    out.push_str(
        "/// A card company, normalized across the five PGs' card codes (data/codes/cards.json).\n",
    );
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum CardCompany {\n");
    let companies = cards["companies"].as_array().expect("companies");
    for c in companies {
        let _ = writeln!(
            out,
            "    /// {}\n    {},",
            c[1].as_str().expect("label"),
            c[0].as_str().expect("name")
        );
    }
    out.push_str("}\n\nimpl CardCompany {\n    /// Identifier, as in data/codes/cards.json.\n    pub fn name(self) -> &'static str {\n        match self {\n");
    for c in companies {
        let n = c[0].as_str().expect("name");
        let _ = writeln!(out, "            CardCompany::{n} => {n:?},");
    }
    out.push_str("        }\n    }\n    /// Korean display name.\n    pub fn label(self) -> &'static str {\n        match self {\n");
    for c in companies {
        let _ = writeln!(
            out,
            "            CardCompany::{} => {:?},",
            c[0].as_str().expect("name"),
            c[1].as_str().expect("label")
        );
    }
    out.push_str("        }\n    }\n}\n\n");
    out.push_str("pub(crate) static CARD_CODES: &[(Pg, &str, CardCompany)] = &[\n");
    for (pg, cells) in rows(pgs, &cards) {
        let _ = writeln!(
            out,
            "    ({pg}, {:?}, CardCompany::{}),",
            cells[0], cells[1]
        );
    }
    out.push_str("];\n");
    forms_table(pgs, &mut out, "CARD_FORMS", &cards);

    let results = load("results");
    out.push_str("pub(crate) static RESULT_CODES: &[(Pg, &str, ResultKind, &str, &str)] = &[\n");
    for (pg, cells) in rows(pgs, &results) {
        let kind = match cells[1].as_str() {
            "paid" => "Paid",
            "pending" => "Pending",
            "authenticated" => "Authenticated",
            "cancelled" => "Cancelled",
            "error" => "Error",
            other => panic!("unknown result kind {other}"),
        };
        let _ = writeln!(
            out,
            "    ({pg}, {:?}, ResultKind::{kind}, {:?}, {:?}),",
            cells[0], cells[2], cells[3]
        );
    }
    out.push_str("];\n");
    pairs_table(pgs, &mut out, "BANK_CODES", "banks");
    forms_table(pgs, &mut out, "BANK_FORMS", &load("banks"));
    pairs_table(pgs, &mut out, "CARRIER_CODES", "carriers");
    pairs_table(pgs, &mut out, "COURIER_CODES", "couriers");
    pairs_table(pgs, &mut out, "STATUS_CODES", "statuses");
    pairs_table(pgs, &mut out, "EASY_PAY_CODES", "easypay");

    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(std::path::Path::new(&dir).join("codes_table.rs"), out)
        .expect("write codes_table.rs");
}
