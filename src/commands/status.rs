//! `ssopick status [--json] [--short]`: sessions, snapshots and running
//! endpoints, from files alone (fast enough for a prompt).

use crate::app::error::Error;
use crate::app::output::print;
use crate::app::setup::Setup;
use crate::core::env_vars as var;
use crate::core::status::{short_line, text};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick status\n  ssopick status --json | jq '.sessions[] | select(.logged_in)'\n  set -g status-right '#(ssopick status --short)'   # tmux\n\n\
No network: logins are as the token cache says, snapshots as their files say."
)]
pub struct Args {
    /// One JSON document: {sessions, snapshots, endpoints}
    #[arg(long, conflicts_with = "short")]
    pub json: bool,
    /// One line for a prompt or a status bar
    #[arg(long)]
    pub short: bool,
}

pub(crate) fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    let st = crate::app::status::gather(setup);
    let now = setup.clock.now();
    if args.json {
        let doc = serde_json::to_string_pretty(&st).unwrap_or_default();
        return print(&format!("{doc}\n"));
    }
    if args.short {
        let env = &setup.env;
        let role = env
            .get(var::SSOPICK_ACCOUNT_NAME)
            .zip(env.get(var::SSOPICK_ROLE_NAME));
        let line = short_line(
            &st,
            now,
            role.as_ref().map(|(a, r)| (a.as_str(), r.as_str())),
        );
        return print(&format!("{line}\n"));
    }
    print(&text(&st, now))
}
