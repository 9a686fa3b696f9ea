//! `open(form, options)`: shows a server-signed checkout form as a popup, an iframe layer or a
//! same-window redirect, and settles exactly once with the result the return page relays.
//!
//! The popup is opened before anything else happens, synchronously inside the caller's click:
//! `open()` itself is not async and accepts the form *or a promise of it*, so a page that still
//! has to fetch the signed form from its server cannot await before `window.open` by mistake
//! (browsers block popups opened after an await; notes/browser-sdk-anchors.md).

use crate::prelude::*;

use super::dom::Session;
use super::dom::{self, Layer};
use super::error::{error, error_with, invalid, invalid_shape, name_conflict};
use super::js::{self, StateCell as _};
use crate::env::WindowMode;
use crate::window::{self, BlockedFallback, ErrorCode, Outcome, RequestedMode};
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Window};

const DEFAULT_POPUP_FEATURES: &str =
    "width=545,height=573,left=100,top=100,resizable=yes,scrollbars=yes";

/// The window a PG's own sample page opens: the names it posts to, the popup's features and
/// the layer frame's size (0×0: a hidden frame, Smartro `FORWARD=N`), and, for KISPG, the
/// origins its page sends `{resultCode, data}` from (see [`Shape::pg_origins`]).
#[derive(Clone, Copy)]
pub(crate) struct Shape {
    pub popup: &'static str,
    pub frame: &'static str,
    pub features: &'static str,
    pub size: (u16, u16),
    /// KISPG's PC window ends with `parent.postMessage({resultCode, data})`, which the official
    /// sample's `returnData` answers by posting `data` to `returnUrl` (qwerthong/
    /// qwerthong.github.io:paySample.jsp@e245accd, "수정 불가능"); `js/dom.js pgChannel`.
    /// Space-separated; empty: no such channel.
    pub pg_origins: &'static str,
}

/// Smartro's names (manual 001 §3.1), the layer hanpay always had.
pub(crate) const DEFAULT_SHAPE: Shape = Shape {
    popup: window::POPUP_NAME,
    frame: window::IFRAME_NAME,
    features: DEFAULT_POPUP_FEATURES,
    size: (720, 640),
    pg_origins: "",
};
const DEFAULT_TIMEOUT_MS: i32 = 20 * 60 * 1000;
const DEFAULT_CLOSE_GRACE_MS: i32 = 1500;

struct FormInput {
    action: String,
    method: String,
    accept_charset: String,
    fields: Vec<(String, String)>,
}

impl FormInput {
    fn read(v: &JsValue) -> Result<Self, JsValue> {
        if !v.is_object() {
            return Err(invalid_shape("form", "must be a CheckoutForm object"));
        }
        Ok(FormInput {
            action: js::string(v, "action")?,
            method: js::opt_string(v, "method")?.unwrap_or_default(),
            accept_charset: js::opt_string(v, "accept_charset")?.unwrap_or_default(),
            fields: js::fields(v)?,
        })
    }
}

/// `open()`'s options, read strictly (a wrong type or keyword is `INVALID_PARAMETERS` naming
/// it). `pay()` reads its options through the same reader (adapters `Config::new`).
#[derive(Default)]
pub(crate) struct Options {
    pub(crate) mode: RequestedMode,
    pub(crate) pg_prefers: Option<WindowMode>,
    pub(crate) on_popup_blocked: BlockedFallback,
    pub(crate) allowed_origins: Option<Vec<String>>,
    pub(crate) request_id: Option<String>,
    pub(crate) timeout_ms: Option<i32>,
    pub(crate) close_grace_ms: Option<i32>,
    pub(crate) popup_features: Option<String>,
    pub(crate) redirect_target: Option<String>,
    pub(crate) allow_redirect: Option<bool>,
    pub(crate) title: Option<String>,
    pub(crate) host_app: Option<String>,
}

impl Options {
    pub(crate) fn read(v: &JsValue) -> Result<Self, JsValue> {
        if v.is_undefined() || v.is_null() {
            return Ok(Options::default());
        }
        if !v.is_object() {
            return Err(invalid_shape("options", "must be an object"));
        }
        let prefers = |s: &str| match s {
            "popup" => Some(WindowMode::Popup),
            "iframe" => Some(WindowMode::Iframe),
            _ => None,
        };
        Ok(Options {
            mode: js::opt_keyword(
                v,
                "mode",
                RequestedMode::parse,
                "must be auto, popup, iframe or redirect",
            )?
            .unwrap_or_default(),
            pg_prefers: js::opt_keyword(v, "pgPrefers", prefers, "must be popup or iframe")?,
            on_popup_blocked: js::opt_keyword(
                v,
                "onPopupBlocked",
                BlockedFallback::parse,
                "must be iframe, redirect or error",
            )?
            .unwrap_or_default(),
            allowed_origins: js::opt_strings(v, "allowedOrigins")?,
            request_id: js::opt_string(v, "requestId")?,
            timeout_ms: js::opt_millis(v, "timeoutMs")?,
            close_grace_ms: js::opt_millis(v, "closeGraceMs")?,
            popup_features: js::opt_string(v, "popupFeatures")?,
            redirect_target: js::opt_string(v, "redirectTarget")?,
            allow_redirect: js::opt_bool(v, "allowRedirect")?,
            title: js::opt_string(v, "title")?,
            host_app: js::opt_string(v, "hostApp")?,
        })
    }
}

/// Where the form goes once it is known.
enum Surface {
    Popup(Window),
    Layer(Layer),
    Redirect(String),
}

struct State {
    /// The promise, settled once, and what it holds (listeners, timers, the window).
    session: Session,
    shape: Shape,
    /// Origins the PG message channel accepts, space-separated (the shape's, plus a sandbox's).
    pg_allowed: String,
    request_id: Option<String>,
    allowed: Vec<String>,
    surface: Option<Surface>,
    on_fallback: Option<Function>,
}

type Shared = Rc<RefCell<State>>;

fn win() -> Result<Window, JsValue> {
    crate::dom::page_window()
}

/// Opens a checkout. See the package README for the options and the result contract.
#[wasm_bindgen(js_name = open, unchecked_return_type = "Promise<PaymentResult>")]
pub fn open(
    #[wasm_bindgen(unchecked_param_type = "CheckoutForm | Promise<CheckoutForm>")] form: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "OpenOptions")] options: JsValue,
) -> Promise {
    open_with_handle(form, options).0
}

/// A running `open()` that an adapter settles itself, for PGs whose return page hands the
/// result to the opener by calling functions (KSNET's relay page: `eparamSet`/`goResult`,
/// notes/pg-protocols.md §4.1) rather than by a message. Settling keeps the engine's rules:
/// once only, then windows, timers and listeners are torn down.
pub(crate) struct Handle(Shared);

impl Handle {
    pub(crate) fn resolve(&self, result: JsValue) {
        session(&self.0).succeed(result)
    }

    pub(crate) fn fail(&self, err: JsValue) {
        fail(&self.0, err)
    }

    /// The window the PG page is in (the popup, or the layer's frame), or `null`.
    pub(crate) fn window(&self) -> JsValue {
        match &self.0.read().surface {
            Some(Surface::Popup(p)) => p.clone().into(),
            Some(Surface::Layer(l)) => l.iframe.clone().into(),
            _ => JsValue::NULL,
        }
    }

    /// The session: its globals are released when the checkout settles.
    pub(crate) fn session(&self) -> Session {
        session(&self.0)
    }
}

/// `open()` plus the handle of its state (none when it failed to start).
pub(crate) fn open_with_handle(form: JsValue, options: JsValue) -> (Promise, Option<Handle>) {
    open_shaped(form, options, DEFAULT_SHAPE, "")
}

/// `open()` in the window `shape` describes; `extra` adds an origin (a sandbox) to the shape's
/// message channel.
pub(crate) fn open_shaped(
    form: JsValue,
    options: JsValue,
    shape: Shape,
    extra: &str,
) -> (Promise, Option<Handle>) {
    let pg_allowed = crate::text::concat(&[shape.pg_origins, " ", extra]);
    // The timeout starts once the options are read (`start`).
    let session = Session::new(-1);
    let promise = session.promise();
    match start(form, options, &session, shape, pg_allowed) {
        Ok(state) => (promise, Some(Handle(state))),
        Err(e) => {
            session.fail(e);
            (promise, None)
        }
    }
}

fn start(
    form: JsValue,
    options: JsValue,
    session: &Session,
    shape: Shape,
    pg_allowed: String,
) -> Result<Shared, JsValue> {
    let w = win()?;
    let doc = w.document().ok_or_else(crate::error::no_browser)?;
    let opts = Options::read(&options)?;
    let on_fallback = js::get(&options, "onFallback").dyn_into::<Function>().ok();

    let env = super::current_environment(&w, opts.host_app.as_deref());
    let prefers = opts.pg_prefers.unwrap_or(WindowMode::Popup);
    let origin = w.location().origin()?;
    let allowed = opts
        .allowed_origins
        .clone()
        .unwrap_or_else(|| vec![origin.clone()]);
    let restore_focus = dom::active_element(&doc);
    let state: Shared = Rc::new(RefCell::new(State {
        session: session.clone(),
        shape,
        pg_allowed,
        request_id: opts.request_id.clone().filter(|s| !s.is_empty()),
        allowed,
        surface: None,
        on_fallback,
    }));

    // The window comes first, before the form is even looked at (user-gesture rule).
    let mut mode = window::resolve_mode(opts.mode, &env, prefers);
    if mode == WindowMode::Popup {
        let features = opts.popup_features.as_deref().unwrap_or(shape.features);
        match w.open_with_url_and_target_and_features("", shape.popup, features) {
            // window.open hands back any window that already holds the name: a third-party
            // frame, this page's opener, a concurrent checkout's popup. The form must never be
            // posted there (security review, finding 4); Smartro fixes the name (manual 001
            // §3.1), so the conflict is an error rather than a silent rename.
            Ok(Some(popup)) if dom::post_target(shape.popup, &popup, &JsValue::NULL, true) != 0 => {
                return Err(name_conflict(shape.popup))
            }
            Ok(Some(popup)) => {
                session.own(&popup, "close");
                state.write().surface = Some(Surface::Popup(popup))
            }
            _ => {
                mode = match opts.on_popup_blocked {
                    BlockedFallback::Iframe => WindowMode::Iframe,
                    BlockedFallback::Redirect => WindowMode::Redirect,
                    BlockedFallback::Error => {
                        return Err(error(
                            ErrorCode::PopupBlocked,
                            "the browser blocked the payment popup; allow popups for this site or use another mode",
                        ))
                    }
                };
                report_fallback(&state, mode);
            }
        }
    }
    match mode {
        WindowMode::Iframe => {
            let title = opts.title.as_deref().unwrap_or("결제 (Payment)");
            let layer = dom::create_layer(session, shape.frame, title, shape.size)?;
            let _ = layer.close_button.focus();
            state.write().surface = Some(Surface::Layer(layer));
        }
        WindowMode::Redirect => {
            if opts.allow_redirect == Some(false) {
                return Err(error(
                    ErrorCode::RedirectRequired,
                    "this browser needs a same-window redirect for payment, but allowRedirect is false",
                ));
            }
            let target = match opts.redirect_target.as_deref() {
                Some("_top") => "_top",
                Some("_self") | None => "_self",
                Some(_) => {
                    return Err(invalid_shape(
                        "redirectTarget",
                        "must be \"_self\" or \"_top\"",
                    ))
                }
            };
            // Back from the PG page without a result: the buyer left (`js/dom.js watchReturn`).
            dom::watch_return(session);
            state.write().surface = Some(Surface::Redirect(target.to_string()));
        }
        // A closed popup is the buyer's cancel, after a grace (`js/dom.js watchPopup`).
        WindowMode::Popup => {
            if let Some(Surface::Popup(p)) = &state.read().surface {
                let grace = opts.close_grace_ms.map(|g| g.min(60_000));
                dom::watch_popup(session, p, grace.unwrap_or(DEFAULT_CLOSE_GRACE_MS));
            }
        }
    }
    // Focus goes back where it was once the window or layer is gone.
    if let Some(el) = restore_focus {
        session.own(&el, "focus");
    }

    listen_for_results(&state, &w)?;
    session.timeout(opts.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS));

    if form.is_instance_of::<Promise>() {
        let st = state.clone();
        session.and_then(&form, move |value| submit(&st, value));
    } else if let Err(e) = submit(&state, form) {
        fail(&state, e);
    }
    Ok(state)
}

fn report_fallback(state: &Shared, to: WindowMode) {
    let callback = state.read().on_fallback.clone();
    if let Some(f) = callback {
        let info = js_sys::Object::new();
        let to = match to {
            WindowMode::Iframe => "iframe",
            WindowMode::Redirect => "redirect",
            WindowMode::Popup => "popup",
        };
        let _ = Reflect::set(
            &info,
            &"reason".into(),
            &ErrorCode::PopupBlocked.as_str().into(),
        );
        let _ = Reflect::set(&info, &"from".into(), &"popup".into());
        let _ = Reflect::set(&info, &"to".into(), &to.into());
        let _ = f.call1(&JsValue::NULL, &info);
    }
}

/// Validates the form and posts it into the chosen surface.
fn submit(state: &Shared, value: JsValue) -> Result<(), JsValue> {
    if state.read().session.settled() {
        return Ok(());
    }
    let input = FormInput::read(&value)?;
    window::check_form(&input.action, &input.method, &input.fields).map_err(|p| invalid(&p))?;
    {
        let mut s = state.write();
        if s.request_id.is_none() {
            s.request_id = window::default_request_id(&input.fields).map(str::to_string);
        }
        if s.request_id.is_none() {
            return Err(invalid_shape(
                "requestId",
                "pass options.requestId or include the PG's order-id field in the form",
            ));
        }
    }
    // The form goes only into the window hanpay created (finding 4; `dom::submit_form` posts by
    // a name only that window holds), and nowhere once the buyer closed it: a post by name would
    // open a new, untracked PG window while open() reports USER_CANCEL (finding 5).
    let shape = state.read().shape;
    let (target, win, frame) = match &state.read().surface {
        Some(Surface::Popup(p)) => (shape.popup, p.clone().into(), JsValue::NULL),
        Some(Surface::Layer(l)) => (
            shape.frame,
            l.iframe.content_window().map_or(JsValue::NULL, Into::into),
            l.iframe.clone().into(),
        ),
        Some(Surface::Redirect(t)) => (
            if t == "_top" { "_top" } else { "_self" },
            JsValue::NULL,
            JsValue::NULL,
        ),
        None => {
            return Err(crate::error::error(
                ErrorCode::WindowClosed,
                "the payment window is gone",
            ))
        }
    };
    if !(win.is_null() && frame.is_null()) {
        match dom::post_target(target, &win, &frame, false) {
            0 => {}
            1 => {
                return Err(error(
                    ErrorCode::UserCancel,
                    "the payment window was closed before a result arrived",
                ))
            }
            _ => return Err(name_conflict(target)),
        }
    }
    // The PG's message channel (KISPG) answers with the form's `returnUrl` and charset.
    if let (false, Some(Surface::Layer(l))) = (shape.pg_origins.is_empty(), &state.read().surface) {
        let return_url = input
            .fields
            .iter()
            .find(|(n, _)| n == "returnUrl")
            .map_or("", |(_, v)| v.as_str());
        let s = state.read();
        dom::pg_channel(
            &s.session,
            &l.iframe,
            &s.pg_allowed,
            return_url,
            &input.accept_charset,
        );
    }
    dom::submit_form(
        &input.action,
        &input.method,
        &input.accept_charset,
        &input.fields,
        target,
        &win,
    )
}

fn session(state: &Shared) -> Session {
    state.read().session.clone()
}

fn add_listener(state: &Shared, target: &JsValue, kind: &str, cb: JsValue) {
    session(state).listen(target, kind, &cb)
}

/// Accepts a relayed result only from an allowlisted origin, with our request id, from the
/// window we opened. Redirect mode has no such window and accepts nothing (the return page
/// shows the result itself); a message without a source window is not from ours either
/// (security review, finding 6).
fn listen_for_results(state: &Shared, w: &Window) -> Result<(), JsValue> {
    let st = state.clone();
    let on_message = js::on_event(move |e| {
        let e: MessageEvent = e.unchecked_into();
        let data = e.data();
        if !data.is_object() {
            return;
        }
        let get = |k: &str| js::get(&data, k).as_string();
        // KISPG's `{resultCode, data}` is `js/dom.js pgChannel`'s (`submit`).
        if get("resultCode").is_some() {
            return;
        }
        let (tag, id) = (
            get("source").unwrap_or_default(),
            get("requestId").unwrap_or_default(),
        );
        let accepted = {
            let s = st.read();
            let expected = s.request_id.as_deref().unwrap_or("");
            let from_our_window = match (&s.surface, e.source()) {
                (Some(Surface::Popup(p)), Some(src)) => {
                    JsValue::from(p.clone()) == JsValue::from(src)
                }
                (Some(Surface::Layer(l)), Some(src)) => {
                    from_frame(l, &src.unchecked_into(), s.shape.size.0 == 0)
                }
                _ => false,
            };
            !s.session.settled()
                && from_our_window
                && window::accept_message(&e.origin(), &s.allowed, &tag, &id, expected)
        };
        if accepted {
            let result = js::get(&data, "result");
            settle_with_result(&st, result);
        }
    });
    add_listener(state, w, "message", on_message);
    Ok(())
}

/// Whether `src` is the layer frame's window — or, for a hidden frame (Smartro `FORWARD=N`,
/// whose module opens its own window from inside it: "결제모듈내부 팝업호출",
/// nokr82/GVMP:myOffice/SmartroPay/mainPayConfirm.php@fcee951e), a window that frame opened.
fn from_frame(l: &Layer, src: &JsValue, hidden: bool) -> bool {
    let Some(cw) = l.iframe.content_window().map(JsValue::from) else {
        return false;
    };
    // `unchecked_ref`: a window of another realm fails `instanceof Window` here; `opener`
    // throws (an `Err`) when that window is cross-origin, which then is not the return page.
    *src == cw
        || (hidden
            && src
                .unchecked_ref::<Window>()
                .opener()
                .is_ok_and(|o| o == cw))
}

/// A relayed result with a `status` (issue #12: "paid", "pending", "failed", …) is the merchant
/// server's verdict: it resolves whatever the status, and the page acts on `status`; `success`
/// is passed on as the server sent it. Only the buyer's `cancelled` flag rejects
/// (`USER_CANCEL`). A result without `status`, from a server written before that vocabulary,
/// settles on `success` as it always did.
fn settle_with_result(state: &Shared, result: JsValue) {
    let flag = |k: &str| js::get(&result, k).as_bool();
    let text = |k: &str| js::get(&result, k);
    if flag("cancelled") != Some(true) && text("status").is_string() {
        return session(state).succeed(result);
    }
    match window::outcome_of(flag("success"), flag("cancelled")) {
        Outcome::Resolve => session(state).succeed(result),
        Outcome::Reject(ErrorCode::UserCancel) => fail(
            state,
            error(
                ErrorCode::UserCancel,
                "the payment was cancelled in the PG window",
            ),
        ),
        Outcome::Reject(code) => {
            let message = text("message")
                .as_string()
                .unwrap_or_else(|| "the PG declined the payment".into());
            fail(
                state,
                error_with(
                    code,
                    &message,
                    &[
                        ("pgCode", text("code")),
                        ("pgMessage", text("message")),
                        ("result", result),
                    ],
                ),
            )
        }
    }
}

/// Settles once (the session ignores later calls) and releases what the checkout holds: its
/// timers and listeners, then the popup or layer, then the focus. The session is cloned out
/// first: closing the popup, removing the layer and giving focus back run page handlers
/// (focus, pagehide), which may re-enter this flow (a KSNET `goResult` from a focus handler,
/// say) and must find it settled, not borrowed (security review, "C ABI / JNI" section).
fn fail(state: &Shared, err: JsValue) {
    session(state).fail(err)
}
