//! Fuzzy ranking for the picker. Pure and allocation-light: texts are
//! prepared once per account and per distinct role (a row is two indices);
//! words are scored per part and cached across keystrokes; a query that
//! extends the previous one re-matches only the previous matches; highlight
//! positions are computed only for the rows on screen. Space-separated words
//! must all match, in any order.

use crate::fold::Fold;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use par::{par_map, par_map_filter};
use text::{prefix_in, suffix_in};

mod extended;
mod haystacks;
mod par;
mod query;
mod text;

pub use haystacks::{Hay, Haystacks};
pub use query::{Query, Term, TermKind};
pub use text::{at_part_start, is_separator};

/// What a word loses when it only matches split across the account and the
/// role: any match inside one field ranks above it.
const SPLIT_PENALTY: i64 = 1_000;

/// What a row gains per ranking tier (`Tier`): far above any score.
const TIER: i64 = 1 << 40;

/// How a row's words sit in its fields, for ranking (ssopick's own rule,
/// on top of the fuzzy score): a word equal to a whole account name, alias
/// or id ranks first; then rows where every word starts a part of one
/// field (`at_part_start`); then the rest.
const TIER_PARTS: u8 = 1;
const TIER_NAMED: u8 = 2;

/// The tier bits of `word` on an account's fields (name, alias, session,
/// id): named (equal to the name, alias or id), and at a part's start.
fn account_tier(search: &str, id: &str, word: &str) -> u8 {
    let f = crate::account_meta::SearchFields::of(search);
    let named =
        crate::fold::same_name(word, f.name) || crate::fold::same_name(word, f.alias) || word == id;
    let parts = named || f.anchored().any(|x| at_part_start(x, word)) || at_part_start(id, word);
    (if named { TIER_NAMED } else { 0 }) | (if parts { TIER_PARTS } else { 0 })
}

/// A row's tier from its words' bits: any word named, every word at a
/// part's start.
fn row_tier(bits: impl Iterator<Item = u8>) -> i64 {
    let (mut named, mut parts) = (false, true);
    for b in bits {
        named |= b & TIER_NAMED != 0;
        parts &= b & TIER_PARTS != 0;
    }
    TIER * (i64::from(named) * 2 + i64::from(parts))
}

/// The sort key of a match, as the picker and the commands order them:
/// score (higher first), frecency (higher first), then row order (rows are
/// in name order). One integer per match: sorting plain integers is several
/// times faster than a comparator chain.
pub fn rank_key(row: u32, score: i64, frecency: u32) -> u128 {
    // Scores may be negative (split words): flip the sign bit to order
    // them as unsigned, then invert for "higher first".
    let s = u128::from(u64::MAX - ((score as u64) ^ (1 << 63)));
    let f = u128::from(u32::MAX - frecency);
    (s << 64) | (f << 32) | u128::from(row)
}

pub struct Matcher {
    /// For words without a capital (fzf's smart case).
    skim: SkimMatcherV2,
    /// For words with a capital (and the pieces of such a word split
    /// across the account and the role).
    skim_exact: SkimMatcherV2,
    /// Scores of query words on account parts, kept across keystrokes: when
    /// `pay` becomes `pay e`, only `e` is new work.
    cache: std::sync::Mutex<WordCache>,
}

/// The account parts the candidate rows use.
fn needed_parts(hs: &Haystacks, candidates: &[u32]) -> Vec<u32> {
    let mut need = vec![false; hs.accounts.parts.len()];
    for &i in candidates {
        need[hs.rows[i as usize].account_part as usize] = true;
    }
    (0..hs.accounts.parts.len() as u32)
        .filter(|&a| need[a as usize])
        .collect()
}

/// A query word on every account part ("name id"): its score (or
/// `NOT_SCORED` / `NO_MATCH`), and how many of its leading characters occur
/// in the part, for words that match across the account and the role.
#[derive(Clone)]
struct AccountWord {
    score: Vec<i32>,
    prefix: Vec<u32>,
    /// `TIER_*` bits where the word matches.
    tier: Vec<u8>,
}

impl AccountWord {
    /// The word's score on account part `a`, when it matches there.
    fn at(&self, a: usize) -> Option<i64> {
        let s = self.score[a];
        (s > NO_MATCH).then_some(i64::from(s))
    }
}

/// A query word on every role part: its score, and how many of its trailing
/// characters occur in the role.
struct RoleWord {
    score: Vec<Option<i64>>,
    suffix: Vec<u32>,
    /// The word starts a part of the role.
    parts: Vec<bool>,
}

impl RoleWord {
    fn tier(&self, r: usize) -> u8 {
        if self.parts[r] { TIER_PARTS } else { 0 }
    }
}

const NOT_SCORED: i32 = i32::MIN;
const NO_MATCH: i32 = i32::MIN + 1;
/// A row's total in `run`'s first pass when a word fits only across parts.
const SPLIT: i64 = i64::MIN;

#[derive(Default)]
struct WordCache {
    haystacks: u64,
    /// By word, and how it was folded (a piece of a split word takes the
    /// whole word's fold). Shared with the run that asked (never copied
    /// per keystroke).
    words: std::collections::HashMap<(String, Fold), std::sync::Arc<AccountWord>>,
}

impl Default for Matcher {
    fn default() -> Self {
        Matcher {
            skim: SkimMatcherV2::default().ignore_case(),
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
                let mut total = 0;
                let (account_text, role) = (hs.account_text(i), hs.role(i));
                let mut bits = Vec::with_capacity(words.len());
                for w in words {
                    let fold = Fold::of_term(w);
                    let pat = fold.chars(w);
                    let in_field = self
                        .word_score(account_text, w, &pat, fold)
                        .max(self.word_score(role, w, &pat, fold));
                    total += match in_field {
                        Some(s) => s,
                        None => self.word_score(&text, w, &pat, fold)? - SPLIT_PENALTY,
                    };
                    let mut b = account_tier(hs.search_name(i), hs.account_id(i), w);
                    if at_part_start(role, w) {
                        b |= TIER_PARTS;
                    }
                    bits.push(b);
                }
                Some(total + row_tier(bits.into_iter()))
            }
            Query::Extended(groups) => self.extended_score(hs, i, groups),
            Query::Email(_) => None,
        }
    }

    /// `word`'s score in `text` when every char of it (`pat`, folded) is
    /// there in order: the fuzzy score, on the folded text when only the
    /// folding finds it.
    fn word_score(&self, text: &str, word: &str, pat: &[char], fold: Fold) -> Option<i64> {
        if prefix_in(text, pat, fold) < pat.len() {
            return None;
        }
        let skim = self.skim_for(fold.sensitive);
        Some(
            skim.fuzzy_match(text, word)
                .or_else(|| skim.fuzzy_match(&fold.string(text), &fold.string(word)))
                .unwrap_or(1),
        )
    }

    /// Scores `word` on the given account parts, reusing cached scores.
    /// `fold`: the word's own, or for a piece of a split word the whole
    /// word's.
    fn account_scores(
        &self,
        cache: &mut WordCache,
        hs: &Haystacks,
        word: &str,
        fold: Fold,
        parts: &[u32],
    ) -> std::sync::Arc<AccountWord> {
        let lw = fold.chars(word);
        let slot = cache
            .words
            .entry((word.to_string(), fold))
            .or_insert_with(|| {
                std::sync::Arc::new(AccountWord {
                    score: vec![NOT_SCORED; hs.accounts.parts.len()],
                    prefix: vec![0; hs.accounts.parts.len()],
                    tier: vec![0; hs.accounts.parts.len()],
                })
            });
        let entry = std::sync::Arc::make_mut(slot);
        let todo: Vec<u32> = parts
            .iter()
            .copied()
            .filter(|&a| entry.score[a as usize] == NOT_SCORED)
            .collect();
        // A word without a digit cannot match inside the account id: it is
        // scored on the shorter name alone (same result, less work).
        let whole = word.bytes().any(|b| b.is_ascii_digit());
        let scored = par_map(&todo, |&a| {
            let part = &hs.accounts.parts[a as usize];
            let prefix = prefix_in(part, &lw, fold);
            let (score, tier) = if prefix == lw.len() {
                let name = hs.accounts.name(a as usize);
                let text = if whole { part.as_str() } else { name };
                // Scores are small; an i32 halves what the cache holds.
                let score = self
                    .word_score(text, word, &lw, fold)
                    .map_or(NO_MATCH, |s| {
                        s.clamp(i64::from(NO_MATCH) + 1, i64::from(i32::MAX)) as i32
                    });
                (score, account_tier(name, hs.accounts.id(a as usize), word))
            } else {
                (NO_MATCH, 0)
            };
            (score, prefix as u32, tier)
        });
        for (&a, (score, prefix, tier)) in todo.iter().zip(scored) {
            entry.score[a as usize] = score;
            entry.prefix[a as usize] = prefix;
            entry.tier[a as usize] = tier;
        }
        std::sync::Arc::clone(slot)
    }

    fn skim_for(&self, sensitive: bool) -> &SkimMatcherV2 {
        if sensitive {
            &self.skim_exact
        } else {
            &self.skim
        }
    }

    fn role_scores(&self, hs: &Haystacks, word: &str, fold: Fold) -> RoleWord {
        let lw = fold.chars(word);
        let mut out = RoleWord {
            score: Vec::with_capacity(hs.role_parts.len()),
            suffix: Vec::with_capacity(hs.role_parts.len()),
            parts: Vec::with_capacity(hs.role_parts.len()),
        };
        for text in &hs.role_parts {
            let suffix = suffix_in(text, &lw, fold);
            let score = if suffix == lw.len() {
                self.word_score(text, word, &lw, fold)
            } else {
                None
            };
            out.parts.push(score.is_some() && at_part_start(text, word));
            out.score.push(score);
            out.suffix.push(suffix as u32);
        }
        out
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
            return par_map_filter(candidates, |&i| {
                self.score(hs, i as usize, q).map(|s| (i, s))
            });
        };
        let folds: Vec<Fold> = words.iter().map(|w| Fold::of_term(w)).collect();
        let lens: Vec<u32> = words.iter().map(|w| w.chars().count() as u32).collect();
        let parts = needed_parts(hs, candidates);
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.haystacks != hs.accounts.id || cache.words.len() > 256 {
            cache.haystacks = hs.accounts.id;
            cache.words.clear();
        }
        let whole: Vec<(std::sync::Arc<AccountWord>, RoleWord)> = words
            .iter()
            .zip(&folds)
            .map(|(w, &fold)| {
                (
                    self.account_scores(&mut cache, hs, w, fold, &parts),
                    self.role_scores(hs, w, fold),
                )
            })
            .collect();
        // First pass: rows every word of which sits in one part. A row
        // where some word only fits across both parts is kept for the
        // second pass (`None`); a row where some word fits nowhere is out.
        // (`SPLIT`: the row waits for the second pass.)
        let mut out: Vec<(u32, i64)> = par_map_filter(candidates, |&i| {
            let h = &hs.rows[i as usize];
            let (ap, rp) = (h.account_part as usize, h.role_part as usize);
            let mut total = Some(0);
            for (k, (acct, role)) in whole.iter().enumerate() {
                match acct.at(ap).max(role.score[rp]) {
                    Some(s) => total = total.map(|t| t + s),
                    None if acct.prefix[ap] + role.suffix[rp] >= lens[k] => total = None,
                    None => return None,
                }
            }
            let tier = || row_tier(whole.iter().map(|(a, r)| a.tier[ap] | r.tier(rp)));
            Some((i, total.map_or(SPLIT, |t| t + tier())))
        });
        let spill: Vec<u32> = out
            .iter()
            .filter(|(_, t)| *t == SPLIT)
            .map(|(i, _)| *i)
            .collect();
        out.retain(|(_, t)| *t != SPLIT);
        if spill.is_empty() {
            return out;
        }
        // Second pass: split scores for the rows that need them.
        let splits = self.split_words(&mut cache, hs, words, &folds, &spill);
        drop(cache);
        out.extend(spill.iter().filter_map(|&i| {
            let h = &hs.rows[i as usize];
            let (ap, rp) = (h.account_part as usize, h.role_part as usize);
            let mut total = 0;
            for (k, (acct, role)) in whole.iter().enumerate() {
                total += match acct.at(ap).max(role.score[rp]) {
                    Some(s) => s,
                    None => splits[k]
                        .iter()
                        .filter_map(|(pa, sr)| Some(pa.at(ap)? + sr.score[rp]? - SPLIT_PENALTY))
                        .max()?,
                };
            }
            let tier = row_tier(whole.iter().map(|(a, r)| a.tier[ap] | r.tier(rp)));
            Some((i, total + tier))
        }));
        out
    }

    /// For each word, each way to split it: the prefix's scores on the
    /// account parts of the `spill` rows and the rest's on the roles.
    fn split_words(
        &self,
        cache: &mut WordCache,
        hs: &Haystacks,
        words: &[String],
        folds: &[Fold],
        spill: &[u32],
    ) -> Vec<Vec<(std::sync::Arc<AccountWord>, RoleWord)>> {
        let mut spill_parts: Vec<u32> = spill
            .iter()
            .map(|&i| hs.rows[i as usize].account_part)
            .collect();
        spill_parts.sort_unstable();
        spill_parts.dedup();
        words
            .iter()
            .zip(folds)
            .map(|(w, &fold)| {
                let cuts: Vec<usize> = w.char_indices().map(|(b, _)| b).skip(1).collect();
                cuts.iter()
                    .map(|&b| {
                        (
                            self.account_scores(cache, hs, &w[..b], fold, &spill_parts),
                            self.role_scores(hs, &w[b..], fold),
                        )
                    })
                    .collect()
            })
            .collect()
    }

    /// Character positions to highlight in row `i`'s `text`.
    pub fn positions(&self, hs: &Haystacks, i: usize, q: &Query) -> Vec<usize> {
        let mut out = match q {
            Query::Words(words) => {
                let text = hs.text(i);
                words
                    .iter()
                    .filter_map(|w| {
                        self.skim_for(Fold::of_term(w).sensitive)
                            .fuzzy_indices(&text, w)
                    })
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
            Query::Extended(groups) => self.extended_positions(hs, i, groups),
            Query::All | Query::Email(_) => Vec::new(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests;
