//! fzf's extended terms (`'exact`, `^prefix`, `suffix$`, `^equal$`, `!not`,
//! `a | b`) on one row, matched as fzf 0.38 matches them (smart case,
//! accents folded for a term without any). Anchors apply to each field: the
//! account name, its alias, the session, the account id and the role.
//! Exact terms score by length, more at a word boundary; a fuzzy term
//! scores best inside one field, and below any in-field match when it only
//! matches across fields.

use super::query::{Term, TermKind};
use super::{Haystacks, Matcher, SPLIT_PENALTY};
use crate::account_meta::SearchFields;
use crate::fold::Fold;
use fuzzy_matcher::FuzzyMatcher;

/// A row's text and its anchored fields, each with where it starts (in
/// chars of the row's text).
struct Fields<'a> {
    text: &'a str,
    parts: Vec<(&'a str, usize)>,
}

impl<'a> Fields<'a> {
    fn of(hs: &'a Haystacks, i: usize, text: &'a str) -> Fields<'a> {
        let search = hs.search_name(i);
        let f = SearchFields::of(search);
        let start = |field: &str| {
            // Fields are slices of `search`, which starts the row's text.
            let byte = field.as_ptr() as usize - search.as_ptr() as usize;
            search[..byte].chars().count()
        };
        let mut parts: Vec<(&'a str, usize)> = f.anchored().map(|p| (p, start(p))).collect();
        parts.push((hs.account_id(i), hs.account_id_at(i)));
        parts.push((hs.role(i), hs.role_at(i)));
        Fields { text, parts }
    }
}

fn is_boundary(before: Option<char>, at: char) -> bool {
    match before {
        None => true,
        Some(b) => !b.is_alphanumeric() || (b.is_lowercase() && at.is_uppercase()),
    }
}

/// Where `needle` (folded) first occurs in `hay`, in chars.
fn find(hay: &str, needle: &[char], fold: Fold) -> Option<usize> {
    let h = fold.chars(hay);
    if needle.len() > h.len() {
        return None;
    }
    (0..=h.len() - needle.len()).find(|&s| h[s..s + needle.len()] == *needle)
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A field as fzf anchors to it: leading (for `^`) or trailing (for `$`)
/// whitespace ignored unless the term itself has it.
fn trimmed<'f>(field: &'f str, needle: &[char], start: bool) -> (&'f str, usize) {
    let keep = if start {
        needle.first().is_some_and(|c| c.is_whitespace())
    } else {
        needle.last().is_some_and(|c| c.is_whitespace())
    };
    match (keep, start) {
        (true, _) => (field, 0),
        (false, true) => {
            let t = field.trim_start();
            (t, chars(&field[..field.len() - t.len()]))
        }
        (false, false) => (field.trim_end(), 0),
    }
}

/// A fixed string of `n` chars matched: its score.
fn exact_score(n: usize, boundary: bool) -> i64 {
    16 * n as i64 + if boundary { 32 } else { 0 }
}

impl Matcher {
    /// Score of a row under extended terms, or `None`.
    pub(super) fn extended_score(
        &self,
        hs: &Haystacks,
        i: usize,
        groups: &[Vec<Term>],
    ) -> Option<i64> {
        let text = hs.text(i);
        let f = Fields::of(hs, i, &text);
        let mut total = 0;
        for g in groups {
            total += g.iter().filter_map(|t| self.term_score(&f, t)).max()?;
        }
        Some(total)
    }

    fn term_score(&self, f: &Fields<'_>, t: &Term) -> Option<i64> {
        let hit = self.term_hit(f, t).map(|(score, _)| score);
        if t.negated {
            return hit.is_none().then_some(0);
        }
        hit
    }

    /// A term's score and the chars it covers in the row's text.
    fn term_hit(&self, f: &Fields<'_>, t: &Term) -> Option<(i64, Vec<usize>)> {
        let fold = t.fold();
        let needle = fold.chars(&t.text);
        let n = needle.len();
        let anchored = |field: &str, at: usize, start: bool| -> Option<usize> {
            let (mut trim, skip) = trimmed(field, &needle, start);
            if t.kind == TermKind::Equal {
                trim = trimmed(trim, &needle, false).0;
            }
            let h = fold.chars(trim);
            match t.kind {
                TermKind::Prefix => h.starts_with(&needle).then_some(at + skip),
                TermKind::Suffix => h.ends_with(&needle).then(|| at + h.len() - n),
                _ => (h == needle).then_some(at + skip),
            }
        };
        match t.kind {
            TermKind::Fuzzy => {
                if super::text::prefix_in(f.text, &needle, fold) < n {
                    return None;
                }
                let skim = self.skim_for(fold.sensitive);
                let in_field = f
                    .parts
                    .iter()
                    .filter_map(|(p, at)| {
                        let (s, idx) = skim.fuzzy_indices(p, &t.text)?;
                        Some((s, idx.into_iter().map(|c| c + at).collect()))
                    })
                    .max_by_key(|(s, _)| *s);
                in_field.or_else(|| {
                    let (s, idx) = skim
                        .fuzzy_indices(f.text, &t.text)
                        .or_else(|| skim.fuzzy_indices(&fold.string(f.text), &t.text))
                        .unwrap_or((1, Vec::new()));
                    Some((s - SPLIT_PENALTY, idx))
                })
            }
            TermKind::Exact => {
                let at = find(f.text, &needle, fold)?;
                let before = f.text.chars().nth(at.wrapping_sub(1)).filter(|_| at > 0);
                let first = f.text.chars().nth(at)?;
                Some((
                    exact_score(n, is_boundary(before, first)),
                    (at..at + n).collect(),
                ))
            }
            TermKind::Prefix | TermKind::Suffix | TermKind::Equal => {
                let start = t.kind != TermKind::Suffix;
                f.parts.iter().find_map(|(p, at)| {
                    let from = anchored(p, *at, start)?;
                    Some((exact_score(n, true), (from..from + n).collect()))
                })
            }
        }
    }

    /// Characters of row `i` to highlight for extended terms.
    pub(super) fn extended_positions(
        &self,
        hs: &Haystacks,
        i: usize,
        groups: &[Vec<Term>],
    ) -> Vec<usize> {
        let text = hs.text(i);
        let f = Fields::of(hs, i, &text);
        groups
            .iter()
            .flatten()
            .filter(|t| !t.negated)
            .filter_map(|t| self.term_hit(&f, t))
            .flat_map(|(_, idx)| idx)
            .collect()
    }
}
