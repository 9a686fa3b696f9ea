//! Generates each PG's tables from `data/pg/<pg>.json` (issue 15, one home per PG): the `Pg`
//! registry (`OUT_DIR/pg_registry.rs`, included by `src/pg/mod.rs`) and, per PG, its request
//! field tables and forbidden patterns (`OUT_DIR/pg_<pg>_form.rs`, included by `src/pg/<pg>/mod.rs`)
//! and its server-call tables (`OUT_DIR/pg_<pg>_call.rs`, included by `src/pg/<pg>/call.rs`).
//!
//! The data file is the reviewable table — every table names its source (manual section or
//! public sample), a row may name its own — and the generated code is the same `field(…)` calls
//! the modules used to spell by hand, so the browser build links nothing new. A `format` or
//! `alphabet` kind names a checker function of the including module.

use serde::Deserialize;
use std::fmt::Write as _;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PgData {
    pub pg: String,
    pub variant: String,
    pub order: usize,
    pub title: String,
    #[serde(default)]
    pub forbidden: Option<Forbidden>,
    #[serde(default)]
    pub endpoints: Vec<EndpointData>,
    #[serde(default)]
    pub app_return: Option<AppReturnData>,
    #[serde(rename = "return")]
    pub returns: ReturnData,
    pub tables: Vec<Table>,
}

/// The fields that bring the payer back to a hybrid app (`app_return::APP_RETURN` in
/// src/app_return.rs): a group name, and per field the value it takes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppReturnData {
    group: String,
    source: String,
    fields: Vec<AppFieldData>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppFieldData {
    name: String,
    /// A `hanpay_policy::app_return::ReturnValue` name (`scheme_flag`, `app_scheme`, …).
    value: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    source: Option<String>,
}

fn return_value_variant(name: &str) -> &'static str {
    match name {
        "scheme_flag" => "SchemeFlag",
        "app_scheme" => "AppScheme",
        "ios_browser_scheme" => "IosBrowserScheme",
        "platform_return" => "PlatformReturn",
        other => panic!(
            "unknown app-return value `{other}` (scheme_flag, app_scheme, ios_browser_scheme, platform_return)"
        ),
    }
}

/// How the PG's post to the merchant's return URL is read (`call::Return` in src/pg/call.rs).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnData {
    source: String,
    order_fields: Vec<String>,
    #[serde(default)]
    page: Option<PageData>,
    #[serde(default)]
    relay: Option<RelayData>,
    cancel: Option<CancelData>,
    steps: Vec<StepData>,
}

/// The return page's own protocol (`call::ReturnPage`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageData {
    form: String,
    inputs: Vec<String>,
    parent_call: String,
    source: String,
}

/// The merchant's relay page on a PC (`call::RelayPage`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelayData {
    field: String,
    values: Vec<String>,
    call: String,
    then: String,
    cancel_call: String,
    source: String,
}

/// The buyer's cancel: `field` holding one of `values`, or the module's function `check`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancelData {
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    check: Option<String>,
    source: String,
}

/// One server step a successful browser step leaves due (`call::StepSpec`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepData {
    next: String,
    #[serde(default)]
    also: Vec<String>,
    call: String,
    values: Vec<(String, String)>,
    #[serde(default)]
    echo: Vec<String>,
    amount: Option<String>,
    #[serde(default)]
    method: Option<MethodData>,
    source: String,
}

/// The request field of a server step that names the order's method again, in the PG's codes
/// (`call::MethodField`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MethodData {
    field: String,
    /// `[method, code]` for each of `card`, `bank_transfer`, `virtual_account`, `phone`.
    codes: Vec<(String, String)>,
    source: String,
}

/// The `Method` variant of a method name in the data files.
fn method_variant(name: &str) -> &'static str {
    match name {
        "card" => "Card",
        "bank_transfer" => "BankTransfer",
        "virtual_account" => "VirtualAccount",
        "phone" => "Phone",
        other => panic!("unknown method `{other}` (card, bank_transfer, virtual_account, phone)"),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Forbidden {
    source: String,
    values: Vec<String>,
}

/// One URL of the PG per mode (`Endpoint` in src/pg/mod.rs).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EndpointData {
    name: String,
    test: String,
    live: String,
    source: String,
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Table {
    table: String,
    /// `form` (the checkout request, in `src/pg/<pg>/mod.rs`) or `call` (`src/pg/<pg>/call.rs`).
    #[serde(rename = "in")]
    module: String,
    /// Rust visibility of the generated const (`""` = private to the module).
    vis: String,
    source: String,
    doc: String,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Row {
    name: String,
    required: bool,
    #[serde(default)]
    max: usize,
    kind: Kind,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Kind {
    Text,
    Digits,
    Url,
    Timestamp,
    #[serde(untagged)]
    Other(Box<OtherKind>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtherKind {
    #[serde(default)]
    one_of: Option<Vec<String>>,
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    alphabet: Option<String>,
    #[serde(default)]
    desc: Option<String>,
}

/// Every `data/pg/*.json`, in `order` (the order of `Pg::ALL`).
pub fn load() -> Vec<PgData> {
    println!("cargo:rerun-if-changed=data/pg");
    let mut out = Vec::new();
    let mut paths: Vec<_> = std::fs::read_dir("data/pg")
        .expect("data/pg")
        .map(|e| e.expect("data/pg entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    for path in paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let d: PgData = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        assert_eq!(
            path.file_stem().and_then(|s| s.to_str()),
            Some(d.pg.as_str()),
            "{path:?}: `pg` must be the file's name"
        );
        out.push(d);
    }
    out.sort_by_key(|d| d.order);
    for (i, d) in out.iter().enumerate() {
        assert_eq!(
            d.order, i,
            "data/pg: `order` must run 0.. without gaps ({})",
            d.pg
        );
    }
    out
}

fn kind(k: &Kind, ctx: &str) -> String {
    match k {
        Kind::Text => "Kind::Text".into(),
        Kind::Digits => "Kind::Digits".into(),
        Kind::Url => "Kind::Url".into(),
        Kind::Timestamp => "Kind::Timestamp".into(),
        Kind::Other(o) => match (&o.one_of, &o.format, &o.alphabet, &o.desc) {
            (Some(values), None, None, None) => format!("Kind::OneOf(&{values:?})"),
            (None, Some(check), None, Some(desc)) => {
                format!("Kind::Format {{ desc: {desc:?}, check: {check} }}")
            }
            (None, None, Some(allowed), Some(desc)) => {
                format!("Kind::Alphabet {{ desc: {desc:?}, allowed: {allowed} }}")
            }
            _ => panic!("{ctx}: kind must be text|digits|url|timestamp, {{one_of}}, {{format, desc}} or {{alphabet, desc}}"),
        },
    }
}

fn table(out: &mut String, d: &PgData, t: &Table) {
    assert!(
        !t.source.trim().is_empty(),
        "data/pg/{}.json {}: no source",
        d.pg,
        t.table
    );
    for line in t.doc.lines() {
        let _ = writeln!(out, "/// {line}");
    }
    let _ = writeln!(
        out,
        "///\n/// Source: {} (`data/pg/{}.json`).",
        t.source, d.pg
    );
    let vis = if t.vis.is_empty() {
        String::new()
    } else {
        format!("{} ", t.vis)
    };
    let _ = writeln!(out, "{vis}const {}: &[FieldSpec] = &[", t.table);
    let mut seen = std::collections::HashSet::new();
    for r in &t.rows {
        let ctx = format!("data/pg/{}.json {}.{}", d.pg, t.table, r.name);
        assert!(seen.insert(r.name.as_str()), "{ctx}: listed twice");
        if let Some(s) = &r.source {
            let _ = writeln!(out, "    // {s}");
        }
        if let Some(n) = &r.note {
            let _ = writeln!(out, "    // {n}");
        }
        let _ = writeln!(
            out,
            "    field({:?}, {}, {}, {}),",
            r.name,
            r.required,
            r.max,
            kind(&r.kind, &ctx)
        );
    }
    out.push_str("];\n\n");
}

/// `snake_case` → `CamelCase`: a call's name as its `Call` variant.
fn variant(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// `pub const RETURN: Return` of `<pg>/call.rs`.
fn returns(out: &mut String, d: &PgData) {
    let r = &d.returns;
    let ctx = format!("data/pg/{}.json return", d.pg);
    assert!(!r.source.trim().is_empty(), "{ctx}: no source");
    let _ = writeln!(
        out,
        "/// How {}'s post to the return URL is read ([`crate::pg::call::read_return`]).\n///\n/// Source: {} (`data/pg/{}.json`).",
        d.title, r.source, d.pg
    );
    out.push_str("pub const RETURN: crate::pg::call::Return = crate::pg::call::Return {\n");
    let _ = writeln!(out, "    order_fields: &{:?},", r.order_fields);
    match &r.page {
        None => out.push_str("    page: None,\n"),
        Some(pg) => {
            assert!(!pg.source.trim().is_empty(), "{ctx}.page: no source");
            let _ = writeln!(out, "    // {}", pg.source);
            let _ = writeln!(
                out,
                "    page: Some(crate::pg::call::ReturnPage {{ form: {:?}, inputs: &{:?}, parent_call: {:?} }}),",
                pg.form, pg.inputs, pg.parent_call
            );
        }
    }
    match &r.relay {
        None => out.push_str("    relay: None,\n"),
        Some(rl) => {
            assert!(!rl.source.trim().is_empty(), "{ctx}.relay: no source");
            let form_field = d
                .tables
                .iter()
                .filter(|t| t.table == "FIELDS")
                .any(|t| t.rows.iter().any(|row| row.name == rl.field));
            assert!(form_field, "{ctx}.relay: {} is not a FIELDS row", rl.field);
            assert!(
                r.cancel.is_some(),
                "{ctx}.relay: cancel_call needs the return's `cancel`"
            );
            let _ = writeln!(out, "    // {}", rl.source);
            let _ = writeln!(
                out,
                "    relay: Some(crate::pg::call::RelayPage {{ field: {:?}, values: &{:?}, call: {:?}, then: {:?}, cancel_call: {:?} }}),",
                rl.field, rl.values, rl.call, rl.then, rl.cancel_call
            );
        }
    }
    match &r.cancel {
        None => out.push_str("    cancel: |_| false,\n"),
        Some(c) => {
            let _ = writeln!(out, "    // {}", c.source);
            match (&c.field, &c.check) {
                (Some(f), None) if !c.values.is_empty() => {
                    let alts: Vec<String> = c.values.iter().map(|v| format!("{v:?}")).collect();
                    let _ = writeln!(
                        out,
                        "    cancel: |p| matches!(crate::text::trim_controls(p.str({f:?})), {}),",
                        alts.join(" | ")
                    );
                }
                (None, Some(check)) if c.values.is_empty() => {
                    let _ = writeln!(out, "    cancel: {check},");
                }
                _ => panic!("{ctx}.cancel: `field` with `values`, or `check`"),
            }
        }
    }
    out.push_str("    steps: &[\n");
    let mut names = std::collections::HashSet::new();
    for s in &r.steps {
        assert!(
            !s.source.trim().is_empty(),
            "{ctx} step {}: no source",
            s.next
        );
        for n in std::iter::once(&s.next).chain(&s.also) {
            assert!(
                !matches!(n.as_str(), "done" | "await_deposit" | "none"),
                "{ctx}: `{n}` is every PG's"
            );
            assert!(names.insert(n.clone()), "{ctx}: step `{n}` twice");
        }
        let method = match &s.method {
            None => "None".to_string(),
            Some(m) => {
                assert!(
                    !m.source.trim().is_empty(),
                    "{ctx} step {}: method without a source",
                    s.next
                );
                let mut seen: Vec<&str> = m.codes.iter().map(|(k, _)| method_variant(k)).collect();
                seen.sort_unstable();
                seen.dedup();
                assert_eq!(
                    seen.len(),
                    4,
                    "{ctx} step {}: method codes name each method once",
                    s.next
                );
                let codes: Vec<String> = m
                    .codes
                    .iter()
                    .map(|(k, v)| format!("(crate::method::Method::{}, {v:?})", method_variant(k)))
                    .collect();
                format!(
                    "Some(crate::pg::call::MethodField {{ field: {:?}, codes: &[{}] }}) /* {} */",
                    m.field,
                    codes.join(", "),
                    m.source.replace("*/", "* /")
                )
            }
        };
        let _ = writeln!(out, "        // {}", s.source);
        let _ = writeln!(
            out,
            "        crate::pg::call::StepSpec {{ next: {:?}, also: &{:?}, call: crate::pg::call::Call::{}, values: &{:?}, echo: &{:?}, amount: {:?}, method: {method} }},",
            s.next,
            s.also,
            variant(&s.call),
            s.values,
            s.echo,
            s.amount
        );
    }
    out.push_str("    ],\n};\n\n");
}

fn write(name: &str, text: &str) {
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(format!("{dir}/{name}"), text).expect("write generated table");
}

pub fn generate(pgs: &[PgData]) {
    for d in pgs {
        let mut form = String::new();
        let mut call = String::new();
        if let Some(f) = &d.forbidden {
            let _ = writeln!(form, "/// {}\n///\n/// (`data/pg/{}.json`)", f.source, d.pg);
            let _ = writeln!(form, "pub const FORBIDDEN: &[&str] = &{:?};\n", f.values);
        }
        for e in &d.endpoints {
            assert!(
                e.test.starts_with("https://") && e.live.starts_with("https://"),
                "data/pg/{}.json endpoint {}: https only",
                d.pg,
                e.name
            );
            let _ = writeln!(
                form,
                "/// {}\n///\n/// Source: {} (`data/pg/{}.json`).",
                e.note, e.source, d.pg
            );
            let _ = writeln!(
                form,
                "pub const {}: Endpoint = Endpoint {{ test: {:?}, live: {:?} }};\n",
                e.name, e.test, e.live
            );
        }
        for t in &d.tables {
            match t.module.as_str() {
                "form" => table(&mut form, d, t),
                "call" => table(&mut call, d, t),
                other => panic!(
                    "data/pg/{}.json {}: `in` is form|call, not {other}",
                    d.pg, t.table
                ),
            }
        }
        returns(&mut call, d);
        write(&format!("pg_{}_form.rs", d.pg), &form);
        write(&format!("pg_{}_call.rs", d.pg), &call);
    }

    // The registry: the `Pg` enum, its names and the one dispatch to each PG's description.
    let mut reg = String::new();
    reg.push_str("/// A payment gateway: one per `data/pg/*.json` (generated by `build/pg.rs`).\n");
    reg.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Pg {\n");
    for d in pgs {
        let _ = writeln!(
            reg,
            "    /// {} (`{}`; [`{}`]).\n    {},",
            d.title, d.pg, d.pg, d.variant
        );
    }
    reg.push_str("}\n\nimpl Pg {\n");
    let _ = writeln!(
        reg,
        "    /// Every PG, in the order of `data/pg/*.json`'s `order`."
    );
    let _ = writeln!(reg, "    pub const ALL: [Pg; {}] = [", pgs.len());
    for d in pgs {
        let _ = writeln!(reg, "        Pg::{},", d.variant);
    }
    reg.push_str("    ];\n\n");
    reg.push_str(
        "    /// The lowercase name used by the CLI, in JSON and in the data file's name.\n",
    );
    reg.push_str("    pub const fn name(self) -> &'static str {\n        match self {\n");
    for d in pgs {
        let _ = writeln!(reg, "            Pg::{} => {:?},", d.variant, d.pg);
    }
    reg.push_str("        }\n    }\n\n");
    reg.push_str("    /// The PG's description: its tables, builders and parsers ([`Gateway`]).\n");
    reg.push_str("    pub fn gateway(self) -> &'static Gateway {\n        match self {\n");
    for d in pgs {
        let _ = writeln!(reg, "            Pg::{} => &{}::GATEWAY,", d.variant, d.pg);
    }
    reg.push_str("        }\n    }\n}\n\n");
    reg.push_str(
        "/// `Pg::name()` of every PG joined by `|`, for help texts and `one_of` errors.\n",
    );
    let names: Vec<&str> = pgs.iter().map(|d| d.pg.as_str()).collect();
    let _ = writeln!(reg, "pub const NAMES: &str = {:?};", names.join("|"));
    reg.push_str("\n/// Every PG's endpoints (`data/pg/*.json` `endpoints`): the PG, the name and the URLs.\n");
    reg.push_str("pub const ENDPOINTS: &[(Pg, &str, Endpoint)] = &[\n");
    for d in pgs {
        for e in &d.endpoints {
            let _ = writeln!(
                reg,
                "    (Pg::{}, {:?}, {}::{}),",
                d.variant, e.name, d.pg, e.name
            );
        }
    }
    reg.push_str("];\n");
    write("pg_registry.rs", &reg);

    // The hybrid-app return fields of every PG that takes them (src/app_return.rs).
    let mut ar = String::new();
    ar.push_str("/// Every PG's app-return fields (`data/pg/<pg>.json` `app_return`), in `Pg::ALL` order.\n");
    ar.push_str("pub const APP_RETURN: &[Group] = &[\n");
    let mut groups = std::collections::HashSet::new();
    for d in pgs {
        let Some(a) = &d.app_return else { continue };
        let ctx = format!("data/pg/{}.json app_return", d.pg);
        assert!(!a.source.trim().is_empty(), "{ctx}: no source");
        assert!(!a.fields.is_empty(), "{ctx}: no fields");
        assert!(
            groups.insert(a.group.clone()),
            "{ctx}: group {} twice",
            a.group
        );
        let _ = writeln!(ar, "    // {}", a.source);
        let _ = writeln!(
            ar,
            "    Group {{ pg: crate::pg::Pg::{}, name: {:?}, fields: &[",
            d.variant, a.group
        );
        for f in &a.fields {
            if let Some(src) = &f.source {
                let _ = writeln!(ar, "        // {src}");
            }
            let _ = writeln!(
                ar,
                "        Field {{ name: {:?}, value: ReturnValue::{}, prefix: {:?} }},",
                f.name,
                return_value_variant(&f.value),
                f.prefix
            );
        }
        ar.push_str("    ] },\n");
    }
    ar.push_str("];\n");
    write("pg_app_return.rs", &ar);

    // The server side: each PG's calls (`<pg>::call::SERVER`).
    let mut srv = String::new();
    srv.push_str("impl Pg {\n    /// The PG's server calls ([`Server`]).\n");
    srv.push_str("    pub fn server(self) -> &'static Server {\n        match self {\n");
    for d in pgs {
        let _ = writeln!(
            srv,
            "            Pg::{} => &crate::pg::{}::call::SERVER,",
            d.variant, d.pg
        );
    }
    srv.push_str("        }\n    }\n\n");
    srv.push_str("    /// How the PG's post to the return URL is read ([`Return`]).\n");
    srv.push_str("    pub fn returns(self) -> &'static Return {\n        match self {\n");
    for d in pgs {
        let _ = writeln!(
            srv,
            "            Pg::{} => &crate::pg::{}::call::RETURN,",
            d.variant, d.pg
        );
    }
    srv.push_str("        }\n    }\n}\n");
    write("pg_server_registry.rs", &srv);
    write("pg_ts.rs", &typescript(pgs));
}

/// The TypeScript types that name the PGs, from the same data (`pg::TS_PG_NAME`,
/// `pg::TS_PG_NEXT_STEP`; the browser and Node entries put them in their `.d.ts`).
fn typescript(pgs: &[PgData]) -> String {
    let names: Vec<String> = pgs.iter().map(|d| format!("{:?}", d.pg)).collect();
    let name_ts = format!(
        "\n/** The PGs hanpay knows (one per `crates/hanpay-pg/data/pg/*.json`). */\nexport type PgName = {};\n",
        names.join(" | ")
    );
    let mut members = Vec::new();
    for d in pgs {
        if d.returns.steps.is_empty() {
            // No server step: the return page relays the verified result (Smartro).
            members.push(format!(
                "  | {{ pg: {:?}; orderId: string; status: PaymentStatus; success: boolean; next: \"done\" | \"await_deposit\"; tid: string; amount: string }}",
                d.pg
            ));
        }
        for st in &d.returns.steps {
            let mut m = format!(
                "  | {{ pg: {:?}; orderId: string; status: \"authenticated\"; success: false; next: {:?}",
                d.pg, st.next
            );
            for k in st.values.iter().map(|(from, _)| from).chain(&st.echo) {
                let _ = write!(m, "; {k}: string");
            }
            m.push_str(" }");
            members.push(m);
        }
    }
    let next_ts = format!(
        "\n/** What the merchant server must do next, with the PG-native values it needs (generated from\n * each PG's `return.steps`). The browser step only authenticates (status \"authenticated\",\n * success false): money moves at the server step `next` names. A PG without a server step\n * (Smartro) is relayed by your return page, so its status is what your server sent. */\nexport type PgNextStep =\n{};\n",
        members.join("\n")
    );
    let mut groups = Vec::new();
    for d in pgs {
        let Some(a) = &d.app_return else { continue };
        let fields: Vec<String> = a
            .fields
            .iter()
            .map(|f| {
                // A scheme flag is always "0" or "1"; the other values are null where they do
                // not apply (`ReturnFacts::value`).
                let ty = if f.value == "scheme_flag" {
                    "string"
                } else {
                    "string | null"
                };
                format!("{}: {ty}", f.name)
            })
            .collect();
        groups.push(format!("  {}: {{ {} }};", a.group, fields.join("; ")));
    }
    let app_ts = format!(
        "\n/** PG fields that bring the user back to a hybrid app after ISP / app-card hops (generated from\n * each PG's `app_return`). */\nexport interface AppReturnFields {{\n{}\n}}\n",
        groups.join("\n")
    );
    format!(
        "/// `PgName`: the PG names of `data/pg/*.json`.\npub const TS_PG_NAME: &str = {name_ts:?};\n/// `PgNextStep`: one member per server step of each PG's `return.steps`.\npub const TS_PG_NEXT_STEP: &str = {next_ts:?};\n/// `AppReturnFields`: one member per PG `app_return` group.\npub const TS_APP_RETURN: &str = {app_ts:?};\n"
    )
}
