//! `ssopick list [QUERY] [--json]`: every account and role (one row each).

use crate::app::error::{Error, exit};
use crate::app::output::print;
use crate::app::pick::choose::{self, no_match};
use crate::app::pick::rows::{catalogs, partial, ranked, with_profiles};
use crate::app::session::target::Target;
use crate::app::setup::Setup;
use crate::core::catalog::Catalog;
use crate::core::sso::session::SessionError;
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
    let (cats, failed) = match catalogs(&targets).await {
        // No session could be chosen (none logged in, several): the
        // profiles are listed, and that is said as for one logged out.
        Ok(cats)
            if targets[0]
                .no_session
                .as_ref()
                .is_some_and(|w| *w != SessionError::NoSessions) =>
        {
            let why = targets[0].no_session.clone().map(Error::from);
            (cats, why)
        }
        Ok(cats) => (cats, None),
        Err(e) => match profiles_only(setup, &targets, &e) {
            Some(cats) => (cats, Some(e)),
            None => return Err(e),
        },
    };
    let entries = ranked(setup, &cats, &args.query);
    let g = &setup.globals;
    let filtered = !args.query.is_empty() || g.account.is_some() || g.role.is_some();
    if entries.is_empty()
        && let Some(e) = failed
    {
        return Err(e);
    }
    if entries.is_empty() && filtered {
        return Err(no_match(setup, &cats, &args.query, targets.len() > 1));
    }
    print(&if args.json {
        json(&entries)
    } else {
        table(&entries)
    })?;
    if let Some(e) = failed {
        // The rows that need no session are listed; the failure is still
        // the exit code, and said.
        eprintln!(
            "ssopick: {e}\nssopick: only the AWS files' other profiles are listed (they need no SSO session)."
        );
        return Ok(e.exit_code());
    }
    Ok(partial(&cats).map_or(exit::OK, |why| {
        eprintln!("ssopick: {why}");
        exit::PARTIAL
    }))
}

/// One session that cannot be listed now (logged out, expired, the portal
/// unreachable with no snapshot): the AWS files' other profiles still are
/// rows, since their keys never come through the session.
fn profiles_only(
    setup: &Setup,
    targets: &[Target<'_>],
    e: &Error,
) -> Option<Vec<(usize, Catalog)>> {
    let ([t], false) = (targets, setup.row_settings().profiles.is_empty()) else {
        return None;
    };
    if !e.spares_profiles() {
        return None;
    }
    let s = &t.session;
    let c = Catalog::complete_empty(s.id(), &s.start_url, &s.region, setup.clock.now());
    Some(with_profiles(setup, vec![(0, c)]))
}
