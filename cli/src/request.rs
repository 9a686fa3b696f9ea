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
use hanpay::pg::{KstTime, Mode, Params, Pg};
use hanpay::{Rule, ValidationError};
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    // One of hanpay's PGs: the help line is `hanpay::pg::NAMES`, generated from crates/hanpay-pg/data/pg.
    #[arg(help = hanpay::pg::NAMES)]
    pub(crate) pg: String,
    // The call: its help is each PG's `Call::of` (`calls_help`, set in app.rs).
    pub(crate) call: String,
    /// Merchant key (XPay MertKey, Smartro/SMARTRO PAY/KISPG merchantKey; unused by KSPay and KCP).
    #[arg(long, default_value = "")]
    pub(crate) key: String,
    /// test | live (required: picks the PG's host)
    #[arg(long)]
    pub(crate) mode: Option<String>,
    /// Clock (KST) for ediDate, LGD_TXID and freshness checks; defaults to the system clock.
    #[arg(long)]
    pub(crate) now: Option<String>,
}

pub(crate) fn invalid(e: &ValidationError) -> ExitCode {
    println!("{}", e.to_json());
    ExitCode::from(1)
}

/// What `hanpay request` and `hanpay call` read: the PG, the call, the mode, the clock and the
/// parameters on stdin, each refused with its field and rule.
pub(crate) struct Parsed {
    pub pg: Pg,
    pub call: Call,
    pub mode: Mode,
    pub now: KstTime,
    pub params: Params,
}

pub(crate) fn parse(args: &Args) -> Result<Parsed, ValidationError> {
    let pg = Pg::from_name(&args.pg)
        .ok_or_else(|| ValidationError::new("pg", Rule::OneOf, hanpay::pg::NAMES))?;
    let call = args
        .call
        .parse::<Call>()
        .ok()
        .filter(|c| Call::of(pg).contains(c))
        .ok_or_else(|| Call::unknown(pg))?;
    let mode = match args.mode.as_deref().map(Mode::from_name) {
        Some(Some(m)) => m,
        Some(None) => return Err(ValidationError::new("--mode", Rule::OneOf, "test|live")),
        None => {
            return Err(ValidationError::new(
                "--mode",
                Rule::Required,
                "test|live: the PG host to address",
            ))
        }
    };
    let (now, params) = crate::form::clock_and_params(args.now.as_deref())?;
    Ok(Parsed {
        pg,
        call,
        mode,
        now,
        params,
    })
}

pub fn run(args: Args) -> ExitCode {
    let p = match parse(&args) {
        Ok(p) => p,
        Err(e) => return invalid(&e),
    };
    match call::request(p.pg, p.call, p.params, &args.key, p.mode, p.now) {
        Ok(req) => {
            println!("{}", req.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => invalid(&e),
    }
}

/// `xpay: payment_by_key|cancel|…; smartro: …`: every PG's calls, from the registry.
pub(crate) fn calls_help() -> String {
    Pg::ALL
        .iter()
        .map(|pg| {
            let calls: Vec<&str> = Call::of(*pg).iter().map(|c| c.as_str()).collect();
            format!("{}: {}", pg.name(), calls.join("|"))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
