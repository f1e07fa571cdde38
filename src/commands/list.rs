//! `ssopick list [QUERY] [--json]`: every account and role (one row each).

use crate::app::error::{Error, exit};
use crate::app::output::print;
use crate::app::pick::choose::{self, no_match};
use crate::app::pick::rows::{catalogs, partial, ranked};
use crate::app::setup::Setup;
use crate::core::table::{json, table};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick list\n  ssopick list prod admin\n  ssopick list --json | jq -r '.[].accountId'\n  ssopick --demo list payments"
)]
pub struct Args {
    /// Words that must all match (account name, account id or role; any order, any case)
    pub query: Vec<String>,
    /// JSON array of {accountId, accountName, emailAddress, roleName, session} (and alias, tags, region, chain when config.toml adds them)
    #[arg(long)]
    pub json: bool,
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    let targets = choose::targets(setup).await?;
    let cats = catalogs(&targets).await?;
    let entries = ranked(setup, &cats, &args.query);
    let g = &setup.globals;
    let filtered = !args.query.is_empty() || g.account.is_some() || g.role.is_some();
    if entries.is_empty() && filtered {
        return Err(no_match(setup, &cats, &args.query, targets.len() > 1));
    }
    print(&if args.json {
        json(&entries)
    } else {
        table(&entries)
    })?;
    Ok(partial(&cats).map_or(exit::OK, |why| {
        eprintln!("ssopick: {why}");
        exit::PARTIAL
    }))
}
