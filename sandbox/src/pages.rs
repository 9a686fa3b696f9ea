//! HTML and script building blocks shared by the emulators, the demo merchant and the generic
//! PG: escaping, JSON inside `<script>`, hidden inputs, the PG error page, and templates
//! (`sandbox/templates/*.html`, included at compile time) filled by placeholder.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Escapes text for HTML element content and double-quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// JSON that may sit inside a `<script type="application/json">` element.
pub fn script_json(v: &serde_json::Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The PG's error page: what a merchant sees when the real PG rejects a request.
pub fn error_page(pg: &str, code: &str, detail: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=ko><head><meta charset=utf-8><title>{pg} sandbox: error</title>\
         <link rel=stylesheet href=\"/demo.css\"></head><body data-pg-error=\"{c}\">\
         <h1>{pg} (sandbox) — 요청 오류</h1><p>code <code id=error-code>{c}</code></p>\
         <p id=error>{d}</p></body></html>",
        pg = escape(pg),
        c = escape(code),
        d = escape(detail)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

/// Hidden inputs for `fields`, values escaped.
pub fn hidden_inputs(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=hidden name=\"{}\" id=\"{}\" value=\"{}\">",
                escape(k),
                escape(k),
                escape(v)
            )
        })
        .collect()
}

/// `template` with every `{{name}}` replaced by its value, in one pass (a value that itself
/// contains `{{…}}` stays as it is). Values are inserted as given: the caller escapes them
/// ([`escape`], [`script_json`]) for where they land. An unknown name is left in place.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}").and_then(|end| {
            let name = &after[..end];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v, end))
        }) {
            Some((value, end)) => {
                out.push_str(value);
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;

    #[test]
    fn fill_replaces_once_and_leaves_unknown_names() {
        let t = "<p>{{a}} {{b}} {{a}} {{c}}</p>";
        assert_eq!(
            fill(t, &[("a", "{{b}}"), ("b", "&amp;")]),
            "<p>{{b}} &amp; {{b}} {{c}}</p>"
        );
    }
}
