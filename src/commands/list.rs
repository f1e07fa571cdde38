//! `ssopick list [QUERY] [--json]`: every account and role (one row each).

use crate::app::choose::{self, no_match};
use crate::app::error::Error;
use crate::app::output::print;
use crate::app::rows::{catalogs, ranked};
use crate::app::setup::Setup;
use crate::core::catalog::Catalog;
use crate::core::table::{json, table};
use crate::core::time::human_duration;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick list\n  ssopick list prod admin\n  ssopick list --json | jq -r '.[].accountId'\n  ssopick --demo list payments"
)]
pub struct Args {
    /// Words that must all match (account name, account id or role; any order, any case)
    pub query: Vec<String>,
    /// JSON array of {accountId, accountName, emailAddress, roleName, session}
    #[arg(long)]
    pub json: bool,
}

pub async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    let targets = choose::targets(setup).await?;
    let cats: Vec<(usize, Catalog)> = if let [t] = targets.as_slice() {
        match t.catalog().await {
            Ok(c) => vec![(0, c)],
            // The portal cannot be reached: the snapshot still answers, marked
            // as stale on stderr so nobody mistakes it for a fresh listing.
            Err(e @ Error::Portal(_)) => match t.catalog.snapshot() {
                Some(s) => {
                    let age = human_duration(s.taken_at.secs_until(setup.clock.now()));
                    eprintln!(
                        "ssopick: {e}\nssopick: STALE: showing the snapshot taken {age} ago ({}){}",
                        s.taken_at,
                        if s.complete { "" } else { ", incomplete" }
                    );
                    vec![(0, s)]
                }
                None => return Err(e),
            },
            Err(e) => return Err(e),
        }
    } else {
        catalogs(&targets).await?
    };
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
    })
}
