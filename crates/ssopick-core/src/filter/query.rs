//! A query as typed: everything, a pasted account id or role ARN (an IAM
//! role ARN or the STS assumed-role ARN `aws sts get-caller-identity`
//! prints), plain words (fuzzy, the fast path), or fzf's extended syntax,
//! read as fzf 0.38 reads it, each anchor applying to each field (account
//! name, alias, id, role, session):
//!
//! | term | matches rows that |
//! |---|---|
//! | `word` | contain the letters of `word` in order (fuzzy) |
//! | `'word` | contain `word` as it is |
//! | `^word` | have a field starting with `word` |
//! | `word$` | have a field ending with `word` |
//! | `^word$` | have a field that is exactly `word` |
//! | `!word` | do not contain `word` (also `!^word`, `!word$`, `!'fuzzy`) |
//! | `a \| b` | match `a` or `b` |
//! | `tag:NAME` | have that tag (config.toml's `[[account]]`); exact |
//!
//! Terms separated by spaces must all match (`\ ` is a space inside a
//! term). A term with a capital matches case-sensitively (smart case); a
//! term without an accented letter matches accented text as plain.

use crate::catalog::parse_role_arn;
use crate::fold::Fold;

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
    /// `^word$`: a whole field.
    Equal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub kind: TermKind,
    pub text: String,
    pub negated: bool,
}

impl Term {
    /// How the term compares characters (smart case, accents).
    pub fn fold(&self) -> Fold {
        Fold::of_term(&self.text)
    }

    /// One term as fzf reads it; `None` for a bare operator (`!`, `^`, ...).
    pub fn parse(word: &str) -> Option<Term> {
        let (mut kind, mut negated, mut text) = (TermKind::Fuzzy, false, word);
        if let Some(rest) = text.strip_prefix('!') {
            (kind, negated, text) = (TermKind::Exact, true, rest);
        }
        if text != "$"
            && let Some(rest) = text.strip_suffix('$')
        {
            (kind, text) = (TermKind::Suffix, rest);
        }
        if let Some(rest) = text.strip_prefix('\'') {
            // fzf flips exactness: `'x` is exact, `!'x` an inverse fuzzy.
            kind = if negated {
                TermKind::Fuzzy
            } else {
                TermKind::Exact
            };
            text = rest;
        } else if let Some(rest) = text.strip_prefix('^') {
            kind = if kind == TermKind::Suffix {
                TermKind::Equal
            } else {
                TermKind::Prefix
            };
            text = rest;
        }
        if text.is_empty() {
            return None;
        }
        // `tag:NAME` names a tag exactly (config.toml's `[[account]]`); a
        // tag ends with `;` in the text the matcher sees
        // (`config_rows::search_name`).
        let text = if text.starts_with("tag:") && text.len() > 4 {
            if kind == TermKind::Fuzzy {
                kind = TermKind::Exact;
            }
            if text.ends_with(';') {
                text.to_string()
            } else {
                format!("{text};")
            }
        } else {
            text.to_string()
        };
        Some(Term {
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

/// The query's terms as fzf splits them: on spaces, `\ ` kept as a space
/// inside a term, leading and trailing spaces dropped.
fn tokens(q: &str) -> Vec<String> {
    let mut t = q.trim_start_matches(' ');
    while t.ends_with(' ') && !t.ends_with("\\ ") {
        t = &t[..t.len() - 1];
    }
    t.replace("\\ ", "\t")
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| s.replace('\t', " "))
        .collect()
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
        let t = t.replace('/', " ");
        let mut groups: Vec<Vec<Term>> = Vec::new();
        // fzf's rule: `|` after a term joins the next term to its group;
        // anywhere else it is a term of its own.
        let (mut join, mut after_bar) = (false, false);
        for word in tokens(&t) {
            if !groups.is_empty() && !after_bar && word == "|" {
                (join, after_bar) = (true, true);
                continue;
            }
            after_bar = false;
            let Some(term) = Term::parse(&word) else {
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
        // As fzf: a leading `|` is a term of its own, a trailing one nothing.
        assert_eq!(
            Query::parse("| pay |"),
            Query::Words(vec!["|".into(), "pay".into()])
        );
        assert_eq!(
            Query::parse("^x$ 'y$ !'z"),
            Query::Extended(vec![
                vec![term(TermKind::Equal, "x", false)],
                vec![term(Exact, "y", false)],
                vec![term(Fuzzy, "z", true)],
            ])
        );
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
