//! `ssopick export [QUERY] [--format F]`: export lines on stdout.

use crate::app::deliver::answer::{self, Ask, Shape};
use crate::app::error::Error;
use crate::app::pick::choose::choose_and_deliver;
use crate::app::setup::{Globals, Setup};
use crate::core::delivery::Delivery;
use crate::core::export::Format;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  eval \"$(ssopick export prod admin)\"\n  ssopick export prod admin --format fish | source\n  ssopick export prod admin --format powershell | Invoke-Expression\n  ssopick export prod admin --format dotenv > .env\n\n\
Shell formats also unset AWS_PROFILE and AWS_DEFAULT_PROFILE. json is the credential_process schema.\n\
cmd output is for batch files (% is doubled)."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// Output format (default: export_format of config.toml, else bash)
    #[arg(long, short, value_parser = crate::values::named::<Format>(Format::NAMES))]
    pub format: Option<Format>,
}

impl Args {
    /// `--format claude` for one role named by account id (no query):
    /// answered as `credential-process` answers, from the credential cache
    /// (an account name goes through the selection rule instead).
    pub(crate) fn by_ids(&self, g: &Globals) -> Option<(Ask, Shape)> {
        (self.format == Some(Format::Claude) && self.query.is_empty() && answer::by_ids(g))
            .then(|| (Ask::default(), Shape::Claude))
    }
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    if let Some((ask, shape)) = args.by_ids(&setup.globals) {
        return answer::run(setup, ask, shape).await;
    }
    let what = Delivery::Export(setup.defaults.format(args.format));
    choose_and_deliver(setup, &args.query, what).await
}
