//! Smartro WEBLink (notes §2.1): the engine's own window. `FORWARD=Y` forms go to the popup
//! `payWindow`, `FORWARD=N` forms to the hidden iframe `payFrame` (manual 001, 결제창 호출), and
//! the signed `ReturnURL` post, verified by the merchant's server, is relayed back as the result.

use super::super::open::{self, Shape};
use js_sys::Promise;
use wasm_bindgen::JsValue;

/// Smartro `FORWARD=N`: `payFrame` is a 0×0 frame inside which the module opens its own window
/// ("화면처리방식 N:결제모듈내부 팝업호출", `<iframe name="payFrame" width="0" height="0">`:
/// nokr82/GVMP:myOffice/SmartroPay/mainPayConfirm.php@fcee951e). hanpay keeps a small dialog
/// with its close button over the page: that module window is not hanpay's, so the buyer's way
/// out that hanpay sees is that button (`USER_CANCEL`).
const HIDDEN: Shape = Shape {
    size: (0, 0),
    ..open::DEFAULT_SHAPE
};

pub(super) fn pay(form: JsValue, options: &JsValue) -> Result<Promise, JsValue> {
    // FORWARD=Y → popup `payWindow`; FORWARD=N → iframe `payFrame` (manual 001, 결제창 호출).
    let iframe = super::form_target(&form) == "payFrame";
    let prefers = if iframe { "iframe" } else { "popup" };
    let (form, opts, _) = super::engine_form("smartro", form, options, prefers)?;
    Ok(if iframe {
        open::open_shaped(form, opts, HIDDEN, "").0
    } else {
        open::open(form, opts)
    })
}
