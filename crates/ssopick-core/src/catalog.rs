//! Accounts and roles of one session, the on-disk snapshot format, and the
//! plain word filter used by `list` and by non-interactive selection. Pure.

pub use crate::names::{valid_account_id, valid_role_name};
use crate::time::UtcTime;
use serde::{Deserialize, Serialize};

pub const SNAPSHOT_VERSION: u32 = 1;

/// How the pick history names another AWS profile's row
/// (`Account::history_id`).
pub const PROFILE_PICK: &str = "profile:";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub account_id: String,
    pub account_name: String,
    #[serde(default)]
    pub email_address: String,
    /// A row a `[[chain]]` adds (config.toml), never one the portal listed;
    /// never stored in the snapshot.
    #[serde(skip)]
    pub chain: Option<std::sync::Arc<crate::chain::Chain>>,
    /// A row another profile of the AWS config or credentials file adds
    /// (static keys, assume-role, ...); never stored in the snapshot.
    #[serde(skip)]
    pub profile: Option<std::sync::Arc<crate::profile_rows::ProfileRow>>,
    /// config.toml's `[[account]]` metadata for it, once resolved.
    #[serde(skip)]
    pub meta: Option<std::sync::Arc<crate::account_meta::Meta>>,
}

impl Account {
    /// An account as the portal lists it: no chain, no metadata yet.
    pub fn new(
        account_id: impl Into<String>,
        account_name: impl Into<String>,
        email_address: impl Into<String>,
    ) -> Account {
        Account {
            account_id: account_id.into(),
            account_name: account_name.into(),
            email_address: email_address.into(),
            chain: None,
            profile: None,
            meta: None,
        }
    }

    /// A row ssopick's configuration adds (a chain, another profile),
    /// never one the portal listed.
    pub fn added(&self) -> bool {
        self.chain.is_some() || self.profile.is_some()
    }

    /// The account part of this row's pick history: the account id, or
    /// for another AWS profile's row `profile:NAME` (two static profiles
    /// share no id, and an assume-role profile's id is a portal account's).
    pub fn history_id(&self) -> std::borrow::Cow<'_, str> {
        match &self.profile {
            Some(p) => format!("{}{}", PROFILE_PICK, p.name).into(),
            None => self.account_id.as_str().into(),
        }
    }

    /// What tells an added row apart from others of its account id: its
    /// chain's name, or `profile NAME`.
    pub fn added_key(&self) -> Option<String> {
        match (&self.chain, &self.profile) {
            (Some(c), _) => Some(c.name.clone()),
            (None, Some(p)) => Some(format!("profile {}", p.name)),
            (None, None) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "StoredAccount")]
pub struct AccountRoles {
    #[serde(flatten)]
    pub account: Account,
    /// `None`: not fetched yet (the picker shows "loading").
    pub roles: Option<Vec<String>>,
}

/// An account as stored: the same fields, read without `flatten` (which
/// buffers every object first: a 100,000-entry snapshot read 3x slower).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredAccount {
    account_id: String,
    account_name: String,
    #[serde(default)]
    email_address: String,
    roles: Option<Vec<String>>,
}

impl From<StoredAccount> for AccountRoles {
    fn from(a: StoredAccount) -> AccountRoles {
        AccountRoles {
            account: Account::new(a.account_id, a.account_name, a.email_address),
            roles: a.roles,
        }
    }
}

impl AccountRoles {
    /// The account as AWS could have sent it, or `None` (a bad account id):
    /// names cleaned, role names outside the pattern dropped. For accounts
    /// read back from a file someone else may have written.
    pub fn into_valid(mut self) -> Option<AccountRoles> {
        if !valid_account_id(&self.account.account_id)
            || !crate::bounds::account_fits(&self.account.account_name, &self.account.email_address)
        {
            return None;
        }
        let a = &mut self.account;
        if needs_cleaning(&a.account_name) {
            a.account_name = clean_text(&a.account_name);
        }
        if needs_cleaning(&a.email_address) {
            a.email_address = clean_text(&a.email_address);
        }
        if let Some(roles) = &mut self.roles {
            roles.retain(|r| valid_role_name(r));
        }
        Some(self)
    }
}

/// One session's catalog, as stored in the snapshot file. Holds no secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    pub version: u32,
    pub session: String,
    pub start_url: String,
    pub region: String,
    /// When the listing that produced it was started.
    pub taken_at: UtcTime,
    /// Every account listed and every account's roles fetched.
    pub complete: bool,
    pub accounts: Vec<AccountRoles>,
}

impl Serialize for UtcTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for UtcTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        UtcTime::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("bad timestamp {s:?}")))
    }
}

/// Account positions by id, for many updates to one catalog (a linear
/// search per update is quadratic at 25,000 accounts). Every hit is
/// checked, and the index is rebuilt when the catalog changed under it.
#[derive(Debug, Default)]
pub struct AccountIndex(std::collections::HashMap<String, usize>);

impl AccountIndex {
    fn position(&mut self, catalog: &Catalog, id: &str) -> Option<usize> {
        let valid = |i: &usize| {
            catalog
                .accounts
                .get(*i)
                .is_some_and(|a| a.account.account_id == id)
        };
        if let Some(i) = self.0.get(id).copied().filter(valid) {
            return Some(i);
        }
        if self.0.len() != catalog.accounts.len() || self.0.contains_key(id) {
            self.0 = catalog
                .accounts
                .iter()
                .enumerate()
                .map(|(i, a)| (a.account.account_id.clone(), i))
                .collect();
        }
        self.0.get(id).copied().filter(valid)
    }
}

/// One selectable row: an account and one of its roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    pub account: &'a Account,
    pub role: &'a str,
    pub session: &'a str,
}

impl Catalog {
    /// The catalog's spelling of `role` in `account_id`, when it knows a
    /// role whose name differs at most in case (role names are
    /// case-sensitive to GetRoleCredentials: `billing` gets a 403).
    pub fn role_spelled<'a>(&'a self, account_id: &str, role: &str) -> Option<&'a str> {
        let roles = self
            .accounts
            .iter()
            .find(|a| a.account.account_id == account_id)?
            .roles
            .as_ref()?;
        roles
            .iter()
            .find(|r| *r == role)
            .or_else(|| roles.iter().find(|r| r.eq_ignore_ascii_case(role)))
            .map(String::as_str)
    }

    pub fn new(session: &str, start_url: &str, region: &str, taken_at: UtcTime) -> Self {
        Catalog {
            version: SNAPSHOT_VERSION,
            session: session.into(),
            start_url: start_url.into(),
            region: region.into(),
            taken_at,
            complete: false,
            accounts: Vec::new(),
        }
    }

    /// Adds or updates accounts (names can change), keeping known roles.
    pub fn upsert_accounts(&mut self, accounts: impl IntoIterator<Item = Account>) {
        self.upsert_accounts_indexed(&mut AccountIndex::default(), accounts);
    }

    /// `upsert_accounts` through an index kept across many calls.
    pub fn upsert_accounts_indexed(
        &mut self,
        index: &mut AccountIndex,
        accounts: impl IntoIterator<Item = Account>,
    ) {
        for a in accounts {
            if let Some(i) = index.position(self, &a.account_id) {
                self.accounts[i].account = a;
            } else {
                index.0.insert(a.account_id.clone(), self.accounts.len());
                self.accounts.push(AccountRoles {
                    account: a,
                    roles: None,
                });
            }
        }
    }

    pub fn set_roles(&mut self, account_id: &str, roles: Vec<String>) {
        self.set_roles_indexed(&mut AccountIndex::default(), account_id, roles);
    }

    /// `set_roles` through an index kept across many calls.
    pub fn set_roles_indexed(
        &mut self,
        index: &mut AccountIndex,
        account_id: &str,
        mut roles: Vec<String>,
    ) {
        if let Some(i) = index.position(self, account_id) {
            roles.sort();
            roles.dedup();
            self.accounts[i].roles = Some(roles);
        }
    }

    /// A complete catalog with no account: what a source that lists
    /// nothing (no session, or one that cannot list) adds rows to.
    pub fn complete_empty(session: &str, start_url: &str, region: &str, taken_at: UtcTime) -> Self {
        let mut c = Catalog::new(session, start_url, region, taken_at);
        c.complete = true;
        c
    }

    /// A complete catalog of `rows`: (id, name, roles) per account, with
    /// `email(name)` (tests and fixtures).
    pub fn from_rows<'a>(
        session: &str,
        rows: impl IntoIterator<Item = (&'a str, &'a str, Vec<&'a str>)>,
        email: impl Fn(&str) -> String,
    ) -> Catalog {
        let mut c = Catalog::new(session, "u", "us-east-1", UtcTime(0));
        c.complete = true;
        for (id, name, roles) in rows {
            c.upsert_accounts([Account::new(id, name, email(name))]);
            c.set_roles(id, roles.into_iter().map(String::from).collect());
        }
        c
    }

    /// Accounts by name (case-insensitive), then id.
    pub fn sort(&mut self) {
        self.accounts.sort_by(|a, b| {
            let (x, y) = (&a.account, &b.account);
            cmp_ignoring_case(&x.account_name, &y.account_name)
                .then_with(|| x.account_id.cmp(&y.account_id))
        });
    }

    /// Drops what AWS would never send (bad account ids, role names outside
    /// the pattern) and cleans names: for a snapshot read back from disk,
    /// which someone else may have written.
    pub fn keep_valid(&mut self) {
        let accounts = std::mem::take(&mut self.accounts);
        self.accounts = accounts
            .into_iter()
            .filter_map(AccountRoles::into_valid)
            .collect();
    }

    pub fn role_count(&self) -> usize {
        self.accounts
            .iter()
            .filter_map(|a| a.roles.as_ref())
            .map(Vec::len)
            .sum()
    }

    pub fn entries(&self) -> impl Iterator<Item = Entry<'_>> {
        self.accounts.iter().flat_map(move |a| {
            a.roles.iter().flatten().map(move |r| Entry {
                account: &a.account,
                role: r,
                session: &self.session,
            })
        })
    }

    /// Merges a fresh but unfinished listing into an older catalog: what was
    /// re-checked is updated, what was not is kept; nothing is deleted.
    pub fn merge_partial(&mut self, fresh: &Catalog) {
        let mut index = AccountIndex::default();
        self.upsert_accounts_indexed(&mut index, fresh.accounts.iter().map(|a| a.account.clone()));
        for a in &fresh.accounts {
            if let Some(r) = &a.roles {
                self.set_roles_indexed(&mut index, &a.account.account_id, r.clone());
            }
        }
        self.complete = false;
    }
}

/// The words of a query, lowercased; empty words dropped.
pub fn query_words(query: &[String]) -> Vec<String> {
    query
        .iter()
        .flat_map(|q| q.split_whitespace())
        .map(str::to_lowercase)
        .collect()
}

/// True when every word occurs (case-insensitively) in the account name, id
/// or role name. A role ARN matches its account id and role.
pub fn entry_matches(e: &Entry<'_>, words: &[String]) -> bool {
    let hay = format!(
        "{} {} {}",
        e.account.account_name, e.account.account_id, e.role
    )
    .to_lowercase();
    words.iter().all(|w| match parse_role_arn(w) {
        Some((acct, role)) => e.account.account_id == acct && e.role.eq_ignore_ascii_case(role),
        None => hay.contains(w.as_str()),
    })
}

/// `arn:aws:iam::123456789012:role/Name` (also the assumed-role form of a
/// permission set, `.../aws-reserved/sso.amazonaws.com/AWSReservedSSO_Name_hash`).
pub fn parse_role_arn(s: &str) -> Option<(&str, &str)> {
    let rest = s.strip_prefix("arn:")?;
    let mut parts = rest.splitn(5, ':');
    let (_partition, service, _region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // An IAM role ARN (`role/PATH/NAME`), or what `aws sts
    // get-caller-identity` prints (`assumed-role/NAME/SESSION`).
    let role = if service.eq_ignore_ascii_case("iam") {
        resource.strip_prefix("role/")?.rsplit('/').next()?
    } else if service.eq_ignore_ascii_case("sts") {
        resource.strip_prefix("assumed-role/")?.split('/').next()?
    } else {
        return None;
    };
    let role = match role
        .strip_prefix("AWSReservedSSO_")
        .or_else(|| role.strip_prefix("awsreservedsso_"))
    {
        Some(r) => r.rsplit_once('_').map_or(r, |(name, _hash)| name),
        None => role,
    };
    Some((account, role))
}

mod text;
pub use text::{clean_lines, clean_text, cmp_ignoring_case, needs_cleaning};

#[cfg(test)]
mod tests;
