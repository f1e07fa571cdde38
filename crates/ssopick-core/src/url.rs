//! Percent-encoding, both ways, for every URL and form ssopick builds or
//! reads (PKCE, the console, proxies, the loopback servers). Pure.

/// RFC 3986 percent-encoding of everything but the unreserved characters.
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `%XX` decoded (a `%` not followed by two hex digits stays as it is);
/// bytes that are not UTF-8 become U+FFFD.
pub fn decode(s: &str) -> String {
    decoded(s, false)
}

/// As `decode`, for a form or query string: `+` is a space too.
pub fn decode_form(s: &str) -> String {
    decoded(s, true)
}

fn decoded(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                if let Some(v) = hex {
                    out.push(v);
                    i += 3;
                } else {
                    out.push(b'%');
                    i += 1;
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_leaves_stray_percents() {
        for s in ["a b+c/é?&=%", "", "~-._", "100%"] {
            assert_eq!(decode(&encode(s)), s);
        }
        assert_eq!(encode("a b"), "a%20b");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%+1"), "%+1", "a sign is not a hex digit");
        assert_eq!(decode("a+b%2B"), "a+b+");
        assert_eq!(decode_form("a+b%2B"), "a b+");
        assert_eq!(decode("%C3%A9"), "é");
    }
}
