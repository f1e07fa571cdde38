//! What the user may have meant: the closest rows to a query that matched
//! nothing, a mistyped command, and the messages that name them. Pure.

use crate::catalog::{Catalog, Entry};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

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
    // Any case: "did you mean" must not miss `Pay` for `payments`.
    let m = SkimMatcherV2::default().ignore_case();
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
    if scored.is_empty() {
        // Nothing fuzzy-matches (a typo like `serach`): the accounts whose
        // name is a few edits from a query word.
        let words: Vec<String> = needle.split_whitespace().map(str::to_lowercase).collect();
        scored = catalog
            .entries()
            .filter_map(|e| {
                let name = e.account.account_name.to_lowercase();
                let d = words.iter().map(|w| edit_distance(w, &name)).min()?;
                (d <= 3).then_some((-(d as i64), e))
            })
            .collect();
    }
    scored.sort_by_key(|s| std::cmp::Reverse(s.0));
    scored.into_iter().take(n).map(|(_, e)| e).collect()
}

/// Edit distance in chars, counting a swap of two neighbours as one edit
/// (optimal string alignment): `lsit` is one edit from `list`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// The command a mistyped first word was meant to be: 4 letters or more,
/// within two edits of one of `commands`, and not a command itself.
pub fn meant_command<'c>(word: &str, commands: &[&'c str]) -> Option<&'c str> {
    if word.chars().count() < 4 || commands.contains(&word) {
        return None;
    }
    commands
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, c)| c)
}

/// "name (id) role", as messages name a row (invisible characters shown).
pub fn describe(e: &Entry<'_>) -> String {
    if let Some(p) = &e.account.profile {
        return format!(
            "{} (AWS profile, {})",
            crate::visible::shown(&p.name),
            p.kind.word()
        );
    }
    format!(
        "{} ({}) {}",
        crate::visible::shown(&e.account.account_name),
        e.account.account_id,
        e.role
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
