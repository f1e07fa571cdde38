//! The selection rule shared by every subcommand, on the picker's own
//! matcher and order (`rank`): `ssopick list QUERY` prints exactly the rows
//! the picker shows for QUERY. `--account/--role` narrow exactly. Then the
//! rule goes in tiers, so scripts stay predictable: exactly one row holding
//! every word as a contiguous substring is taken; otherwise exactly one
//! matching row at all is taken; several go to the picker (or are an error
//! where there is none); none is an error naming the closest rows. Pure.

use crate::core::catalog::{Catalog, Entry, cmp_ignoring_case, entry_matches, query_words};
use crate::core::filter::{Haystacks, Matcher, Query, rank_key};
use crate::core::history::History;
use crate::core::time::UtcTime;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

#[derive(Debug, PartialEq, Eq)]
pub enum Selection<'a> {
    One(Entry<'a>),
    Many(Vec<Entry<'a>>),
    None { closest: Vec<Entry<'a>> },
}

/// What a command was asked for: `--account`, `--role` and the QUERY words.
#[derive(Clone, Copy, Debug)]
pub struct Ask<'q> {
    pub account: Option<&'q str>,
    pub role: Option<&'q str>,
    pub query: &'q [String],
}

/// Pick history, for frecency, as the picker uses it.
#[derive(Clone, Copy, Debug)]
pub struct Frecency<'h> {
    pub history: &'h History,
    pub now: UtcTime,
}

fn flags_match(e: &Entry<'_>, ask: &Ask<'_>) -> bool {
    ask.account
        .is_none_or(|a| e.account.account_id == a || e.account.account_name.eq_ignore_ascii_case(a))
        && ask.role.is_none_or(|r| e.role.eq_ignore_ascii_case(r))
}

/// The rows of `catalogs` that match, in the picker's order for the query:
/// score, frecency, then name order (accounts by name, session, id; roles
/// as listed). Without QUERY words, every row in name order.
pub fn rank<'a>(catalogs: &[&'a Catalog], ask: &Ask<'_>, f: &Frecency<'_>) -> Vec<Entry<'a>> {
    let mut rows: Vec<Entry<'a>> = catalogs
        .iter()
        .flat_map(|c| c.entries())
        .filter(|e| flags_match(e, ask))
        .collect();
    // Stable: an account's roles keep their listed order. A snapshot is
    // stored in this order: checking is cheaper than sorting again.
    let order = |a: &Entry<'a>, b: &Entry<'a>| {
        if std::ptr::eq(a.account, b.account) {
            return std::cmp::Ordering::Equal;
        }
        cmp_ignoring_case(&a.account.account_name, &b.account.account_name)
            .then_with(|| a.session.cmp(b.session))
            .then_with(|| a.account.account_id.cmp(&b.account.account_id))
    };
    if !rows.is_sorted_by(|a, b| order(a, b).is_le()) {
        rows.sort_by(order);
    }
    let query = Query::parse(&ask.query.join(" ")).for_email(|e| {
        rows.iter()
            .find(|r| r.account.email_address.eq_ignore_ascii_case(e))
            .map(|r| r.account.account_id.clone())
    });
    if query == Query::All {
        return rows;
    }
    // Aliases and tags (config.toml) are searched after the name.
    let names: Vec<std::borrow::Cow<'_, str>> = rows
        .iter()
        .map(|e| crate::core::config_rows::search_name(e.account))
        .collect();
    let hs = Haystacks::build(
        rows.iter()
            .zip(&names)
            .map(|(e, n)| (n.as_ref(), e.account.account_id.as_str(), e.role)),
    );
    let all: Vec<u32> = (0..rows.len() as u32).collect();
    let mut keys: Vec<u128> = Matcher::default()
        .run(&hs, &all, &query)
        .into_iter()
        .map(|(i, score)| {
            let e = &rows[i as usize];
            let frecency = f
                .history
                .score(e.session, &e.account.account_id, e.role, f.now);
            rank_key(i, score, frecency)
        })
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|k| rows[k as u32 as usize]).collect()
}

/// Rows that hold every QUERY word as it is (case-insensitively).
fn contiguous<'a>(found: &[Entry<'a>], query: &[String]) -> Vec<Entry<'a>> {
    let words = query_words(query);
    if words.is_empty() {
        return Vec::new();
    }
    found
        .iter()
        .filter(|e| entry_matches(e, &words))
        .copied()
        .collect()
}

pub fn select<'a>(catalogs: &[&'a Catalog], ask: &Ask<'_>, f: &Frecency<'_>) -> Selection<'a> {
    let mut found = rank(catalogs, ask, f);
    if let [one] = contiguous(&found, ask.query).as_slice() {
        return Selection::One(*one);
    }
    match found.len() {
        0 => Selection::None {
            closest: catalogs
                .first()
                .map(|c| closest(c, ask.account, ask.role, ask.query, 3))
                .unwrap_or_default(),
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

    fn sel<'a>(
        c: &'a Catalog,
        account: Option<&str>,
        role: Option<&str>,
        query: &[String],
    ) -> Selection<'a> {
        let h = History::default();
        select(
            &[c],
            &Ask {
                account,
                role,
                query,
            },
            &Frecency {
                history: &h,
                now: UtcTime(0),
            },
        )
    }

    #[test]
    fn typos_of_commands() {
        let cmds = ["list", "export", "profile", "console", "shell"];
        assert_eq!(meant_command("lsit", &cmds), Some("list"));
        assert_eq!(meant_command("exprot", &cmds), Some("export"));
        assert_eq!(meant_command("proifle", &cmds), Some("profile"));
        assert_eq!(meant_command("ops", &cmds), None, "short words are queries");
        assert_eq!(meant_command("payments", &cmds), None);
        assert_eq!(meant_command("list", &cmds), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("lsit", "list"), 1);
    }

    #[test]
    fn rule() {
        let c = cat();
        assert!(
            matches!(sel(&c, None, None, &q("search")), Selection::One(e) if e.account.account_id == "333333333333")
        );
        assert!(
            matches!(sel(&c, None, None, &q("payments admin")), Selection::Many(v) if v.len() == 2)
        );
        assert!(matches!(
            sel(&c, Some("payments-PROD"), Some("readonlyaccess"), &[]),
            Selection::One(_)
        ));
        assert!(
            matches!(sel(&c, Some("222222222222"), None, &[]), Selection::One(e) if e.role == "AdministratorAccess")
        );
        // Tier two: a typo that fuzzy-matches one row only is taken.
        assert!(
            matches!(sel(&c, None, None, &q("paymnts prd read")), Selection::One(e) if e.role == "ReadOnlyAccess")
        );
        // Tier one: `prod admin` fuzzy-matches several rows, but only one
        // holds both words as they are.
        assert!(
            matches!(sel(&c, None, None, &q("prod admin")), Selection::One(e) if e.account.account_name == "payments-prod")
        );
        match sel(&c, None, None, &q("paymnts qqq")) {
            Selection::None { closest } => {
                assert_eq!(closest[0].account.account_name, "payments-prod");
            }
            other => panic!("{other:?}"),
        }
        let msg = no_match_message("'x'", &[]);
        assert!(msg.contains("ssopick list"));
    }
}
