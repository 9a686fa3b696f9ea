//! Writes the shared test cases as tab-separated lines for the C and JVM bridge tests, which
//! have no JSON parser. The expectations are copied from the JSON files, never computed here.
//!
//! ```text
//! classify <TAB> hex(name) <TAB> hex(platform) <TAB> hex(url) <TAB> hex("key":value) …
//! classify-strict <TAB> …the same fields, for cases whose `policy` is "strict"
//! detect   <TAB> hex(name) <TAB> touch points  <TAB> hex(ua)  <TAB> hex("key":value) …
//! ```
//!
//! Every text field is hex-encoded UTF-8, so tabs, newlines and non-ASCII in URLs survive.
//! Each `"key":value` fragment is the compact JSON the bridge must print for that key.
//!
//! Usage: `cargo run -p hanpay-ffi --example bridge_cases [DATA_DIR] > cases.tsv`

use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;

fn hex(text: &str) -> String {
    hex::encode(text)
}

fn fragments(expect: &Value) -> Result<Vec<String>, String> {
    let map = expect.as_object().ok_or("expect: must be an object")?;
    map.iter()
        .map(|(key, value)| {
            let key = serde_json::to_string(key).map_err(|e| e.to_string())?;
            let value = serde_json::to_string(value).map_err(|e| e.to_string())?;
            Ok(hex(&format!("{key}:{value}")))
        })
        .collect()
}

fn load(path: &PathBuf) -> Result<Vec<Value>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn field<'a>(case: &'a Value, key: &str) -> Result<&'a str, String> {
    case[key]
        .as_str()
        .ok_or_else(|| format!("{}: {key} must be a string", case["name"]))
}

fn run(dir: PathBuf) -> Result<String, String> {
    let mut out = String::new();
    for case in load(&dir.join("classify.json"))? {
        let kind = match case["policy"].as_str() {
            None | Some("default") => "classify",
            Some("strict") => "classify-strict",
            Some(other) => return Err(format!("{}: policy {other:?}", case["name"])),
        };
        let mut line = vec![
            kind.to_string(),
            hex(field(&case, "name")?),
            hex(field(&case, "platform")?),
            hex(field(&case, "url")?),
        ];
        line.extend(fragments(&case["expect"])?);
        out.push_str(&line.join("\t"));
        out.push('\n');
    }
    // Window probes are page-side facts the native bridges cannot pass; those rows are skipped.
    for case in load(&dir.join("user-agents.json"))?
        .iter()
        .filter(|c| c["probes"].is_null())
    {
        let touch = case["touch_points"].as_u64().unwrap_or(0);
        let mut line = vec![
            "detect".to_string(),
            hex(field(case, "name")?),
            touch.to_string(),
            hex(field(case, "ua")?),
        ];
        line.extend(fragments(&case["expect"])?);
        out.push_str(&line.join("\t"));
        out.push('\n');
    }
    Ok(out)
}

fn main() -> ExitCode {
    let dir = std::env::args_os().nth(1).map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/data"),
        PathBuf::from,
    );
    match run(dir) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bridge_cases: {e}");
            ExitCode::FAILURE
        }
    }
}
