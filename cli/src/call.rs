//! `hanpay call <pg> <call> [--key K] --mode test|live [--now YYYYMMDDHHMMSS] [--base-url URL]
//! [--order ID --amount N] [--kcp-private-key PEM_FILE]`
//!
//! `hanpay request` plus the sending: builds the same request from the JSON parameters on
//! stdin, sends it with `hanpay-client` (timeouts, the PG's charset, the retry rule: lookups
//! retried, approvals and cancels sent once and looked up or rolled back when their answer is
//! lost) and prints the verified result, the `hanpay verify` shape
//! (`{"status","authentic","success","code","message","amount","tid","order_id",…}`).
//!
//! `--base-url` replaces the PG's scheme, host and port and is put before its path: the sandbox
//! serves each PG's real paths under `/pg/<pg>` (`--base-url http://127.0.0.1:8080/pg/kispg`).
//!
//! Exit status: 0 a result was read (whatever its `status`); 1 invalid input
//! (`{"error":"invalid_input","field",…,"rule",…}`); 3 a transport failure after which the
//! payment is where it was (`not_sent`, `refused`, `exhausted`, `rolled_back`); 4 the outcome of
//! a money-moving call is unknown (`unknown`: look the payment up before anything else).
//! Errors are one JSON object `{"error":"transport","kind",…}` on stdout.

use clap::Args as ClapArgs;
use hanpay::pg::call::OrderRef;
use hanpay::pg::Params;
use hanpay::{Rule, ValidationError};
use hanpay_client::{Client, Error};
use std::process::ExitCode;

#[derive(ClapArgs)]
// `request::Args` is flattened in; one clap group per name.
#[group(skip)]
pub struct Args {
    #[command(flatten)]
    request: crate::request::Args,
    /// Send to this origin (and path prefix) instead of the PG's, e.g. the sandbox's
    /// http://127.0.0.1:8080/pg/kispg.
    #[arg(long)]
    base_url: Option<String>,
    /// The merchant's own order id: an approval's result for another order is rejected.
    #[arg(long, requires = "amount")]
    order: Option<String>,
    /// The merchant's own order amount: an approval for another amount is rejected, and
    /// KISPG's recovery lookup sends it as goodsAmt.
    #[arg(long, requires = "order")]
    amount: Option<u64>,
    /// KCP: the merchant's private key (a PEM file) with which `kcp_sign_data` of a cancel,
    /// partial cancel or capture is signed when stdin does not carry one (notes §3.2).
    #[arg(long, value_name = "PEM_FILE")]
    kcp_private_key: Option<std::path::PathBuf>,
}

pub fn run(args: Args) -> ExitCode {
    let p = match crate::request::parse(&args.request) {
        Ok(p) => p,
        Err(e) => return crate::request::invalid(&e),
    };
    let client = Client::new(p.pg, p.mode, &args.request.key, Params::new())
        .map(|c| c.clock(p.now))
        .and_then(|c| match &args.base_url {
            Some(b) => c.base_url(b),
            None => Ok(c),
        })
        .and_then(|c| match &args.kcp_private_key {
            Some(path) => match std::fs::read_to_string(path) {
                Ok(pem) => c.kcp_private_key(&pem),
                Err(e) => Err(Error::Invalid(ValidationError::new(
                    "kcp_private_key",
                    Rule::Format,
                    format!("{}: {e}", path.display()),
                ))),
            },
            None => Ok(c),
        });
    let client = match client {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    let order = args
        .order
        .as_deref()
        .zip(args.amount)
        .map(|(id, amount)| OrderRef { id, amount });
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return crate::request::invalid(&ValidationError::new(
                "runtime",
                Rule::Format,
                e.to_string(),
            ))
        }
    };
    match rt.block_on(client.call(p.call, p.params, order.as_ref())) {
        Ok(r) => {
            println!("{}", r.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn fail(e: &Error) -> ExitCode {
    println!("{}", e.to_json());
    ExitCode::from(match e {
        Error::Invalid(_) => 1,
        Error::Unknown { .. } => 4,
        _ => 3,
    })
}
