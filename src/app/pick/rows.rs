//! The rows a command works on: each target's catalog (a session that
//! cannot list contributes its snapshot when there are several), ranked by
//! the picker's matcher and order for the query.

use crate::app::error::Error;
use crate::app::session::target::Target;
use crate::app::setup::Setup;
use crate::core::catalog::{Catalog, Entry};
use crate::core::history::History;
use crate::core::select::{self, Ask, Frecency};
use crate::edge::history_file;

/// Each target's catalog. With one target its errors are the command's;
/// with several, a session that cannot list contributes its snapshot (said
/// on stderr), or nothing.
pub(crate) async fn catalogs(targets: &[Target<'_>]) -> Result<Vec<(usize, Catalog)>, Error> {
    if let [t] = targets {
        let c = vec![(0, t.catalog().await?)];
        if !t.has_session() {
            return Ok(with_profiles(t.setup, c));
        }
        return Ok(with_chains(t.setup, c));
    }
    let mut out = Vec::new();
    let mut first_error = None;
    let mut listed = 0;
    for (i, t) in targets.iter().enumerate() {
        match t.catalog().await {
            Ok(c) => {
                listed += 1;
                out.push((i, c));
            }
            Err(e) => {
                if let Some(s) = t.catalog.snapshot() {
                    eprintln!(
                        "ssopick: session {}: {} (using its snapshot)",
                        t.id(),
                        e.first_line()
                    );
                    out.push((i, s));
                } else {
                    eprintln!("ssopick: session {}: {} (skipped)", t.id(), e.first_line());
                    // An empty, incomplete catalog: what follows knows the
                    // rows are partial (exit 7), not merely few.
                    let s = &t.session;
                    out.push((
                        i,
                        Catalog::new(s.id(), &s.start_url, &s.region, t.setup.clock.now()),
                    ));
                    first_error.get_or_insert(e);
                }
            }
        }
    }
    // No session could answer at all: that is the command's failure,
    // unless the AWS files' other profiles are rows (they need none).
    if listed == 0
        && out.iter().all(|(_, c)| c.accounts.is_empty())
        && targets
            .first()
            .is_none_or(|t| t.setup.row_settings().profiles.is_empty())
        && let Some(e) = first_error
    {
        return Err(e);
    }
    match targets.first() {
        Some(t) => Ok(with_chains(t.setup, out)),
        None => Ok(out),
    }
}

/// The catalogs with the rows of config.toml's role chains and of the AWS
/// files' other profiles added, and `[[account]]` metadata on every account.
pub(crate) fn with_chains(setup: &Setup, mut cats: Vec<(usize, Catalog)>) -> Vec<(usize, Catalog)> {
    setup
        .row_settings()
        .additions()
        .apply(cats.iter_mut().map(|(_, c)| c));
    cats
}

/// The catalogs with the AWS files' other profiles added, and no chain:
/// where no session lists, no chain can start (each starts from a portal
/// role).
pub(crate) fn with_profiles(
    setup: &Setup,
    mut cats: Vec<(usize, Catalog)>,
) -> Vec<(usize, Catalog)> {
    setup
        .row_settings()
        .additions_without_chains()
        .apply(cats.iter_mut().map(|(_, c)| c));
    cats
}

/// The history that orders equal matches, as the picker reads it.
pub(crate) fn history(setup: &Setup) -> History {
    history_file::load(&history_file::path(&setup.paths.state))
}

pub(crate) fn ask<'q>(setup: &'q Setup, query: &'q [String]) -> Ask<'q> {
    let g = &setup.globals;
    Ask {
        account: g.account.as_deref(),
        role: g.role.as_deref(),
        query,
    }
}

/// Rows of every catalog that match the flags and the query, in the
/// picker's order for the query.
pub(crate) fn ranked<'c>(
    setup: &Setup,
    cats: &'c [(usize, Catalog)],
    query: &[String],
) -> Vec<Entry<'c>> {
    let refs: Vec<&Catalog> = cats.iter().map(|(_, c)| c).collect();
    let h = history(setup);
    let f = Frecency {
        history: &h,
        now: setup.clock.now(),
    };
    select::rank(&refs, &ask(setup, query), &f)
}

/// True when `words` qualify for a row of the chosen session's snapshot
/// under the selection rule's part rule (no listing: a quick look for
/// "is this a query?").
pub(crate) fn snapshot_matches(setup: &Setup, words: &[String]) -> bool {
    let Ok(session) = setup.chosen_session() else {
        return false;
    };
    let path = crate::edge::snapshot::path(&setup.paths.cache, &session.start_url);
    let Some(mut cat) = crate::edge::snapshot::load(&path, &session.start_url) else {
        return false;
    };
    // Metadata and profiles' rows: a chain's row is not a reason to take
    // words as a query, a profile's name is.
    setup
        .row_settings()
        .additions_without_chains()
        .apply([&mut cat]);
    select::any_qualifies(&[&cat], words)
}

/// Why the rows are not the whole catalog, when they are not.
pub(crate) fn partial(cats: &[(usize, Catalog)]) -> Option<String> {
    let missing: usize = cats
        .iter()
        .filter(|(_, c)| !c.complete)
        .map(|(_, c)| c.accounts.iter().filter(|a| a.roles.is_none()).count())
        .sum();
    cats.iter().any(|(_, c)| !c.complete).then(|| {
        format!(
            "PARTIAL: the catalog is incomplete (a listing did not finish, or the portal's answers were cut short; {missing} account(s) without roles, and accounts may be missing). Run `ssopick list --refresh` to complete it."
        )
    })
}
