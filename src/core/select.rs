//! The selection rule shared by every subcommand: exact `--account/--role`
//! wins; otherwise every QUERY word must match; one match is taken, several
//! go to the picker (or are an error where there is none), none is an error
//! naming the closest entries. Pure.

use crate::core::catalog::{Catalog, Entry, entry_matches, query_words};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

#[derive(Debug, PartialEq, Eq)]
pub enum Selection<'a> {
    One(Entry<'a>),
    Many(Vec<Entry<'a>>),
    None { closest: Vec<Entry<'a>> },
}

/// Entries that satisfy `--account` (id or exact name, case-insensitive),
/// `--role` (exact, case-insensitive) and every query word.
pub fn filter<'a>(
    catalog: &'a Catalog,
    account: Option<&str>,
    role: Option<&str>,
    query: &[String],
) -> Vec<Entry<'a>> {
    let words = query_words(query);
    catalog
        .entries()
        .filter(|e| {
            account.is_none_or(|a| {
                e.account.account_id == a || e.account.account_name.eq_ignore_ascii_case(a)
            }) && role.is_none_or(|r| e.role.eq_ignore_ascii_case(r))
                && entry_matches(e, &words)
        })
        .collect()
}

pub fn select<'a>(
    catalog: &'a Catalog,
    account: Option<&str>,
    role: Option<&str>,
    query: &[String],
) -> Selection<'a> {
    let mut found = filter(catalog, account, role, query);
    match found.len() {
        0 => Selection::None {
            closest: closest(catalog, account, role, query, 3),
        },
        1 => Selection::One(found.remove(0)),
        _ => Selection::Many(found),
    }
}

/// The entries most like what was asked, for a "did you mean" line.
pub fn closest<'a>(
    catalog: &'a Catalog,
    account: Option<&str>,
    role: Option<&str>,
    query: &[String],
    n: usize,
) -> Vec<Entry<'a>> {
    let needle: String = [account.unwrap_or(""), role.unwrap_or(""), &query.join(" ")]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    let m = SkimMatcherV2::default();
    let mut scored: Vec<(i64, Entry<'a>)> = catalog
        .entries()
        .filter_map(|e| {
            let hay = format!(
                "{} {} {}",
                e.account.account_name, e.account.account_id, e.role
            );
            let words: Vec<&str> = needle.split_whitespace().collect();
            let total: i64 = words
                .iter()
                .map(|w| m.fuzzy_match(&hay, w).unwrap_or(0))
                .sum();
            (total > 0).then_some((total, e))
        })
        .collect();
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    scored.into_iter().take(n).map(|(_, e)| e).collect()
}

pub fn describe(e: &Entry<'_>) -> String {
    format!(
        "{} ({}) {}",
        e.account.account_name, e.account.account_id, e.role
    )
}

/// The message for no match, with the closest entries.
pub fn no_match_message(what: &str, closest: &[Entry<'_>]) -> String {
    let mut m = format!("no account/role matches {what}.");
    if !closest.is_empty() {
        m.push_str("\nClosest:");
        for e in closest {
            m.push_str(&format!("\n  {}", describe(e)));
        }
    }
    m.push_str("\nRun `ssopick list` to see everything (add --refresh if an assignment is new).");
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat() -> Catalog {
        Catalog::from_rows(
            "s",
            [
                (
                    "111111111111",
                    "payments-prod",
                    vec!["AdministratorAccess", "ReadOnlyAccess"],
                ),
                ("222222222222", "payments-dev", vec!["AdministratorAccess"]),
                ("333333333333", "search-prod", vec!["ReadOnlyAccess"]),
            ],
            |_| String::new(),
        )
    }

    fn q(s: &str) -> Vec<String> {
        vec![s.to_string()]
    }

    #[test]
    fn rule() {
        let c = cat();
        assert!(
            matches!(select(&c, None, None, &q("search")), Selection::One(e) if e.account.account_id == "333333333333")
        );
        assert!(
            matches!(select(&c, None, None, &q("payments admin")), Selection::Many(v) if v.len() == 2)
        );
        assert!(matches!(
            select(&c, Some("payments-PROD"), Some("readonlyaccess"), &[]),
            Selection::One(_)
        ));
        assert!(
            matches!(select(&c, Some("222222222222"), None, &[]), Selection::One(e) if e.role == "AdministratorAccess")
        );
        match select(&c, None, None, &q("paymnts prd")) {
            Selection::None { closest } => {
                assert_eq!(closest[0].account.account_name, "payments-prod");
            }
            other => panic!("{other:?}"),
        }
        let msg = no_match_message("'x'", &[]);
        assert!(msg.contains("ssopick list"));
    }
}
