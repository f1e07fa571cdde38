//! `ssopick profile [QUERY]`: a profile block for one role (or every role
//! with `--all`), printed or merged into the AWS files with `--write`.

use crate::app::choose::choose_and_deliver;
use crate::app::error::Error;
use crate::app::profiles_all;
use crate::app::setup::Setup;
use crate::app::target::Target;
use crate::core::delivery::{Delivery, ProfileOptions};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick profile prod admin\n  ssopick profile prod admin --style process --write\n  \
ssopick profile --all --write --name '{account_name}.{role_name}'\n  ssopick profile --all --write --prune --dry-run\n\n\
--write changes only the profile's own section (or ssopick's block with --all); every other byte\n\
of the file stays. The previous file is kept as config.bak. Sections ssopick did not write are\n\
never replaced without --force. Name fields: {account_name} {account_id} {role_name} {session}."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    #[command(flatten)]
    pub opts: ProfileOptions,
}

pub async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    let opts = args.opts.with_defaults(&setup.defaults);
    if opts.all {
        let t = Target::chosen(setup).await?;
        return profiles_all::all(&t, &args.query, &opts).await;
    }
    choose_and_deliver(setup, &args.query, Delivery::Profile(opts)).await
}
