//! hanpay — Korean payment-gateway checkouts for browsers, merchant servers and WebView apps.
//!
//! This file is the map of the crate: it declares modules and re-exports their main types.
//! The core is plain Rust and compiles for the host and for `wasm32-unknown-unknown`;
//! the browser surface is the crate `hanpay-web`, re-exported as `web` on wasm32.
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

extern crate alloc;

/// `crate::prelude`: the `alloc` items std's prelude would bring, so the browser surface
/// compiles with and without std (on the host nothing here uses it).
#[allow(unused_imports)]
use hanpay_text::prelude;

// The layer crates, under the paths hanpay has always had (ARCHITECTURE.md "Layers").
pub use hanpay_apps as apps;
pub use hanpay_pg::{app_return, error, form, order, pg};
pub use hanpay_policy::{env, window};
pub use hanpay_text as text;

/// The browser surface (`crates/hanpay-web`, what `make pkg` builds), on wasm32.
#[cfg(target_arch = "wasm32")]
pub use hanpay_web as web;

pub use env::{detect, Environment};
pub use error::Error;
pub use form::{CheckoutForm, Rule, ValidationError};
pub use order::{Method, Order};
pub use pg::{KstTime, Mode, Params, PaymentResult, Pg};

/// The crate version, as published in `Cargo.toml` and the npm package.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
