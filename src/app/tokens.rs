//! One session's SSO access token: what the token cache holds, refreshed
//! with the refresh token (under the session's lock, so two processes never
//! race) when it has under five minutes left, and written back as the AWS
//! CLI writes it. The clock is asked every time, so a long-running process
//! sees the token age.

use crate::app::error::Error;
use crate::core::env_vars as var;
use crate::core::secret::Secret;
use crate::core::sso::session::{Session, SessionKind};
use crate::core::sso::token::{CachedToken, Registration};
use crate::core::time::{Clock, UtcTime, human_duration};
use crate::edge::env::Env;
use crate::edge::oidc::{OidcClient, REFRESH_GRANT};
use crate::edge::token_cache::{self, NewToken};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Refresh a token with less than this left.
pub const REFRESH_BEFORE_SECS: i64 = 5 * 60;

/// Where the session's token lives and how it is refreshed.
pub struct TokenSource {
    pub session: Session,
    /// The token file; `None` for the demo, whose token lives in memory.
    path: Option<PathBuf>,
    /// ssopick's cache folder (locks, registrations).
    pub cache: PathBuf,
    /// `sso_registration_scopes` of the session, if configured.
    pub scopes: Option<String>,
    pub oidc_endpoint: Option<String>,
    pub clock: Arc<dyn Clock>,
    /// Never refresh (`--offline`: no network).
    pub offline: bool,
    current: std::sync::Mutex<Option<CachedToken>>,
}

impl TokenSource {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        session: Session,
        path: Option<PathBuf>,
        found: Option<CachedToken>,
        env: &Env,
        cache: PathBuf,
        scopes: Option<String>,
        clock: Arc<dyn Clock>,
        offline: bool,
    ) -> TokenSource {
        TokenSource {
            session,
            path,
            cache,
            scopes,
            oidc_endpoint: env.endpoint(var::AWS_ENDPOINT_URL_SSO_OIDC),
            clock,
            offline,
            current: std::sync::Mutex::new(found),
        }
    }

    /// The token held now (not refreshed).
    pub fn peek(&self) -> Option<CachedToken> {
        self.current.lock().ok()?.clone()
    }

    fn set(&self, t: Option<CachedToken>) {
        if let Ok(mut c) = self.current.lock() {
            *c = t;
        }
    }

    /// The token file, if the session has one.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    pub fn oidc(&self) -> OidcClient {
        OidcClient::new(
            &self.session.region,
            self.oidc_endpoint.clone(),
            Duration::from_secs(15),
        )
    }

    /// The scopes a login registers for (none for legacy sessions, which
    /// get no refresh token).
    pub fn scope_list(&self) -> Vec<String> {
        match self.session.kind {
            SessionKind::Named(_) => self.scopes.as_deref().map_or_else(
                || vec!["sso:account:access".to_string()],
                |s| {
                    s.split(',')
                        .map(|x| x.trim().to_string())
                        .filter(|x| !x.is_empty())
                        .collect()
                },
            ),
            _ => Vec::new(),
        }
    }

    /// A new token from a login: held and used from now on.
    pub fn replace(&self, t: CachedToken) {
        self.set(Some(t));
    }

    /// Why there is no usable token now, as the user should read it.
    pub fn problem(&self) -> Option<Error> {
        let now = self.clock.now();
        match self.peek() {
            None => Some(self.not_logged_in()),
            Some(t) if !t.is_valid_at(now) => Some(self.expired(Some(t.expires_at))),
            Some(_) => None,
        }
    }

    pub fn not_logged_in(&self) -> Error {
        Error::NotLoggedIn {
            session: self.session.id().to_string(),
            start_url: self.session.start_url.clone(),
            login: self.session.login_command(),
        }
    }

    /// The error for a token the portal rejected (`None`) or that ran out.
    pub fn expired(&self, when: Option<UtcTime>) -> Error {
        Error::SessionExpired {
            session: self.session.id().to_string(),
            when: match when {
                Some(t) => format!(
                    "{} ago ({t})",
                    human_duration(self.clock.now().secs_until(t))
                ),
                None => "or was revoked (the portal rejected its token)".into(),
            },
            login: self.session.login_command(),
        }
    }

    /// An access token valid now, refreshing it first when it is close to
    /// running out and can be refreshed.
    pub async fn access(&self) -> Result<Secret, Error> {
        self.refresh_if_needed().await;
        if let Some(e) = self.problem() {
            return Err(e);
        }
        self.peek()
            .map(|t| t.access_token)
            .ok_or_else(|| self.not_logged_in())
    }

    /// Refreshes a token with under five minutes left, when it has what that
    /// takes, under a lock; the file is rewritten keeping unknown keys.
    /// Anything that fails leaves the token as it was: the caller reports
    /// the expiry.
    pub async fn refresh_if_needed(&self) {
        let now = self.clock.now();
        let (Some(token), Some(path), false) = (self.peek(), self.path.clone(), self.offline)
        else {
            return;
        };
        if !needs_refresh(&token, now) {
            return;
        }
        let lock = token_cache::lock_for_refresh(&self.cache, &self.session).await;
        // Another process may have refreshed while we waited for the lock.
        let current = token_cache::read(&path).unwrap_or(token);
        if !needs_refresh(&current, now) {
            self.set(Some(current));
            return;
        }
        let (Some(id), Some(secret), Some(refresh), Some(reg_exp)) = (
            current.client_id.clone(),
            current.client_secret.clone(),
            current.refresh_token.clone(),
            current.registration_expires_at,
        ) else {
            return;
        };
        if let Ok(t) = self
            .oidc()
            .create_token(&id, &secret, REFRESH_GRANT, &refresh)
            .await
        {
            let reg = Registration {
                client_id: id,
                client_secret: secret,
                expires_at: reg_exp,
            };
            let new_refresh = t.refresh_token.clone().unwrap_or(refresh);
            let written = token_cache::write(
                &path,
                &self.session,
                &NewToken {
                    access: &t.access_token,
                    expires_at: self.clock.now().plus_secs(t.expires_in.max(0)),
                    registration: Some((&reg, Some(&new_refresh))),
                },
            );
            match written {
                Ok(t) => self.set(Some(t)),
                // A read-only or full disk must not throw a good refresh
                // away: this run uses it, and says the file is behind.
                Err(e) => {
                    eprintln!(
                        "ssopick: warning: the session was refreshed but {} cannot be written ({e}); this run uses the new login, other tools still see the old one.",
                        path.display()
                    );
                    self.set(Some(CachedToken {
                        access_token: t.access_token,
                        expires_at: self.clock.now().plus_secs(t.expires_in.max(0)),
                        start_url: current.start_url.clone(),
                        region: current.region.clone(),
                        refresh_token: Some(new_refresh),
                        client_id: Some(reg.client_id),
                        client_secret: Some(reg.client_secret),
                        registration_expires_at: Some(reg.expires_at),
                    }));
                }
            }
        }
        drop(lock);
    }
}

/// Close to running out, and refreshable.
fn needs_refresh(t: &CachedToken, now: UtcTime) -> bool {
    now.secs_until(t.expires_at) <= REFRESH_BEFORE_SECS
        && t.refresh_token.is_some()
        && t.client_id.is_some()
        && t.client_secret.is_some()
        && t.registration_expires_at.is_some_and(|r| r > now)
}
