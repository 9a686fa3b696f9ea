//! `hanpay digest <pg> [<name> <input>...] --key KEY`
//!
//! Computes one of the PG's digests (`hanpay::pg::digest`, the PG's `Gateway::digests`) the
//! way the PG does, to compare with what a PG or a merchant sent when a signature does not
//! match: prints `{"pg","digest","field","value"}`. Without a name it lists the PG's digests
//! (`[{"name","field","args","source"}]`). Invalid input: exit status 2 and
//! `{"error":"invalid_input","field",…,"rule",…}` on stdout.

use crate::form::invalid;
use clap::Args as ClapArgs;
use hanpay::pg::{self, Pg};
use hanpay::{Rule, ValidationError};
use serde_json::json;
use std::process::ExitCode;

#[derive(ClapArgs)]
pub struct Args {
    #[arg(help = hanpay::pg::NAMES)]
    pg: String,
    /// The digest (`hanpay digest <pg>` lists them); omitted: list the PG's digests.
    name: Option<String>,
    /// The digest's inputs, in the order the list gives.
    inputs: Vec<String>,
    /// Merchant key (XPay MertKey, Smartro/KISPG/SMARTRO PAY merchantKey).
    #[arg(long, default_value = "")]
    key: String,
}

pub fn run(args: Args) -> ExitCode {
    let Some(pg) = Pg::from_name(&args.pg) else {
        return invalid(&ValidationError::new("pg", Rule::OneOf, pg::NAMES));
    };
    let digests = pg.gateway().digests;
    let Some(name) = args.name else {
        let list: Vec<_> = digests
            .iter()
            .map(|d| json!({"name": d.name, "field": d.field, "args": d.args, "source": d.source}))
            .collect();
        println!("{}", json!(list));
        return ExitCode::SUCCESS;
    };
    let inputs: Vec<&str> = args.inputs.iter().map(String::as_str).collect();
    match pg::digest(pg, &name, &inputs, &args.key) {
        Ok(value) => {
            let field = digests
                .iter()
                .find(|d| d.name == name)
                .map_or("", |d| d.field);
            println!(
                "{}",
                json!({"pg": pg.name(), "digest": name, "field": field, "value": value})
            );
            ExitCode::SUCCESS
        }
        Err(e) => invalid(&e),
    }
}
