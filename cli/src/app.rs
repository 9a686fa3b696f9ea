//! Argument parsing and dispatch of the `hanpay` subcommands.

use crate::{call, classify, detect, form, manifest, request, verify};
use clap::{Parser, Subcommand};
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
    /// Build a merchant-server call to a PG (approve, fetch, cancel, refund, look up) from the
    /// PG's own parameters (JSON on stdin); prints method, URL, content type and body fields.
    Request(request::Args),
    /// Send a merchant-server call (as `request` builds it) to the PG or the sandbox
    /// (`--base-url`) and print the verified result; approvals and cancels are sent once.
    Call(call::Args),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Detect(args) => detect::run(args),
        Command::Classify(args) => classify::run(args),
        Command::Manifest(args) => manifest::run(args),
        Command::Form(args) => form::run(args),
        Command::Verify(args) => verify::run(args),
        Command::Request(args) => request::run(args),
        Command::Call(args) => call::run(args),
    }
}
