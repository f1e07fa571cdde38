//! The rows and the texts they share: a row is two indices, one account part
//! ("name id") and one role part, each prepared (and case-folded) once.

use super::text::lower_chars;

/// One row: which account part ("name id") and which role part it joins.
/// A row's text is `name id role`; nothing is stored per row but this.
#[derive(Clone, Copy, Debug)]
pub struct Hay {
    pub(super) account_part: u32,
    pub(super) role_part: u32,
}

/// All rows, plus the parts they share: every role of an account shares its
/// "name id" text, and a catalog has few distinct role names. Each query
/// word is scored once per part instead of once per row.
#[derive(Clone, Debug, Default)]
pub struct Haystacks {
    pub(super) rows: Vec<Hay>,
    /// Shared with the previous build when the accounts are the same (roles
    /// arriving), and with it the word scores cached for them.
    pub(super) accounts: std::sync::Arc<AccountTexts>,
    pub(super) role_parts: Vec<String>,
    /// `role_parts` case-folded.
    pub(super) role_lower: Vec<Vec<char>>,
}

#[derive(Debug, Default)]
pub(super) struct AccountTexts {
    /// Distinct per build, so cached part scores are never applied to
    /// other accounts.
    pub(super) id: u64,
    /// "name id" per account.
    pub(super) parts: Vec<String>,
    /// The account names alone: a word without a digit cannot match inside
    /// an account id, so it is scored on the shorter text (same result).
    pub(super) names: Vec<String>,
    /// `parts` case-folded, for the cheap subsequence checks that run
    /// before any scoring.
    pub(super) lower: Vec<Vec<char>>,
}

impl AccountTexts {
    pub(super) fn new(accounts: &[(&str, &str)]) -> AccountTexts {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut t = AccountTexts {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..AccountTexts::default()
        };
        for (name, id) in accounts {
            let text = format!("{name} {id}");
            t.lower.push(lower_chars(&text));
            t.parts.push(text);
            t.names.push(name.to_string());
        }
        t
    }

    pub(super) fn same(&self, accounts: &[(&str, &str)]) -> bool {
        self.names.len() == accounts.len()
            && accounts.iter().zip(self.names.iter().zip(&self.parts)).all(
                |((name, id), (n, part))| {
                    n == name && part.len() == name.len() + 1 + id.len() && part.ends_with(id)
                },
            )
    }
}

impl Haystacks {
    /// `rows`: (account name, account id, role) per row; rows of one account
    /// are expected next to each other.
    pub fn build<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Haystacks {
        Haystacks::build_after(None, rows)
    }

    /// As `build`, sharing `prev`'s account texts (and cached scores) when
    /// the accounts are the same.
    pub fn build_after<'a>(
        prev: Option<&Haystacks>,
        rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Haystacks {
        let mut hs = Haystacks::default();
        let mut accounts: Vec<(&str, &str)> = Vec::new();
        let mut roles: std::collections::HashMap<&'a str, u32> = std::collections::HashMap::new();
        for (name, id, role) in rows {
            if accounts.last() != Some(&(name, id)) {
                accounts.push((name, id));
            }
            let next = roles.len() as u32;
            let role_part = *roles.entry(role).or_insert_with(|| {
                hs.role_parts.push(role.to_string());
                hs.role_lower.push(lower_chars(role));
                next
            });
            hs.rows.push(Hay {
                account_part: accounts.len() as u32 - 1,
                role_part,
            });
        }
        hs.accounts = match prev {
            Some(p) if p.accounts.same(&accounts) => std::sync::Arc::clone(&p.accounts),
            _ => std::sync::Arc::new(AccountTexts::new(&accounts)),
        };
        hs
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Row `i`'s whole text: `name id role`.
    pub fn text(&self, i: usize) -> String {
        let h = self.rows[i];
        format!(
            "{} {}",
            self.accounts.parts[h.account_part as usize], self.role_parts[h.role_part as usize]
        )
    }

    /// Where, in chars of `text(i)`, the account id starts.
    pub fn account_id_at(&self, i: usize) -> usize {
        self.accounts.names[self.rows[i].account_part as usize]
            .chars()
            .count()
            + 1
    }

    /// Where, in chars of `text(i)`, the role starts.
    pub fn role_at(&self, i: usize) -> usize {
        self.accounts.parts[self.rows[i].account_part as usize]
            .chars()
            .count()
            + 1
    }

    /// Row `i`'s account part: "name id".
    pub fn account_text(&self, i: usize) -> &str {
        &self.accounts.parts[self.rows[i].account_part as usize]
    }

    pub fn account_id(&self, i: usize) -> &str {
        let a = self.rows[i].account_part as usize;
        &self.accounts.parts[a][self.accounts.names[a].len() + 1..]
    }

    pub fn role(&self, i: usize) -> &str {
        &self.role_parts[self.rows[i].role_part as usize]
    }
}
