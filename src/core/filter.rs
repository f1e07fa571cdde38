//! Fuzzy ranking for the picker. Pure and allocation-light: texts are
//! prepared once per account and per distinct role (a row is two indices);
//! words are scored per part and cached across keystrokes; a query that
//! extends the previous one re-matches only the previous matches; highlight
//! positions are computed only for the rows on screen. Space-separated words
//! must all match, in any order.

use crate::core::catalog::parse_role_arn;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// One row: which account part ("name id") and which role part it joins.
/// A row's text is `name id role`; nothing is stored per row but this.
#[derive(Clone, Copy, Debug)]
pub struct Hay {
    account_part: u32,
    role_part: u32,
}

/// All rows, plus the parts they share: every role of an account shares its
/// "name id" text, and a catalog has few distinct role names. Each query
/// word is scored once per part instead of once per row.
#[derive(Clone, Debug, Default)]
pub struct Haystacks {
    rows: Vec<Hay>,
    /// Shared with the previous build when the accounts are the same (roles
    /// arriving), and with it the word scores cached for them.
    accounts: std::sync::Arc<AccountTexts>,
    role_parts: Vec<String>,
    /// `role_parts` case-folded.
    role_lower: Vec<Vec<char>>,
}

#[derive(Debug, Default)]
struct AccountTexts {
    /// Distinct per build, so cached part scores are never applied to
    /// other accounts.
    id: u64,
    /// "name id" per account.
    parts: Vec<String>,
    /// The account names alone: a word without a digit cannot match inside
    /// an account id, so it is scored on the shorter text (same result).
    names: Vec<String>,
    /// `parts` case-folded, for the cheap subsequence checks that run
    /// before any scoring.
    lower: Vec<Vec<char>>,
}

impl AccountTexts {
    fn new(accounts: &[(&str, &str)]) -> AccountTexts {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let mut t = AccountTexts {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            ..AccountTexts::default()
        };
        for (name, id) in accounts {
            let text = format!("{name} {id}");
            t.lower.push(lower_chars(&text));
            t.parts.push(text);
            t.names.push(name.to_string());
        }
        t
    }

    fn same(&self, accounts: &[(&str, &str)]) -> bool {
        self.names.len() == accounts.len()
            && accounts.iter().zip(self.names.iter().zip(&self.parts)).all(
                |((name, id), (n, part))| {
                    n == name && part.len() == name.len() + 1 + id.len() && part.ends_with(id)
                },
            )
    }
}

impl Haystacks {
    /// `rows`: (account name, account id, role) per row; rows of one account
    /// are expected next to each other.
    pub fn build<'a>(rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>) -> Haystacks {
        Haystacks::build_after(None, rows)
    }

    /// As `build`, sharing `prev`'s account texts (and cached scores) when
    /// the accounts are the same.
    pub fn build_after<'a>(
        prev: Option<&Haystacks>,
        rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str)>,
    ) -> Haystacks {
        let mut hs = Haystacks::default();
        let mut accounts: Vec<(&str, &str)> = Vec::new();
        let mut roles: std::collections::HashMap<&'a str, u32> = std::collections::HashMap::new();
        for (name, id, role) in rows {
            if accounts.last() != Some(&(name, id)) {
                accounts.push((name, id));
            }
            let next = roles.len() as u32;
            let role_part = *roles.entry(role).or_insert_with(|| {
                hs.role_parts.push(role.to_string());
                hs.role_lower.push(lower_chars(role));
                next
            });
            hs.rows.push(Hay {
                account_part: accounts.len() as u32 - 1,
                role_part,
            });
        }
        hs.accounts = match prev {
            Some(p) if p.accounts.same(&accounts) => std::sync::Arc::clone(&p.accounts),
            _ => std::sync::Arc::new(AccountTexts::new(&accounts)),
        };
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
        self.accounts.names[self.rows[i].account_part as usize]
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

    pub fn account_id(&self, i: usize) -> &str {
        let a = self.rows[i].account_part as usize;
        &self.accounts.parts[a][self.accounts.names[a].len() + 1..]
    }

    pub fn role(&self, i: usize) -> &str {
        &self.role_parts[self.rows[i].role_part as usize]
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

/// `s` as the matcher compares it when ignoring case: ASCII letters
/// folded, every other character as is.
fn lower_chars(s: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
    out
}

/// The matcher's smart case: a word with an (ASCII) capital matches case
/// sensitively.
fn has_capital(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_uppercase())
}

/// How many leading characters of `word` occur in `hay` in order (greedy
/// from the left, which finds the longest such prefix).
fn prefix_in(hay: &[char], word: &[char]) -> usize {
    let mut n = 0;
    for &c in hay {
        if n == word.len() {
            break;
        }
        if c == word[n] {
            n += 1;
        }
    }
    n
}

/// How many trailing characters of `word` occur in `hay` in order.
fn suffix_in(hay: &[char], word: &[char]) -> usize {
    let mut n = 0;
    for &c in hay.iter().rev() {
        if n == word.len() {
            break;
        }
        if c == word[word.len() - 1 - n] {
            n += 1;
        }
    }
    n
}

const PAR_MIN: usize = 1_024;

fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8)
}

/// `f` over `items`, split across cores when there are many.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_chunks(items, |c| c.iter().map(&f).collect())
}

/// `f` over `items`, keeping the `Some`s, split across cores.
fn par_map_filter<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> Option<R> + Sync) -> Vec<R> {
    par_chunks(items, |c| c.iter().filter_map(&f).collect())
}

/// `f` over chunks of `items` (one per core when there are many), results
/// joined in order.
fn par_chunks<T: Sync, R: Send>(items: &[T], f: impl Fn(&[T]) -> Vec<R> + Sync) -> Vec<R> {
    let n = threads();
    if items.len() < PAR_MIN || n < 2 {
        return f(items);
    }
    let f = &f;
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(n))
            .map(|c| s.spawn(move || f(c)))
            .collect();
        parts
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

pub struct Matcher {
    skim: SkimMatcherV2,
    /// For the pieces of a split word with a capital: the whole word
    /// matches case-sensitively, so each piece must too.
    skim_exact: SkimMatcherV2,
    /// Scores of query words on account parts, kept across keystrokes: when
    /// `pay` becomes `pay e`, only `e` is new work.
    cache: std::sync::Mutex<WordCache>,
}

/// A query word on every account part ("name id"): its score (or
/// `NOT_SCORED` / `NO_MATCH`), and how many of its leading characters occur
/// in the part, for words that match across the account and the role.
#[derive(Clone)]
struct AccountWord {
    score: Vec<i64>,
    prefix: Vec<u32>,
}

/// A query word on every role part: its score, and how many of its trailing
/// characters occur in the role.
struct RoleWord {
    score: Vec<Option<i64>>,
    suffix: Vec<u32>,
}

const NOT_SCORED: i64 = i64::MIN;
const NO_MATCH: i64 = i64::MIN + 1;

#[derive(Default)]
struct WordCache {
    haystacks: u64,
    /// By word, and whether it was matched case-sensitively.
    words: std::collections::HashMap<(String, bool), AccountWord>,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            skim: SkimMatcherV2::default().smart_case(),
            skim_exact: SkimMatcherV2::default().respect_case(),
            cache: std::sync::Mutex::new(WordCache::default()),
        }
    }
}

impl Matcher {
    /// Score of one row, or None when it does not match (the reference the
    /// part-wise `run` is tested against).
    pub fn score(&self, hs: &Haystacks, i: usize, q: &Query) -> Option<i64> {
        match q {
            Query::All => Some(0),
            Query::Account(id) => (hs.account_id(i) == id).then_some(1000),
            Query::Role { account_id, role } => (hs.account_id(i) == account_id
                && hs.role(i).eq_ignore_ascii_case(role))
            .then_some(1000),
            Query::Words(words) => {
                let text = hs.text(i);
                let lower = lower_chars(&text);
                if !words.iter().all(|w| {
                    let lw = lower_chars(w);
                    prefix_in(&lower, &lw) == lw.len()
                }) {
                    return None;
                }
                let mut total = 0;
                for w in words {
                    total += self.skim.fuzzy_match(&text, w)?;
                }
                Some(total)
            }
        }
    }

    /// Scores `word` on the given account parts, reusing cached scores.
    fn account_scores(
        &self,
        cache: &mut WordCache,
        hs: &Haystacks,
        word: &str,
        exact: bool,
        parts: &[u32],
    ) -> AccountWord {
        let lw = lower_chars(word);
        let skim = self.skim_for(exact);
        let entry = cache
            .words
            .entry((word.to_string(), exact))
            .or_insert_with(|| AccountWord {
                score: vec![NOT_SCORED; hs.accounts.parts.len()],
                prefix: vec![0; hs.accounts.parts.len()],
            });
        let todo: Vec<u32> = parts
            .iter()
            .copied()
            .filter(|&a| entry.score[a as usize] == NOT_SCORED)
            .collect();
        // A word without a digit cannot match inside the account id: it is
        // scored on the shorter name alone (same result, less work).
        let texts = if word.bytes().any(|b| b.is_ascii_digit()) {
            &hs.accounts.parts
        } else {
            &hs.accounts.names
        };
        let scored = par_map(&todo, |&a| {
            let prefix = prefix_in(&hs.accounts.lower[a as usize], &lw);
            let score = if prefix == lw.len() {
                skim.fuzzy_match(&texts[a as usize], word)
                    .unwrap_or(NO_MATCH)
            } else {
                NO_MATCH
            };
            (score, prefix as u32)
        });
        for (&a, (score, prefix)) in todo.iter().zip(scored) {
            entry.score[a as usize] = score;
            entry.prefix[a as usize] = prefix;
        }
        entry.clone()
    }

    fn skim_for(&self, exact: bool) -> &SkimMatcherV2 {
        if exact { &self.skim_exact } else { &self.skim }
    }

    fn role_scores(&self, hs: &Haystacks, word: &str, exact: bool) -> RoleWord {
        let lw = lower_chars(word);
        let skim = self.skim_for(exact);
        let (score, suffix) = hs
            .role_parts
            .iter()
            .zip(&hs.role_lower)
            .map(|(text, lower)| {
                let suffix = suffix_in(lower, &lw);
                let score = if suffix == lw.len() {
                    skim.fuzzy_match(text, word)
                } else {
                    None
                };
                (score, suffix as u32)
            })
            .unzip();
        RoleWord { score, suffix }
    }

    /// Matches `candidates` (row indices) against `q`, in parallel when large.
    ///
    /// Each word is scored on the rows' parts (the account's "name id", the
    /// role) rather than on every row. A word found in neither part alone
    /// can only match by splitting: a prefix in the account part and the
    /// rest in the role; its score is the best such split, from part scores
    /// (prefixes are the words of earlier keystrokes, already cached). The
    /// set of matches is exactly the rows that contain every word as a
    /// subsequence (case-insensitively, and as the matcher's smart case
    /// allows).
    pub fn run(&self, hs: &Haystacks, candidates: &[u32], q: &Query) -> Vec<(u32, i64)> {
        let Query::Words(words) = q else {
            return candidates
                .iter()
                .filter_map(|&i| self.score(hs, i as usize, q).map(|s| (i, s)))
                .collect();
        };
        let lens: Vec<u32> = words.iter().map(|w| lower_chars(w).len() as u32).collect();
        let mut need_account = vec![false; hs.accounts.parts.len()];
        for &i in candidates {
            need_account[hs.rows[i as usize].account_part as usize] = true;
        }
        let parts: Vec<u32> = (0..hs.accounts.parts.len() as u32)
            .filter(|&a| need_account[a as usize])
            .collect();
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.haystacks != hs.accounts.id || cache.words.len() > 256 {
            cache.haystacks = hs.accounts.id;
            cache.words.clear();
        }
        let whole: Vec<(AccountWord, RoleWord)> = words
            .iter()
            .map(|w| {
                (
                    self.account_scores(&mut cache, hs, w, false, &parts),
                    self.role_scores(hs, w, false),
                )
            })
            .collect();
        // First pass: rows every word of which sits in one part. A row
        // where some word only fits across both parts is kept for the
        // second pass (`None`); a row where some word fits nowhere is out.
        let first: Vec<(u32, Option<i64>)> = par_map_filter(candidates, |&i| {
            let h = &hs.rows[i as usize];
            let (ap, rp) = (h.account_part as usize, h.role_part as usize);
            let mut total = Some(0);
            for (k, (acct, role)) in whole.iter().enumerate() {
                let a = acct.score[ap];
                match (a > NO_MATCH).then_some(a).max(role.score[rp]) {
                    Some(s) => total = total.map(|t| t + s),
                    None if acct.prefix[ap] + role.suffix[rp] >= lens[k] => total = None,
                    None => return None,
                }
            }
            Some((i, total))
        });
        let spill: Vec<u32> = first
            .iter()
            .filter(|(_, t)| t.is_none())
            .map(|(i, _)| *i)
            .collect();
        let mut out: Vec<(u32, i64)> = first.iter().filter_map(|&(i, t)| Some((i, t?))).collect();
        if spill.is_empty() {
            return out;
        }
        // Second pass: split scores for the rows that need them.
        let mut spill_parts: Vec<u32> = spill
            .iter()
            .map(|&i| hs.rows[i as usize].account_part)
            .collect();
        spill_parts.sort_unstable();
        spill_parts.dedup();
        let splits: Vec<Vec<(AccountWord, RoleWord)>> = words
            .iter()
            .map(|w| {
                let cuts: Vec<usize> = w.char_indices().map(|(b, _)| b).skip(1).collect();
                let exact = has_capital(w);
                cuts.iter()
                    .map(|&b| {
                        (
                            self.account_scores(&mut cache, hs, &w[..b], exact, &spill_parts),
                            self.role_scores(hs, &w[b..], exact),
                        )
                    })
                    .collect()
            })
            .collect();
        drop(cache);
        out.extend(spill.iter().filter_map(|&i| {
            let h = &hs.rows[i as usize];
            let (ap, rp) = (h.account_part as usize, h.role_part as usize);
            let mut total = 0;
            for (k, (acct, role)) in whole.iter().enumerate() {
                let a = acct.score[ap];
                total += match (a > NO_MATCH).then_some(a).max(role.score[rp]) {
                    Some(s) => s,
                    None => splits[k]
                        .iter()
                        .filter_map(|(pa, sr)| {
                            let p = pa.score[ap];
                            Some((p > NO_MATCH).then_some(p)? + sr.score[rp]?)
                        })
                        .max()?,
                };
            }
            Some((i, total))
        }));
        out
    }

    /// Character positions to highlight in row `i`'s `text`.
    pub fn positions(&self, hs: &Haystacks, i: usize, q: &Query) -> Vec<usize> {
        let mut out = match q {
            Query::Words(words) => {
                let text = hs.text(i);
                words
                    .iter()
                    .filter_map(|w| self.skim.fuzzy_indices(&text, w))
                    .flat_map(|(_, idx)| idx)
                    .collect()
            }
            Query::Account(_) => (hs.account_id_at(i)..hs.role_at(i) - 1).collect(),
            Query::Role { .. } => {
                let role_at = hs.role_at(i);
                (hs.account_id_at(i)..role_at + hs.role(i).chars().count())
                    .filter(|&c| c != role_at - 1)
                    .collect()
            }
            Query::All => Vec::new(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests;
