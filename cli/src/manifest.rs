//! `hanpay manifest android|ios`: the `<queries>` block or the `LSApplicationQueriesSchemes`
//! array, generated from the same table the classifier uses.

use clap::Args as ClapArgs;
use hanpay::apps::Platform;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    /// android (AndroidManifest.xml <queries>) or ios (Info.plist LSApplicationQueriesSchemes).
    platform: Platform,
}

pub fn run(args: Args) -> ExitCode {
    let snippet = match args.platform {
        Platform::Android => hanpay::apps::android_queries_manifest(),
        Platform::Ios => hanpay::apps::ios_queries_plist(),
    };
    print!("{snippet}");
    ExitCode::SUCCESS
}
