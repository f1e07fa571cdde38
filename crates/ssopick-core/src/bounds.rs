//! How far a listing follows the portal: a page token seen before ends
//! that listing (alternating tokens too), an account's roles stop after 3
//! pages in a row that add no role or after 100 pages, the accounts after
//! 1,000 pages; rows AWS would never send (names over 256 characters,
//! e-mails over 320, role names outside the pattern) are skipped. What was
//! cut is kept as `Cut`: the catalog is then incomplete. Pure.

use std::collections::HashSet;

/// Most ListAccounts pages (100 accounts each) a listing follows.
pub const MAX_ACCOUNT_PAGES: usize = 1_000;
/// Most ListAccountRoles pages one account's roles take.
pub const MAX_ROLE_PAGES: u32 = 100;
/// Pages in a row that add no role, after which an account's roles stop.
pub const MAX_EMPTY_PAGES: u32 = 3;
/// Longest account name and e-mail address kept (characters).
pub const MAX_ACCOUNT_NAME: usize = 256;
pub const MAX_EMAIL: usize = 320;

/// What a listing cut short, as flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cut(u8);

impl Cut {
    /// The accounts' pages: a token seen before, or too many pages.
    pub const ACCOUNT_PAGES: Cut = Cut(1);
    /// An account's role pages: a token seen before, too many pages, or
    /// pages that add nothing.
    pub const ROLE_PAGES: Cut = Cut(2);
    /// Rows AWS would never send, skipped.
    pub const ROWS: Cut = Cut(4);
    /// Accounts whose roles the portal refused to list (an unexpected 4xx),
    /// skipped.
    pub const REFUSED: Cut = Cut(8);

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    #[must_use]
    pub fn with(self, other: Cut) -> Cut {
        Cut(self.0 | other.0)
    }

    pub fn has(self, other: Cut) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    /// What was cut, for a warning (empty when nothing was).
    pub fn describe(self) -> String {
        let mut parts = Vec::new();
        if self.has(Cut::ACCOUNT_PAGES) {
            parts
                .push("the account list (the portal repeated a page token or sent too many pages)");
        }
        if self.has(Cut::ROLE_PAGES) {
            parts.push("some accounts' roles (repeated page tokens, or pages that added nothing)");
        }
        if self.has(Cut::REFUSED) {
            parts.push("some accounts' roles (the portal refused to list them)");
        }
        if self.has(Cut::ROWS) {
            parts.push(
                "rows AWS would never send (over-long names, role names outside the pattern)",
            );
        }
        parts.join("; ")
    }
}

/// One account's role listing, page by page, within bounds.
#[derive(Debug, Default)]
pub struct RolePages {
    roles: Vec<String>,
    seen_roles: HashSet<String>,
    tokens: HashSet<String>,
    pages: u32,
    empty_in_a_row: u32,
}

/// What to do after a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Ask for the page this token names.
    Page(String),
    /// The roles are all in.
    Done,
    /// Stopped by a bound: the roles so far, and the listing is cut.
    Cut,
}

impl RolePages {
    /// Takes one page's roles and its next token.
    pub fn take(&mut self, roles: Vec<String>, next: Option<String>) -> Next {
        self.pages += 1;
        let before = self.roles.len();
        for r in roles {
            if self.seen_roles.insert(r.clone()) {
                self.roles.push(r);
            }
        }
        self.empty_in_a_row = if self.roles.len() == before {
            self.empty_in_a_row + 1
        } else {
            0
        };
        let Some(token) = next else {
            return Next::Done;
        };
        if !self.tokens.insert(token.clone())
            || self.pages >= MAX_ROLE_PAGES
            || self.empty_in_a_row >= MAX_EMPTY_PAGES
        {
            return Next::Cut;
        }
        Next::Page(token)
    }

    /// The roles taken so far.
    pub fn into_roles(self) -> Vec<String> {
        self.roles
    }
}

/// The account listing's page tokens.
#[derive(Debug, Default)]
pub struct AccountPages {
    tokens: HashSet<String>,
}

impl AccountPages {
    /// After a page with `next`: the token to follow, or `None` when the
    /// listing ends here (`cut` says whether a bound ended it).
    pub fn follow(&mut self, next: Option<String>) -> (Option<String>, bool) {
        match next {
            None => (None, false),
            Some(t) if !self.tokens.insert(t.clone()) || self.tokens.len() >= MAX_ACCOUNT_PAGES => {
                (None, true)
            }
            Some(t) => (Some(t), false),
        }
    }
}

/// An account name and e-mail of the lengths AWS allows.
pub fn account_fits(name: &str, email: &str) -> bool {
    name.chars().count() <= MAX_ACCOUNT_NAME && email.chars().count() <= MAX_EMAIL
}

/// A cut's description with the accounts the portal refused named (the
/// first five, then how many more).
pub fn with_refused(described: &str, refused: &[(String, String)]) -> String {
    const NAMED: usize = 5;
    if refused.is_empty() {
        return described.to_string();
    }
    let mut named: Vec<String> = refused
        .iter()
        .take(NAMED)
        .map(|(id, why)| format!("{id}: {why}"))
        .collect();
    if refused.len() > NAMED {
        named.push(format!("and {} more", refused.len() - NAMED));
    }
    format!(
        "{described}; ListAccountRoles refused {} account(s) ({})",
        refused.len(),
        named.join("; ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn alternating_tokens_end_an_account() {
        let mut p = RolePages::default();
        assert_eq!(p.take(r(&["A"]), Some("x".into())), Next::Page("x".into()));
        assert_eq!(p.take(r(&["B"]), Some("y".into())), Next::Page("y".into()));
        assert_eq!(p.take(r(&["C"]), Some("x".into())), Next::Cut);
        assert_eq!(p.into_roles(), r(&["A", "B", "C"]));
    }

    #[test]
    fn pages_that_add_nothing_or_too_many_pages_end_it() {
        let mut p = RolePages::default();
        assert_eq!(p.take(r(&["A"]), Some("1".into())), Next::Page("1".into()));
        assert_eq!(p.take(r(&["A"]), Some("2".into())), Next::Page("2".into()));
        assert_eq!(p.take(Vec::new(), Some("3".into())), Next::Page("3".into()));
        assert_eq!(p.take(r(&["A"]), Some("4".into())), Next::Cut);
        let mut p = RolePages::default();
        for i in 1..MAX_ROLE_PAGES {
            assert_eq!(
                p.take(r(&[&i.to_string()]), Some(i.to_string())),
                Next::Page(i.to_string())
            );
        }
        assert_eq!(p.take(r(&["last"]), Some("again".into())), Next::Cut);
        let mut a = AccountPages::default();
        assert_eq!(a.follow(Some("p1".into())), (Some("p1".into()), false));
        assert_eq!(a.follow(Some("p2".into())), (Some("p2".into()), false));
        assert_eq!(a.follow(Some("p1".into())), (None, true));
        assert_eq!(a.follow(None), (None, false));
        assert!(account_fits("a", "b") && !account_fits(&"x".repeat(257), ""));
        let c = Cut::default().with(Cut::ROWS);
        assert!(c.has(Cut::ROWS) && !c.has(Cut::ROLE_PAGES) && !c.is_empty());
        assert!(c.describe().contains("rows"));
    }
}
