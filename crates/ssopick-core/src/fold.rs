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
/// forms, and a few turned or open ones (each from its Unicode name).
const EXTRA: &[(char, char)] = &[
    ('\u{d8}', 'O'),   // latin capital letter o with stroke
    ('\u{df}', 's'),   // latin small letter sharp s
    ('\u{f8}', 'o'),   // latin small letter o with stroke
    ('\u{111}', 'd'),  // latin small letter d with stroke
    ('\u{127}', 'h'),  // latin small letter h with stroke
    ('\u{130}', 'I'),  // latin capital letter i with dot above
    ('\u{131}', 'i'),  // latin small letter dotless i
    ('\u{140}', 'l'),  // latin small letter l with middle dot
    ('\u{142}', 'l'),  // latin small letter l with stroke
    ('\u{167}', 't'),  // latin small letter t with stroke
    ('\u{178}', 'Y'),  // latin capital letter y with diaeresis
    ('\u{17f}', 's'),  // latin small letter long s
    ('\u{180}', 'b'),  // latin small letter b with stroke
    ('\u{181}', 'B'),  // latin capital letter b with hook
    ('\u{183}', 'b'),  // latin small letter b with topbar
    ('\u{186}', 'O'),  // latin capital letter open o
    ('\u{188}', 'c'),  // latin small letter c with hook
    ('\u{189}', 'D'),  // latin capital letter african d
    ('\u{18a}', 'D'),  // latin capital letter d with hook
    ('\u{18c}', 'd'),  // latin small letter d with topbar
    ('\u{18e}', 'E'),  // latin capital letter reversed e
    ('\u{190}', 'E'),  // latin capital letter open e
    ('\u{192}', 'f'),  // latin small letter f with hook
    ('\u{193}', 'G'),  // latin capital letter g with hook
    ('\u{197}', 'I'),  // latin capital letter i with stroke
    ('\u{199}', 'k'),  // latin small letter k with hook
    ('\u{19a}', 'l'),  // latin small letter l with bar
    ('\u{19c}', 'M'),  // latin capital letter turned m
    ('\u{19d}', 'N'),  // latin capital letter n with left hook
    ('\u{19e}', 'n'),  // latin small letter n with long right leg
    ('\u{19f}', 'O'),  // latin capital letter o with middle tilde
    ('\u{1a5}', 'p'),  // latin small letter p with hook
    ('\u{1ab}', 't'),  // latin small letter t with palatal hook
    ('\u{1ad}', 't'),  // latin small letter t with hook
    ('\u{1ae}', 'T'),  // latin capital letter t with retroflex hook
    ('\u{1b2}', 'V'),  // latin capital letter v with hook
    ('\u{1b4}', 'y'),  // latin small letter y with hook
    ('\u{1b6}', 'z'),  // latin small letter z with stroke
    ('\u{1dd}', 'e'),  // latin small letter turned e
    ('\u{1e5}', 'g'),  // latin small letter g with stroke
    ('\u{220}', 'N'),  // latin capital letter n with long right leg
    ('\u{221}', 'd'),  // latin small letter d with curl
    ('\u{225}', 'z'),  // latin small letter z with hook
    ('\u{234}', 'l'),  // latin small letter l with curl
    ('\u{235}', 'n'),  // latin small letter n with curl
    ('\u{236}', 't'),  // latin small letter t with curl
    ('\u{237}', 'j'),  // latin small letter dotless j
    ('\u{23a}', 'A'),  // latin capital letter a with stroke
    ('\u{23b}', 'C'),  // latin capital letter c with stroke
    ('\u{23c}', 'c'),  // latin small letter c with stroke
    ('\u{23d}', 'L'),  // latin capital letter l with bar
    ('\u{23e}', 'T'),  // latin capital letter t with diagonal stroke
    ('\u{23f}', 's'),  // latin small letter s with swash tail
    ('\u{240}', 'z'),  // latin small letter z with swash tail
    ('\u{243}', 'B'),  // latin capital letter b with stroke
    ('\u{244}', 'U'),  // latin capital letter u bar
    ('\u{245}', 'V'),  // latin capital letter turned v
    ('\u{246}', 'E'),  // latin capital letter e with stroke
    ('\u{247}', 'e'),  // latin small letter e with stroke
    ('\u{248}', 'J'),  // latin capital letter j with stroke
    ('\u{249}', 'j'),  // latin small letter j with stroke
    ('\u{24a}', 'Q'),  // latin capital letter small q with hook tail
    ('\u{24b}', 'q'),  // latin small letter q with hook tail
    ('\u{24c}', 'R'),  // latin capital letter r with stroke
    ('\u{24d}', 'r'),  // latin small letter r with stroke
    ('\u{24e}', 'Y'),  // latin capital letter y with stroke
    ('\u{24f}', 'y'),  // latin small letter y with stroke
    ('\u{253}', 'b'),  // latin small letter b with hook
    ('\u{254}', 'o'),  // latin small letter open o
    ('\u{256}', 'd'),  // latin small letter d with tail
    ('\u{257}', 'd'),  // latin small letter d with hook
    ('\u{25b}', 'e'),  // latin small letter open e
    ('\u{260}', 'g'),  // latin small letter g with hook
    ('\u{268}', 'i'),  // latin small letter i with stroke
    ('\u{26f}', 'm'),  // latin small letter turned m
    ('\u{272}', 'n'),  // latin small letter n with left hook
    ('\u{275}', 'o'),  // latin small letter barred o
    ('\u{280}', 'R'),  // latin letter small capital r
    ('\u{288}', 't'),  // latin small letter t with retroflex hook
    ('\u{289}', 'u'),  // latin small letter u bar
    ('\u{28b}', 'v'),  // latin small letter v with hook
    ('\u{28c}', 'v'),  // latin small letter turned v
    ('\u{1e9a}', 'a'), // latin small letter a with right half ring
    ('\u{1e9b}', 's'), // latin small letter long s with dot above
];

/// An accented Latin letter's base letter (`é` → `e`), else the letter,
/// as fzf folds it: a letter with one mark (of Latin Extended-A and -B
/// the small letters only: fzf leaves `Ā` as is) and the letters of
/// `EXTRA`. The same as fzf 0.38 for U+00C0..U+024F, in any case (tested
/// against it); beyond, fzf's table is irregular (it folds Vietnamese `ấ`
/// but not `ḉ`), and letters with one mark are folded here.
pub fn base_letter(c: char) -> char {
    if !('\u{c0}'..='\u{2184}').contains(&c) {
        return c;
    }
    if let Ok(i) = EXTRA.binary_search_by_key(&c, |(k, _)| *k) {
        return EXTRA[i].1;
    }
    if ('\u{100}'..='\u{24f}').contains(&c) && c.is_uppercase() {
        return c;
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
