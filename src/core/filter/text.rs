//! Case folding as the matcher folds, and how much of a word's start or end
//! a part holds (the pass that settles most rows without scoring them).

/// `s` as the matcher compares it when ignoring case: ASCII letters
/// folded, every other character as is.
pub(super) fn lower_chars(s: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    out.extend(s.chars().map(|c| c.to_ascii_lowercase()));
    out
}

/// The matcher's smart case: a word with an (ASCII) capital matches case
/// sensitively.
pub(super) fn has_capital(word: &str) -> bool {
    word.bytes().any(|b| b.is_ascii_uppercase())
}

/// How many leading characters of `word` occur in `hay` in order (greedy
/// from the left, which finds the longest such prefix).
pub(super) fn prefix_in(hay: &str, word: &[char]) -> usize {
    let mut n = 0;
    for c in hay.chars() {
        if n == word.len() {
            break;
        }
        if c.to_ascii_lowercase() == word[n] {
            n += 1;
        }
    }
    n
}

/// How many trailing characters of `word` occur in `hay` in order.
pub(super) fn suffix_in(hay: &str, word: &[char]) -> usize {
    let mut n = 0;
    for c in hay.chars().rev() {
        if n == word.len() {
            break;
        }
        if c.to_ascii_lowercase() == word[word.len() - 1 - n] {
            n += 1;
        }
    }
    n
}
