//! Characters as the matcher compares them (`Fold`: fzf's smart case and
//! accent folding), how much of a word's start or end a part holds (the
//! pass that settles most rows without scoring them), and where a part of
//! a name starts (the selection rule and the ranking tiers).

use crate::fold::Fold;

/// How many leading characters of `word` (folded) occur in `hay` in order
/// (greedy from the left, which finds the longest such prefix).
pub(super) fn prefix_in(hay: &str, word: &[char], fold: Fold) -> usize {
    let mut n = 0;
    for c in hay.chars() {
        if n == word.len() {
            break;
        }
        if fold.char(c) == word[n] {
            n += 1;
        }
    }
    n
}

/// How many trailing characters of `word` (folded) occur in `hay` in order.
pub(super) fn suffix_in(hay: &str, word: &[char], fold: Fold) -> usize {
    let mut n = 0;
    for c in hay.chars().rev() {
        if n == word.len() {
            break;
        }
        if fold.char(c) == word[word.len() - 1 - n] {
            n += 1;
        }
    }
    n
}

/// Characters that end one part of a name and start the next.
pub fn is_separator(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | '/') || c.is_whitespace()
}

fn starts_part(before: Option<char>, at: char) -> bool {
    match before {
        None => true,
        Some(b) => is_separator(b) || (b.is_lowercase() && at.is_uppercase()),
    }
}

/// True when `word` (any case, accents folded) occurs in `field` as a run
/// that starts a part of it: the field's start, after `-` `_` `.` `/` or a
/// space, or where lowercase turns to uppercase. A word that ends in a
/// digit must also end a part (the field's end, or a separator next), so
/// `eu-1` is not in `eu-10` and a partial account id is in no id.
pub fn at_part_start(field: &str, word: &str) -> bool {
    if field.is_ascii() && word.is_ascii() {
        return at_part_start_ascii(field.as_bytes(), word.as_bytes());
    }
    let f: Vec<char> = field.chars().collect();
    let w: Vec<char> = Fold::LOOSE.chars(word);
    part_run(&f, &w, |c| Fold::LOOSE.char(c))
}

fn at_part_start_ascii(f: &[u8], w: &[u8]) -> bool {
    if w.is_empty() || w.len() > f.len() {
        return false;
    }
    let digit_end = w[w.len() - 1].is_ascii_digit();
    (0..=f.len() - w.len()).any(|s| {
        let before = s.checked_sub(1).map(|b| char::from(f[b]));
        starts_part(before, char::from(f[s]))
            && f[s..s + w.len()].eq_ignore_ascii_case(w)
            && (!digit_end
                || f.get(s + w.len())
                    .is_none_or(|&c| is_separator(char::from(c))))
    })
}

fn part_run(f: &[char], w: &[char], fold: impl Fn(char) -> char) -> bool {
    if w.is_empty() || w.len() > f.len() {
        return false;
    }
    let digit_end = w[w.len() - 1].is_ascii_digit();
    (0..=f.len() - w.len()).any(|s| {
        starts_part(s.checked_sub(1).map(|b| f[b]), f[s])
            && (0..w.len()).all(|k| fold(f[s + k]) == w[k])
            && (!digit_end || f.get(s + w.len()).is_none_or(|&c| is_separator(c)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_start_at_separators_and_case_changes() {
        assert!(at_part_start("mobile-qa-us-1", "qa-us-1"));
        assert!(!at_part_start("mobile-qa-us-198", "qa-us-1"));
        assert!(!at_part_start("mobile-qa-us-198", "obile"));
        assert!(at_part_start("NetworkAdministrator", "admin"));
        assert!(at_part_start("NetworkAdministrator", "network"));
        assert!(!at_part_start("NetworkAdministrator", "dmin"));
        assert!(!at_part_start("123456789012", "1234"));
        assert!(at_part_start("123456789012", "123456789012"));
        assert!(at_part_start("Ünïcode Team ✓", "team"));
        assert!(at_part_start("Ünïcode Team ✓", "unicode"));
        assert!(at_part_start("core_dev.eu/10", "eu/10"));
        assert!(!at_part_start("core-dev-eu-10", "eu-1"));
        assert!(at_part_start("core-dev-eu-10", "eu-10"));
    }
}
