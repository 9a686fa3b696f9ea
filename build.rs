//! Build-time generation of compact tables from the data files in `data/`, so the crate
//! carries data as code and the wasm build needs no parser or encoder at run time.
//! Each generator lives in `build/` and writes one file into `OUT_DIR`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
}
