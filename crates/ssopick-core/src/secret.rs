//! A string that must never be printed: `Debug` redacts it and there is no
//! `Display`, so it cannot slip into a log line, panic or error message.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    /// The only way to the value: callers that write it somewhere say so.
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// True when `other` is this secret, compared in constant time.
    pub fn matches(&self, other: &[u8]) -> bool {
        constant_time_eq(self.0.as_bytes(), other)
    }
}

/// Equal, in time that depends on the lengths only (lengths are not
/// secret): for tokens and states an attacker may probe.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl serde::Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{Secret, constant_time_eq};

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"ab", b"ab"));
        assert!(!constant_time_eq(b"a", b"ab") && !constant_time_eq(b"ab", b"ac"));
        assert!(Secret::new("tok").matches(b"tok") && !Secret::new("tok").matches(b"toK"));
    }

    #[test]
    fn debug_redacts() {
        let s = super::Secret::new("AKIAVERYSECRET");
        assert!(!format!("{s:?}").contains("VERYSECRET"));
        assert_eq!(s.expose(), "AKIAVERYSECRET");
    }
}
