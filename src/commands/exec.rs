//! `ssopick exec [QUERY] -- CMD...`: one command with the role's credentials.

use crate::app::choose::choose_and_deliver;
use crate::app::error::Error;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick exec prod readonly -- aws sts get-caller-identity\n  ssopick exec --account 123456789012 --role Admin -- terraform plan\n\n\
The command's exit code is passed through; a signal N that kills it gives 128+N."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// The command and its arguments, after `--`
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
}

pub async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    choose_and_deliver(setup, &args.query, Delivery::Exec(args.command)).await
}
