//! `hanpay request <pg> <call> [--key K] --mode test|live [--now YYYYMMDDHHMMSS]`
//!
//! Reads the call's parameters as one JSON object of the PG's own names on stdin (as `hanpay
//! form` takes them), fills what hanpay computes (hashes, `ediDate`/`LGD_TXID` from `--now`,
//! fixed fields) and prints `{"method","url","content_type","fields"}`. Nothing is sent.
//! Invalid input: exit status 1 and `{"error":"invalid_input","field",…,"rule",…}` on stdout.
//! `--mode` picks the PG's test or live host and has no default, so a test merchant is never
//! sent to a live host by omission.

use clap::Args as ClapArgs;
use hanpay::pg::call::{self, Call};
use hanpay::pg::{Mode, Pg};
use hanpay::{Rule, ValidationError};
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    /// xpay | smartro | kspay | kcp | kispg | smartropay
    pg: String,
    /// xpay: payment_by_key|cancel|partial_cancel; smartro: cancel|partial_cancel;
    /// kcp: approve|capture|cancel|partial_cancel; kspay: fetch_result|confirm_result;
    /// kispg: payment|order|cancel|partial_cancel|refund; smartropay: approve|cancel|partial_cancel
    call: String,
    /// Merchant key (XPay MertKey, Smartro/SMARTRO PAY/KISPG merchantKey; unused by KSPay and KCP).
    #[arg(long, default_value = "")]
    key: String,
    /// test | live (required: picks the PG's host)
    #[arg(long)]
    mode: Option<String>,
    /// Clock (KST) for ediDate, LGD_TXID and freshness checks; defaults to the system clock.
    #[arg(long)]
    now: Option<String>,
}

fn invalid(e: &ValidationError) -> ExitCode {
    println!("{}", e.to_json());
    ExitCode::from(1)
}

pub fn run(args: Args) -> ExitCode {
    let Some(pg) = Pg::from_name(&args.pg) else {
        return invalid(&ValidationError::new(
            "pg",
            Rule::OneOf,
            "xpay|smartro|kspay|kcp|kispg|smartropay",
        ));
    };
    let Some(call) = args
        .call
        .parse::<Call>()
        .ok()
        .filter(|c| Call::of(pg).contains(c))
    else {
        return invalid(&Call::unknown(pg));
    };
    let mode = match args.mode.as_deref().map(Mode::from_name) {
        Some(Some(m)) => m,
        Some(None) => return invalid(&ValidationError::new("--mode", Rule::OneOf, "test|live")),
        None => {
            return invalid(&ValidationError::new(
                "--mode",
                Rule::Required,
                "test|live: the PG host to address",
            ))
        }
    };
    let (now, params) = match crate::form::clock_and_params(args.now.as_deref()) {
        Ok(v) => v,
        Err(e) => return invalid(&e),
    };
    match call::request(pg, call, params, &args.key, mode, now) {
        Ok(req) => {
            println!("{}", req.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => invalid(&e),
    }
}
