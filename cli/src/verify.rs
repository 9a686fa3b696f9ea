//! `hanpay verify <pg> --kind return|notice|approval [--key K] [--expect-amount N]
//! [--expect-order ID] [--expect-tid TID] [--peer-ip IP] [--mode test|live]`
//!
//! Reads what the PG posted on stdin (form-urlencoded; JSON when it starts with `{`; KSNET's
//! backtick `recv_post` text) and prints one JSON object:
//! `{"status", "authentic", "success", "code", "message", "amount", "tid", "order_id", "reply", …}`.

use clap::Args as ClapArgs;
use hanpay::pg::{self, MessageKind, Mode, Params, Pg, Verify};
use hanpay::{Rule, ValidationError};
use std::io::Read;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    // One of hanpay's PGs: the help line is `hanpay::pg::NAMES`, generated from crates/hanpay-pg/data/pg.
    #[arg(help = hanpay::pg::NAMES)]
    pg: String,
    /// return (through the browser) | notice (server-to-server) | approval (your own server call)
    #[arg(long)]
    kind: String,
    /// Merchant key used to check signatures (empty: a signed kind is never authentic).
    #[arg(long, default_value = "")]
    key: String,
    /// The order amount from your own record; a message for another amount is rejected, and
    /// deposits are measured against it.
    #[arg(long)]
    expect_amount: Option<u64>,
    /// The order id from your own record; a message for another order is rejected.
    #[arg(long)]
    expect_order: Option<String>,
    /// The PG transaction id stored for this order; a message for another one is rejected.
    #[arg(long)]
    expect_tid: Option<String>,
    /// Where a notice came from (the TCP peer, or your proxy's client-address header); checked
    /// against the PG's published notifier addresses where the PG signs nothing.
    #[arg(long)]
    peer_ip: Option<String>,
    /// test | live: which notifier addresses are published for this merchant (default live: a
    /// test notifier is never trusted for live orders).
    #[arg(long, default_value = "live")]
    mode: String,
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
        return crate::form::invalid(&ValidationError::new("pg", Rule::OneOf, hanpay::pg::NAMES));
    };
    let Ok(kind) = args.kind.parse::<MessageKind>() else {
        return crate::form::invalid(&ValidationError::new(
            "--kind",
            Rule::OneOf,
            "return|notice|approval",
        ));
    };
    let Some(mode) = Mode::from_name(&args.mode) else {
        return crate::form::invalid(&ValidationError::new("--mode", Rule::OneOf, "test|live"));
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
    } else if let Some(p) = (pg.gateway().text_body)(&text) {
        p
    } else {
        Params::from_urlencoded(text.trim_end().as_bytes(), &|b: &[u8]| decode(b))
    };
    let mut check = Verify::new(kind, &args.key).mode(mode);
    if let Some(ip) = &args.peer_ip {
        check = check.peer_ip(ip);
    }
    check.expect.order_id = args.expect_order;
    check.expect.amount = args.expect_amount;
    check.expect.tid = args.expect_tid;
    let result = pg::verify(pg, &params, &check);
    println!("{}", result.to_json());
    ExitCode::SUCCESS
}
