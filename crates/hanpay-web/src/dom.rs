//! DOM building blocks of the checkout engine and the PG adapters, implemented in `js/dom.js`:
//! the hidden form that carries the signed fields, the iframe layer, PG script tags and KCP's
//! written iframe document. Rust decides what to build; the JavaScript module only makes the
//! DOM calls, which as wasm imports cost several times their size (issue 8 size budget).
//! Values are set as properties, never through markup, so field values shaped like markup
//! stay inert text.

use crate::prelude::*;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlFormElement, HtmlIFrameElement, Window};

#[wasm_bindgen(module = "/js/dom.js")]
extern "C" {
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = buildForm, catch)]
    fn build_form_js(
        doc: &Document,
        name: &str,
        action: &str,
        method: &str,
        charset: &str,
        target: &str,
        fields: &Array,
        ids: bool,
    ) -> Result<HtmlFormElement, JsValue>;
    /// `fields`: the flat array of [`flat`].
    #[wasm_bindgen(js_name = postForm, catch)]
    fn post_form_js(
        action: &str,
        method: &str,
        charset: &str,
        target: &str,
        fields: &JsValue,
        win: &JsValue,
    ) -> Result<(), JsValue>;
    #[wasm_bindgen(js_name = createLayer, catch)]
    fn create_layer_js(
        session: &Session,
        frame_name: &str,
        title: &str,
        w: u16,
        h: u16,
    ) -> Result<Array, JsValue>;
    /// Fails `session` with `USER_CANCEL` when the page comes back from the back-forward cache.
    #[wasm_bindgen(js_name = watchReturn)]
    pub(crate) fn watch_return(session: &Session);
    /// Fails `session` with `USER_CANCEL` `grace_ms` after `popup` is seen closed.
    #[wasm_bindgen(js_name = watchPopup)]
    pub(crate) fn watch_popup(session: &Session, popup: &Window, grace_ms: i32);
    /// KISPG's message channel (`js/dom.js pgChannel`): `{resultCode, data}` from one of the
    /// space-separated `origins` and the layer `frame`'s window posts `data` to `return_url`
    /// or fails the session.
    #[wasm_bindgen(js_name = pgChannel)]
    pub(crate) fn pg_channel(
        session: &Session,
        frame: &HtmlIFrameElement,
        origins: &str,
        return_url: &str,
        charset: &str,
    );
    #[wasm_bindgen(js_name = loadScript)]
    fn load_script_js(doc: &Document, src: &str, timeout_ms: i32, code: &str) -> Promise;
    #[wasm_bindgen(js_name = openFrame, catch)]
    pub(crate) fn open_frame(title: &str, mark: &str) -> Result<HtmlIFrameElement, JsValue>;
    #[wasm_bindgen(js_name = writeScript, catch)]
    pub(crate) fn write_script(
        frame: &HtmlIFrameElement,
        src: &str,
        on_error: &Function,
        on_load: &Function,
    ) -> Result<(), JsValue>;
    /// One browser payment session (`js/dom.js Session`, issue #15 item 4): a promise settled
    /// once that owns its listeners, timers, page globals, windows and elements and releases
    /// them when it settles. Fails with `TIMEOUT` after the constructor's milliseconds
    /// (none when negative).
    #[derive(Clone)]
    pub(crate) type Session;
    #[wasm_bindgen(constructor, js_class = "Session")]
    pub(crate) fn new(timeout_ms: i32) -> Session;
    /// Fails the session with `TIMEOUT` after `ms` (a negative constructor argument sets none).
    #[wasm_bindgen(method)]
    pub(crate) fn timeout(this: &Session, ms: i32);
    #[wasm_bindgen(method, getter)]
    pub(crate) fn promise(this: &Session) -> Promise;
    #[wasm_bindgen(method, getter)]
    pub(crate) fn settled(this: &Session) -> bool;
    /// Resolves (`ok`) or rejects with `value` the first time; later calls do nothing.
    #[wasm_bindgen(method)]
    pub(crate) fn settle(this: &Session, ok: bool, value: &JsValue);
    /// `addEventListener`, removed when the session settles.
    #[wasm_bindgen(method)]
    pub(crate) fn listen(this: &Session, target: &JsValue, kind: &str, f: &JsValue);
    /// `setTimeout`, cleared when the session settles.
    #[wasm_bindgen(method)]
    pub(crate) fn timer(this: &Session, ms: i32, f: &JsValue);
    /// `setInterval`, cleared when the session settles.
    #[wasm_bindgen(method)]
    pub(crate) fn every(this: &Session, ms: i32, f: &JsValue);
    /// Sets the page global `name` for the session (`NAME_CONFLICT` when it is taken).
    #[wasm_bindgen(method, catch)]
    pub(crate) fn global(
        this: &Session,
        target: &JsValue,
        name: &str,
        f: &JsValue,
    ) -> Result<(), JsValue>;
    /// Calls `o[method]()` when the session settles (after the listeners and timers go).
    #[wasm_bindgen(method)]
    pub(crate) fn own(this: &Session, o: &JsValue, method: &str);
    /// Runs `step` (a [`super::js::once_map`] function) on the value of `value` unless settled
    /// by then; a rejection fails the session.
    #[wasm_bindgen(method)]
    pub(crate) fn then(this: &Session, value: &JsValue, step: &JsValue);
    /// The page's window; `None` outside a browser window (a worker, Node).
    #[wasm_bindgen(js_name = browserWindow)]
    pub(crate) fn window() -> Option<Window>;
    /// The value of field `name` of `form` (any realm), or "".
    #[wasm_bindgen(js_name = formValue)]
    pub(crate) fn form_value(form: &HtmlFormElement, name: &str) -> String;
    /// The value of the element `id` in the document of the iframe `frame`, or "".
    #[wasm_bindgen(js_name = frameValue)]
    pub(crate) fn frame_value(frame: &JsValue, id: &str) -> String;
    /// The own data value of `obj[key]`, or `undefined` (security review, finding 3).
    #[wasm_bindgen(js_name = ownValue)]
    pub(crate) fn own_value(obj: &JsValue, key: &JsValue) -> JsValue;
    /// A null-prototype copy of the own enumerable data properties of `obj`.
    #[wasm_bindgen(js_name = ownCopy)]
    pub(crate) fn own_copy(obj: &JsValue) -> JsValue;
    /// 0: the form may be posted into `win` by `name`; 1: the window is gone; 2: the name
    /// would not pick hanpay's own window (findings 4, 5).
    #[wasm_bindgen(js_name = postTarget)]
    pub(crate) fn post_target(name: &str, win: &JsValue, frame: &JsValue, fresh: bool) -> u32;
    /// Whether `win` (a window or an iframe element) shows the same-origin page `url`.
    #[wasm_bindgen(js_name = showsPage)]
    pub(crate) fn shows_page(win: &JsValue, url: &str) -> bool;
    /// The hybrid-app bridges present: 1 ReactNativeWebView, 2 webkit.messageHandlers,
    /// 4 HanpayAndroid (finding 8).
    pub(crate) fn bridges() -> u32;
    /// Whether `s` is exactly the serialized http(s) origin of itself (finding 9).
    #[wasm_bindgen(js_name = exactOrigin)]
    pub(crate) fn exact_origin(s: &str) -> bool;
}

/// `[name, value, name, value, …]`: one flat array instead of an array per field.
pub(crate) fn flat(fields: &[(String, String)]) -> Array {
    let list = Array::new();
    for (name, value) in fields {
        list.push(&JsValue::from_str(name));
        list.push(&JsValue::from_str(value));
    }
    list
}

/// Builds the form of an already checked checkout, submits it into `target` — into `win`, the
/// window of that name hanpay created, when given (`null` for `_self`/`_top`) — and removes it
/// again. `accept-charset` is honoured so EUC-KR PGs (Smartro, KCP) receive EUC-KR bytes.
pub(crate) fn submit_form(
    action: &str,
    method: &str,
    accept_charset: &str,
    fields: &[(String, String)],
    target: &str,
    win: &JsValue,
) -> Result<(), JsValue> {
    post_form_js(action, method, accept_charset, target, &flat(fields), win)
}

/// A hidden, not submitted form named `name` in `doc` (which may be an iframe's), inputs with
/// ids equal to their names.
pub(crate) fn build_form(
    doc: &Document,
    name: &str,
    charset: &str,
    fields: &[(String, String)],
) -> Result<HtmlFormElement, JsValue> {
    build_form_js(doc, name, "", "post", charset, "", &flat(fields), true)
}

/// `<script src>` appended to `doc`: fulfils once it ran, rejects with `SCRIPT_LOAD_FAILED`
/// on a load error or after `timeout_ms`.
pub(crate) fn load_script(doc: &Document, src: &str, timeout_ms: i32) -> Promise {
    load_script_js(
        doc,
        src,
        timeout_ms,
        crate::window::ErrorCode::ScriptLoadFailed.as_str(),
    )
}

/// The iframe layer: a dimmer covering the page, a dialog with a close button and the iframe,
/// wired to the session (`js/dom.js createLayer`: the close button, Escape, the focus trap, a
/// layer removed from the page) and removed when it settles.
pub(crate) struct Layer {
    pub close_button: HtmlElement,
    pub iframe: HtmlIFrameElement,
}

/// Creates the layer (not yet focused). `title` labels the dialog for screen readers.
pub(crate) fn create_layer(
    session: &Session,
    frame_name: &str,
    title: &str,
    (w, h): (u16, u16),
) -> Result<Layer, JsValue> {
    let parts = create_layer_js(session, frame_name, title, w, h)?;
    Ok(Layer {
        close_button: parts.get(0).unchecked_into(),
        iframe: parts.get(1).unchecked_into(),
    })
}

/// The element that has focus now, to give it back when the layer closes.
pub(crate) fn active_element(doc: &Document) -> Option<HtmlElement> {
    doc.active_element()
        .and_then(|e: Element| e.dyn_into::<HtmlElement>().ok())
}

/// This page's window, or `NO_BROWSER` where there is none (a Node or server-rendering import).
pub(crate) fn page_window() -> Result<Window, wasm_bindgen::JsValue> {
    window().ok_or_else(super::error::no_browser)
}
