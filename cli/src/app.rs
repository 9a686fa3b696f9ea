//! Argument parsing and dispatch of the `hanpay` subcommands.

use crate::{call, classify, detect, digest, form, manifest, request, verify};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "hanpay",
    version,
    about = "Korean PG checkouts: forms, signatures, results, WebView URL classification"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Detect OS, device, in-app browser and the recommended window mode from a user agent.
    Detect(detect::Args),
    /// Decide what a WebView does with a URL: load, launch an app (sanitized), or block.
    Classify(classify::Args),
    /// Print the Android <queries> block or the iOS LSApplicationQueriesSchemes array.
    Manifest(manifest::Args),
    /// Build, validate and sign a PG checkout form from the PG's own parameters (JSON on stdin).
    Form(form::Args),
    /// Parse and check a PG result or notification (POST body on stdin).
    Verify(verify::Args),
    /// Compute one of a PG's digests (`LGD_HASHDATA`, `EncryptData`, `SignValue`, `encData`, …)
    /// from its inputs and the merchant key, or list the PG's digests.
    Digest(digest::Args),
    /// Build a merchant-server call to a PG (approve, fetch, cancel, refund, look up) from the
    /// PG's own parameters (JSON on stdin); prints method, URL, content type and body fields.
    Request(request::Args),
    /// Send a merchant-server call (as `request` builds it) to the PG or the sandbox
    /// (`--base-url`) and print the verified result; approvals and cancels are sent once.
    Call(call::Args),
}

pub fn main() -> ExitCode {
    // The `call` argument's help lists each PG's calls as the registry has them (`Call::of`),
    // so a new PG or call needs no edit here.
    let calls = request::calls_help();
    let matches = Cli::command()
        .mut_subcommand("request", |c| c.mut_arg("call", |a| a.help(calls.clone())))
        .mut_subcommand("call", |c| c.mut_arg("call", |a| a.help(calls.clone())))
        .get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    match cli.command {
        Command::Detect(args) => detect::run(args),
        Command::Classify(args) => classify::run(args),
        Command::Manifest(args) => manifest::run(args),
        Command::Form(args) => form::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Digest(args) => digest::run(args),
        Command::Request(args) => request::run(args),
        Command::Call(args) => call::run(args),
    }
}
