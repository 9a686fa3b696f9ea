//! `hanpay detect --ua "USER AGENT" [--touch-points N]`

use clap::Args as ClapArgs;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    /// The user agent string to classify.
    #[arg(long)]
    ua: String,
    /// `navigator.maxTouchPoints` (tells iPadOS apart from macOS).
    #[arg(long, default_value_t = 0)]
    touch_points: u32,
}

pub fn run(args: Args) -> ExitCode {
    let env = hanpay::env::detect(&args.ua, args.touch_points);
    match serde_json::to_string(&env) {
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
