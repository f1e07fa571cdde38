//! Characters a person cannot see: format characters (Unicode category
//! Cf: zero-width spaces and joiners, bidi marks, the BOM, ...), the soft
//! hyphen, the Mongolian vowel separator, line and paragraph separators,
//! variation selectors and tag characters. `payments-pro\u{200b}d` looks
//! like `payments-prod`: wherever a name reaches a person it shows them as
//! `\u{200b}`, and production patterns and tags see the name without them.
//! Confusables (a Cyrillic `а` for a Latin `a`) are not this module's. Pure.

use std::borrow::Cow;

/// Format characters (Cf) and the others above, as inclusive ranges.
const INVISIBLE: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE007F),
    (0xE0100, 0xE01EF),
];

/// True for a character a person cannot see (module doc).
pub fn is_invisible(c: char) -> bool {
    let c = c as u32;
    c >= 0xAD
        && INVISIBLE
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

pub fn has_invisible(s: &str) -> bool {
    !s.is_ascii() && s.chars().any(is_invisible)
}

/// `s` without its invisible characters (what production patterns and
/// tags apply to).
pub fn stripped(s: &str) -> Cow<'_, str> {
    if has_invisible(s) {
        s.chars()
            .filter(|c| !is_invisible(*c))
            .collect::<String>()
            .into()
    } else {
        s.into()
    }
}

/// How an invisible character is shown: `\u{200b}`.
pub fn escape(c: char) -> String {
    format!("\\u{{{:x}}}", c as u32)
}

/// `s` with each invisible character shown as `\u{XXXX}`, for text that
/// reaches a person (lists, errors, completion, comments).
pub fn shown(s: &str) -> Cow<'_, str> {
    if has_invisible(s) {
        let mut out = String::with_capacity(s.len() + 16);
        for c in s.chars() {
            if is_invisible(c) {
                out.push_str(&escape(c));
            } else {
                out.push(c);
            }
        }
        out.into()
    } else {
        s.into()
    }
}

/// `\u{XXXX}` sequences of invisible characters in what someone typed
/// (copied from an error or a completion) read back as the characters.
pub fn unescaped(s: &str) -> Cow<'_, str> {
    if !s.contains("\\u{") {
        return s.into();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find("\\u{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 3..];
        let decoded = after.find('}').and_then(|end| {
            let c = char::from_u32(u32::from_str_radix(&after[..end], 16).ok()?)?;
            is_invisible(c).then_some((c, end))
        });
        if let Some((c, end)) = decoded {
            out.push(c);
            rest = &after[end + 1..];
        } else {
            out.push_str("\\u{");
            rest = after;
        }
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_width_and_friends_are_shown_and_stripped() {
        assert!(INVISIBLE.is_sorted());
        let lookalike = "payments-pro\u{200b}d";
        assert_eq!(shown(lookalike), "payments-pro\\u{200b}d");
        assert_eq!(stripped(lookalike), "payments-prod");
        assert_eq!(unescaped("payments-pro\\u{200b}d"), lookalike);
        assert_eq!(unescaped("a\\u{41}b"), "a\\u{41}b", "only invisible ones");
        for c in [
            '\u{ad}',
            '\u{180e}',
            '\u{2028}',
            '\u{2029}',
            '\u{fe0f}',
            '\u{e0041}',
            '\u{e0100}',
            '\u{feff}',
            '\u{2066}',
        ] {
            assert!(is_invisible(c), "{:x}", c as u32);
        }
        for c in ['a', 'é', '✓', '\u{200a}', 'Ü'] {
            assert!(!is_invisible(c), "{:x}", c as u32);
        }
        assert_eq!(shown("Ünïcode Team ✓"), "Ünïcode Team ✓");
    }
}
