//! Rule 1's test: which accounts an argument names exactly (name, alias,
//! id, any case, accents folded), and `Wanted`, the accounts a query could
//! name, for a listing to take first.

use super::Ask;
use crate::catalog::Account;
use crate::filter::Query;
use crate::fold::same_name;

/// True when `account` is the one `arg` names: its whole name or alias (any
/// case, accents folded), or its id.
pub fn names_account(arg: &str, account: &Account) -> bool {
    let alias = account.meta.as_ref().and_then(|m| m.alias.as_deref());
    names(&as_typed(arg), account, alias)
}

/// An argument as the rule compares it: trimmed, and `\u{200b}` as an
/// error or a completion showed it read as the character.
pub(super) fn as_typed(arg: &str) -> String {
    crate::visible::unescaped(arg.trim()).into_owned()
}

/// `names_account` for an argument already trimmed.
pub(super) fn names(arg: &str, account: &Account, alias: Option<&str>) -> bool {
    !arg.is_empty()
        && (arg == account.account_id
            || same_name(arg, &account.account_name)
            || alias.is_some_and(|a| same_name(arg, a)))
}

/// The accounts a query could name exactly (rule 1), owned: a listing
/// lists their roles before any other's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wanted {
    args: Vec<String>,
    ids: Vec<String>,
    email: Option<String>,
}

impl Wanted {
    /// `None` when nothing is asked that could name an account.
    pub fn of(ask: &Ask<'_>) -> Option<Wanted> {
        let mut w = Wanted {
            args: Vec::new(),
            ids: Vec::new(),
            email: None,
        };
        if let Some(a) = ask.account {
            w.args.push(as_typed(a));
            return Some(w);
        }
        match Query::parse(&ask.query.join(" ")) {
            Query::All => return None,
            Query::Account(id) | Query::Role { account_id: id, .. } => w.ids.push(id),
            Query::Email(e) => w.email = Some(e),
            _ => {}
        }
        w.args = ask.query.iter().map(|a| as_typed(a)).collect();
        Some(w)
    }

    /// True when the query could name `account` (with its `alias`, from
    /// config.toml).
    pub fn wants(&self, account: &Account, alias: Option<&str>) -> bool {
        self.ids.contains(&account.account_id)
            || self
                .email
                .as_ref()
                .is_some_and(|e| account.email_address.eq_ignore_ascii_case(e))
            || self.args.iter().any(|a| names(a, account, alias))
    }
}
