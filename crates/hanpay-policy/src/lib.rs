//! Environment and window policy of hanpay: what the browser, WebView or in-app browser is
//! ([`env`]), how the checkout window is shown and how its result comes back ([`window`]), and
//! how the payer gets back from a card or bank app ([`app_return`]).
//!
//! Pure functions of their inputs, so the browser engine, the Node entry, the native bridge
//! and the tests share them (`tests/data/user-agents.json`, `tests/data/window-plan.json`).
//! The umbrella crate `hanpay` re-exports the three modules under their old paths
//! (`hanpay::env`, `hanpay::window`, `hanpay::app_return`).

#![no_std]

extern crate alloc;
#[cfg(test)]
extern crate std;

/// `crate::prelude`: the `alloc` items std's prelude would bring (the crate is `no_std`).
use hanpay_text::prelude;

/// The text helpers, under the name the modules of this crate use (`crate::text`).
use hanpay_text as text;

pub mod app_return;
pub mod env;
pub mod window;

pub use env::{detect, Environment};
