//! The SSO token cache's format (`~/.aws/sso/cache/<sha1>.json`): file names,
//! parsing with case-insensitive keys, and the bytes written back. Reading
//! and writing the files is `edge::token_cache`.

use crate::secret::Secret;
use crate::time::UtcTime;
use sha1::{Digest, Sha1};
use std::path::PathBuf;

/// Files larger than this are not token files; they are skipped unread.
pub const MAX_TOKEN_FILE: u64 = 1 << 20;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CachedToken {
    pub access_token: Secret,
    pub expires_at: UtcTime,
    pub start_url: Option<String>,
    pub region: Option<String>,
    pub refresh_token: Option<Secret>,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    pub registration_expires_at: Option<UtcTime>,
}

/// An OIDC client registration (RegisterClient's answer), kept with the
/// token so the session can be refreshed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub client_id: String,
    pub client_secret: Secret,
    pub expires_at: UtcTime,
}

impl CachedToken {
    pub fn is_valid_at(&self, now: UtcTime) -> bool {
        self.expires_at > now
    }
}

/// Lowercase hex SHA-1 of the UTF-8 bytes: the cache file stem for a session
/// name (sso-session profiles) or a start URL as written (legacy profiles).
pub fn cache_key(s: &str) -> String {
    use std::fmt::Write;
    let digest = Sha1::digest(s.as_bytes());
    digest.iter().fold(String::with_capacity(40), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenParse {
    Token(CachedToken),
    /// Valid JSON but not an access token (e.g. a client registration).
    NotAToken,
    Malformed(String),
}

fn get_ci<'a>(
    m: &'a serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<&'a serde_json::Value> {
    m.get(key).or_else(|| {
        m.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn str_ci(m: &serde_json::Map<String, serde_json::Value>, key: &str) -> Option<String> {
    get_ci(m, key).and_then(|v| v.as_str()).map(str::to_string)
}

/// Parses a token file's bytes. Tolerates a UTF-8 BOM and any whitespace.
pub fn parse_token(bytes: &[u8]) -> TokenParse {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let value: serde_json::Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) => return TokenParse::Malformed(format!("not JSON ({e})")),
    };
    let Some(m) = value.as_object() else {
        return TokenParse::Malformed("not a JSON object".into());
    };
    let Some(access) = str_ci(m, "accessToken").filter(|s| !s.is_empty()) else {
        return TokenParse::NotAToken;
    };
    let Some(exp) = str_ci(m, "expiresAt") else {
        return TokenParse::Malformed("accessToken without expiresAt".into());
    };
    let Some(expires_at) = UtcTime::parse(&exp) else {
        return TokenParse::Malformed(format!("unreadable expiresAt {exp:?}"));
    };
    TokenParse::Token(CachedToken {
        access_token: Secret::new(access),
        expires_at,
        start_url: str_ci(m, "startUrl"),
        region: str_ci(m, "region"),
        refresh_token: str_ci(m, "refreshToken").map(Secret::new),
        client_id: str_ci(m, "clientId"),
        client_secret: str_ci(m, "clientSecret").map(Secret::new),
        registration_expires_at: str_ci(m, "registrationExpiresAt")
            .and_then(|s| UtcTime::parse(&s)),
    })
}

/// The bytes of a token file as the AWS CLI writes it: `existing` (the old
/// file, if any) with the given fields set and every other key kept.
pub fn token_json(existing: Option<&[u8]>, set: &[(&str, Option<String>)]) -> Vec<u8> {
    let mut map = existing
        .map(|b| b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b))
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    for (key, value) in set {
        // Replace a key matched case-insensitively, keeping one spelling.
        let old: Vec<String> = map
            .keys()
            .filter(|k| k.eq_ignore_ascii_case(key))
            .cloned()
            .collect();
        for k in old {
            map.remove(&k);
        }
        if let Some(v) = value {
            map.insert(key.to_string(), serde_json::Value::String(v.clone()));
        }
    }
    serde_json::to_vec(&serde_json::Value::Object(map)).unwrap_or_default()
}

/// One token file found by a scan.
#[derive(Debug)]
pub struct FoundToken {
    pub key: String,
    pub path: PathBuf,
    pub token: CachedToken,
    /// Another tool's token (`foreign_scopes`): never a session by itself.
    pub foreign: bool,
}

/// A token file with a `scopes` list none of whose scopes is an `sso:`
/// one: Amazon Q, Kiro or the AWS Toolkit signed in for their own service
/// (granted #940). Without a `scopes` list, a token counts as the portal's.
pub fn foreign_scopes(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let Ok(serde_json::Value::Object(m)) = serde_json::from_slice(bytes) else {
        return false;
    };
    match get_ci(&m, "scopes") {
        Some(serde_json::Value::Array(list)) => !list
            .iter()
            .any(|s| s.as_str().is_some_and(|s| s.starts_with("sso:"))),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn other_tools_tokens_are_foreign() {
        assert!(foreign_scopes(
            br#"{"accessToken":"a","scopes":["codewhisperer:completions"]}"#
        ));
        assert!(!foreign_scopes(
            br#"{"accessToken":"a","scopes":["sso:account:access","codewhisperer:x"]}"#
        ));
        assert!(!foreign_scopes(br#"{"accessToken":"a"}"#));
        assert!(!foreign_scopes(b"not json"));
    }

    #[test]
    fn reference_name_vectors() {
        assert_eq!(cache_key("dev"), "34c6fceca75e456f25e7e99531e2425c6c1de443");
        assert_eq!(
            cache_key("https://d-abc123.awsapps.com/start"),
            "40a89917e3175433e361b710a9d43528d7f1890a"
        );
        assert_eq!(
            cache_key("https://example.awsapps.com/start"),
            "e8be5486177c5b5392bd9aa76563515b29358e6e"
        );
    }

    fn token(json: &str) -> CachedToken {
        match parse_token(json.as_bytes()) {
            TokenParse::Token(t) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_expires_at_form() {
        for (s, want) in [
            ("2021-12-07T01:19:12UTC", "2021-12-07T01:19:12Z"),
            ("2023-03-04T03:39:48Z", "2023-03-04T03:39:48Z"),
            ("2023-03-04T21:30:00.123Z", "2023-03-04T21:30:00Z"),
            ("2023-03-04T21:30:00.123456Z", "2023-03-04T21:30:00Z"),
            ("2022-02-23T21:56:47+00:00", "2022-02-23T21:56:47Z"),
            ("2024-06-10T15:00:06-08:00", "2024-06-10T23:00:06Z"),
        ] {
            let t = token(&format!(r#"{{"accessToken":"x","expiresAt":"{s}"}}"#));
            assert_eq!(t.expires_at.to_rfc3339(), want, "{s}");
        }
    }

    #[test]
    fn keys_are_case_insensitive_and_bom_tolerated() {
        let t = token(
            "\u{feff}{\"ACCESSTOKEN\":\"tok\",\"ExpiresAt\":\"2030-01-01T00:00:00Z\",\"starturl\":\"https://x/start\",\
             \"Region\":\"eu-west-1\",\"refreshToken\":\"r\",\"clientId\":\"c\",\"clientSecret\":\"s\",\
             \"registrationExpiresAt\":\"2030-02-01T00:00:00Z\",\"unknown\":1}",
        );
        assert_eq!(t.access_token.expose(), "tok");
        assert_eq!(t.start_url.as_deref(), Some("https://x/start"));
        assert_eq!(t.region.as_deref(), Some("eu-west-1"));
        assert_eq!(
            t.refresh_token.as_ref().map(crate::secret::Secret::expose),
            Some("r")
        );
        assert!(t.registration_expires_at.is_some());
        assert!(
            !format!("{t:?}").contains("tok\""),
            "Debug must not show the token"
        );
    }

    #[test]
    fn rewriting_keeps_unknown_keys() {
        let old = br#"{"accessToken":"a","ExpiresAt":"2020-01-01T00:00:00Z","startUrl":"u","futureField":{"x":1}}"#;
        let new = token_json(
            Some(old),
            &[
                ("accessToken", Some("b".into())),
                ("expiresAt", Some("2030-01-01T00:00:00Z".into())),
            ],
        );
        let v: serde_json::Value = serde_json::from_slice(&new).unwrap();
        assert_eq!(v["accessToken"], "b");
        assert_eq!(v["expiresAt"], "2030-01-01T00:00:00Z");
        assert!(v.get("ExpiresAt").is_none());
        assert_eq!(v["futureField"]["x"], 1);
        assert_eq!(v["startUrl"], "u");
    }

    #[test]
    fn non_tokens_and_garbage() {
        assert_eq!(
            parse_token(
                br#"{"clientId":"a","clientSecret":"b","expiresAt":"2030-01-01T00:00:00Z"}"#
            ),
            TokenParse::NotAToken
        );
        for bad in [
            &b""[..],
            b"null",
            b"[]",
            b"{",
            b"\x00\xff",
            br#"{"accessToken":"x"}"#,
            br#"{"accessToken":"x","expiresAt":"soon"}"#,
        ] {
            assert!(
                matches!(parse_token(bad), TokenParse::Malformed(_)),
                "{bad:?}"
            );
        }
        let TokenParse::Malformed(err) =
            parse_token(br#"{"accessToken":"SECRETVALUE","expiresAt":"soon"}"#)
        else {
            unreachable!()
        };
        assert!(!err.contains("SECRETVALUE"));
    }
}
