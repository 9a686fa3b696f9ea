//! Build-time generation of compact tables from the data files in `data/`, so the crate
//! carries data as code and the wasm build needs no parser or encoder at run time.
//! Each generator lives in `build/` and writes one file into `OUT_DIR`.

#[path = "build/apps.rs"]
mod apps;

#[path = "build/codes.rs"]
mod codes;
#[path = "build/euckr.rs"]
mod euckr;
#[path = "build/pg.rs"]
mod pg;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    euckr::generate();
    let pgs = pg::load();
    pg::generate(&pgs);
    codes::generate(&pgs);
    apps::generate();
}
