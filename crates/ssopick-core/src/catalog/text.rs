//! Text from outside made safe to show (`clean_text`), and the order names
//! sort in (case-insensitive, numbers by value).

/// `clean_text` line by line: a message keeps its line breaks, and nothing
/// else of what it quotes can act on the terminal.
pub fn clean_lines(s: &str) -> String {
    s.lines().map(clean_text).collect::<Vec<_>>().join("\n")
}

/// True when `clean_text` would change `s`.
pub fn needs_cleaning(s: &str) -> bool {
    s.chars().any(unsafe_char)
}

/// Text from outside (account names, e-mails) made safe for terminals and
/// files: control characters (C0, C1, DEL, line and paragraph separators)
/// and bidirectional overrides become U+FFFD; everything else stays.
pub fn clean_text(s: &str) -> String {
    if !needs_cleaning(s) {
        return s.to_string();
    }
    s.chars()
        .map(|c| if unsafe_char(c) { '\u{FFFD}' } else { c })
        .collect()
}

fn unsafe_char(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// Compares as `a.to_lowercase().cmp(&b.to_lowercase())` does, without
/// allocating, in natural order (`cmp_natural`).
pub fn cmp_ignoring_case(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        let fold = |c: u8| char::from(c.to_ascii_lowercase());
        return cmp_natural(a.bytes().map(fold), b.bytes().map(fold));
    }
    cmp_natural(
        a.chars().flat_map(char::to_lowercase),
        b.chars().flat_map(char::to_lowercase),
    )
}

/// Natural order: runs of digits compare as numbers (`ap-9` before
/// `ap-10`, `116` before `1152`), everything else character by character.
/// Allocation-free: it runs in every sort of the catalog and the picker.
fn cmp_natural(a: impl Iterator<Item = char>, b: impl Iterator<Item = char>) -> std::cmp::Ordering {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let (mut a, mut b) = (a.peekable(), b.peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Equal,
            (None, Some(_)) => return Less,
            (Some(_), None) => return Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                // Leading zeros do not count; then the longer number is the
                // larger, and equal lengths compare by their first difference.
                while a.next_if(|&c| c == '0').is_some() {}
                while b.next_if(|&c| c == '0').is_some() {}
                let mut first = Equal;
                loop {
                    match (
                        a.next_if(char::is_ascii_digit),
                        b.next_if(char::is_ascii_digit),
                    ) {
                        (Some(p), Some(q)) => first = first.then(p.cmp(&q)),
                        (Some(_), None) => return Greater,
                        (None, Some(_)) => return Less,
                        (None, None) => break,
                    }
                }
                if first != Equal {
                    return first;
                }
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                a.next();
                b.next();
            }
        }
    }
}
