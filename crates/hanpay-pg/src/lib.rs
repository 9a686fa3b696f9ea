//! The PG core of hanpay: each Korean PG's checkout form, signatures, result verification and
//! the merchant server's calls to it, sans I/O. The umbrella crate `hanpay` re-exports it under
//! the old paths (`hanpay::pg`, `hanpay::form`, `hanpay::error`, `hanpay::order`).
//!
//! - [`pg`]: one module per PG (`pg::<pg>`, its `GATEWAY`) and the server calls (`pg::call`,
//!   each PG's `SERVER`), with each PG's tables compiled from `data/pg/<pg>.json` by `build.rs`;
//! - [`form`]: the signed checkout form and the typed [`form::ValidationError`];
//! - [`error`]: the registry of every error code and the umbrella [`error::Error`].
//!
//! Server-side code: `format!`, `serde_json` and `str`'s own methods are allowed here; the
//! browser package links only the few items its surface names (ARCHITECTURE.md "Layers").

// `no_std` (the browser package links a few items of it without std); the unit tests keep std's
// prelude, as they had when this code lived in the umbrella crate.
#![cfg_attr(not(test), no_std)]

extern crate alloc;
#[cfg(all(not(test), not(target_arch = "wasm32")))]
extern crate std;

/// `crate::prelude`: the `alloc` items std's prelude would bring (the crate is `no_std`, so the
/// browser package links its few browser-side items without std).
use hanpay_text::prelude;

// The layers below, under the names the modules of this crate use (`crate::text`, …).
use hanpay_apps as apps;
use hanpay_policy::env;
use hanpay_policy::window;
use hanpay_text as text;

pub mod app_return;
pub mod error;
pub mod form;
mod method;
pub mod pg;

/// The generic order (it lives with the PGs that map it: [`pg::order`]).
pub use pg::order;
