//! `ssopick exec [QUERY] -- CMD...`: one command with the role's credentials.

use crate::app::error::Error;
use crate::app::pick::choose::choose_and_deliver;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick exec prod readonly -- aws sts get-caller-identity\n  ssopick exec --account 123456789012 --role Admin -- terraform plan\n\n\
The command gets a renewing local credential endpoint (as `shell` does; --static: keys),\n\
so a long `terraform apply` outlives the role's hour. Its exit code is passed through; a\n\
signal N that kills it gives 128+N."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// Static keys in the environment instead of the renewing local endpoint
    #[arg(long = "static")]
    pub static_keys: bool,
    /// The command and its arguments, after `--`
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<String>,
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    let keys = setup.defaults.child_credentials.or_static(args.static_keys);
    let what = Delivery::Exec {
        command: args.command,
        keys,
    };
    choose_and_deliver(setup, &args.query, what).await
}
