//! What a command acts on (`Choice`), and the rows a request names
//! without a listing: an exact `--account ID --role NAME` (the snapshot,
//! or ListAccounts, gives the account's name), and one of the AWS files'
//! other profiles named exactly, which needs no SSO session at all.

use crate::app::session::target::Target;
use crate::core::catalog::{Account, Catalog, clean_text};
use crate::core::delivery::Action;
use crate::core::export::Chosen;
use crate::edge::portal::retry_call;

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
pub(super) async fn exact(t: &Target<'_>, id: &str, role: &str) -> Chosen {
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
    pub(super) fn one(target: usize, chosen: Chosen, action: Action) -> Choice {
        Choice {
            rows: vec![(target, chosen)],
            action,
        }
    }
}

pub(super) const ONLY_PROFILES: &str = "No SSO session is set up, so only the AWS files' other profiles are rows; `ssopick configure` adds a session.";

pub(super) fn say_profile_instead(t: &Target<'_>, why: &str, choice: &Choice) {
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
pub(super) fn profile_named(targets: &[Target<'_>], query: &[String]) -> Option<Choice> {
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
