//! Generates the EUC-KR encodability table of the BMP (`OUT_DIR/euckr_table.rs`).
//!
//! The table comes from encoding_rs (the WHATWG EUC-KR encoder browsers use), so
//! `src/lib.rs` can count the bytes a browser sends without linking an encoder into wasm.
//! Layout: 256 blocks of 256 code points; each block is 8 × u32 bits; identical blocks
//! (all-empty, all-Hangul, …) are stored once and `BLOCK_INDEX` points at them.

// A build script runs on the build machine and is never linked: crates/clippy.toml's size
// rules are for the browser package.
#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

use std::fmt::Write as _;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut blocks: Vec<[u32; 8]> = Vec::new();
    let mut index = [0u8; 256];
    for hi in 0..256u32 {
        let mut bits = [0u32; 8];
        for lo in 0..256u32 {
            let cp = (hi << 8) | lo;
            let encodable = if cp < 0x80 {
                true
            } else {
                match char::from_u32(cp) {
                    Some(c) => {
                        let mut buf = [0u8; 4];
                        let (_, _, had_errors) =
                            encoding_rs::EUC_KR.encode(c.encode_utf8(&mut buf));
                        !had_errors
                    }
                    None => false,
                }
            };
            if encodable {
                bits[(lo >> 5) as usize] |= 1 << (lo & 31);
            }
        }
        let id = match blocks.iter().position(|b| *b == bits) {
            Some(id) => id,
            None => {
                blocks.push(bits);
                blocks.len() - 1
            }
        };
        index[hi as usize] = u8::try_from(id).expect("fewer than 256 distinct blocks");
    }
    let mut out = String::new();
    out.push_str("/// Block number for each high byte of a BMP code point.\n");
    let _ = writeln!(out, "pub(crate) static BLOCK_INDEX: [u8; 256] = {index:?};");
    out.push_str("/// 256-bit encodability bitmaps, one per distinct block.\n");
    let _ = writeln!(
        out,
        "pub(crate) static BLOCKS: [[u32; 8]; {}] = [",
        blocks.len()
    );
    for b in &blocks {
        let _ = writeln!(out, "    {b:?},");
    }
    out.push_str("];\n");
    let dir = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(std::path::Path::new(&dir).join("euckr_table.rs"), out)
        .expect("write euckr_table.rs");
}
