//! `hanpay classify --platform android|ios URL`
//!
//! Prints the decision as one line of JSON with the keys action, scheme, package, category,
//! launch_url, fallback_url, store_url, reason. Exits 0 for every URL — a blocked or malformed
//! URL is an answer, not a failure.

use clap::Args as ClapArgs;
use hanpay::apps::Platform;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    /// The WebView's platform: android or ios.
    #[arg(long)]
    platform: Platform,
    /// The URL the WebView is about to load (may be empty, may start with "-").
    #[arg(allow_hyphen_values = true)]
    url: String,
}

pub fn run(args: Args) -> ExitCode {
    let decision = hanpay::apps::classify(&args.url, args.platform);
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
