//! `hanpay`: poke at the hanpay core from a shell (QA, support, ops).
//!
//! Each subcommand prints JSON on one line so scripts can consume it.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod detect;

#[derive(Parser)]
#[command(name = "hanpay", version, about = "Korean PG checkouts: forms, signatures, results, WebView URL classification")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Detect OS, device, in-app browser and the recommended window mode from a user agent.
    Detect(detect::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Detect(args) => detect::run(args),
    }
}
