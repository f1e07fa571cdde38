//! `ssopick credential-process --account ID --role NAME` (or `--chain
//! NAME`): the JSON an SDK's `credential_process` reads, from a 0600 cache
//! while it is good for 15 more minutes. Never interactive.

use crate::app::deliver::answer::{self, Ask, Shape};
use crate::app::error::Error;
use crate::app::setup::Setup;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Example ~/.aws/config profiles:\n  [profile prod-admin]\n  credential_process = /usr/local/bin/ssopick credential-process --session corp --account 123456789012 --role Admin\n\n  [profile deploy-prod]\n  credential_process = /usr/local/bin/ssopick credential-process --session corp --chain deploy-prod\n\n\
Credentials are reused from a 0600 cache until 15 minutes before they expire."
)]
pub struct Args {
    /// Always ask the portal; neither read nor write the cache
    #[arg(long)]
    pub no_cache: bool,
    /// Give up after this many seconds (SDKs stop waiting too: Go's after 60)
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
    /// When the session has ended and a browser can be opened: start one
    /// login in the background (a desktop notification says so) and wait
    /// for it, up to [login] wait (50 s)
    #[arg(long)]
    pub login: bool,
    /// A role chain of config.toml ([[chain]] name): its IAM role, assumed
    /// with STS from its SSO role (instead of --account/--role)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["account", "role"])]
    pub chain: Option<String>,
    /// Another profile of the AWS files (static keys, assume-role, a
    /// credential_process, aws login, web identity), resolved as the SDKs
    /// resolve it (instead of --account/--role)
    #[arg(long, value_name = "NAME", conflicts_with_all = ["account", "role", "chain", "login", "session"])]
    pub profile: Option<String>,
}

impl Args {
    /// What is asked of `app::deliver::answer`.
    pub(crate) fn ask(&self) -> Ask {
        Ask {
            no_cache: self.no_cache,
            timeout: self.timeout,
            login: self.login,
            chain: self.chain.clone(),
        }
    }

    /// The ask and its shape, for the warm path.
    pub(crate) fn by_ids(&self) -> (Ask, Shape) {
        (self.ask(), Shape::Process)
    }
}

pub(crate) async fn run(setup: &Setup, args: &Args) -> Result<i32, Error> {
    if let Some(name) = &args.profile {
        let text =
            crate::app::deliver::profile_row::process_json(setup, name, args.timeout).await?;
        return crate::app::output::print(&text);
    }
    answer::run(setup, args.ask(), Shape::Process).await
}
