//! PG adapters on top of the checkout engine: `pay(pg, form, options)`.
//!
//! Each adapter knows how its PG shows the payment window (notes/pg-protocols.md) and resolves
//! one shape for every PG — `{pg, orderId, status, success, next, …}` — where `next` tells the
//! merchant server what to do with the PG-native values that come with it. The adapters' own
//! results are `status: "authenticated", success: false` (issue #12): the browser step only
//! authenticates, money moves at the server step `next` names.
//! - Smartro (§2.1): `next: "done"` (the signed `ReturnURL` post was verified server-side) or
//!   `"await_deposit"` for an issued virtual account;
//! - KISPG (§5.1): `next: "approve"` with `tid` (and `amt`) for `/v2/payment`;
//! - XPay (§1.5): `next: "payment_by_key"` with `LGD_PAYKEY` (`xpay.rs`);
//! - KCP (§3.1): `next: "approve"` with `enc_data`, `enc_info`, `tran_cd` (`kcp.rs`);
//! - KSNET (§4.1): `next: "fetch_result"` with `reCommConId` for `recv_post.jsp` (`kspay.rs`);
//! - SMARTRO PAY: `next: "approve"` with `Tid`, `TrAuthKey` for `urlCallApproval.do`
//!   (`smartropay.rs`).
//!
//! By default forms go to the real PG URLs the merchant server signed; with
//! `options.sandbox = "http://127.0.0.1:8080"` the PG origin is swapped for
//! `<sandbox>/pg/<pg>`, where the local sandbox emulates the same paths. Options and forms are
//! copied once as own data properties (`dom::own_copy`), and `sandbox` must be a loopback
//! origin: the swap decides where the PG script comes from and where the signed form goes
//! (security review, finding 3).

use crate::prelude::*;

use super::dom::own_copy;
use super::error::{invalid, invalid_shape};
use super::js;
use crate::env::WindowMode;
use crate::text;
use crate::window::{self, FormProblem};
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod flow;
mod kcp;
mod kispg;
mod kspay;
mod smartro;
mod smartropay;
mod xpay;

/// What the script-driven adapters take from `options`.
pub(crate) struct Config {
    sandbox: Option<String>,
    timeout_ms: Option<i32>,
    script_timeout_ms: i32,
    /// The same-window (mobile) flow, as the engine would decide it for these options.
    redirect: bool,
    options: JsValue,
}

impl Config {
    /// `options` is already an own copy (`own_copy`).
    /// The engine's strict reader (`open::Options::read`), so a bad `mode`, `timeoutMs` or
    /// `hostApp` is refused the same way whichever PG reads it, before any script loads
    /// (issue #15 item 4: one strict options reader for `open()` and `pay()`).
    fn new(options: &JsValue) -> Result<Config, JsValue> {
        let o = super::open::Options::read(options)?;
        let redirect = crate::dom::window().is_some_and(|w| {
            let env = super::current_environment(&w, o.host_app.as_deref());
            window::resolve_mode(o.mode, &env, WindowMode::Popup) == WindowMode::Redirect
        });
        Ok(Config {
            sandbox: sandbox_of(options)?,
            timeout_ms: o.timeout_ms,
            script_timeout_ms: js::opt_millis(options, "scriptTimeoutMs")?
                .unwrap_or(flow::SCRIPT_TIMEOUT_MS),
            redirect,
            options: options.clone(),
        })
    }

    /// The PG script URL: the real one, or its sandbox stand-in.
    fn script(&self, real: &str, pg: &str) -> String {
        match &self.sandbox {
            Some(sb) => to_sandbox(real, sb, pg),
            None => real.to_string(),
        }
    }

    /// The caller's options for the engine, with the PG's desktop preference.
    fn engine_options(&self, prefers: &str) -> JsValue {
        with_preference(&self.options, prefers)
    }
}

/// `INVALID_PARAMETERS` for a form that lacks what the PG flow needs.
/// `retarget` over a form or a promise of one.
fn retarget_any(form: JsValue, sandbox: Option<String>, pg: &'static str) -> JsValue {
    if sandbox.is_none() {
        return form;
    }
    let map = js::once_map(move |f| retarget(&f, sandbox.as_deref(), pg));
    js::then(&form, &map, &JsValue::UNDEFINED)
}

/// `https://host[:port]/path` → `<sandbox>/pg/<pg>/path`; relative actions stay as they are.
fn to_sandbox(action: &str, sandbox: &str, pg: &str) -> String {
    let Some(rest) = action
        .strip_prefix("https://")
        .or_else(|| action.strip_prefix("http://"))
    else {
        return action.to_string();
    };
    // No `&rest[i..]`: a slice that could panic links core's panic formatting (size budget).
    let path = text::find_ascii(rest, b'/')
        .and_then(|i| rest.get(i..))
        .unwrap_or("");
    text::concat(&[text::trim_end_ascii(sandbox, b'/'), "/pg/", pg, path])
}

fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    js::get(obj, key).as_string()
}

/// A fresh own copy of `options` (an object even when none was passed) with `pgPrefers` set to
/// the PG's preference unless the caller chose.
fn with_preference(options: &JsValue, prefers: &str) -> JsValue {
    let opts = own_copy(options);
    let opts = if opts.is_object() {
        opts
    } else {
        Object::new().into()
    };
    if get_str(&opts, "pgPrefers").is_none() {
        let _ = Reflect::set(&opts, &"pgPrefers".into(), &prefers.into());
    }
    // A PG that wants a popup does not get the iframe layer when the popup is blocked: a
    // Smartro form signed with FORWARD=Y is the merchant-popup variant (001:L493). (KISPG now
    // prefers its own iframe `pay_frame`, the official sample's window.) The window goes same-window instead
    // (audit W15), unless the caller chose.
    if prefers == "popup" && get_str(&opts, "onPopupBlocked").is_none() {
        let _ = Reflect::set(&opts, &"onPopupBlocked".into(), &"redirect".into());
    }
    opts
}

/// `options.sandbox`, accepted only as `http://127.0.0.1[:port]` or `http://localhost[:port]`:
/// any other value would load the PG script from, or post the signed form to, another site.
fn sandbox_of(options: &JsValue) -> Result<Option<String>, JsValue> {
    let Some(sb) = js::opt_string(options, "sandbox")? else {
        return Ok(None);
    };
    let port = sb
        .strip_prefix("http://127.0.0.1")
        .or_else(|| sb.strip_prefix("http://localhost"));
    let loopback = port.is_some_and(|p| {
        p.is_empty()
            || p.strip_prefix(':').is_some_and(|d| {
                !d.is_empty() && d.len() <= 5 && d.bytes().all(|b| b.is_ascii_digit())
            })
    });
    if loopback {
        Ok(Some(sb))
    } else {
        Err(invalid(&FormProblem {
            field: "sandbox",
            rule: "loopback_http_origin",
        }))
    }
}

/// A copy of the form with the action pointed at the sandbox.
fn retarget(form: &JsValue, sandbox: Option<&str>, pg: &str) -> Result<JsValue, JsValue> {
    let Some(sb) = sandbox else {
        return Ok(form.clone());
    };
    if !form.is_object() {
        return Err(invalid_shape("form", "expected a CheckoutForm object"));
    }
    let copy = own_copy(form);
    let action = get_str(&copy, "action").unwrap_or_default();
    Reflect::set(&copy, &"action".into(), &to_sandbox(&action, sb, pg).into())?;
    Ok(copy)
}

/// Pays through `pg` (one of [`crate::pg::NAMES`]). `form` is the server-signed `CheckoutForm` or a
/// promise of it (the popup still opens synchronously inside the click). `options` are the
/// engine's options plus `sandbox`.
#[wasm_bindgen(js_name = pay, unchecked_return_type = "Promise<PgNextStep>")]
pub fn pay(
    #[wasm_bindgen(unchecked_param_type = "PgName")] pg: &str,
    #[wasm_bindgen(unchecked_param_type = "CheckoutForm | Promise<CheckoutForm>")] form: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "PayOptions")] options: JsValue,
) -> Promise {
    match start(pg, form, options) {
        Ok(p) => p,
        Err(e) => Promise::reject(&e),
    }
}

/// One PG's browser adapter: the form (or a promise of it) and the own copy of the options.
type Adapter = fn(JsValue, &JsValue) -> Result<Promise, JsValue>;

/// Every PG's adapter, found by the PG's name: one row per PG, and as many rows as
/// `Pg::ALL` has PGs (the array's type), so a new PG does not build without its row.
const ADAPTERS: [(&str, Adapter); crate::pg::Pg::ALL.len()] = {
    use crate::pg::Pg;
    [
        (Pg::Xpay.name(), |f, o| Ok(xpay::pay(f, Config::new(o)?))),
        (Pg::Smartro.name(), smartro::pay),
        (Pg::Kspay.name(), |f, o| kspay::pay(f, Config::new(o)?)),
        (Pg::Kcp.name(), |f, o| Ok(kcp::pay(f, Config::new(o)?))),
        (Pg::Kispg.name(), kispg::pay),
        (Pg::SmartroPay.name(), |f, o| {
            Ok(smartropay::pay(f, Config::new(o)?))
        }),
    ]
};

fn start(pg: &str, form: JsValue, options: JsValue) -> Result<Promise, JsValue> {
    // Copied once: later reads cannot see a getter or the prototype chain answer differently.
    let options = own_copy(&options);
    let Some((_, adapter)) = ADAPTERS.iter().find(|(name, _)| *name == pg) else {
        return Err(invalid_shape(
            "pg",
            &crate::text::concat(&["one of ", crate::pg::NAMES]),
        ));
    };
    adapter(form, &options)
}

/// The engine's own window (`open`) for a PG whose page the engine shows: the form pointed at
/// the sandbox when asked, and the options with the PG's desktop preference `prefers`.
fn engine_form(
    pg: &'static str,
    form: JsValue,
    options: &JsValue,
    prefers: &str,
) -> Result<(JsValue, JsValue, Option<String>), JsValue> {
    let sandbox = sandbox_of(options)?;
    let opts = with_preference(options, prefers);
    let form = if form.is_instance_of::<Promise>() {
        retarget_any(form, sandbox.clone(), pg)
    } else {
        retarget(&form, sandbox.as_deref(), pg)?
    };
    Ok((form, opts, sandbox))
}

/// The form's `target` when the form itself (not a promise) was passed.
fn form_target(form: &JsValue) -> String {
    if form.is_instance_of::<Promise>() {
        String::new()
    } else {
        get_str(form, "target").unwrap_or_default()
    }
}

// `PgName` and `PgNextStep`, generated from `crates/hanpay-pg/data/pg/*.json`.
#[wasm_bindgen(typescript_custom_section)]
const TS_PG_NAME: &'static str = crate::pg::ts::TS_PG_NAME;
#[wasm_bindgen(typescript_custom_section)]
const TS_PG_NEXT_STEP: &'static str = crate::pg::ts::TS_PG_NEXT_STEP;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** `open()` options plus the sandbox origin that stands in for the real PG, and how long a
 * PG script (XPay, KCP) may take to load before SCRIPT_LOAD_FAILED (default 15 s). */
export interface PayOptions extends OpenOptions { sandbox?: string; scriptTimeoutMs?: number }
"#;
