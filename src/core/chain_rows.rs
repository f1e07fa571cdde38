//! The rows config.toml's role chains add to catalogs: each chain's
//! target account (named by the chain) with its one role, under the
//! session it goes through. Pure.

use crate::core::catalog::{Account, AccountRoles, Catalog};
use crate::core::chain::Chain;
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
        },
        roles: Some(vec![chain.role_name().to_string()]),
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
pub fn add_rows(catalogs: &mut [&mut Catalog], chains: &[Arc<Chain>]) {
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
