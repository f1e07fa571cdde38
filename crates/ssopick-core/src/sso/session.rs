//! SSO sessions: the `[sso-session]` sections, the start URLs of legacy
//! profiles, and sessions known only from a token file; which token belongs
//! to which; and the choice of one session for a run. Pure.

use super::config::AwsConfig;
use super::token::{CachedToken, FoundToken, cache_key};
use crate::time::UtcTime;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SessionKind {
    /// `[sso-session NAME]`: token file keyed by the name.
    Named(String),
    /// Profiles with `sso_start_url`: token file keyed by the URL.
    Legacy,
    /// Only a token file says it exists (its own file stem is the key).
    TokenOnly(String),
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Session {
    pub kind: SessionKind,
    pub start_url: String,
    pub region: String,
    /// Profiles that use this session, in file order: the first few
    /// (`KEPT_PROFILES`; they are only ever shown), and how many more.
    pub profiles: Vec<String>,
    #[serde(default)]
    pub more_profiles: usize,
    /// Its section's `sso_registration_scopes`, if any.
    #[serde(default)]
    pub registration_scopes: Option<String>,
    /// Its section's FIPS and dual-stack keys (`sso::endpoints`).
    #[serde(default)]
    pub endpoint_keys: super::config::EndpointKeys,
}

/// Profile names a session keeps (a config may have thousands).
pub const KEPT_PROFILES: usize = 3;

impl Session {
    fn add_profile(&mut self, name: &str) {
        if self.profiles.len() < KEPT_PROFILES {
            self.profiles.push(name.to_string());
        } else {
            self.more_profiles += 1;
        }
    }

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

    /// The section that lacks `sso_region`, if this session's does: the
    /// AWS CLI refuses such a session, and so does ssopick.
    pub fn missing_region(&self) -> Option<String> {
        if !self.region.is_empty() {
            return None;
        }
        Some(match (&self.kind, self.profiles.first()) {
            (SessionKind::Named(n), _) => format!("[sso-session {n}]"),
            (_, Some(p)) => format!("[profile {p}]"),
            (_, None) => format!("the session of {}", self.start_url),
        })
    }

    /// The exact command that logs this session in again.
    pub fn login_command(&self) -> String {
        let word = crate::export::shell_word;
        let ssopick = format!("ssopick login --session {}", word(self.id()));
        match (&self.kind, self.profiles.first()) {
            (SessionKind::Named(n), _) => {
                format!("{ssopick}  (or: aws sso login --sso-session {})", word(n))
            }
            (_, Some(p)) => format!("{ssopick}  (or: aws sso login --profile {})", word(p)),
            (_, None) => ssopick,
        }
    }
}

/// Why no single session could be chosen.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum SessionError {
    #[error(
        "no AWS SSO session is configured.\nRun `ssopick login --start-url https://YOUR-ID.awsapps.com/start --sso-region REGION`\n(or `aws configure sso`; `ssopick --demo` tries ssopick without AWS)."
    )]
    NoSessions,
    #[error("no SSO session matches --session {wanted:?}. Known sessions:\n{choices}")]
    NoSuchSession { wanted: String, choices: String },
    #[error(
        "several SSO sessions are logged in; choose one with --session NAME (or AWS_PROFILE), or set default_session = \"NAME\" in config.toml:\n{choices}"
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

/// Text that can be shown as it is: no control character, no bidi
/// override, no invisible character (a start URL or name that fails this
/// is not a session).
fn printable(s: &str) -> bool {
    crate::catalog::clean_text(s) == s && !crate::visible::has_invisible(s)
}

impl Session {
    /// True when every text of the session passes the checks a config's
    /// sessions get (for sessions read back from ssopick's own cache,
    /// which someone may have changed).
    pub fn is_sane(&self) -> bool {
        let name_ok = match &self.kind {
            SessionKind::Named(n) | SessionKind::TokenOnly(n) => printable(n),
            SessionKind::Legacy => true,
        };
        name_ok
            && printable(&self.start_url)
            && printable(&self.region)
            && self.profiles.iter().all(|p| printable(p))
            && self.registration_scopes.as_deref().is_none_or(printable)
    }
}

pub fn discover(config: &AwsConfig, tokens: &[FoundToken], default_region: &str) -> Vec<Session> {
    with_tokens(of_config(config), tokens, default_region)
}

/// The sessions the config alone names (`[sso-session]` sections and the
/// start URLs of legacy profiles), each with its profiles.
/// A session whose section has no `sso_region` keeps an empty region:
/// [`Session::missing_region`] names the section when it is used.
pub fn of_config(config: &AwsConfig) -> Vec<Session> {
    let mut out: Vec<Session> = Vec::new();
    for s in &config.sso_sessions {
        let Some(url) = s
            .start_url
            .as_ref()
            .filter(|u| printable(u) && printable(&s.name))
        else {
            continue;
        };
        out.push(Session {
            kind: SessionKind::Named(s.name.clone()),
            start_url: url.clone(),
            // Missing: refused when the session is used, naming its
            // section, as the AWS CLI does (never a silent default).
            region: s.region.clone().unwrap_or_default(),
            profiles: Vec::new(),
            registration_scopes: s.registration_scopes.clone(),
            more_profiles: 0,
            endpoint_keys: super::config::EndpointKeys {
                use_fips_endpoint: s.use_fips_endpoint.clone(),
                use_dualstack_endpoint: s.use_dualstack_endpoint.clone(),
                sso_use_device_code: s.sso_use_device_code.clone(),
            },
        });
    }
    for p in config.profiles.iter().filter(|p| printable(&p.name)) {
        if let Some(name) = &p.sso_session {
            if let Some(s) = out
                .iter_mut()
                .find(|s| matches!(&s.kind, SessionKind::Named(n) if n == name))
            {
                s.add_profile(&p.name);
                // A profile's `sso_use_device_code` counts where its
                // session's section says nothing.
                if s.endpoint_keys.sso_use_device_code.is_none() {
                    s.endpoint_keys
                        .sso_use_device_code
                        .clone_from(&p.sso_use_device_code);
                }
            }
        } else if let Some(url) = p.sso_start_url.as_ref().filter(|u| printable(u)) {
            let region = p.sso_region.clone().unwrap_or_default();
            match out
                .iter_mut()
                .find(|s| s.kind == SessionKind::Legacy && &s.start_url == url)
            {
                Some(s) => s.add_profile(&p.name),
                None => out.push(Session {
                    kind: SessionKind::Legacy,
                    start_url: url.clone(),
                    region,
                    profiles: vec![p.name.clone()],
                    registration_scopes: None,
                    more_profiles: 0,
                    endpoint_keys: super::config::EndpointKeys {
                        use_fips_endpoint: p.use_fips_endpoint.clone(),
                        use_dualstack_endpoint: p.use_dualstack_endpoint.clone(),
                        sso_use_device_code: p.sso_use_device_code.clone(),
                    },
                }),
            }
        }
    }
    out
}

/// `sessions` and, after them, the sessions only a token file names.
pub fn with_tokens(
    mut out: Vec<Session>,
    tokens: &[FoundToken],
    default_region: &str,
) -> Vec<Session> {
    for t in tokens.iter().filter(|t| !t.foreign) {
        let Some(url) = t.token.start_url.as_ref().filter(|u| printable(u)) else {
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
                registration_scopes: None,
                more_profiles: 0,
                endpoint_keys: super::config::EndpointKeys::default(),
            });
        }
    }
    out
}

pub fn same_url(a: &str, b: &str) -> bool {
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

/// One line per session for error messages, in aligned columns.
pub fn describe(sessions: &[Session], tokens: &[FoundToken], now: UtcTime) -> String {
    let id_w = sessions
        .iter()
        .map(|s| s.id().chars().count())
        .max()
        .unwrap_or(0);
    let url_w = sessions
        .iter()
        .map(|s| s.start_url.chars().count())
        .max()
        .unwrap_or(0);
    sessions
        .iter()
        .map(|s| {
            let state = match token_state(s, tokens, now) {
                TokenState::Valid(t) => format!("logged in, expires {t}"),
                TokenState::Expired(t) => format!("expired {t}"),
                TokenState::Missing => "not logged in".into(),
            };
            // A few names per session: a config with thousands of
            // generated profiles must not print them all.
            let total = s.profiles.len() + s.more_profiles;
            let via = match s.profiles.as_slice() {
                [] => String::new(),
                few if total <= 3 => format!(" (profiles: {})", few.join(", ")),
                [a, b, ..] => format!(" (profiles: {a}, {b} and {} more)", total - 2),
                [a, ..] => format!(" (profiles: {a} and {} more)", total - 1),
            };
            format!(
                "  --session {:<id_w$}  {:<url_w$}  [{state}]{via}",
                s.id(),
                s.start_url
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Chooses the session: `--session` (name, start URL or profile name), else
/// `AWS_PROFILE`'s session, else the only session, else the only one with a
/// valid token. Anything else is an error listing the choices.
pub fn resolve<'a, 'c>(
    sessions: &'a [Session],
    tokens: &[FoundToken],
    wanted: Option<&str>,
    aws_profile: Option<&str>,
    config: &dyn Fn() -> &'c AwsConfig,
    now: UtcTime,
) -> Result<&'a Session, SessionError> {
    // The profiles are looked at only when a name is not a session's.
    let by_profile = |p: &str| -> Option<&'a Session> {
        let prof = config().profile(p)?;
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
mod tests;
