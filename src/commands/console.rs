//! `ssopick console [QUERY] [--print]`: the AWS console, signed in.

use crate::app::choose::choose_and_deliver;
use crate::app::error::Error;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick console prod readonly\n  ssopick console --account 123456789012 --role Admin --print"
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// Print the sign-in link instead of opening a browser
    #[arg(long)]
    pub print: bool,
}

pub async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    choose_and_deliver(setup, &args.query, Delivery::Console { print: args.print }).await
}
