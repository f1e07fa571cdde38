//! `ssopick copy [QUERY]`: export lines on the clipboard.

use crate::app::error::Error;
use crate::app::pick::choose::choose_and_deliver;
use crate::app::setup::Setup;
use crate::core::delivery::{CLIPBOARD_CLEAR_SECS, Delivery};
use crate::core::export::Format;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick copy prod admin\n  ssopick copy prod admin --format powershell --clear-after 120\n\n\
On X11 a small background ssopick keeps the content available after this command ends,\n\
until another program copies something or --clear-after passes. Over SSH or without a\n\
display the terminal is asked to set your local clipboard (OSC 52)."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// Output format (default: export_format of config.toml, else bash)
    #[arg(long, short, value_parser = crate::values::named::<Format>(Format::NAMES))]
    pub format: Option<Format>,
    /// Clear the clipboard after SECS if it still holds the credentials (0 = never)
    #[arg(long, value_name = "SECS", default_value_t = CLIPBOARD_CLEAR_SECS)]
    pub clear_after: u64,
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    let what = Delivery::Copy {
        format: setup.defaults.format(args.format),
        clear_after: args.clear_after,
    };
    choose_and_deliver(setup, &args.query, what).await
}
