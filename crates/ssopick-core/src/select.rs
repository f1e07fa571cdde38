//! The selection rule shared by every subcommand, and the one ranking
//! (`rank`: the picker's matcher and order, so `ssopick list QUERY` prints
//! exactly the rows the picker shows for QUERY). Safe by construction:
//!
//! 1. *Exact identity wins.* A query argument equal (any case, accents
//!    folded) to a whole account name, alias or 12-digit id (or
//!    `--account`) makes that account's rows the only candidates; when
//!    none matches the other words, nothing is delivered (`Lacks`).
//! 2. Otherwise a row qualifies only when every word starts a part of one
//!    of its fields (`filter::at_part_start`): a word cannot span fields,
//!    and `eu-1` never selects `eu-10`.
//! 3. Straight in only when exactly one row qualifies and no listing can
//!    add one: under 1, every account is listed and the named accounts'
//!    roles too; under 2, the whole listing (`Listed`).
//!
//! Loose (scattered, cross-field) matches rank rows for the picker but
//! never select. Pure.

use crate::catalog::{Account, Catalog, Entry, cmp_ignoring_case};
use crate::filter::{Haystacks, Matcher, Query, TermKind, at_part_start, rank_key};
use crate::history::History;
use crate::time::UtcTime;

mod naming;
mod suggest;
pub use naming::{Wanted, names_account};
use naming::{as_typed, names};
pub use suggest::{closest, describe, edit_distance, meant_command, no_match_message};

#[derive(Debug, PartialEq, Eq)]
pub enum Selection<'a> {
    /// Rule 3 holds: this row and no other.
    One(Entry<'a>),
    /// The query names these accounts exactly, and none of their rows
    /// matches `words` (`account NAME (ID) has no role matching ...`).
    Lacks {
        named: Vec<Named<'a>>,
        words: String,
    },
    /// Rows that match, best first; the rule chooses none of them
    /// (`pending`: one would be chosen, but the listing is not complete).
    Many {
        rows: Vec<Entry<'a>>,
        pending: bool,
    },
    None {
        closest: Vec<Entry<'a>>,
    },
}

/// An account a query names exactly, with its roles as listed (`None`: not
/// listed yet) and its session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Named<'a> {
    pub account: &'a Account,
    pub roles: Option<&'a [String]>,
    pub session: &'a str,
}

/// What a command was asked for: `--account`, `--role` and the QUERY
/// arguments (a quoted name with spaces is one argument).
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

/// How far the listing behind the catalogs got (rule 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Listed {
    /// Every account of every catalog is in (every ListAccounts page).
    pub accounts: bool,
    /// Every account's roles are in too: the listing is complete.
    pub roles: bool,
}

impl Listed {
    /// As the catalogs say of themselves: complete, or not at all.
    pub fn of(catalogs: &[&Catalog]) -> Listed {
        let done = catalogs.iter().all(|c| c.complete);
        Listed {
            accounts: done,
            roles: done,
        }
    }
}

fn flags_match(e: &Entry<'_>, ask: &Ask<'_>) -> bool {
    ask.account.is_none_or(|a| names_account(a, e.account))
        && ask.role.is_none_or(|r| e.role.eq_ignore_ascii_case(r))
}

/// Every row of `catalogs` that `--account`/`--role` allow, in name order
/// (accounts by name, session, id; roles as listed).
fn rows<'a>(catalogs: &[&'a Catalog], ask: &Ask<'_>) -> Vec<Entry<'a>> {
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
    rows
}

/// The rows of `catalogs` that match, in the picker's order for the query:
/// tier (a word naming the account, then every word at a part's start),
/// score, frecency, then name order. Without QUERY words, every row in name
/// order.
pub fn rank<'a>(catalogs: &[&'a Catalog], ask: &Ask<'_>, f: &Frecency<'_>) -> Vec<Entry<'a>> {
    let several = catalogs.len() > 1;
    rank_rows(rows(catalogs, ask), &ask.query.join(" "), f, several)
}

fn rank_rows<'a>(
    rows: Vec<Entry<'a>>,
    query: &str,
    f: &Frecency<'_>,
    several: bool,
) -> Vec<Entry<'a>> {
    let query = Query::parse(query).for_email(|e| {
        rows.iter()
            .find(|r| r.account.email_address.eq_ignore_ascii_case(e))
            .map(|r| r.account.account_id.clone())
    });
    if query == Query::All {
        return rows;
    }
    // Aliases, tags (config.toml) and, with several sessions, the session
    // are searched after the name.
    let names: Vec<std::borrow::Cow<'_, str>> = rows
        .iter()
        .map(|e| crate::config_rows::search_name(e.account, several.then_some(e.session)))
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
                .score(e.session, &e.account.history_id(), e.role, f.now);
            rank_key(i, score, frecency)
        })
        .collect();
    keys.sort_unstable();
    keys.into_iter().map(|k| rows[k as u32 as usize]).collect()
}

/// True when `word` starts a part of one of the row's fields: account
/// name, alias, id, role, and with several sessions the session.
fn word_in_row(e: &Entry<'_>, word: &str, several: bool) -> bool {
    let a = e.account;
    if let Some(tag) = word.strip_prefix("tag:") {
        let tag = tag.trim_end_matches(';');
        return a
            .meta
            .as_ref()
            .is_some_and(|m| m.tags.iter().any(|t| t == tag));
    }
    at_part_start(&a.account_name, word)
        || at_part_start(&a.account_id, word)
        || at_part_start(e.role, word)
        || (several && at_part_start(e.session, word))
        || a.meta
            .as_ref()
            .and_then(|m| m.alias.as_deref())
            .is_some_and(|x| at_part_start(x, word))
}

/// Rule 2 for one row that matches `query`: every plain word (every group
/// of extended terms, through one of its positive terms) starts a part of
/// one field.
fn qualifies(e: &Entry<'_>, query: &Query, several: bool) -> bool {
    match query {
        Query::Words(words) => words.iter().all(|w| word_in_row(e, w, several)),
        Query::Extended(groups) => groups.iter().all(|g| {
            g.iter().all(|t| t.negated)
                || g.iter().any(|t| {
                    !t.negated && t.kind != TermKind::Fuzzy && word_in_row(e, &t.text, several)
                })
        }),
        Query::All => true,
        Query::Account(id) => e.account.account_id == *id,
        Query::Role { account_id, role } => {
            e.account.account_id == *account_id && e.role.eq_ignore_ascii_case(role)
        }
        Query::Email(m) => e.account.email_address.eq_ignore_ascii_case(m),
    }
}

/// True when some row of `catalogs` qualifies for the plain `words`
/// under rule 2 (each starts a part of one of the row's fields).
pub fn any_qualifies(catalogs: &[&Catalog], words: &[String]) -> bool {
    let several = catalogs.len() > 1;
    catalogs
        .iter()
        .flat_map(|c| c.entries())
        .any(|e| words.iter().all(|w| word_in_row(&e, w, several)))
}

/// Which argument names accounts exactly (rule 1), and the accounts: by
/// `--account`, a pasted role ARN or e-mail, or a QUERY argument equal to a
/// name, alias or id.
fn named<'a>(catalogs: &[&'a Catalog], ask: &Ask<'_>) -> Option<(Option<usize>, Vec<Named<'a>>)> {
    let all = || {
        catalogs.iter().flat_map(|c| {
            c.accounts.iter().map(|a| Named {
                account: &a.account,
                roles: a.roles.as_deref(),
                session: &c.session,
            })
        })
    };
    if let Some(flag) = ask.account {
        let flag = as_typed(flag);
        return Some((
            None,
            all()
                .filter(|n| {
                    let alias = n.account.meta.as_ref().and_then(|m| m.alias.as_deref());
                    names(&flag, n.account, alias)
                })
                .collect(),
        ));
    }
    let whole = ask.query.join(" ");
    match Query::parse(&whole) {
        Query::Role { account_id, .. } | Query::Account(account_id) => {
            let found: Vec<Named<'a>> = all()
                .filter(|n| n.account.account_id == account_id)
                .collect();
            return (!found.is_empty()).then_some((Some(0), found));
        }
        Query::Email(e) => {
            let found: Vec<Named<'a>> = all()
                .filter(|n| n.account.email_address.eq_ignore_ascii_case(&e))
                .collect();
            return (!found.is_empty()).then_some((Some(0), found));
        }
        _ => {}
    }
    ask.query.iter().enumerate().find_map(|(i, arg)| {
        let arg = &*as_typed(arg);
        let found: Vec<Named<'a>> = all()
            .filter(|n| {
                let alias = n.account.meta.as_ref().and_then(|m| m.alias.as_deref());
                names(arg, n.account, alias)
            })
            .collect();
        (!found.is_empty()).then_some((Some(i), found))
    })
}

/// The selection rule (module doc) over `catalogs`, as far as `listed`.
pub fn select<'a>(
    catalogs: &[&'a Catalog],
    ask: &Ask<'_>,
    f: &Frecency<'_>,
    listed: Listed,
) -> Selection<'a> {
    let several = catalogs.len() > 1;
    if let Some((arg, named)) = named(catalogs, ask) {
        let rows = named
            .iter()
            .flat_map(|n| {
                n.roles.into_iter().flatten().map(|r| Entry {
                    account: n.account,
                    role: r,
                    session: n.session,
                })
            })
            .filter(|e| flags_match(e, ask))
            .collect();
        return by_name(rows, ask, f, listed, arg, named, several);
    }
    let query = Query::parse(&ask.query.join(" "));
    let ranked = rank_rows(rows(catalogs, ask), &ask.query.join(" "), f, several);
    if ranked.is_empty() {
        return Selection::None {
            closest: catalogs
                .first()
                .map(|c| closest(c, ask.account, ask.role, ask.query, 3))
                .unwrap_or_default(),
        };
    }
    let mut chosen = ranked.iter().filter(|e| qualifies(e, &query, several));
    match (chosen.next(), chosen.next()) {
        (Some(one), None) if listed.roles => Selection::One(*one),
        (Some(_), None) => Selection::Many {
            rows: ranked,
            pending: true,
        },
        _ => Selection::Many {
            rows: ranked,
            pending: false,
        },
    }
}

/// Rule 1: the named accounts' rows, narrowed by the other words.
fn by_name<'a>(
    candidates: Vec<Entry<'a>>,
    ask: &Ask<'_>,
    f: &Frecency<'_>,
    listed: Listed,
    arg: Option<usize>,
    named: Vec<Named<'a>>,
    several: bool,
) -> Selection<'a> {
    // In name order, as `rank` orders rows.
    let mut candidates = candidates;
    candidates.sort_by(|a, b| {
        cmp_ignoring_case(&a.account.account_name, &b.account.account_name)
            .then_with(|| a.session.cmp(b.session))
            .then_with(|| a.account.account_id.cmp(&b.account.account_id))
    });
    let whole = ask.query.join(" ");
    // A pasted role ARN names its role exactly.
    let exact_role = match Query::parse(&whole) {
        Query::Role { role, .. } => Some(role),
        _ => None,
    };
    let others: Vec<String> = if exact_role.is_some() {
        Vec::new()
    } else {
        ask.query
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != arg)
            .map(|(_, w)| w.clone())
            .collect()
    };
    let words = others.join(" ");
    let complete = listed.accounts && named.iter().all(|n| n.roles.is_some());
    let qualified: Vec<Entry<'a>> = candidates
        .iter()
        .filter(|e| match &exact_role {
            Some(r) => e.role.eq_ignore_ascii_case(r),
            None => qualifies(e, &Query::parse(&words), several),
        })
        .copied()
        .collect();
    if let ([one], true) = (qualified.as_slice(), complete) {
        return Selection::One(*one);
    }
    let loose = if exact_role.is_some() {
        qualified.clone()
    } else {
        rank_rows(candidates, &words, f, several)
    };
    if loose.is_empty() && complete {
        return Selection::Lacks {
            named,
            words: exact_role.unwrap_or(words),
        };
    }
    Selection::Many {
        pending: qualified.len() == 1 || !complete,
        rows: loose,
    }
}

#[cfg(test)]
mod exhaustive;
#[cfg(test)]
mod tests;
