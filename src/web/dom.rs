//! DOM building blocks of the checkout engine: the hidden form that carries the signed fields,
//! and the iframe layer. Everything is created with DOM APIs and values are set as properties,
//! never through `innerHTML`, so field values shaped like markup stay inert text.

use crate::prelude::*;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, HtmlElement, HtmlFormElement, HtmlIFrameElement, HtmlInputElement,
};

/// A form the engine submits: what the merchant server produced, already checked.
pub(crate) struct FormSpec {
    pub action: String,
    pub method: String,
    pub accept_charset: String,
    pub fields: Vec<(String, String)>,
}

/// Builds the form, submits it into `target` and removes it again.
///
/// `accept-charset` is honoured so EUC-KR PGs (Smartro, KCP) receive EUC-KR bytes; the browser
/// encodes, which also turns characters EUC-KR lacks into `&#NNNNN;` exactly as the PG expects.
pub(crate) fn submit_form(doc: &Document, spec: &FormSpec, target: &str) -> Result<(), JsValue> {
    let form: HtmlFormElement = doc.create_element("form")?.dyn_into()?;
    form.set_action(&spec.action);
    form.set_method(if spec.method.is_empty() {
        "post"
    } else {
        &spec.method
    });
    if !spec.accept_charset.is_empty() {
        form.set_accept_charset(&spec.accept_charset);
    }
    form.set_target(target);
    form.set_attribute("data-hanpay", "checkout")?;
    form.style().set_property("display", "none")?;
    for (name, value) in &spec.fields {
        let input: HtmlInputElement = doc.create_element("input")?.dyn_into()?;
        input.set_type("hidden");
        input.set_name(name);
        input.set_value(value);
        form.append_child(&input)?;
    }
    let body = doc
        .body()
        .ok_or_else(|| JsValue::from_str("document has no body"))?;
    body.append_child(&form)?;
    let submitted = form.submit();
    form.remove();
    submitted
}

/// The iframe layer: a dimmer covering the page, a dialog with a close button and the iframe.
pub(crate) struct Layer {
    pub root: HtmlElement,
    pub close_button: HtmlElement,
    pub iframe: HtmlIFrameElement,
    /// Focusable guards before and after the dialog: focus that reaches one of them (Tab out of
    /// the PG's cross-origin frame, whose key events the page never sees) is sent back inside.
    pub guard_start: HtmlElement,
    pub guard_end: HtmlElement,
}

fn styled(doc: &Document, tag: &str, css: &[(&str, &str)]) -> Result<HtmlElement, JsValue> {
    let el: HtmlElement = doc.create_element(tag)?.dyn_into()?;
    let style = el.style();
    for (k, v) in css {
        style.set_property(k, v)?;
    }
    Ok(el)
}

/// Creates the layer (not yet focused). `title` labels the dialog for screen readers.
pub(crate) fn create_layer(
    doc: &Document,
    frame_name: &str,
    title: &str,
) -> Result<Layer, JsValue> {
    let root = styled(
        doc,
        "div",
        &[
            ("position", "fixed"),
            ("inset", "0"),
            ("z-index", "2147483000"),
            ("background", "rgba(0,0,0,0.5)"),
            ("display", "flex"),
            ("align-items", "center"),
            ("justify-content", "center"),
        ],
    )?;
    root.set_attribute("data-hanpay", "layer")?;
    let dialog = styled(
        doc,
        "div",
        &[
            ("position", "relative"),
            ("width", "min(720px, 100vw)"),
            ("height", "min(640px, 100vh)"),
            ("background", "#fff"),
            ("border-radius", "8px"),
            ("overflow", "hidden"),
        ],
    )?;
    dialog.set_attribute("role", "dialog")?;
    dialog.set_attribute("aria-modal", "true")?;
    dialog.set_attribute("aria-label", title)?;
    let close_button = styled(
        doc,
        "button",
        &[
            ("position", "absolute"),
            ("top", "4px"),
            ("right", "4px"),
            ("z-index", "1"),
            ("font-size", "20px"),
            ("line-height", "1"),
            ("padding", "6px 10px"),
            ("border", "0"),
            ("background", "transparent"),
            ("cursor", "pointer"),
        ],
    )?;
    close_button.set_attribute("type", "button")?;
    close_button.set_attribute("aria-label", "결제 닫기 (Close)")?;
    close_button.set_attribute("data-hanpay", "close")?;
    close_button.set_text_content(Some("×"));
    let iframe: HtmlIFrameElement = doc.create_element("iframe")?.dyn_into()?;
    iframe.set_name(frame_name);
    iframe.set_title(title);
    iframe.set_attribute("data-hanpay", "frame")?;
    let s = iframe.style();
    s.set_property("width", "100%")?;
    s.set_property("height", "100%")?;
    s.set_property("border", "0")?;
    let guard = || -> Result<HtmlElement, JsValue> {
        let g: HtmlElement = doc.create_element("span")?.dyn_into()?;
        g.set_tab_index(0);
        g.set_attribute("data-hanpay", "focus-guard")?;
        Ok(g)
    };
    let (guard_start, guard_end) = (guard()?, guard()?);
    dialog.append_child(&guard_start)?;
    dialog.append_child(&close_button)?;
    dialog.append_child(&iframe)?;
    dialog.append_child(&guard_end)?;
    root.append_child(&dialog)?;
    let body = doc
        .body()
        .ok_or_else(|| JsValue::from_str("document has no body"))?;
    body.append_child(&root)?;
    Ok(Layer {
        root,
        close_button,
        iframe,
        guard_start,
        guard_end,
    })
}

/// The element that has focus now, to give it back when the layer closes.
pub(crate) fn active_element(doc: &Document) -> Option<HtmlElement> {
    doc.active_element()
        .and_then(|e: Element| e.dyn_into::<HtmlElement>().ok())
}
