//! Choosing the role a command acts on, by the selection rule: an exact
//! `--account ID --role NAME` needs no listing; otherwise one match is
//! taken, several open the picker (or are an error without a terminal), none
//! is an error naming the closest rows. Then the delivery is carried out
//! through the chosen row's own session (`--session all` has several).

use crate::app::deliver::{deliver, refuse_nesting};
use crate::app::error::Error;
use crate::app::listing::straight::Straight;
use crate::app::pick::named::{Choice, ONLY_PROFILES, exact, profile_named, say_profile_instead};
use crate::app::pick::picker;
pub(crate) use crate::app::pick::refusals::no_match;
use crate::app::pick::refusals::{ambiguous, lacks};
use crate::app::pick::rows::{ask, catalogs, history, with_chains};
use crate::app::session::target::Target;
use crate::app::setup::Setup;
use crate::core::catalog::Catalog;
use crate::core::delivery::{Action, Delivery};
use crate::core::export::Chosen;
use crate::core::names::valid_account_id;
use crate::core::select::{self, Frecency, Listed, Selection};
use crate::core::sso::session::SessionError;

fn target_index(targets: &[Target<'_>], session: &str) -> Result<usize, Error> {
    targets
        .iter()
        .position(|t| t.id() == session)
        .ok_or(Error::Cancelled)
}

/// The chosen row (or rows) and the action. `multi`: the command's own
/// action takes several rows (the picker's Ctrl-T marks them). With the
/// session logged out, a request that names one of the AWS files' other
/// profiles exactly still gets it: its keys never come through the session.
pub(crate) async fn choose(
    targets: &[Target<'_>],
    query: &[String],
    enter_label: &str,
    multi: bool,
) -> Result<Choice, Error> {
    if targets.first().is_some_and(|t| !t.has_session()) {
        return sessionless(targets, query, enter_label, multi).await;
    }
    // A profile named exactly needs no listing (a portal that does not
    // answer would keep it waiting), unless a snapshot lists an account
    // of that name too: then the rule decides. Logged out, the picker
    // would only offer a login first.
    if let Some(t) = targets.first()
        && let Some(choice) = profile_named(targets, query)
    {
        if let Some(problem) = t.tokens.problem() {
            say_profile_instead(t, &problem.first_line(), &choice);
            return Ok(choice);
        }
        if !portal_has_name(targets, &choice) {
            return Ok(choice);
        }
    }
    match choose_row(targets, query, enter_label, multi).await {
        Err(e) if e.spares_profiles() => {
            let Some(choice) = profile_named(targets, query) else {
                return Err(e);
            };
            if let Some(t) = targets.first() {
                say_profile_instead(t, &e.first_line(), &choice);
            }
            Ok(choice)
        }
        other => other,
    }
}

/// With no SSO session configured: one of the AWS files' other profiles,
/// by the same rule; anything else needs a session set up first.
async fn sessionless(
    targets: &[Target<'_>],
    query: &[String],
    enter_label: &str,
    multi: bool,
) -> Result<Choice, Error> {
    let g = &targets[0].setup.globals;
    let why = targets[0]
        .no_session
        .clone()
        .unwrap_or(SessionError::NoSessions);
    let by_id = g.account.as_deref().is_some_and(valid_account_id) && g.role.is_some();
    if let Some(choice) = profile_named(targets, query) {
        return Ok(choice);
    }
    let choice = if by_id {
        None
    } else {
        match choose_row(targets, query, enter_label, multi).await {
            // None set up: only profiles can match. Sessions that are
            // logged out (or not chosen) might have matched: that is why.
            Err(Error::NoMatch(m)) if why == SessionError::NoSessions => {
                // A profile section by that name that is no row: why.
                let named = match (g.account.as_deref(), query) {
                    (Some(a), []) => Some(a),
                    (None, [w]) => Some(w.as_str()),
                    _ => None,
                };
                let line = named
                    .and_then(|n| {
                        crate::app::deliver::profile_row::not_a_row_line(targets[0].setup, n)
                    })
                    .map(|l| format!("\n{l}"))
                    .unwrap_or_default();
                return Err(Error::NoMatch(format!("{m}{line}\n{ONLY_PROFILES}")));
            }
            Err(Error::NoMatch(_)) => None,
            other => Some(other?),
        }
    };
    match choice {
        Some(c) if c.rows.iter().all(|(_, r)| r.account.profile.is_some()) => Ok(c),
        _ => Err(why.into()),
    }
}

/// Whether a snapshot lists a portal account named as `choice`'s profile.
fn portal_has_name(targets: &[Target<'_>], choice: &Choice) -> bool {
    let name = &choice.rows[0].1.account.account_name;
    targets.iter().any(|t| {
        t.catalog.snapshot_ref().is_some_and(|c| {
            c.accounts
                .iter()
                .any(|a| a.account.account_name.eq_ignore_ascii_case(name))
        })
    })
}

async fn choose_row(
    targets: &[Target<'_>],
    query: &[String],
    enter_label: &str,
    multi: bool,
) -> Result<Choice, Error> {
    let Some(first) = targets.first() else {
        return Err(Error::Usage("no SSO session to pick from".into()));
    };
    let setup = first.setup;
    let g = &setup.globals;
    if let ([t], Some(a), Some(r), true) = (
        targets,
        g.account.as_deref(),
        g.role.as_deref(),
        query.is_empty(),
    ) && valid_account_id(a)
    {
        return Ok(Choice::one(0, exact(t, a, r).await, Action::Default));
    }
    // On a terminal the picker is the front door: a stale snapshot, none,
    // or --refresh never keeps the user waiting for a listing.
    // The snapshots' heads decide (a 100,000-entry snapshot is not read
    // whole for that: the picker streams it).
    let needs_listing = |t: &Target<'_>| {
        !t.catalog
            .head()
            .is_some_and(|s| t.catalog.offline || t.catalog.usable_without_listing(&s))
    };
    if picker::available() && targets.iter().any(needs_listing) {
        return front_door(targets, query, enter_label, multi).await;
    }
    // Nothing to narrow and more than one row: the picker opens at once
    // (ranking every row first, only to learn there are several, cost a
    // 100,000-entry snapshot tens of milliseconds before the first frame).
    if picker::available()
        && query.is_empty()
        && g.account.is_none()
        && g.role.is_none()
        && several_rows(targets)
    {
        let shown: Vec<&Target<'_>> = targets.iter().collect();
        return picked(targets, &shown, query, enter_label, false, multi).await;
    }
    let cats = match catalogs_or_choice(targets, query, needs_listing).await? {
        Ok(cats) => cats,
        Err(choice) => return Ok(choice),
    };
    let several = targets.len() > 1;
    let refs: Vec<&Catalog> = cats.iter().map(|(_, c)| c).collect();
    let h = history(setup);
    let f = Frecency {
        history: &h,
        now: setup.clock.now(),
    };
    // A session skipped for want of a login (said on stderr) adds no row:
    // the others' listings decide.
    let listed: Vec<&Catalog> = refs
        .iter()
        .copied()
        .filter(|c| c.complete || !c.accounts.is_empty())
        .collect();
    let listed = Listed::of(&listed);
    let (found, pending) = match select::select(&refs, &ask(setup, query), &f, listed) {
        Selection::One(e) => {
            let i = target_index(targets, e.session)?;
            return Ok(Choice::one(i, Chosen::of(&e), Action::Default));
        }
        Selection::None { .. } => return Err(no_match(setup, &cats, query, several)),
        Selection::Lacks { named, words } => return Err(lacks(&named, &words, several)),
        Selection::Many { rows, pending } => (rows, pending),
    };
    if !picker::available() {
        return Err(ambiguous(query, &found, several, pending));
    }
    let shown: Vec<&Target<'_>> = cats.iter().map(|(i, _)| &targets[*i]).collect();
    picked(targets, &shown, query, enter_label, false, multi).await
}

/// Nothing to narrow and more than one row: the picker opens at once
/// (ranking every row first, only to learn there are several, cost a
/// 100,000-entry snapshot tens of milliseconds before the first frame).
/// The snapshots' heads count the rows.
fn several_rows(targets: &[Target<'_>]) -> bool {
    let rows: usize = targets
        .iter()
        .filter_map(|t| {
            let h = t.catalog.head()?;
            // A snapshot from before the counts were written: count.
            Some(
                h.roles
                    .unwrap_or_else(|| t.catalog.snapshot_ref().map_or(0, |c| c.role_count())),
            )
        })
        .sum();
    rows > 1
}

/// The targets' catalogs, or (`Err`) the row a listing already chose: off a
/// terminal, a listing may answer a query that names an account exactly
/// before it ends (or refuse it).
async fn catalogs_or_choice(
    targets: &[Target<'_>],
    query: &[String],
    needs_listing: impl Fn(&Target<'_>) -> bool,
) -> Result<Result<Vec<(usize, Catalog)>, Choice>, Error> {
    let setup = targets[0].setup;
    match (targets, Straight::new(setup, query)) {
        ([t], Some(mut straight)) if needs_listing(t) && !t.catalog.offline => {
            straight.refuse = true;
            let focus = straight.focus();
            let c = {
                let mut decide = |c: &Catalog| straight.decide(c);
                t.catalog_focused(Some((focus, &mut decide))).await?
            };
            if let Some(chosen) = straight.chosen.take() {
                return Ok(Err(Choice::one(0, chosen, Action::Default)));
            }
            if let Some(e) = straight.refused.take() {
                return Err(e);
            }
            Ok(Ok(with_chains(setup, vec![(0, c)])))
        }
        _ => Ok(Ok(catalogs(targets).await?)),
    }
}

/// The picker over `shown` (some of `targets`); the chosen rows with the
/// index of their targets, or `Cancelled`.
async fn picked(
    targets: &[Target<'_>],
    shown: &[&Target<'_>],
    query: &[String],
    enter_label: &str,
    settle: bool,
    multi: bool,
) -> Result<Choice, Error> {
    let p = picker::pick(shown, query, enter_label, settle, multi)
        .await?
        .ok_or(Error::Cancelled)?;
    let rows = if p.marked.is_empty() {
        vec![p.chosen]
    } else {
        p.marked
    };
    let rows = rows
        .into_iter()
        .map(|c| Ok((target_index(targets, &c.session)?, c)))
        .collect::<Result<_, Error>>()?;
    Ok(Choice {
        rows,
        action: p.action,
    })
}

/// The picker at once, on whatever snapshots there are (or none), with the
/// listings behind it (several sessions: one after another). With a QUERY,
/// the rule goes straight in when the listings end, if the user has not
/// acted by then.
async fn front_door(
    targets: &[Target<'_>],
    query: &[String],
    enter_label: &str,
    multi: bool,
) -> Result<Choice, Error> {
    if let [t] = targets
        && t.catalog.offline
    {
        return Err(Error::NoSnapshot(t.id().to_string()));
    }
    let g = &targets[0].setup.globals;
    let settle = !query.is_empty() || g.account.is_some() || g.role.is_some();
    let shown: Vec<&Target<'_>> = targets.iter().collect();
    picked(targets, &shown, query, enter_label, settle, multi).await
}

/// The whole of shell/exec/export/copy/console/profile: the targets this
/// run works on, the selection rule, then the delivery.
pub(crate) async fn choose_and_deliver(
    setup: &Setup,
    query: &[String],
    what: Delivery,
) -> Result<i32, Error> {
    refuse_nesting(setup, &what)?;
    let targets = targets(setup).await?;
    let choice = choose(&targets, query, what.label(), what.takes_several()).await?;
    // Several rows only for actions that take several (the picker refuses
    // the others): each in turn, the first failure ends it.
    let mut code = 0;
    for (i, chosen) in &choice.rows {
        let each = what.clone().with(choice.action, &setup.defaults);
        let c = deliver(&targets[*i], chosen, each).await?;
        if code == 0 {
            code = c;
        }
    }
    Ok(code)
}

/// `--session all`: every session; otherwise the chosen one.
/// With no session named and several logged in, on a terminal: every
/// logged-in session, so the picker shows them all. With no SSO session
/// configured at all, the AWS files' other profiles still are rows
/// (`Target::without_session`).
pub(crate) async fn targets(setup: &Setup) -> Result<Vec<Target<'_>>, Error> {
    if setup.globals.session.as_deref() == Some("all") && !setup.is_demo() {
        return Target::all(setup).await;
    }
    match Target::chosen(setup).await {
        // No session set up, none logged in, or several off a terminal:
        // the AWS files' other profiles need none.
        Err(Error::Session(
            why @ (SessionError::NoSessions
            | SessionError::NoValidSession { .. }
            | SessionError::AmbiguousSession { .. }),
        )) if setup.globals.session.is_none()
            && !setup.row_settings().profiles.is_empty()
            && !(matches!(why, SessionError::AmbiguousSession { .. }) && picker::available()) =>
        {
            Ok(vec![Target::without_session(setup, why)])
        }
        Err(Error::Session(SessionError::AmbiguousSession { .. })) if picker::available() => {
            let mut all = Target::all(setup).await?;
            all.retain(|t| t.tokens.problem().is_none());
            Ok(all)
        }
        other => other.map(|t| vec![t]),
    }
}
