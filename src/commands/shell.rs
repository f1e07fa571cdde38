//! `ssopick shell [QUERY]`: $SHELL with the role's credentials.

use crate::app::choose::choose_and_deliver;
use crate::app::error::Error;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick shell payments prod admin\n  ssopick shell --account 123456789012 --role ReadOnlyAccess\n\n\
The shell gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,\n\
AWS_DEFAULT_REGION, AWS_CREDENTIAL_EXPIRATION and SSOPICK_ACCOUNT_ID/_ACCOUNT_NAME/_ROLE_NAME/_SESSION;\n\
AWS_PROFILE and AWS_DEFAULT_PROFILE are removed. Its exit code becomes ssopick's."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// Allow a shell inside another ssopick shell
    #[arg(long)]
    pub nest: bool,
}

pub async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    choose_and_deliver(setup, &args.query, Delivery::Shell { nest: args.nest }).await
}
