//! `hanpay verify <pg> --key KEY [--expect-amount N]`
//!
//! Reads what the PG posted on stdin (form-urlencoded; JSON for KISPG API responses; KSNET's
//! backtick `recv_post` text) and prints
//! `{"authentic", "success", "code", "message", "amount", "tid", "reply"}`.

use clap::Args as ClapArgs;
use hanpay::pg::{self, kspay, Params, Pg};
use hanpay::{Rule, ValidationError};
use std::io::Read;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    /// xpay | smartro | kspay | kcp | kispg
    pg: String,
    /// Merchant key used to check signatures (empty: signatures count as not authentic).
    #[arg(long, default_value = "")]
    key: String,
    /// Amount the order expects; `success` is false when the posted amount differs.
    #[arg(long)]
    expect_amount: Option<u64>,
}

/// Percent-decoded bytes as text: UTF-8 when valid, else EUC-KR (Smartro notices and KCP
/// posts are EUC-KR, manual 001 §6.4).
fn decode(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::EUC_KR
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

pub fn run(args: Args) -> ExitCode {
    let Some(pg) = Pg::from_name(&args.pg) else {
        return crate::form::invalid(&ValidationError::new(
            "pg",
            Rule::OneOf,
            "xpay|smartro|kspay|kcp|kispg",
        ));
    };
    let mut body = Vec::new();
    if std::io::stdin().read_to_end(&mut body).is_err() {
        return crate::form::invalid(&ValidationError::new(
            "stdin",
            Rule::Format,
            "readable body",
        ));
    }
    let text = decode(&body);
    let trimmed = text.trim_start();
    let params = if trimmed.starts_with('{') {
        match Params::from_json(trimmed) {
            Ok(p) => p,
            Err(e) => {
                return crate::form::invalid(&ValidationError::new(
                    "stdin",
                    Rule::Format,
                    format!("JSON object: {}", e.0),
                ))
            }
        }
    } else if pg == Pg::Kspay && text.contains('`') {
        kspay::parse_recv_post(&text)
    } else {
        Params::from_urlencoded(text.trim_end().as_bytes(), &|b: &[u8]| decode(b))
    };
    let result = pg::verify(pg, &params, &args.key, args.expect_amount);
    println!("{}", result.to_json());
    ExitCode::SUCCESS
}
