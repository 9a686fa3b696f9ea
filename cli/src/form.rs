//! `hanpay form <pg> --key KEY --mode test|live [--now YYYYMMDDHHMMSS]`
//!
//! Reads one JSON object of the PG's own parameter names on stdin, fills what hanpay derives
//! (hashes, test-MID prefix, defaults), validates and prints the checkout form as JSON.
//! Invalid input: exit status 2 and `{"error":"invalid_input","field",…,"rule",…}` on stdout.

use clap::Args as ClapArgs;
use hanpay::pg::{self, KstTime, Mode, Params, Pg};
use hanpay::{Rule, ValidationError};
use std::io::Read;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    // One of hanpay's PGs: the help line is `hanpay::pg::NAMES`, generated from crates/hanpay-pg/data/pg.
    #[arg(help = hanpay::pg::NAMES)]
    pg: String,
    /// Merchant key (XPay MertKey, Smartro/KISPG merchantKey; unused by KSPay and KCP).
    #[arg(long, default_value = "")]
    key: String,
    /// test | live
    #[arg(long)]
    mode: String,
    /// Clock (KST) for defaults and freshness checks; defaults to the system clock.
    #[arg(long)]
    now: Option<String>,
}

/// Prints a validation error as JSON and returns exit status 2.
pub fn invalid(e: &ValidationError) -> ExitCode {
    println!("{}", e.to_json());
    ExitCode::from(2)
}

/// `--now` (the system clock when absent) and the JSON object of PG parameters on stdin, the
/// input of `hanpay form` and `hanpay request`.
pub fn clock_and_params(now: Option<&str>) -> Result<(KstTime, Params), ValidationError> {
    let now = match now {
        Some(s) => KstTime::parse(s)
            .ok_or_else(|| ValidationError::new("--now", Rule::Format, "YYYYMMDDHHMMSS"))?,
        None => KstTime::now(),
    };
    let mut input = String::new();
    if std::io::stdin().read_to_string(&mut input).is_err() {
        return Err(ValidationError::new(
            "stdin",
            Rule::Format,
            "UTF-8 JSON object",
        ));
    }
    let params = Params::from_json(&input).map_err(|e| {
        ValidationError::new(
            "stdin",
            Rule::Format,
            format!("JSON object of strings: {}", e.0),
        )
    })?;
    Ok((now, params))
}

pub fn run(args: Args) -> ExitCode {
    let Some(pg) = Pg::from_name(&args.pg) else {
        return invalid(&ValidationError::new("pg", Rule::OneOf, hanpay::pg::NAMES));
    };
    let Some(mode) = Mode::from_name(&args.mode) else {
        return invalid(&ValidationError::new("--mode", Rule::OneOf, "test|live"));
    };
    let (now, params) = match clock_and_params(args.now.as_deref()) {
        Ok(v) => v,
        Err(e) => return invalid(&e),
    };
    match pg::build_form(pg, params, &args.key, mode, now) {
        Ok(form) => {
            println!("{}", form.to_json(pg.name()));
            ExitCode::SUCCESS
        }
        Err(e) => invalid(&e),
    }
}
