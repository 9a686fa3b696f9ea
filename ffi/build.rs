//! Generates `include/hanpay.h` from the `extern "C"` functions in `src/c_api.rs`, so the
//! header can never drift from the ABI. The file is rewritten only when its text changes.

use std::path::PathBuf;

fn main() {
    let dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    println!("cargo:rerun-if-changed=src/c_api.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let config =
        cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("ffi/cbindgen.toml parses");
    let bindings = cbindgen::Builder::new()
        .with_crate(&dir)
        .with_config(config)
        .generate()
        .expect("cbindgen can read src/c_api.rs");
    let mut text = Vec::new();
    bindings.write(&mut text);
    let path = dir.join("include").join("hanpay.h");
    if std::fs::read(&path).ok().as_deref() != Some(text.as_slice()) {
        std::fs::create_dir_all(dir.join("include")).expect("create ffi/include");
        std::fs::write(&path, &text).expect("write ffi/include/hanpay.h");
    }
}
