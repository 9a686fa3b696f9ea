//! `hanpay`: poke at the hanpay core from a shell (QA, support, ops).
//!
//! Each subcommand prints JSON on one line so scripts can consume it.

// The CLI is native-only. `wasm-pack test` builds every default workspace member for wasm32,
// so there the binary is an empty program rather than a build failure.
#[cfg(not(target_arch = "wasm32"))]
mod app;
#[cfg(not(target_arch = "wasm32"))]
mod call;
#[cfg(not(target_arch = "wasm32"))]
mod classify;
#[cfg(not(target_arch = "wasm32"))]
mod detect;
#[cfg(not(target_arch = "wasm32"))]
mod digest;
#[cfg(not(target_arch = "wasm32"))]
mod form;
#[cfg(not(target_arch = "wasm32"))]
mod manifest;
#[cfg(not(target_arch = "wasm32"))]
mod request;
#[cfg(not(target_arch = "wasm32"))]
mod verify;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    app::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
