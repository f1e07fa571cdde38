//! What the credential commands share: choosing one account/role by the
//! selection rule, fetching its credentials, and the region to go with them.

use crate::core::catalog::Account;
use crate::app::context::Context;
use crate::core::credentials::RoleCredentials;
use crate::app::error::Error;
use crate::core::export::Chosen;
use crate::picker::Action;
use crate::edge::portal::{CallError, retry_call};
use crate::core::select::{self, Selection, no_match_message};

fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Applies the selection rule. With an exact `--account ID --role NAME` no
/// listing is needed (the snapshot, when there is one, supplies the name).
pub async fn choose(
    ctx: &Context,
    query: &[String],
    enter_label: &str,
) -> Result<(Chosen, Action), Error> {
    let (account, role) = (ctx.globals.account.as_deref(), ctx.globals.role.as_deref());
    if let (Some(a), Some(r), true) = (account, role, query.is_empty())
        && is_account_id(a)
    {
        let name = match ctx
            .load_snapshot()
            .and_then(|c| c.accounts.into_iter().find(|x| x.account.account_id == a))
        {
            Some(x) => x.account.account_name,
            None => account_name(ctx, a).await.unwrap_or_else(|| a.to_string()),
        };
        let chosen = Chosen {
            account: Account {
                account_id: a.into(),
                account_name: name,
                email_address: String::new(),
            },
            role: r.into(),
            session: ctx.session.id().into(),
        };
        return Ok((chosen, Action::Default));
    }
    let catalog = ctx.catalog().await?;
    let owned = |e: &crate::core::catalog::Entry<'_>| Chosen {
        account: e.account.clone(),
        role: e.role.to_string(),
        session: e.session.to_string(),
    };
    match select::select(&catalog, account, role, query) {
        Selection::One(e) => Ok((owned(&e), Action::Default)),
        Selection::Many(found) => {
            crate::commands::pick::pick_one(ctx, query, &found, enter_label).await
        }
        Selection::None { closest } => {
            let mut what = query.join(" ");
            for (flag, v) in [("--account", account), ("--role", role)] {
                if let Some(v) = v {
                    what.push_str(&format!(" {flag} {v}"));
                }
            }
            Err(Error::NoMatch(no_match_message(
                &format!("{:?}", what.trim()),
                &closest,
            )))
        }
    }
}

/// The account's name from ListAccounts (no role listing), when the
/// snapshot does not know it. `None` when it cannot be had now; the call
/// that follows reports any real problem.
async fn account_name(ctx: &Context, id: &str) -> Option<String> {
    let client = ctx.client().ok()?;
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

pub async fn credentials(ctx: &Context, chosen: &Chosen) -> Result<RoleCredentials, Error> {
    let client = ctx.client()?;
    let (id, role) = (&chosen.account.account_id, &chosen.role);
    retry_call(|| client.role_credentials(id, role))
        .await
        .map_err(|e| match e {
            CallError::NotFound(detail) => Error::NoAccess {
                account: format!("{} ({id})", chosen.account.account_name),
                role: role.clone(),
                detail: format!(
                    "{detail}.\nRun `ssopick list --refresh` to see what you can use now"
                ),
            },
            other => ctx.call_error(other),
        })
}

/// `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the region of a profile
/// for this account and role, else the session's SSO region.
pub fn region(ctx: &Context, chosen: &Chosen) -> String {
    ctx.globals
        .region
        .clone()
        .or_else(|| ctx.env.get("AWS_REGION"))
        .or_else(|| ctx.env.get("AWS_DEFAULT_REGION"))
        .or_else(|| {
            ctx.config
                .profiles
                .iter()
                .find(|p| {
                    p.sso_account_id.as_deref() == Some(chosen.account.account_id.as_str())
                        && p.sso_role_name.as_deref() == Some(chosen.role.as_str())
                        && p.region.is_some()
                })
                .and_then(|p| p.region.clone())
        })
        .unwrap_or_else(|| ctx.session.region.clone())
}

pub fn describe(c: &Chosen) -> String {
    format!(
        "{} ({}) {}",
        c.account.account_name, c.account.account_id, c.role
    )
}
