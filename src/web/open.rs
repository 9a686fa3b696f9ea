//! `open(form, options)`: shows a server-signed checkout form as a popup, an iframe layer or a
//! same-window redirect, and settles exactly once with the result the return page relays.
//!
//! The popup is opened before anything else happens, synchronously inside the caller's click:
//! `open()` itself is not async and accepts the form *or a promise of it*, so a page that still
//! has to fetch the signed form from its server cannot await before `window.open` by mistake
//! (browsers block popups opened after an await; notes/browser-sdk-anchors.md).

use crate::prelude::*;

use super::dom::{self, Layer};
use super::error::{error, error_with, invalid, invalid_shape, name_conflict};
use super::js::{self, Callback, StateCell as _};
use crate::env::WindowMode;
use crate::window::{self, BlockedFallback, ErrorCode, Outcome, RequestedMode};
use alloc::rc::Rc;
use core::cell::RefCell;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent, MessageEvent, PageTransitionEvent, Window};

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
    /// qwerthong.github.io:paySample.jsp@e245accd, "수정 불가능"). Empty: no such channel.
    pub pg_origins: &'static [&'static str],
}

/// Smartro's names (manual 001 §3.1), the layer hanpay always had.
pub(crate) const DEFAULT_SHAPE: Shape = Shape {
    popup: window::POPUP_NAME,
    frame: window::IFRAME_NAME,
    features: DEFAULT_POPUP_FEATURES,
    size: (720, 640),
    pg_origins: &[],
};
const DEFAULT_TIMEOUT_MS: i32 = 20 * 60 * 1000;
const DEFAULT_CLOSE_GRACE_MS: i32 = 1500;
const CLOSED_POLL_MS: i32 = 300;

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

#[derive(Default)]
struct Options {
    mode: RequestedMode,
    pg_prefers: Option<WindowMode>,
    on_popup_blocked: BlockedFallback,
    allowed_origins: Option<Vec<String>>,
    request_id: Option<String>,
    timeout_ms: Option<i32>,
    close_grace_ms: Option<i32>,
    popup_features: Option<String>,
    redirect_target: Option<String>,
    allow_redirect: Option<bool>,
    title: Option<String>,
    host_app: Option<String>,
}

impl Options {
    fn read(v: &JsValue) -> Result<Self, JsValue> {
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
    settled: bool,
    shape: Shape,
    /// The form's `returnUrl` and charset, for the PG message channel.
    return_to: (String, String),
    /// Origins the PG message channel accepts (the shape's, plus a sandbox's).
    pg_allowed: Vec<String>,
    resolve: Function,
    reject: Function,
    request_id: Option<String>,
    allowed: Vec<String>,
    surface: Option<Surface>,
    restore_focus: Option<HtmlElement>,
    timers: Vec<i32>,
    intervals: Vec<i32>,
    listeners: Vec<(web_sys::EventTarget, &'static str, Function)>,
    closures: Vec<Callback>,
    on_fallback: Option<Function>,
}

type Shared = Rc<RefCell<State>>;

fn win() -> Result<Window, JsValue> {
    crate::web::dom::window().ok_or_else(|| JsValue::from_str("hanpay.open needs a browser window"))
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
        finish(&self.0, Ok(result))
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
}

/// `open()` plus the handle of its state (none when it failed to start).
pub(crate) fn open_with_handle(form: JsValue, options: JsValue) -> (Promise, Option<Handle>) {
    open_shaped(form, options, DEFAULT_SHAPE, Vec::new())
}

/// `open()` in the window `shape` describes; `pg_allowed` adds origins (a sandbox) to the
/// shape's message channel.
pub(crate) fn open_shaped(
    form: JsValue,
    options: JsValue,
    shape: Shape,
    mut pg_allowed: Vec<String>,
) -> (Promise, Option<Handle>) {
    pg_allowed.extend(shape.pg_origins.iter().map(|o| String::from(*o)));
    let mut slot: Option<(Function, Function)> = None;
    let promise = Promise::new(&mut |resolve, reject| slot = Some((resolve, reject)));
    let Some((resolve, reject)) = slot else {
        return (promise, None);
    };
    match start(form, options, resolve, reject.clone(), shape, pg_allowed) {
        Ok(state) => (promise, Some(Handle(state))),
        Err(e) => {
            let _ = reject.call1(&JsValue::NULL, &e);
            (promise, None)
        }
    }
}

fn start(
    form: JsValue,
    options: JsValue,
    resolve: Function,
    reject: Function,
    shape: Shape,
    pg_allowed: Vec<String>,
) -> Result<Shared, JsValue> {
    let w = win()?;
    let doc = w
        .document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    let opts = Options::read(&options)?;
    let on_fallback = js::get(&options, "onFallback").dyn_into::<Function>().ok();

    let env = super::current_environment(&w, opts.host_app.as_deref());
    let prefers = opts.pg_prefers.unwrap_or(WindowMode::Popup);
    let origin = w.location().origin()?;
    let allowed = opts
        .allowed_origins
        .clone()
        .unwrap_or_else(|| vec![origin.clone()]);
    let state: Shared = Rc::new(RefCell::new(State {
        settled: false,
        shape,
        return_to: Default::default(),
        pg_allowed,
        resolve,
        reject,
        request_id: opts.request_id.clone().filter(|s| !s.is_empty()),
        allowed,
        surface: None,
        restore_focus: dom::active_element(&doc),
        timers: Vec::new(),
        intervals: Vec::new(),
        listeners: Vec::new(),
        closures: Vec::new(),
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
            Ok(Some(popup)) => state.write().surface = Some(Surface::Popup(popup)),
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
            let layer = dom::create_layer(shape.frame, title, shape.size)?;
            wire_layer(&state, &w, &layer)?;
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
            state.write().surface = Some(Surface::Redirect(target.to_string()));
        }
        WindowMode::Popup => watch_popup(&state, &w, opts.close_grace_ms)?,
    }

    listen_for_results(&state, &w)?;
    listen_for_bfcache(&state, &w)?;
    let timeout = opts.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
    let st = state.clone();
    set_timer(&state, &w, timeout, move || {
        fail(
            &st,
            error(ErrorCode::Timeout, "no payment result arrived in time"),
        )
    })?;

    if form.is_instance_of::<Promise>() {
        let st_ok = state.clone();
        let st_err = state.clone();
        let on_ok = keep(
            &state,
            js::once(move |value| {
                if let Err(e) = submit(&st_ok, value) {
                    fail(&st_ok, e);
                }
            }),
        );
        let on_err = keep(&state, js::once(move |reason| fail(&st_err, reason)));
        js::then(&form, &on_ok, &on_err);
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
    if state.read().settled {
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
    if !shape.pg_origins.is_empty() {
        let get = |k: &str| {
            input
                .fields
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        state.write().return_to = (get("returnUrl"), input.accept_charset.clone());
    }
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
        None => return Err(JsValue::from_str("payment window is gone")),
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
    dom::submit_form(
        &input.action,
        &input.method,
        &input.accept_charset,
        &input.fields,
        target,
        &win,
    )
}

/// Keeps a callback alive until the checkout settles; returns its JS function.
fn keep(state: &Shared, cb: Callback) -> Function {
    let f = js::function(&cb).clone();
    state.write().closures.push(cb);
    f
}

fn add_listener(
    state: &Shared,
    target: &web_sys::EventTarget,
    kind: &'static str,
    cb: Callback,
) -> Result<(), JsValue> {
    let f = keep(state, cb);
    target.add_event_listener_with_callback(kind, &f)?;
    state.write().listeners.push((target.clone(), kind, f));
    Ok(())
}

fn set_timer(
    state: &Shared,
    w: &Window,
    ms: i32,
    f: impl FnOnce() + 'static,
) -> Result<(), JsValue> {
    let f = keep(state, js::once(move |_| f()));
    let id = w.set_timeout_with_callback_and_timeout_and_arguments_0(&f, ms)?;
    state.write().timers.push(id);
    Ok(())
}

fn set_interval(
    state: &Shared,
    w: &Window,
    ms: i32,
    mut f: impl FnMut() + 'static,
) -> Result<(), JsValue> {
    let f = keep(state, js::on_event(move |_| f()));
    let id = w.set_interval_with_callback_and_timeout_and_arguments_0(&f, ms)?;
    state.write().intervals.push(id);
    Ok(())
}

/// A closed popup means the user gave up — after a short grace, because a return page that
/// relays and then closes itself must win over the close it causes.
fn watch_popup(state: &Shared, w: &Window, grace: Option<i32>) -> Result<(), JsValue> {
    let grace = grace
        .map(|g| g.min(60_000))
        .unwrap_or(DEFAULT_CLOSE_GRACE_MS);
    let st = state.clone();
    let w2 = w.clone();
    let noticed = Rc::new(RefCell::new(false));
    set_interval(state, w, CLOSED_POLL_MS, move || {
        let closed = match &st.read().surface {
            Some(Surface::Popup(p)) => p.closed().unwrap_or(true),
            _ => false,
        };
        if closed && !*noticed.read() {
            *noticed.write() = true;
            let st2 = st.clone();
            let _ = set_timer(&st, &w2, grace, move || {
                fail(
                    &st2,
                    error(
                        ErrorCode::UserCancel,
                        "the payment window was closed before a result arrived",
                    ),
                )
            });
        }
    })
}

/// Close button, Escape and a focus trap for the layer; an iframe removed by someone else
/// (a SPA route change, say) ends the payment with `WINDOW_CLOSED`.
fn wire_layer(state: &Shared, w: &Window, layer: &Layer) -> Result<(), JsValue> {
    let st = state.clone();
    let on_close = js::on_event(move |_| {
        fail(
            &st,
            error(ErrorCode::UserCancel, "the payment layer was closed"),
        )
    });
    add_listener(state, &layer.close_button, "click", on_close)?;

    let st = state.clone();
    let on_key = js::on_event(move |e| {
        let e: KeyboardEvent = e.unchecked_into();
        if e.key() == "Escape" {
            e.prevent_default();
            fail(
                &st,
                error(ErrorCode::UserCancel, "the payment layer was closed"),
            )
        }
    });
    let doc = w
        .document()
        .ok_or_else(|| JsValue::from_str("no document"))?;
    add_listener(state, &doc, "keydown", on_key)?;

    // Focus trap: Tab past the end wraps to the close button, Shift+Tab before it to the frame.
    for (guard, dest) in [
        (&layer.guard_end, layer.close_button.clone()),
        (
            &layer.guard_start,
            layer.iframe.clone().unchecked_into::<HtmlElement>(),
        ),
    ] {
        let on_focus = js::on_event(move |_| {
            let _ = dest.focus();
        });
        add_listener(state, guard, "focus", on_focus)?;
    }

    let st = state.clone();
    let root = layer.root.clone();
    set_interval(state, w, CLOSED_POLL_MS, move || {
        if !root.is_connected() {
            fail(
                &st,
                error(
                    ErrorCode::WindowClosed,
                    "the payment layer was removed from the page",
                ),
            )
        }
    })
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
        if let Some(code) = get("resultCode") {
            return pg_message(&st, &e, &code, js::get(&data, "data"));
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
            !s.settled
                && from_our_window
                && window::accept_message(&e.origin(), &s.allowed, &tag, &id, expected)
        };
        if accepted {
            let result = js::get(&data, "result");
            settle_with_result(&st, result);
        }
    });
    add_listener(state, w, "message", on_message)
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

/// KISPG's PC window ends with `{resultCode: '0000' | 'XXXX', data}` posted to its parent
/// (qwerthong/qwerthong.github.io:paySample.jsp@e245accd, `returnData`, "수정 불가능"), taken
/// only from KISPG's own origins and from hanpay's frame. `0000`: `data` goes to `returnUrl`
/// in that frame, as the sample's `receive_result` posts it (there the merchant's return page
/// verifies and relays as usual). `XXXX` ("인증실패시"): the sample only shows `resultCd` and
/// `resultMsg` and closes the window; a message naming 취소 is the buyer's cancel, anything
/// else the PG's error. Any other code is not KISPG's and is ignored.
fn pg_message(state: &Shared, e: &MessageEvent, code: &str, data: JsValue) {
    let (frame, ret) = {
        let s = state.read();
        let Some(Surface::Layer(l)) = &s.surface else {
            return;
        };
        let ok = !s.settled
            && s.pg_allowed.iter().any(|o| *o == e.origin())
            && e.source()
                .is_some_and(|src| from_frame(l, &src.unchecked_into(), false));
        if !ok {
            return;
        }
        (s.shape.frame, s.return_to.clone())
    };
    match code {
        "0000" if data.is_object() => {
            // The frame shows KISPG's page now (cross-origin: its name cannot be swapped for a
            // one-time one as submit() does), so the post goes by the name create_layer gave it.
            if let Err(err) = dom::submit_data(&ret.0, &ret.1, &data, frame, &JsValue::NULL) {
                fail(state, err)
            }
        }
        "XXXX" => {
            let text = |k: &str| js::get(&data, k).as_string().unwrap_or_default();
            let (cd, msg) = (text("resultCd"), text("resultMsg"));
            let cancelled = crate::text::contains_str(&msg, "취소");
            fail(state, super::adapters::refusal(&cd, &msg, cancelled))
        }
        _ => {}
    }
}

/// A page restored from the back-forward cache must not settle twice; a redirect that comes back
/// through the back button without a result means the user left the PG page.
fn listen_for_bfcache(state: &Shared, w: &Window) -> Result<(), JsValue> {
    let st = state.clone();
    let on_show = js::on_event(move |e| {
        let e: PageTransitionEvent = e.unchecked_into();
        let redirect = matches!(st.read().surface, Some(Surface::Redirect(_)));
        if e.persisted() && redirect {
            fail(
                &st,
                error(
                    ErrorCode::UserCancel,
                    "returned from the payment page without a result",
                ),
            );
        }
    });
    add_listener(state, w, "pageshow", on_show)
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
        return finish(state, Ok(result));
    }
    match window::outcome_of(flag("success"), flag("cancelled")) {
        Outcome::Resolve => finish(state, Ok(result)),
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

fn fail(state: &Shared, err: JsValue) {
    finish(state, Err(err))
}

/// Settles once: later calls are ignored. Tears down windows, timers and listeners; the
/// closures are dropped on a later tick because one of them may be running right now. The
/// state's borrow ends before the DOM calls: closing the popup, removing the layer and giving
/// focus back run page handlers (focus, pagehide), which may re-enter this flow (a KSNET
/// `goResult` from a focus handler, say) and must find it settled, not borrowed (security
/// review, "C ABI / JNI" section).
fn finish(state: &Shared, outcome: Result<JsValue, JsValue>) {
    let (callback, teardown) = {
        let mut s = state.write();
        if s.settled {
            return;
        }
        s.settled = true;
        let callback = match &outcome {
            Ok(_) => s.resolve.clone(),
            Err(_) => s.reject.clone(),
        };
        let teardown = (
            core::mem::take(&mut s.timers),
            core::mem::take(&mut s.intervals),
            core::mem::take(&mut s.listeners),
            s.surface.take(),
            s.restore_focus.take(),
            core::mem::take(&mut s.closures),
        );
        (callback, teardown)
    };
    let (timers, intervals, listeners, surface, restore_focus, leftovers) = teardown;
    let w = crate::web::dom::window();
    if let Some(w) = &w {
        for id in timers {
            w.clear_timeout_with_handle(id);
        }
        for id in intervals {
            w.clear_interval_with_handle(id);
        }
    }
    for (target, kind, f) in listeners {
        let _ = target.remove_event_listener_with_callback(kind, &f);
    }
    match surface {
        Some(Surface::Popup(p)) => {
            let _ = p.close();
        }
        Some(Surface::Layer(l)) => l.root.remove(),
        _ => {}
    }
    if let Some(el) = restore_focus {
        let _ = el.focus();
    }
    if let Some(w) = &w {
        let drop_later = js::once_into_js(move |_| drop(leftovers));
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(drop_later.unchecked_ref(), 0);
    }
    let value = match outcome {
        Ok(v) | Err(v) => v,
    };
    let _ = callback.call1(&JsValue::NULL, &value);
}
