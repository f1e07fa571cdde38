//! fzf's extended terms (`'exact`, `^prefix`, `suffix$`, `!not`, `a | b`)
//! on one row. Anchors apply to each field: the account name, the account
//! id and the role. Exact terms score by length, more at a word boundary;
//! a fuzzy term scores best inside one field, and below any in-field match
//! when it only matches across fields.

use super::query::{Term, TermKind};
use super::text::has_capital;
use super::{Haystacks, Matcher, SPLIT_PENALTY};
use fuzzy_matcher::FuzzyMatcher;

/// A row's fields and where each starts, in chars of the row's text.
struct Fields<'a> {
    text: &'a str,
    parts: [(&'a str, usize); 3],
}

impl<'a> Fields<'a> {
    fn of(hs: &'a Haystacks, i: usize, text: &'a str) -> Fields<'a> {
        let name_len = hs.account_id_at(i) - 1;
        let name = text
            .char_indices()
            .nth(name_len)
            .map_or(text, |(b, _)| &text[..b]);
        // Anchors see the name alone, not the alias and tags after it.
        let name = name
            .split_once(crate::core::account_meta::SEPARATOR)
            .map_or(name, |(n, _)| n);
        Fields {
            text,
            parts: [
                (name, 0),
                (hs.account_id(i), hs.account_id_at(i)),
                (hs.role(i), hs.role_at(i)),
            ],
        }
    }
}

fn is_boundary(before: Option<char>, at: char) -> bool {
    match before {
        None => true,
        Some(b) => !b.is_alphanumeric() || (b.is_lowercase() && at.is_uppercase()),
    }
}

/// Where `needle` first occurs in `hay` (as chars), honouring smart case.
fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n): (Vec<char>, Vec<char>) = if has_capital(needle) {
        (hay.chars().collect(), needle.chars().collect())
    } else {
        (
            hay.chars().flat_map(char::to_lowercase).collect(),
            needle.chars().flat_map(char::to_lowercase).collect(),
        )
    };
    if n.len() > h.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&s| h[s..s + n.len()] == n[..])
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn fold(s: &str, exact: bool) -> String {
    if exact {
        s.to_string()
    } else {
        s.to_lowercase()
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
        let exact = has_capital(&t.text);
        let n = chars(&t.text);
        match t.kind {
            TermKind::Fuzzy => {
                let in_field = f
                    .parts
                    .iter()
                    .filter_map(|(p, at)| {
                        let (s, idx) = self.skim.fuzzy_indices(p, &t.text)?;
                        Some((s, idx.into_iter().map(|c| c + at).collect()))
                    })
                    .max_by_key(|(s, _)| *s);
                in_field.or_else(|| {
                    let (s, idx) = self.skim.fuzzy_indices(f.text, &t.text)?;
                    Some((s - SPLIT_PENALTY, idx))
                })
            }
            TermKind::Exact => {
                let at = find(f.text, &t.text)?;
                let before = f.text.chars().nth(at.wrapping_sub(1)).filter(|_| at > 0);
                let first = f.text.chars().nth(at)?;
                Some((
                    exact_score(n, is_boundary(before, first)),
                    (at..at + n).collect(),
                ))
            }
            TermKind::Prefix => f.parts.iter().find_map(|(p, at)| {
                fold(p, exact)
                    .starts_with(&fold(&t.text, exact))
                    .then(|| (exact_score(n, true), (*at..at + n).collect()))
            }),
            TermKind::Suffix => f.parts.iter().find_map(|(p, at)| {
                let end = at + chars(p);
                fold(p, exact)
                    .ends_with(&fold(&t.text, exact))
                    .then(|| (exact_score(n, true), (end - n..end).collect()))
            }),
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
