//! A query as typed: everything, a pasted account id or role ARN, or words.

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
    Words(Vec<String>),
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
        Query::Words(t.split_whitespace().map(str::to_string).collect())
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
