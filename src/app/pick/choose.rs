//! Choosing the role a command acts on, by the selection rule: an exact
//! `--account ID --role NAME` needs no listing; otherwise one match is
//! taken, several open the picker (or are an error without a terminal), none
//! is an error naming the closest rows. Then the delivery is carried out
//! through the chosen row's own session (`--session all` has several).

use crate::app::deliver::{deliver, refuse_nesting};
use crate::app::error::Error;
use crate::app::listing::straight::Straight;
use crate::app::pick::picker;
pub(crate) use crate::app::pick::refusals::no_match;
use crate::app::pick::refusals::{ambiguous, lacks};
use crate::app::pick::rows::{ask, catalogs, history, with_chains};
use crate::app::session::target::Target;
use crate::app::setup::Setup;
use crate::core::catalog::{Account, Catalog, clean_text};
use crate::core::delivery::{Action, Delivery};
use crate::core::export::Chosen;
use crate::core::select::{self, Frecency, Listed, Selection};
use crate::core::sso::session::SessionError;
use crate::edge::portal::retry_call;

fn target_index(targets: &[Target<'_>], session: &str) -> Result<usize, Error> {
    targets
        .iter()
        .position(|t| t.id() == session)
        .ok_or(Error::Cancelled)
}

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The account's name from ListAccounts (no role listing), when the
/// snapshot does not know it. `None` when it cannot be had now; the call
/// that follows reports any real problem.
async fn account_name(t: &Target<'_>, id: &str) -> Option<String> {
    let client = t.client().await.ok()?;
    let mut next = None;
    // Bounded: a portal that repeats its page token must not loop forever.
    for _ in 0..10_000 {
        let (accounts, more) = retry_call(|| client.list_accounts_page(next.clone()))
            .await
            .ok()?;
        if let Some(a) = accounts.into_iter().find(|a| a.account_id == id) {
            return Some(a.account_name);
        }
        let more = more?;
        if next.as_ref() == Some(&more) {
            return None;
        }
        next = Some(more);
    }
    None
}

/// `--role` as the catalog spells it, when they differ only in case (said
/// on stderr, so the user can fix a config that names it).
pub(crate) fn corrected_role(catalog: Option<&Catalog>, account_id: &str, role: &str) -> String {
    match catalog.and_then(|c| c.role_spelled(account_id, role)) {
        Some(known) if known != role => {
            eprintln!(
                "ssopick: --role {}: using {} (role names are case-sensitive).",
                clean_text(role),
                clean_text(known)
            );
            known.to_string()
        }
        _ => role.to_string(),
    }
}

/// `--account ID --role NAME` with no query: no listing needed (the
/// snapshot, when there is one, supplies the account's name).
async fn exact(t: &Target<'_>, id: &str, role: &str) -> Chosen {
    let snapshot = t.catalog.snapshot();
    // A chain's row, when the portal lists no SSO role of that name there
    // (`list` prints a chained row's id and role like any other).
    let listed = snapshot.as_ref().and_then(|c| c.role_spelled(id, role));
    if listed.is_none()
        && let Some(c) = t
            .setup
            .settings
            .chains
            .iter()
            .find(|c| c.account_id() == id && c.role_name() == role)
    {
        let account = t.setup.row_settings().additions().chain_row(c).account;
        return Chosen::new(account, role, t.id());
    }
    let role = corrected_role(snapshot.as_ref(), id, role);
    let name =
        match snapshot.and_then(|c| c.accounts.into_iter().find(|x| x.account.account_id == id)) {
            Some(x) => x.account.account_name,
            None => account_name(t, id).await.unwrap_or_else(|| id.to_string()),
        };
    let mut account = Account::new(id, name, "");
    t.setup.row_settings().additions().account(&mut account);
    Chosen::new(account, role, t.id())
}

/// What a command acts on: one row, or the rows marked in the picker (each
/// with the index of its target), and the action.
pub(crate) struct Choice {
    pub rows: Vec<(usize, Chosen)>,
    pub action: Action,
}

impl Choice {
    fn one(target: usize, chosen: Chosen, action: Action) -> Choice {
        Choice {
            rows: vec![(target, chosen)],
            action,
        }
    }
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
    // Logged out: the picker would only offer a login first.
    if let Some(t) = targets.first()
        && let Some(problem) = t.tokens.problem()
        && let Some(choice) = profile_named(targets, query)
    {
        say_profile_instead(t, &problem.first_line(), &choice);
        return Ok(choice);
    }
    match choose_row(targets, query, enter_label, multi).await {
        Err(
            e @ (Error::NotLoggedIn { .. }
            | Error::SessionExpired { .. }
            | Error::Portal(_)
            | Error::NoSnapshot(_)),
        ) => {
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

const ONLY_PROFILES: &str = "No SSO session is set up, so only the AWS files' other profiles are rows; `ssopick configure` adds a session.";

/// With no SSO session configured: one of the AWS files' other profiles,
/// by the same rule; anything else needs a session set up first.
async fn sessionless(
    targets: &[Target<'_>],
    query: &[String],
    enter_label: &str,
    multi: bool,
) -> Result<Choice, Error> {
    let g = &targets[0].setup.globals;
    let by_id = g.account.as_deref().is_some_and(is_account_id) && g.role.is_some();
    if let Some(choice) = profile_named(targets, query) {
        return Ok(choice);
    }
    let choice = if by_id {
        None
    } else {
        match choose_row(targets, query, enter_label, multi).await {
            Err(Error::NoMatch(m)) => return Err(Error::NoMatch(format!("{m}\n{ONLY_PROFILES}"))),
            other => Some(other?),
        }
    };
    match choice {
        Some(c) if c.rows.iter().all(|(_, r)| r.account.profile.is_some()) => Ok(c),
        _ => Err(SessionError::NoSessions.into()),
    }
}

fn say_profile_instead(t: &Target<'_>, why: &str, choice: &Choice) {
    if !t.has_session() {
        return;
    }
    let name = &choice.rows[0].1.account.account_name;
    eprintln!(
        "ssopick: {why} Using AWS profile {}: it needs no SSO session.",
        crate::core::visible::shown(name)
    );
}

/// The profile row `--account NAME` (or the one QUERY word) names exactly,
/// with `--role` absent or its own.
fn profile_named(targets: &[Target<'_>], query: &[String]) -> Option<Choice> {
    let t = targets.first()?;
    let g = &t.setup.globals;
    let name = match (g.account.as_deref(), query) {
        (Some(a), []) => a,
        (None, [w]) => w.as_str(),
        _ => return None,
    };
    let rows = t.setup.row_settings();
    let p = rows.profiles.iter().find(|p| p.name == name)?;
    if g.role.as_deref().is_some_and(|r| r != p.role) {
        return None;
    }
    let mut account = crate::core::config_rows::profile_row(p).account;
    rows.additions().account(&mut account);
    Some(Choice::one(
        0,
        Chosen::new(account, p.role.clone(), t.id()),
        Action::Default,
    ))
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
    ) && is_account_id(a)
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
        Err(Error::Session(SessionError::NoSessions))
            if setup.globals.session.is_none() && !setup.row_settings().profiles.is_empty() =>
        {
            Ok(vec![Target::without_session(setup)])
        }
        Err(Error::Session(SessionError::AmbiguousSession { .. })) if picker::available() => {
            let mut all = Target::all(setup).await?;
            all.retain(|t| t.tokens.problem().is_none());
            Ok(all)
        }
        other => other.map(|t| vec![t]),
    }
}
