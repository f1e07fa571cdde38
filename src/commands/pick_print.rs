//! `ssopick pick [QUERY] [--format F]`: choose a row (the picker on a
//! terminal, the selection rule otherwise) and print it for a script.

use crate::app::choose;
use crate::app::error::{Error, exit};
use crate::app::output::print;
use crate::app::setup::Setup;
use crate::core::pick_format::{DEFAULT, Template};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick pick prod admin\n  id=$(ssopick pick payments --format '{account_id}')\n  ssopick pick --format '{account_name}\\t{account_id}\\t{role_name}\\t{session}\\t{email}'\n\n\
Fields: {account_id} {account_name} {role_name} {session} {email}; {{ and }} are literal braces.\n\
One match is printed at once; several open the picker on a terminal, and are an error otherwise."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// The line printed for the chosen row (default: "{account_id} {role_name}")
    #[arg(long, short)]
    pub format: Option<String>,
}

pub async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    // Checked before anything is listed or shown.
    let template =
        Template::parse(args.format.as_deref().unwrap_or(DEFAULT)).map_err(Error::Usage)?;
    let targets = choose::targets(setup).await?;
    let (_, chosen, _) = choose::choose(&targets, &args.query, "print").await?;
    print(&format!("{}\n", template.render(&chosen)))?;
    Ok(exit::OK)
}
