//! Build-time generation of compact tables from the data files in `data/`, so the crate
//! carries data as code and the wasm build needs no parser or encoder at run time.
//! Each generator lives in `build/` and writes one file into `OUT_DIR`.

// A build script runs on the build machine and is never linked: the browser package's size
// rules (crates/clippy.toml, applied to the browser build by `make lint`) are not for it.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

#[path = "build/codes.rs"]
mod codes;
#[path = "build/pg.rs"]
mod pg;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let pgs = pg::load();
    pg::generate(&pgs);
    codes::generate(&pgs);
}
