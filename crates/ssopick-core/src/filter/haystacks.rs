//! The rows and the texts they share: a row is two indices, one account part
//! ("name id") and one role part, each prepared once (case is folded as
//! they are read: a copy of every text would double what the picker holds).

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
}

#[derive(Debug, Default)]
pub(super) struct AccountTexts {
    /// Distinct per build, so cached part scores are never applied to
    /// other accounts.
    pub(super) id: u64,
    /// "name id" per account.
    pub(super) parts: Vec<String>,
    /// The length of each account's name (bytes) in `parts`: a word
    /// without a digit cannot match inside an account id, so it is scored
    /// on the shorter text (same result).
    pub(super) name_len: Vec<u32>,
}

impl AccountTexts {
    pub(super) fn new(accounts: &[(&str, &str)]) -> AccountTexts {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut t = AccountTexts {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..AccountTexts::default()
        };
        t.parts.reserve_exact(accounts.len());
        t.name_len.reserve_exact(accounts.len());
        for (name, id) in accounts {
            let mut text = String::with_capacity(name.len() + 1 + id.len());
            text.push_str(name);
            text.push(' ');
            text.push_str(id);
            t.parts.push(text);
            t.name_len.push(name.len() as u32);
        }
        t
    }

    /// Account `a`'s name alone.
    pub(super) fn name(&self, a: usize) -> &str {
        &self.parts[a][..self.name_len[a] as usize]
    }

    /// Account `a`'s id.
    pub(super) fn id(&self, a: usize) -> &str {
        &self.parts[a][self.name_len[a] as usize + 1..]
    }

    pub(super) fn same(&self, accounts: &[(&str, &str)]) -> bool {
        self.parts.len() == accounts.len()
            && accounts.iter().enumerate().all(|(a, (name, id))| {
                self.name(a) == *name
                    && self.parts[a].len() == name.len() + 1 + id.len()
                    && self.parts[a].ends_with(id)
            })
    }
}

impl Haystacks {
    /// `rows`: (account name, account id, role) per row; rows of one account
    /// are expected next to each other.
    pub fn build<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Haystacks {
        Haystacks::build_after(None, rows)
    }

    /// As `build`, sharing `prev`'s account texts (and cached scores) when
    /// the accounts are the same; `prev` is dropped before any new text is
    /// made.
    pub fn build_after<'a>(
        prev: Option<std::sync::Arc<Haystacks>>,
        rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Haystacks {
        let rows = rows.into_iter();
        let mut hs = Haystacks {
            rows: Vec::with_capacity(rows.size_hint().0),
            ..Haystacks::default()
        };
        let mut accounts: Vec<(&str, &str)> = Vec::new();
        let mut roles: std::collections::HashMap<&'a str, u32> = std::collections::HashMap::new();
        for (name, id, role) in rows {
            if accounts.last() != Some(&(name, id)) {
                accounts.push((name, id));
            }
            let next = roles.len() as u32;
            let role_part = *roles.entry(role).or_insert_with(|| {
                hs.role_parts.push(role.to_string());
                next
            });
            hs.rows.push(Hay {
                account_part: accounts.len() as u32 - 1,
                role_part,
            });
        }
        let same = prev
            .as_ref()
            .filter(|p| p.accounts.same(&accounts))
            .map(|p| std::sync::Arc::clone(&p.accounts));
        drop(prev);
        hs.accounts = same.unwrap_or_else(|| std::sync::Arc::new(AccountTexts::new(&accounts)));
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
        self.accounts
            .name(self.rows[i].account_part as usize)
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

    /// Row `i`'s account name as the matcher sees it (with its alias,
    /// tags and session: `account_meta::search_text`).
    pub fn search_name(&self, i: usize) -> &str {
        self.accounts.name(self.rows[i].account_part as usize)
    }

    pub fn account_id(&self, i: usize) -> &str {
        let a = self.rows[i].account_part as usize;
        &self.accounts.parts[a][self.accounts.name_len[a] as usize + 1..]
    }

    pub fn role(&self, i: usize) -> &str {
        &self.role_parts[self.rows[i].role_part as usize]
    }
}
