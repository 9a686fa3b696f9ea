//! hanpay-web: the browser surface (wasm32 only), thin typed wrappers exported to JavaScript.
//! This is the crate `make pkg` builds into the npm package, and the only one under the 50 KB
//! budget (`make size-check`); the umbrella `hanpay` re-exports it as `hanpay::web`. It links
//! the layer crates below it and none of the server code (ARCHITECTURE.md "Layers").
//! Natively it is empty.
#![cfg(target_arch = "wasm32")]
// The browser package is built without std (`make pkg` enables `browser-pkg`): std's panic
// machinery formats messages and locations that a browser never shows, and its code was about a
// tenth of the package (issue 8 size budget; docs/size.md). The wasm tests and the Node entry
// link std as usual.
#![cfg_attr(feature = "browser-pkg", no_std)]

extern crate alloc;

// The layers under the names the browser code has always used (`crate::pg`, `crate::env`, …).
use hanpay_apps as apps;
use hanpay_pg::pg;
use hanpay_policy::{env, window};
use hanpay_text as text;
#[allow(unused_imports)]
use hanpay_text::prelude;

/// The package version: the npm package's, which `make pkg` takes from this crate's manifest.
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// lol_alloc's free-list allocator instead of the default dlmalloc (and of talc, used before):
/// the module is single-threaded, and this allocator is the smallest measured one that still
/// frees and reuses memory (size budget; docs/size.md History). Every wasm build that links the
/// browser surface (the package, the wasm tests, the Node entry through the umbrella) uses it.
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32 without the atomics feature has one thread, which is what
    // AssumeSingleThreaded requires.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// Without std, a panic traps. hanpay's browser code is written not to panic (typed errors for
/// every bad input, fuzzed natively); this only decides what an impossible panic costs in bytes.
#[cfg(all(feature = "browser-pkg", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}

use crate::prelude::*;
use crate::text::AsciiCase as _;

use wasm_bindgen::prelude::*;

mod adapters;
mod app_return;
mod classify;
mod dom;
mod error;
mod js;
mod open;
mod relay;
mod types;
mod value;

pub use open::open;
pub use relay::relay_result;

/// The package version (`hanpay.version()`).
#[wasm_bindgen]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Detects the environment: `detectEnvironment(navigator.userAgent, navigator.maxTouchPoints)`.
#[wasm_bindgen(js_name = detectEnvironment, unchecked_return_type = "Environment")]
pub fn detect_environment(user_agent: &str, max_touch_points: u32) -> Result<JsValue, JsError> {
    Ok(environment_js(&crate::env::detect(
        user_agent,
        max_touch_points,
    )))
}

/// The environment of the current page, with the window probes only the page can see.
pub(crate) fn current_environment(
    w: &web_sys::Window,
    host_app: Option<&str>,
) -> crate::env::Environment {
    let nav = w.navigator();
    let ua = nav.user_agent().unwrap_or_default();
    let touch = nav.max_touch_points().max(0) as u32;
    let declared = host_app.map(str::to_string).or_else(|| {
        w.document()
            .and_then(|d| d.document_element())
            .and_then(|e| e.get_attribute("data-hanpay-host-app"))
    });
    // Real bridge objects only: named DOM elements show up as window properties too, and a
    // sanitizer that keeps `id`/`name` would let user content turn the page into a "webview"
    // (security review, finding 8).
    let bridges = dom::bridges();
    let probes = crate::env::Probes {
        host_app: declared
            .map(|h| h.trim().ascii_lower())
            .filter(|h| !h.is_empty()),
        react_native_webview: bridges & 1 != 0,
        webkit_message_handlers: bridges & 2 != 0,
        android_bridge: bridges & 4 != 0,
    };
    crate::env::detect_with(&ua, touch, &probes)
}

/// The environment of this page: `currentEnvironment()` (user agent plus window probes).
#[wasm_bindgen(js_name = currentEnvironment, unchecked_return_type = "Environment")]
pub fn current_environment_js() -> Result<JsValue, JsValue> {
    let w = crate::dom::page_window()?;
    Ok(environment_js(&current_environment(&w, None)))
}

/// An `Environment` as the CLI's JSON has it: `in_app` is `null` when absent, `host_app` is
/// omitted when absent (serde's `skip_serializing_if` on the Rust type).
fn environment_js(env: &crate::env::Environment) -> JsValue {
    let mut entries = vec![
        ("os", env.os.as_str().into()),
        ("device", env.device.as_str().into()),
        ("in_app", js::str_or_null(env.in_app.as_deref())),
        ("webview", env.webview.into()),
        ("mode", env.mode.as_str().into()),
    ];
    if let Some(host_app) = &env.host_app {
        entries.push(("host_app", host_app.as_str().into()));
    }
    js::object(&entries)
}
