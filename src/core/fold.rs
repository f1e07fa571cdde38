//! Case and diacritic folding, as fzf (0.38) folds when it matches: a term
//! with a capital (any script) matches case-sensitively (smart case); a term
//! without an accented Latin letter matches accented text as plain
//! (`ubersicht` finds `Übersicht`), while a term with one matches it as
//! typed. Also the one comparison of whole names the selection rule uses
//! (any case, accents folded). Pure.

/// How a term compares characters: case-sensitively or not, and with
/// accented Latin letters folded to their base letter or not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fold {
    pub sensitive: bool,
    pub normalize: bool,
}

impl Fold {
    /// Any case, accents folded: names compared as a person reads them.
    pub const LOOSE: Fold = Fold {
        sensitive: false,
        normalize: true,
    };

    /// The fold fzf uses for a term as typed (operators included: they
    /// have no case and no accent).
    pub fn of_term(term: &str) -> Fold {
        let sensitive = is_case_sensitive(term);
        let normalize = !term.chars().map(lower).any(|c| base_letter(c) != c);
        Fold {
            sensitive,
            normalize,
        }
    }

    /// One character of the text, folded.
    #[inline]
    pub fn char(self, c: char) -> char {
        if c.is_ascii() {
            return if self.sensitive {
                c
            } else {
                c.to_ascii_lowercase()
            };
        }
        let c = if self.sensitive { c } else { lower(c) };
        if self.normalize { base_letter(c) } else { c }
    }

    /// A whole text, folded character by character (one char for one).
    pub fn chars(self, s: &str) -> Vec<char> {
        s.chars().map(|c| self.char(c)).collect()
    }

    /// `s` folded, as a string.
    pub fn string(self, s: &str) -> String {
        s.chars().map(|c| self.char(c)).collect()
    }
}

/// Smart case: the term has a letter that lowercasing changes.
pub fn is_case_sensitive(term: &str) -> bool {
    term.chars().any(|c| lower(c) != c)
}

/// One character's lowercase, as one character (the first, for the rare
/// letter whose lowercase is longer).
#[inline]
pub fn lower(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    c.to_lowercase().next().unwrap_or(c)
}

/// Latin letters outside the one-letter-one-mark rule that fzf folds too:
/// letters with a stroke, hook, bar, curl or tail, dotless, long and sharp
/// forms, and a few turned or open ones (from their Unicode names).
const EXTRA: &[(char, char)] = &[
    ('\u{df}', 's'),   // sharp s
    ('\u{f8}', 'o'),   // o with stroke
    ('\u{111}', 'd'),  // d with stroke
    ('\u{127}', 'h'),  // h with stroke
    ('\u{131}', 'i'),  // dotless i
    ('\u{140}', 'l'),  // l with middle dot
    ('\u{142}', 'l'),  // l with stroke
    ('\u{167}', 't'),  // t with stroke
    ('\u{17f}', 's'),  // long s
    ('\u{180}', 'b'),  // b with stroke
    ('\u{183}', 'b'),  // b with topbar
    ('\u{188}', 'c'),  // c with hook
    ('\u{18c}', 'd'),  // d with topbar
    ('\u{192}', 'f'),  // f with hook
    ('\u{199}', 'k'),  // k with hook
    ('\u{19a}', 'l'),  // l with bar
    ('\u{19e}', 'n'),  // n with long right leg
    ('\u{1a5}', 'p'),  // p with hook
    ('\u{1ab}', 't'),  // t with palatal hook
    ('\u{1ad}', 't'),  // t with hook
    ('\u{1b4}', 'y'),  // y with hook
    ('\u{1b6}', 'z'),  // z with stroke
    ('\u{1dd}', 'e'),  // turned e
    ('\u{1e5}', 'g'),  // g with stroke
    ('\u{221}', 'd'),  // d with curl
    ('\u{225}', 'z'),  // z with hook
    ('\u{234}', 'l'),  // l with curl
    ('\u{235}', 'n'),  // n with curl
    ('\u{236}', 't'),  // t with curl
    ('\u{237}', 'j'),  // dotless j
    ('\u{23c}', 'c'),  // c with stroke
    ('\u{23f}', 's'),  // s with swash tail
    ('\u{240}', 'z'),  // z with swash tail
    ('\u{247}', 'e'),  // e with stroke
    ('\u{249}', 'j'),  // j with stroke
    ('\u{24b}', 'q'),  // q with hook tail
    ('\u{24d}', 'r'),  // r with stroke
    ('\u{24f}', 'y'),  // y with stroke
    ('\u{253}', 'b'),  // b with hook
    ('\u{254}', 'o'),  // open o
    ('\u{256}', 'd'),  // d with tail
    ('\u{257}', 'd'),  // d with hook
    ('\u{25b}', 'e'),  // open e
    ('\u{260}', 'g'),  // g with hook
    ('\u{268}', 'i'),  // i with stroke
    ('\u{26f}', 'm'),  // turned m
    ('\u{272}', 'n'),  // n with left hook
    ('\u{275}', 'o'),  // barred o
    ('\u{280}', 'R'),  // small capital r (fzf folds it to a capital)
    ('\u{288}', 't'),  // t with retroflex hook
    ('\u{289}', 'u'),  // u bar
    ('\u{28b}', 'v'),  // v with hook
    ('\u{28c}', 'v'),  // turned v
    ('\u{1e9a}', 'a'), // a with right half ring
    ('\u{1e9b}', 's'), // long s with dot above
];

/// An accented Latin letter's base letter (`é` → `e`), else the letter.
/// fzf folds letters in U+00C0..U+2184 only.
pub fn base_letter(c: char) -> char {
    if !('\u{c0}'..='\u{2184}').contains(&c) {
        return c;
    }
    if let Ok(i) = EXTRA.binary_search_by_key(&c, |(k, _)| *k) {
        return EXTRA[i].1;
    }
    // One Latin letter and one combining mark.
    let (mut first, mut n) = (None, 0);
    unicode_normalization::char::decompose_canonical(c, |d| {
        first.get_or_insert(d);
        n += 1;
    });
    match first {
        Some(b) if n == 2 && b.is_ascii_alphabetic() => b,
        _ => c,
    }
}

/// True when `a` and `b` are the same text in any case, accents folded.
pub fn same_name(a: &str, b: &str) -> bool {
    // Folding keeps the number of chars, and a char is at least a byte:
    // most names are told apart by their lengths alone.
    if a.len() == b.len() && a.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if short.is_ascii() && (long.is_ascii() || long.len() > 4 * short.len()) {
        return false;
    }
    a.chars()
        .map(|c| Fold::LOOSE.char(c))
        .eq(b.chars().map(|c| Fold::LOOSE.char(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extra_table_is_sorted() {
        assert!(EXTRA.is_sorted_by_key(|(k, _)| *k));
    }

    #[test]
    fn folds_as_fzf_does() {
        assert_eq!(base_letter('é'), 'e');
        assert_eq!(base_letter('Ü'), 'U');
        assert_eq!(base_letter('ł'), 'l');
        assert_eq!(base_letter('ǖ'), 'ǖ', "two marks: as is");
        assert_eq!(base_letter('✓'), '✓');
        assert!(Fold::of_term("ubersicht").normalize);
        assert!(!Fold::of_term("übersicht").normalize);
        assert!(Fold::of_term("Übersicht").sensitive);
        assert!(!Fold::of_term("übersicht").sensitive);
        assert_eq!(Fold::of_term("ubersicht").string("Übersicht"), "ubersicht");
        assert!(same_name("Ünïcode Team ✓", "unicode team ✓"));
        assert!(same_name("Core-Dev", "core-dev"));
        assert!(!same_name("core-dev", "core-dev-1"));
    }
}
