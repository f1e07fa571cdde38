//! `ssopick shell [QUERY]`: $SHELL with the role's credentials.

use crate::app::error::Error;
use crate::app::pick::choose::choose_and_deliver;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick shell payments prod admin\n  ssopick shell --account 123456789012 --role ReadOnlyAccess\n\n\
By default the shell gets AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN:\n\
a local endpoint that every SDK reads, renewed in the background while the shell runs, so the\n\
credentials never go stale. --static puts AWS_ACCESS_KEY_ID/_SECRET_ACCESS_KEY/_SESSION_TOKEN in\n\
the environment instead (they expire). Either way: AWS_REGION, AWS_DEFAULT_REGION and\n\
SSOPICK_ACCOUNT_ID/_ACCOUNT_NAME/_ROLE_NAME/_SESSION. Its exit code becomes ssopick's."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// Allow a shell inside another ssopick shell
    #[arg(long)]
    pub nest: bool,
    /// Static keys in the environment instead of the renewing local endpoint
    #[arg(long = "static")]
    pub static_keys: bool,
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    let keys = setup.defaults.child_credentials.or_static(args.static_keys);
    let what = Delivery::Shell {
        nest: args.nest,
        keys,
    };
    choose_and_deliver(setup, &args.query, what).await
}
