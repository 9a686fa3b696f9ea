//! KISPG (notes §5.1): the engine's own window. The official PC sample posts into its iframe
//! `pay_frame` and takes the result as a message; manual 004 §6's warning about iframes and
//! layer popups is about in-app browsers, which get a same-window submit anyway.

use super::super::open::{self, Shape};
use crate::text;
use js_sys::Promise;
use wasm_bindgen::JsValue;

/// KISPG's PC window: the iframe `pay_frame`, full-window like the sample's `.window` div, and
/// the message channel from KISPG's own hosts, test and live (`var url` of qwerthong/
/// qwerthong.github.io:paySample.jsp@e245accd; `kispg::action_url`). A popup keeps the engine's
/// `payWindow` and the `returnUrl` relay.
const SHAPE: Shape = Shape {
    frame: "pay_frame",
    size: (4096, 4096),
    pg_origins: "https://testapi.kispg.co.kr https://api.kispg.co.kr",
    ..open::DEFAULT_SHAPE
};

pub(super) fn pay(form: JsValue, options: &JsValue) -> Result<Promise, JsValue> {
    let (form, opts, sandbox) = super::engine_form("kispg", form, options, "iframe")?;
    // The sandbox's KISPG pages send the message from the sandbox's origin.
    let extra = sandbox
        .as_deref()
        .map_or("", |sb| text::trim_end_ascii(sb, b'/'));
    Ok(open::open_shaped(form, opts, SHAPE, extra).0)
}
