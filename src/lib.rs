//! hanpay — Korean payment-gateway checkouts for browsers, merchant servers and WebView apps.
//!
//! This file is the map of the crate: it declares modules and re-exports their main types.
//! The core is plain Rust and compiles for the host and for `wasm32-unknown-unknown`;
//! the browser surface lives in [`web`] and exists only on wasm32.
//!
//! ```
//! let env = hanpay::env::detect(
//!     "Mozilla/5.0 (Linux; Android 13; SM-S911N) AppleWebKit/537.36 (KHTML, like Gecko) \
//!      Chrome/120.0 Mobile Safari/537.36 KAKAOTALK 10.4.5",
//!     0,
//! );
//! assert_eq!(env.in_app.as_deref(), Some("kakaotalk"));
//! assert_eq!(env.mode, hanpay::env::WindowMode::Redirect);
//! ```

// The browser package is built without std (`make pkg` enables the `browser-pkg` feature): std's
// panic machinery formats messages and locations that a browser never shows, and its code was
// about a tenth of the package (issue 8 size budget; docs/size.md). Every other build, including
// the wasm tests and the Node entry, links std as usual.
#![cfg_attr(all(target_arch = "wasm32", feature = "browser-pkg"), no_std)]

extern crate alloc;

/// `crate::prelude`: the `alloc` items std's prelude would bring, so the browser surface
/// compiles with and without std (on the host nothing here uses it).
#[allow(unused_imports)]
use hanpay_text::prelude;

// The layer crates, under the paths hanpay has always had (ARCHITECTURE.md "Layers").
pub use hanpay_apps as apps;
pub use hanpay_pg::{error, form, order, pg};
pub use hanpay_policy::{app_return, env, window};
pub use hanpay_text as text;

#[cfg(all(target_arch = "wasm32", feature = "node"))]
pub mod node;

#[cfg(target_arch = "wasm32")]
pub mod web;

pub use env::{detect, Environment};
pub use error::Error;
pub use form::{CheckoutForm, Rule, ValidationError};
pub use order::{Method, Order};
pub use pg::{KstTime, Mode, Params, PaymentResult, Pg};

/// The crate version, as published in `Cargo.toml` and the npm package.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// lol_alloc's free-list allocator instead of the default dlmalloc (and of talc, used before) in
/// the wasm builds: the module is single-threaded, and this allocator is the smallest measured
/// one that still frees and reuses memory (size budget; docs/size.md History).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: wasm32 without the atomics feature has one thread, which is what
    // AssumeSingleThreaded requires.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// Without std, a panic traps. hanpay's browser code is written not to panic (typed errors for
/// every bad input, fuzzed natively); this only decides what an impossible panic costs in bytes.
#[cfg(all(target_arch = "wasm32", feature = "browser-pkg", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
