//! Fuzzy ranking for the picker. Pure and allocation-light: haystacks are
//! prepared once per row; a query that extends the previous one re-matches
//! only the previous matches; highlight positions are computed only for the
//! rows on screen. Space-separated words must all match, in any order.

use crate::catalog::parse_role_arn;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// What one row is matched against: `name id role`, and where each starts.
#[derive(Clone, Debug)]
pub struct Hay {
    pub text: String,
    pub account_id_at: usize,
    pub role_at: usize,
}

impl Hay {
    pub fn new(account_name: &str, account_id: &str, role: &str) -> Hay {
        let text = format!("{account_name} {account_id} {role}");
        let account_id_at = account_name.chars().count() + 1;
        let role_at = account_id_at + account_id.chars().count() + 1;
        Hay {
            text,
            account_id_at,
            role_at,
        }
    }
    pub fn account_id(&self) -> &str {
        let start: usize = self
            .text
            .char_indices()
            .nth(self.account_id_at)
            .map_or(0, |(i, _)| i);
        let end: usize = self
            .text
            .char_indices()
            .nth(self.role_at - 1)
            .map_or(self.text.len(), |(i, _)| i);
        &self.text[start..end]
    }
    pub fn role(&self) -> &str {
        let start: usize = self
            .text
            .char_indices()
            .nth(self.role_at)
            .map_or(self.text.len(), |(i, _)| i);
        &self.text[start..]
    }
}

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

pub struct Matcher {
    skim: SkimMatcherV2,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            skim: SkimMatcherV2::default().smart_case(),
        }
    }
}

impl Matcher {
    /// Score of one row, or None when it does not match.
    pub fn score(&self, hay: &Hay, q: &Query) -> Option<i64> {
        match q {
            Query::All => Some(0),
            Query::Account(id) => (hay.account_id() == id).then_some(1000),
            Query::Role { account_id, role } => (hay.account_id() == account_id
                && hay.role().eq_ignore_ascii_case(role))
            .then_some(1000),
            Query::Words(words) => {
                let mut total = 0;
                for w in words {
                    total += self.skim.fuzzy_match(&hay.text, w)?;
                }
                Some(total)
            }
        }
    }

    /// Matches `candidates` (row indices) against `q`, in parallel when large.
    pub fn run(&self, hays: &[Hay], candidates: &[u32], q: &Query) -> Vec<(u32, i64)> {
        const PAR_MIN: usize = 20_000;
        let one = |chunk: &[u32]| -> Vec<(u32, i64)> {
            let m = Matcher::default();
            chunk
                .iter()
                .filter_map(|&i| m.score(&hays[i as usize], q).map(|s| (i, s)))
                .collect()
        };
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(8);
        if candidates.len() < PAR_MIN || threads < 2 {
            return candidates
                .iter()
                .filter_map(|&i| self.score(&hays[i as usize], q).map(|s| (i, s)))
                .collect();
        }
        let size = candidates.len().div_ceil(threads);
        std::thread::scope(|s| {
            let parts: Vec<_> = candidates
                .chunks(size)
                .map(|c| s.spawn(move || one(c)))
                .collect();
            parts
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        })
    }

    /// Character positions to highlight in `hay.text`.
    pub fn positions(&self, hay: &Hay, q: &Query) -> Vec<usize> {
        let mut out = match q {
            Query::Words(words) => words
                .iter()
                .filter_map(|w| self.skim.fuzzy_indices(&hay.text, w))
                .flat_map(|(_, idx)| idx)
                .collect(),
            Query::Account(_) => (hay.account_id_at..hay.role_at - 1).collect(),
            Query::Role { .. } => (hay.account_id_at..hay.text.chars().count())
                .filter(|i| *i != hay.role_at - 1)
                .collect(),
            Query::All => Vec::new(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hays() -> Vec<Hay> {
        vec![
            Hay::new("payments-prod", "111111111111", "AdministratorAccess"),
            Hay::new("payments-dev", "222222222222", "ReadOnlyAccess"),
            Hay::new("search-prod", "333333333333", "AdministratorAccess"),
            Hay::new("eu-payroll", "444444444444", "PowerUserAccess"),
        ]
    }

    fn names(h: &[Hay], m: &[(u32, i64)]) -> Vec<String> {
        let mut v: Vec<_> = m
            .iter()
            .map(|(i, _)| {
                h[*i as usize]
                    .text
                    .split(' ')
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn words_in_any_order_all_must_match() {
        let h = hays();
        let m = Matcher::default();
        let all: Vec<u32> = (0..h.len() as u32).collect();
        assert_eq!(
            names(&h, &m.run(&h, &all, &Query::parse("prodadm"))),
            vec!["payments-prod", "search-prod"]
        );
        assert_eq!(
            names(&h, &m.run(&h, &all, &Query::parse("adm pay"))),
            vec!["payments-prod"]
        );
        assert_eq!(
            names(&h, &m.run(&h, &all, &Query::parse("pay eu"))),
            vec!["eu-payroll"]
        );
        assert!(m.run(&h, &all, &Query::parse("zzz")).is_empty());
    }

    #[test]
    fn pasted_ids_and_arns_are_exact() {
        let h = hays();
        let m = Matcher::default();
        let all: Vec<u32> = (0..h.len() as u32).collect();
        assert_eq!(
            names(&h, &m.run(&h, &all, &Query::parse(" 333333333333 "))),
            vec!["search-prod"]
        );
        let arn = "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnlyAccess_abc123";
        assert_eq!(
            names(&h, &m.run(&h, &all, &Query::parse(arn))),
            vec!["payments-dev"]
        );
        assert_eq!(h[2].account_id(), "333333333333");
        assert_eq!(h[2].role(), "AdministratorAccess");
    }

    #[test]
    fn narrowing_rule() {
        let p = |s| Query::parse(s);
        assert!(p("pro").narrows(&p("pr")));
        assert!(p("pro adm").narrows(&p("pro")));
        assert!(p("x").narrows(&p("")));
        assert!(!p("pr").narrows(&p("pro")));
        assert!(!p("px").narrows(&p("py")));
        assert!(!p("111111111111").narrows(&p("11111111111")));
    }

    #[test]
    fn highlight_positions() {
        let h = Hay::new("payments-prod", "111111111111", "Admin");
        let m = Matcher::default();
        let pos = m.positions(&h, &Query::parse("pay adm"));
        let chars: Vec<char> = h.text.chars().collect();
        let hl: String = pos.iter().map(|&i| chars[i]).collect();
        assert_eq!(hl.to_lowercase(), "payadm");
        assert_eq!(m.positions(&h, &Query::parse("111111111111")).len(), 12);
    }
}
