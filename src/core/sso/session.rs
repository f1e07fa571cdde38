//! SSO sessions: the `[sso-session]` sections, the start URLs of legacy
//! profiles, and sessions known only from a token file; which token belongs
//! to which; and the choice of one session for a run. Pure.

use super::config::AwsConfig;
use super::token::{CachedToken, FoundToken, cache_key};
use crate::core::time::UtcTime;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionKind {
    /// `[sso-session NAME]`: token file keyed by the name.
    Named(String),
    /// Profiles with `sso_start_url`: token file keyed by the URL.
    Legacy,
    /// Only a token file says it exists (its own file stem is the key).
    TokenOnly(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub kind: SessionKind,
    pub start_url: String,
    pub region: String,
    /// Profiles that use this session, in file order.
    pub profiles: Vec<String>,
}

impl Session {
    /// What the user types after `--session`.
    pub fn id(&self) -> &str {
        match &self.kind {
            SessionKind::Named(n) => n,
            _ => &self.start_url,
        }
    }

    /// The token cache file stem.
    pub fn cache_key(&self) -> String {
        match &self.kind {
            SessionKind::Named(n) => cache_key(n),
            SessionKind::Legacy => cache_key(&self.start_url),
            SessionKind::TokenOnly(k) => k.clone(),
        }
    }

    /// The exact command that logs this session in again.
    pub fn login_command(&self) -> String {
        let ssopick = format!("ssopick login --session {}", self.id());
        match (&self.kind, self.profiles.first()) {
            (SessionKind::Named(n), _) => {
                format!("{ssopick}  (or: aws sso login --sso-session {n})")
            }
            (_, Some(p)) => format!("{ssopick}  (or: aws sso login --profile {p})"),
            (_, None) => ssopick,
        }
    }
}

/// Why no single session could be chosen.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SessionError {
    #[error(
        "no AWS SSO session is configured.\nRun `aws configure sso` (or `ssopick --demo` to try ssopick without AWS)."
    )]
    NoSessions,
    #[error("no SSO session matches --session {wanted:?}. Known sessions:\n{choices}")]
    NoSuchSession { wanted: String, choices: String },
    #[error(
        "several SSO sessions are logged in; choose one with --session (or AWS_PROFILE):\n{choices}"
    )]
    AmbiguousSession { choices: String },
    #[error("no SSO session has a valid token. Log in to one of them:\n{choices}")]
    NoValidSession { choices: String },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenState {
    Valid(UtcTime),
    Expired(UtcTime),
    Missing,
}

/// Every session the config and the token cache know of.
pub fn discover(config: &AwsConfig, tokens: &[FoundToken], default_region: &str) -> Vec<Session> {
    let mut out: Vec<Session> = Vec::new();
    for s in &config.sso_sessions {
        let Some(url) = &s.start_url else { continue };
        out.push(Session {
            kind: SessionKind::Named(s.name.clone()),
            start_url: url.clone(),
            region: s
                .region
                .clone()
                .unwrap_or_else(|| default_region.to_string()),
            profiles: Vec::new(),
        });
    }
    for p in &config.profiles {
        if let Some(name) = &p.sso_session {
            if let Some(s) = out
                .iter_mut()
                .find(|s| s.kind == SessionKind::Named(name.clone()))
            {
                s.profiles.push(p.name.clone());
            }
        } else if let Some(url) = &p.sso_start_url {
            let region = p
                .sso_region
                .clone()
                .unwrap_or_else(|| default_region.to_string());
            match out
                .iter_mut()
                .find(|s| s.kind == SessionKind::Legacy && &s.start_url == url)
            {
                Some(s) => s.profiles.push(p.name.clone()),
                None => out.push(Session {
                    kind: SessionKind::Legacy,
                    start_url: url.clone(),
                    region,
                    profiles: vec![p.name.clone()],
                }),
            }
        }
    }
    for t in tokens {
        let Some(url) = &t.token.start_url else {
            continue;
        };
        let known = out
            .iter()
            .any(|s| s.cache_key() == t.key || same_url(&s.start_url, url));
        if !known {
            out.push(Session {
                kind: SessionKind::TokenOnly(t.key.clone()),
                start_url: url.clone(),
                region: t
                    .token
                    .region
                    .clone()
                    .unwrap_or_else(|| default_region.to_string()),
                profiles: Vec::new(),
            });
        }
    }
    out
}

fn same_url(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim().trim_end_matches(['/', '#']).to_ascii_lowercase();
    norm(a) == norm(b)
}

pub fn token_for<'a>(session: &Session, tokens: &'a [FoundToken]) -> Option<&'a CachedToken> {
    let key = session.cache_key();
    tokens.iter().find(|t| t.key == key).map(|t| &t.token)
}

pub fn token_state(session: &Session, tokens: &[FoundToken], now: UtcTime) -> TokenState {
    match token_for(session, tokens) {
        Some(t) if t.is_valid_at(now) => TokenState::Valid(t.expires_at),
        Some(t) => TokenState::Expired(t.expires_at),
        None => TokenState::Missing,
    }
}

/// One line per session for error messages and `--help`-like listings.
pub fn describe(sessions: &[Session], tokens: &[FoundToken], now: UtcTime) -> String {
    sessions
        .iter()
        .map(|s| {
            let state = match token_state(s, tokens, now) {
                TokenState::Valid(t) => format!("logged in, expires {t}"),
                TokenState::Expired(t) => format!("expired {t}"),
                TokenState::Missing => "not logged in".into(),
            };
            let via = if s.profiles.is_empty() {
                String::new()
            } else {
                format!(" (profiles: {})", s.profiles.join(", "))
            };
            format!("  --session {}  {}  [{state}]{via}", s.id(), s.start_url)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Chooses the session: `--session` (name, start URL or profile name), else
/// `AWS_PROFILE`'s session, else the only session, else the only one with a
/// valid token. Anything else is an error listing the choices.
pub fn resolve<'a>(
    sessions: &'a [Session],
    tokens: &[FoundToken],
    wanted: Option<&str>,
    aws_profile: Option<&str>,
    config: &AwsConfig,
    now: UtcTime,
) -> Result<&'a Session, SessionError> {
    let by_profile = |p: &str| -> Option<&'a Session> {
        let prof = config.profile(p)?;
        if let Some(name) = &prof.sso_session {
            return sessions
                .iter()
                .find(|s| s.kind == SessionKind::Named(name.clone()));
        }
        let url = prof.sso_start_url.as_ref()?;
        sessions
            .iter()
            .find(|s| s.kind == SessionKind::Legacy && &s.start_url == url)
    };
    if let Some(w) = wanted {
        return sessions
            .iter()
            .find(|s| matches!(&s.kind, SessionKind::Named(n) if n == w))
            .or_else(|| sessions.iter().find(|s| same_url(&s.start_url, w)))
            .or_else(|| by_profile(w))
            .ok_or_else(|| SessionError::NoSuchSession {
                wanted: w.to_string(),
                choices: describe(sessions, tokens, now),
            });
    }
    if let Some(s) = aws_profile.and_then(by_profile) {
        return Ok(s);
    }
    if sessions.is_empty() {
        return Err(SessionError::NoSessions);
    }
    if sessions.len() == 1 {
        return Ok(&sessions[0]);
    }
    let valid: Vec<&Session> = sessions
        .iter()
        .filter(|s| matches!(token_state(s, tokens, now), TokenState::Valid(_)))
        .collect();
    match valid.as_slice() {
        [one] => Ok(one),
        [] => Err(SessionError::NoValidSession {
            choices: describe(sessions, tokens, now),
        }),
        _ => Err(SessionError::AmbiguousSession {
            choices: describe(sessions, tokens, now),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::parse;
    use super::*;
    use crate::core::secret::Secret;
    use std::path::PathBuf;

    const NOW: UtcTime = UtcTime(1_800_000_000);

    fn tok(key: &str, url: &str, valid: bool) -> FoundToken {
        FoundToken {
            key: key.into(),
            path: PathBuf::from(format!("{key}.json")),
            token: CachedToken {
                access_token: Secret::new("t"),
                expires_at: NOW.plus_secs(if valid { 3600 } else { -60 }),
                start_url: Some(url.into()),
                region: Some("eu-west-1".into()),
                refresh_token: None,
                client_id: None,
                client_secret: None,
                registration_expires_at: None,
            },
        }
    }

    const CFG: &str = "\
[profile legacy]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
[profile legacy2]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
[profile dev]
sso_session = my-sso
[profile plain]
region = eu-west-1
[sso-session my-sso]
sso_start_url = https://d-xyz.awsapps.com/start
sso_region = eu-central-1
";

    #[test]
    fn discovers_named_legacy_and_token_only() {
        let cfg = parse(CFG);
        let tokens = vec![
            tok(
                &cache_key("my-sso"),
                "https://d-xyz.awsapps.com/start",
                true,
            ),
            tok("0123abcd", "https://other.awsapps.com/start", true),
            tok("ffff", "https://d-xyz.awsapps.com/start/", true),
        ];
        let s = discover(&cfg, &tokens, "us-east-1");
        assert_eq!(s.len(), 3);
        assert_eq!(s[0].kind, SessionKind::Named("my-sso".into()));
        assert_eq!(s[0].profiles, vec!["dev"]);
        assert_eq!(s[0].region, "eu-central-1");
        assert_eq!(s[1].kind, SessionKind::Legacy);
        assert_eq!(s[1].profiles, vec!["legacy", "legacy2"]);
        assert_eq!(s[1].cache_key(), "40a89917e3175433e361b710a9d43528d7f1890a");
        assert!(
            s[1].login_command()
                .contains("aws sso login --profile legacy")
        );
        assert!(
            s[1].login_command()
                .starts_with("ssopick login --session https://d-abc123.awsapps.com/start")
        );
        assert!(
            s[0].login_command()
                .starts_with("ssopick login --session my-sso")
        );
        assert!(
            s[0].login_command()
                .contains("aws sso login --sso-session my-sso")
        );
        assert_eq!(s[2].kind, SessionKind::TokenOnly("0123abcd".into()));
        assert_eq!(s[2].region, "eu-west-1");
    }

    #[test]
    fn resolution_order() {
        let cfg = parse(CFG);
        let tokens = vec![tok(
            &cache_key("my-sso"),
            "https://d-xyz.awsapps.com/start",
            true,
        )];
        let s = discover(&cfg, &tokens, "us-east-1");
        let r = |w: Option<&str>, p: Option<&str>| {
            resolve(&s, &tokens, w, p, &cfg, NOW).map(|s| s.id().to_string())
        };
        assert_eq!(r(Some("my-sso"), None).unwrap(), "my-sso");
        assert_eq!(
            r(Some("https://d-abc123.awsapps.com/start/"), None).unwrap(),
            "https://d-abc123.awsapps.com/start"
        );
        assert_eq!(
            r(Some("legacy2"), None).unwrap(),
            "https://d-abc123.awsapps.com/start",
            "profile name"
        );
        assert!(matches!(
            r(Some("nope"), None),
            Err(SessionError::NoSuchSession { .. })
        ));
        assert_eq!(
            r(None, Some("legacy")).unwrap(),
            "https://d-abc123.awsapps.com/start",
            "AWS_PROFILE"
        );
        assert_eq!(
            r(None, Some("plain")).unwrap(),
            "my-sso",
            "non-SSO AWS_PROFILE is ignored"
        );
        assert_eq!(r(None, None).unwrap(), "my-sso", "only valid token");
    }

    #[test]
    fn ambiguity_and_nothing() {
        let cfg = parse(CFG);
        let both = vec![
            tok(
                &cache_key("my-sso"),
                "https://d-xyz.awsapps.com/start",
                true,
            ),
            tok(
                &cache_key("https://d-abc123.awsapps.com/start"),
                "https://d-abc123.awsapps.com/start",
                true,
            ),
        ];
        let s = discover(&cfg, &both, "us-east-1");
        match resolve(&s, &both, None, None, &cfg, NOW) {
            Err(SessionError::AmbiguousSession { choices }) => {
                assert!(choices.contains("--session my-sso"));
                assert!(choices.contains("--session https://d-abc123.awsapps.com/start"));
            }
            other => panic!("{other:?}"),
        }
        let expired = vec![tok(
            &cache_key("my-sso"),
            "https://d-xyz.awsapps.com/start",
            false,
        )];
        let s = discover(&cfg, &expired, "us-east-1");
        match resolve(&s, &expired, None, None, &cfg, NOW) {
            Err(SessionError::NoValidSession { choices }) => assert!(choices.contains("expired")),
            other => panic!("{other:?}"),
        }
        let empty = parse("");
        assert!(matches!(
            resolve(&[], &[], None, None, &empty, NOW),
            Err(SessionError::NoSessions)
        ));
        // A single session is chosen even with an expired token (the caller
        // then reports the expiry with the right login command).
        let one =
            parse("[sso-session a]\nsso_start_url = https://a/start\nsso_region = us-east-1\n");
        let s = discover(&one, &[], "us-east-1");
        assert_eq!(resolve(&s, &[], None, None, &one, NOW).unwrap().id(), "a");
    }
}
