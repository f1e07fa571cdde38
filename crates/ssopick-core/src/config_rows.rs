//! What config.toml adds to catalogs: the rows of its role chains (each
//! chain's target account, named by the chain, with its one role, under
//! the session it goes through) and its `[[account]]` metadata on each
//! account (and the name the matcher sees). Pure.

use crate::catalog::{Account, AccountRoles, Catalog};
use crate::chain::Chain;
use crate::profile_rows::ProfileRow;
use std::sync::Arc;

/// The row `chain` adds: the assumed role's account (named by the chain)
/// with its one role.
pub fn row(chain: &Arc<Chain>) -> AccountRoles {
    AccountRoles {
        account: Account {
            account_id: chain.account_id().to_string(),
            account_name: chain.name.clone(),
            email_address: String::new(),
            chain: Some(Arc::clone(chain)),
            profile: None,
            meta: None,
        },
        roles: Some(vec![chain.role_name().to_string()]),
    }
}

/// The row another profile of the AWS files adds: named by the profile,
/// with its one role (the role's name, or the kind's word).
pub fn profile_row(p: &Arc<ProfileRow>) -> AccountRoles {
    AccountRoles {
        account: Account {
            account_id: p.account_id.clone(),
            account_name: p.name.clone(),
            email_address: String::new(),
            chain: None,
            profile: Some(Arc::clone(p)),
            meta: None,
        },
        roles: Some(vec![p.role.clone()]),
    }
}

/// What config.toml (and the AWS files' other profiles) add to catalogs,
/// in one place: chains' rows, profiles' rows and `[[account]]` metadata.
/// Every consumer of rows goes through this.
#[derive(Clone, Copy)]
pub struct Additions<'s> {
    pub chains: &'s [Arc<Chain>],
    pub accounts: &'s [crate::account_meta::AccountEntry],
    /// Rows of the AWS files' other profiles (under the first catalog).
    pub profiles: &'s [Arc<ProfileRow>],
    /// Account id -> its SSO profile's name, an alias when config.toml
    /// gives none.
    pub aliases: &'s std::collections::HashMap<String, String>,
}

impl Additions<'_> {
    /// The catalogs with their chains' rows added (each under its owner)
    /// and every account's metadata set.
    pub fn apply<'c>(&self, catalogs: impl IntoIterator<Item = &'c mut Catalog>) {
        let mut cats: Vec<&mut Catalog> = catalogs.into_iter().collect();
        if !self.chains.is_empty() {
            add_rows(&mut cats, self.chains);
        }
        if let Some(first) = cats.first_mut() {
            first.accounts.extend(self.profiles.iter().map(profile_row));
        }
        let accounts = cats
            .iter_mut()
            .flat_map(|c| c.accounts.iter_mut().map(|a| &mut a.account));
        attach_meta(self.accounts, self.aliases, accounts);
    }

    /// One account's metadata.
    pub fn account(&self, a: &mut Account) {
        attach_meta(self.accounts, self.aliases, [a]);
    }

    /// A chain's row, with its metadata.
    pub fn chain_row(&self, chain: &Arc<Chain>) -> AccountRoles {
        let mut r = row(chain);
        self.account(&mut r.account);
        r
    }
}

/// Sets each account's `meta` from `entries`, and the alias of its SSO
/// profile where they give none (none of either: left as it is). The
/// profiles' aliases are looked up by id: thousands of SSO profiles cost
/// one lookup per account.
pub(crate) fn attach_meta<'a>(
    entries: &[crate::account_meta::AccountEntry],
    aliases: &std::collections::HashMap<String, String>,
    accounts: impl IntoIterator<Item = &'a mut Account>,
) {
    if entries.is_empty() && aliases.is_empty() {
        return;
    }
    for a in accounts {
        let mut meta = crate::account_meta::resolve(entries, &a.account_id, &a.account_name);
        if let Some(alias) = aliases.get(&a.account_id)
            && meta.as_ref().is_none_or(|m| m.alias.is_none())
        {
            meta.get_or_insert_default().alias = Some(alias.clone());
        }
        a.meta = meta.map(std::sync::Arc::new);
    }
}

/// The name as the matcher sees it: with the alias and tags after it, and
/// the session when several are shown (`account_meta::search_text`).
pub fn search_name<'a>(a: &'a Account, session: Option<&str>) -> std::borrow::Cow<'a, str> {
    match (&a.meta, session) {
        (None, None) => a.account_name.as_str().into(),
        (meta, session) => {
            crate::account_meta::search_text(&a.account_name, meta.as_deref(), session).into()
        }
    }
}

/// The session (index into `sessions`: each with its catalog, if known) a
/// chain's row goes under: its own `via.session`, else the first session
/// whose catalog lists the via account, else the first session.
pub fn owner(chain: &Chain, sessions: &[(&str, Option<&Catalog>)]) -> Option<usize> {
    if let Some(s) = &chain.via.session {
        return sessions.iter().position(|(id, _)| id == s);
    }
    let lists = |c: Option<&Catalog>| {
        c.is_some_and(|c| {
            c.accounts
                .iter()
                .any(|a| a.account.chain.is_none() && a.account.account_id == chain.via.account)
        })
    };
    sessions
        .iter()
        .position(|(_, c)| lists(*c))
        .or((!sessions.is_empty()).then_some(0))
}

/// Adds the rows of the chains that belong to each catalog (after listing
/// or loading: the snapshot file never holds them).
pub(crate) fn add_rows(catalogs: &mut [&mut Catalog], chains: &[Arc<Chain>]) {
    let owners: Vec<Option<usize>> = {
        let sessions: Vec<(&str, Option<&Catalog>)> = catalogs
            .iter()
            .map(|c| (c.session.as_str(), Some(&**c)))
            .collect();
        chains.iter().map(|ch| owner(ch, &sessions)).collect()
    };
    for (ch, owner) in chains.iter().zip(owners) {
        if let Some(i) = owner {
            catalogs[i].accounts.push(row(ch));
        }
    }
}
