//! `hanpay classify --platform android|ios [--strict] URL`
//!
//! Prints the decision as one line of JSON with the keys action, scheme, package, category,
//! launch_url, fallback_url, store_url, universal_link, reason. Exits 0 for every URL — a blocked
//! or malformed URL is an answer, not a failure.

use clap::Args as ClapArgs;
use hanpay::apps::{Platform, Policy};
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    /// The WebView's platform: android or ios.
    #[arg(long)]
    platform: Platform,
    /// Strict launch policy: launch only schemes of the app table, block every other one
    /// (reason "unlisted-scheme"). Default: launch every scheme that is not blocked.
    #[arg(long)]
    strict: bool,
    /// The URL the WebView is about to load (may be empty, may start with "-").
    #[arg(allow_hyphen_values = true)]
    url: String,
}

pub fn run(args: Args) -> ExitCode {
    let policy = if args.strict {
        Policy::Strict
    } else {
        Policy::Default
    };
    let decision = hanpay::apps::classify_with(&args.url, args.platform, policy);
    match serde_json::to_string(&decision) {
        Ok(line) => {
            println!("{line}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{{\"error\":\"{e}\"}}");
            ExitCode::from(1)
        }
    }
}
