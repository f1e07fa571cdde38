//! Choosing the role a command acts on, by the selection rule: an exact
//! `--account ID --role NAME` needs no listing; otherwise one match is
//! taken, several open the picker (or are an error without a terminal), none
//! is an error naming the closest rows. Then the delivery is carried out
//! through the chosen row's own session (`--session all` has several).

use crate::app::deliver::{deliver, refuse_nesting};
use crate::app::error::Error;
use crate::app::pick;
use crate::app::setup::Setup;
use crate::app::target::Target;
use crate::core::catalog::{Account, Catalog, Entry};
use crate::core::delivery::{Action, Delivery};
use crate::core::export::Chosen;
use crate::core::select::{self, closest, no_match_message};
use crate::edge::portal::retry_call;

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

fn owned(e: &Entry<'_>) -> Chosen {
    Chosen {
        account: e.account.clone(),
        role: e.role.to_string(),
        session: e.session.to_string(),
    }
}

/// The error for several matches where no picker can be shown.
fn ambiguous(query: &[String], found: &[(usize, Entry<'_>)], several_sessions: bool) -> Error {
    let mut m = format!(
        "{} entries match {:?}{}; add words, or name one with --account ID --role NAME:",
        found.len(),
        query.join(" "),
        if several_sessions {
            " across sessions"
        } else {
            ""
        }
    );
    for (_, e) in found.iter().take(10) {
        m.push_str(&format!("\n  {}", select::describe(e)));
        if several_sessions {
            m.push_str(&format!("  [session {}]", e.session));
        }
    }
    if found.len() > 10 {
        m.push_str(&format!("\n  ... and {} more", found.len() - 10));
    }
    Error::Usage(m)
}

/// The account's name from ListAccounts (no role listing), when the
/// snapshot does not know it. `None` when it cannot be had now; the call
/// that follows reports any real problem.
async fn account_name(t: &Target<'_>, id: &str) -> Option<String> {
    let client = t.client().await.ok()?;
    let mut next = None;
    loop {
        let (accounts, more) = retry_call(|| client.list_accounts_page(next.clone()))
            .await
            .ok()?;
        if let Some(a) = accounts.into_iter().find(|a| a.account_id == id) {
            return Some(a.account_name);
        }
        next = Some(more?);
    }
}

/// `--account ID --role NAME` with no query: no listing needed (the
/// snapshot, when there is one, supplies the account's name).
async fn exact(t: &Target<'_>, id: &str, role: &str) -> Chosen {
    let name = match t
        .catalog
        .snapshot()
        .and_then(|c| c.accounts.into_iter().find(|x| x.account.account_id == id))
    {
        Some(x) => x.account.account_name,
        None => account_name(t, id).await.unwrap_or_else(|| id.to_string()),
    };
    Chosen {
        account: Account {
            account_id: id.into(),
            account_name: name,
            email_address: String::new(),
        },
        role: role.into(),
        session: t.id().into(),
    }
}

/// Each target's catalog. With one target its errors are the command's;
/// with several, a session that cannot list contributes its snapshot (said
/// on stderr), or nothing.
pub async fn catalogs(targets: &[Target<'_>]) -> Result<Vec<(usize, Catalog)>, Error> {
    if let [t] = targets {
        return Ok(vec![(0, t.catalog().await?)]);
    }
    let mut out = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        match t.catalog().await {
            Ok(c) => out.push((i, c)),
            Err(e) => match t.catalog.snapshot() {
                Some(s) => {
                    eprintln!(
                        "ssopick: session {}: {} (using its snapshot)",
                        t.id(),
                        e.first_line()
                    );
                    out.push((i, s));
                }
                None => eprintln!("ssopick: session {}: {} (skipped)", t.id(), e.first_line()),
            },
        }
    }
    Ok(out)
}

/// Rows of every catalog that match the flags and the query, with the
/// index of their target.
pub fn matching<'c>(
    setup: &Setup,
    cats: &'c [(usize, Catalog)],
    query: &[String],
) -> Vec<(usize, Entry<'c>)> {
    let g = &setup.globals;
    cats.iter()
        .flat_map(|(i, c)| {
            select::filter(c, g.account.as_deref(), g.role.as_deref(), query)
                .into_iter()
                .map(move |e| (*i, e))
        })
        .collect()
}

/// The error for no match, with the closest rows of the first catalog.
pub fn no_match(
    setup: &Setup,
    cats: &[(usize, Catalog)],
    query: &[String],
    several: bool,
) -> Error {
    let g = &setup.globals;
    let near = cats
        .first()
        .map(|(_, c)| closest(c, g.account.as_deref(), g.role.as_deref(), query, 3))
        .unwrap_or_default();
    let mut what = query.join(" ");
    for (flag, v) in [("--account", &g.account), ("--role", &g.role)] {
        if let Some(v) = v {
            what.push_str(&format!(" {flag} {v}"));
        }
    }
    let mut what = format!("{:?}", what.trim());
    if several {
        what.push_str(" in any session");
    }
    Error::NoMatch(no_match_message(&what, &near))
}

/// The chosen row (with the index of its target) and the action.
pub async fn choose(
    targets: &[Target<'_>],
    query: &[String],
    enter_label: &str,
) -> Result<(usize, Chosen, Action), Error> {
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
        return Ok((0, exact(t, a, r).await, Action::Default));
    }
    let cats = catalogs(targets).await?;
    let found = matching(setup, &cats, query);
    let several = targets.len() > 1;
    if let [(i, e)] = found.as_slice() {
        return Ok((*i, owned(e), Action::Default));
    }
    if found.is_empty() {
        return Err(no_match(setup, &cats, query, several));
    }
    if !pick::available() {
        return Err(ambiguous(query, &found, several));
    }
    let shown: Vec<&Target<'_>> = cats.iter().map(|(i, _)| &targets[*i]).collect();
    let (chosen, action) = pick::pick(&shown, &query.join(" "), enter_label)
        .await?
        .ok_or(Error::Cancelled)?;
    let i = targets
        .iter()
        .position(|t| t.id() == chosen.session)
        .ok_or(Error::Cancelled)?;
    Ok((i, chosen, action))
}

/// The whole of shell/exec/export/copy/console/profile: the targets this
/// run works on, the selection rule, then the delivery.
pub async fn choose_and_deliver(
    setup: &Setup,
    query: &[String],
    what: Delivery,
) -> Result<i32, Error> {
    refuse_nesting(setup, &what)?;
    let targets = targets(setup).await?;
    let (i, chosen, action) = choose(&targets, query, what.label()).await?;
    deliver(&targets[i], &chosen, what.with(action, &setup.defaults)).await
}

/// `--session all`: every session; otherwise the chosen one.
pub async fn targets(setup: &Setup) -> Result<Vec<Target<'_>>, Error> {
    if setup.globals.session.as_deref() == Some("all") && !setup.is_demo() {
        Target::all(setup).await
    } else {
        Ok(vec![Target::chosen(setup).await?])
    }
}
