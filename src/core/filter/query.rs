//! A query as typed: everything, a pasted account id or role ARN (an IAM
//! role ARN or the STS assumed-role ARN `aws sts get-caller-identity`
//! prints), plain words (fuzzy, the fast path), or fzf's extended syntax:
//!
//! | term | matches rows that |
//! |---|---|
//! | `word` | contain the letters of `word` in order (fuzzy) |
//! | `'word` | contain `word` as it is |
//! | `^word` | have a field (account name, id, role) starting with `word` |
//! | `word$` | have a field ending with `word` |
//! | `!word` | do not contain `word` (also `!^word`, `!word$`) |
//! | `a \| b` | match `a` or `b` |
//! | `tag:NAME` | have that tag (config.toml's `[[account]]`); exact |
//!
//! Terms separated by spaces must all match. A term with a capital letter
//! matches case-sensitively (smart case), as plain words do.

use crate::core::catalog::parse_role_arn;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    All,
    /// A pasted 12-digit account id.
    Account(String),
    /// A pasted role ARN.
    Role {
        account_id: String,
        role: String,
    },
    /// A pasted account e-mail address (lowercase). The matcher cannot see
    /// e-mails: callers turn it into the account's id (`Query::for_email`).
    Email(String),
    /// Plain words, all fuzzy.
    Words(Vec<String>),
    /// fzf's extended syntax: every group must match; a group matches when
    /// any of its terms does.
    Extended(Vec<Vec<Term>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermKind {
    Fuzzy,
    Exact,
    Prefix,
    Suffix,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub kind: TermKind,
    pub text: String,
    pub negated: bool,
}

impl Term {
    /// One term as fzf reads it; `None` for a bare operator (`!`, `^`, ...).
    pub fn parse(word: &str) -> Option<Term> {
        let (negated, w) = match word.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, word),
        };
        let (kind, text) = if let Some(rest) = w.strip_prefix('\'') {
            (TermKind::Exact, rest)
        } else if let Some(rest) = w.strip_prefix('^') {
            (TermKind::Prefix, rest)
        } else if let Some(rest) = w.strip_suffix('$').filter(|r| !r.is_empty()) {
            (TermKind::Suffix, rest)
        } else if negated || w.starts_with("tag:") {
            // `!word` is an inverse exact match, as in fzf; `tag:NAME`
            // names a tag exactly (config.toml's `[[account]]`).
            (TermKind::Exact, w)
        } else {
            (TermKind::Fuzzy, w)
        };
        // A tag ends with `;` in the text the matcher sees
        // (`config_rows::search_name`): `tag:prod` is that tag, exactly.
        let text = if w.starts_with("tag:") && !text.ends_with(';') && text.len() > 4 {
            format!("{text};")
        } else {
            text.to_string()
        };
        (!text.is_empty()).then_some(Term {
            kind,
            text,
            negated,
        })
    }

    /// A plain fuzzy word, as the fast path takes it.
    fn is_plain(&self) -> bool {
        self.kind == TermKind::Fuzzy && !self.negated
    }
}

impl Query {
    pub fn parse(q: &str) -> Query {
        let t = q.trim();
        if t.is_empty() {
            return Query::All;
        }
        if t.len() == 12 && t.bytes().all(|b| b.is_ascii_digit()) {
            return Query::Account(t.into());
        }
        if let Some((a, r)) = parse_role_arn(t) {
            return Query::Role {
                account_id: a.into(),
                role: r.into(),
            };
        }
        if is_email(t) {
            return Query::Email(t.to_lowercase());
        }
        // A pasted profile name (`{account_name}/{role_name}`): its parts.
        let t = &t.replace('/', " ");
        let mut groups: Vec<Vec<Term>> = Vec::new();
        let mut join = false;
        for word in t.split_whitespace() {
            if word == "|" {
                join = !groups.is_empty();
                continue;
            }
            let Some(term) = Term::parse(word) else {
                continue;
            };
            match groups.last_mut() {
                Some(g) if join => g.push(term),
                _ => groups.push(vec![term]),
            }
            join = false;
        }
        if groups.is_empty() {
            return Query::All;
        }
        if groups.iter().all(|g| g.len() == 1 && g[0].is_plain()) {
            return Query::Words(groups.into_iter().map(|mut g| g.remove(0).text).collect());
        }
        Query::Extended(groups)
    }

    /// A pasted e-mail becomes its account's id when `account_of` knows it.
    #[must_use]
    pub fn for_email(self, account_of: impl FnOnce(&str) -> Option<String>) -> Query {
        match self {
            Query::Email(e) => match account_of(&e) {
                Some(id) => Query::Account(id),
                None => Query::Email(e),
            },
            other => other,
        }
    }

    /// True when every row matching `self` also matches `prev`, so only
    /// `prev`'s matches need looking at.
    pub fn narrows(&self, prev: &Query) -> bool {
        match (self, prev) {
            (_, Query::All) => true,
            (Query::Words(new), Query::Words(old)) => {
                // Each old word must be a subsequence-extension of a new word
                // at the same position (typing appends characters or words).
                old.len() <= new.len()
                    && old.iter().zip(new).all(|(o, n)| n.starts_with(o.as_str()))
            }
            _ => false,
        }
    }
}

/// One address, `local@domain.tld`, and nothing else.
fn is_email(t: &str) -> bool {
    let Some((local, domain)) = t.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.starts_with(['\'', '^', '!'])
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with(['.', '$'])
        && !t.contains(char::is_whitespace)
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(kind: TermKind, text: &str, negated: bool) -> Term {
        Term {
            kind,
            text: text.into(),
            negated,
        }
    }

    #[test]
    fn fzf_syntax() {
        use TermKind::{Exact, Fuzzy, Prefix, Suffix};
        assert_eq!(
            Query::parse("pay prod"),
            Query::Words(vec!["pay".into(), "prod".into()])
        );
        assert_eq!(
            Query::parse("'team !admin ^pay prod$ !^sand !dev$"),
            Query::Extended(vec![
                vec![term(Exact, "team", false)],
                vec![term(Exact, "admin", true)],
                vec![term(Prefix, "pay", false)],
                vec![term(Suffix, "prod", false)],
                vec![term(Prefix, "sand", true)],
                vec![term(Suffix, "dev", true)],
            ])
        );
        assert_eq!(
            Query::parse("^core go$ | rb$ | py"),
            Query::Extended(vec![
                vec![term(Prefix, "core", false)],
                vec![
                    term(Suffix, "go", false),
                    term(Suffix, "rb", false),
                    term(Fuzzy, "py", false)
                ],
            ])
        );
        // Bare operators are no terms; `$` alone is a plain character.
        assert_eq!(Query::parse("! ^ '"), Query::All);
        assert_eq!(Query::parse("| pay |"), Query::Words(vec!["pay".into()]));
        assert_eq!(Query::parse("$"), Query::Words(vec!["$".into()]));
        assert_eq!(
            Query::parse("payments-prod/AdministratorAccess"),
            Query::Words(vec!["payments-prod".into(), "AdministratorAccess".into()])
        );
        assert_eq!(
            Query::parse(" Aws+Pay@Example-Corp.com "),
            Query::Email("aws+pay@example-corp.com".into())
        );
        assert_ne!(Query::parse("a@b"), Query::Email("a@b".into()));
        assert_eq!(
            Query::parse("x@y.com").for_email(|e| (e == "x@y.com").then(|| "1".repeat(12))),
            Query::Account("1".repeat(12))
        );
    }
}
