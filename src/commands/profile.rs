//! `ssopick profile [QUERY]`: a profile block for one role (or every role
//! with `--all`), printed or merged into the AWS files with `--write`.

use crate::app::deliver::profiles_all;
use crate::app::error::Error;
use crate::app::pick::choose::choose_and_deliver;
use crate::app::session::target::Target;
use crate::app::setup::Setup;
use crate::core::delivery::{Delivery, ProfileOptions};
use crate::core::profile::Style;

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
    pub opts: ProfileArgs,
}

/// `ProfileOptions` on the command line.
#[derive(Clone, Debug, PartialEq, Eq, clap::Args)]
pub struct ProfileArgs {
    /// sso: sso_session profile (SDKs get credentials themselves); process: credential_process = ssopick ...;
    /// static: keys for the credentials file
    #[arg(long, value_parser = crate::values::named::<Style>(Style::NAMES), default_value = "sso")]
    pub style: Style,
    /// Profile name template (default: profile_name of config.toml, else {account_name}/{role_name})
    #[arg(long, value_name = "TEMPLATE")]
    pub name: Option<String>,
    /// Merge into AWS_CONFIG_FILE (static: AWS_SHARED_CREDENTIALS_FILE) instead of printing
    #[arg(long)]
    pub write: bool,
    /// One profile per account/role of the catalog (QUERY words narrow it), in a block ssopick manages
    #[arg(long)]
    pub all: bool,
    /// With --all: remove profiles of roles that are no longer listed
    #[arg(long, requires = "all")]
    pub prune: bool,
    /// Replace sections ssopick did not write
    #[arg(long)]
    pub force: bool,
    /// With --write: show the change as a unified diff and write nothing
    #[arg(long, requires = "write")]
    pub dry_run: bool,
    /// With --style process: `credential-process --login` (GUI apps get a
    /// browser login when the session has ended)
    #[arg(long)]
    pub login: bool,
}

impl ProfileArgs {
    pub fn options(&self) -> ProfileOptions {
        ProfileOptions {
            style: self.style,
            name: self.name.clone(),
            write: self.write,
            all: self.all,
            prune: self.prune,
            force: self.force,
            dry_run: self.dry_run,
            login: self.login,
        }
    }
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    let opts = args.opts.options().with_defaults(&setup.defaults);
    if opts.login && opts.style != Style::Process {
        return Err(Error::Usage(
            "--login belongs to --style process (its credential-process line)".into(),
        ));
    }
    if opts.all {
        let t = Target::chosen(setup).await?;
        return profiles_all::all(&t, &args.query, &opts).await;
    }
    choose_and_deliver(setup, &args.query, Delivery::Profile(opts)).await
}
