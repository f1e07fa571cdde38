//! One session's SSO access token: what the token cache holds, refreshed
//! with the refresh token (under the session's lock, so two processes never
//! race) when it has under five minutes left, and written back as the AWS
//! CLI writes it. The clock is asked every time, so a long-running process
//! sees the token age.
//!
//! The token file is the truth: `sync` follows it (a removed file is a
//! logout, a new one a login, from any tool), and a refresh writes only
//! over the login it refreshed, never a file that was removed meanwhile.

use crate::app::error::Error;
use crate::core::env_vars as var;
use crate::core::secret::Secret;
use crate::core::sso::session::{Session, SessionKind};
use crate::core::sso::token::{CachedToken, Registration};
use crate::core::time::{Clock, UtcTime, human_duration};
use crate::edge::env::Env;
use crate::edge::fs::FileId;
use crate::edge::oidc::{OidcClient, REFRESH_GRANT, Tokens};
use crate::edge::token_cache::{self, NewToken, TokenFile};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Refresh a token with less than this left.
pub(crate) const REFRESH_BEFORE_SECS: i64 = 5 * 60;

/// Where the session's token lives and how it is refreshed.
pub(crate) struct TokenSource {
    pub session: Session,
    /// The token file; `None` for the demo, whose token lives in memory.
    path: Option<PathBuf>,
    /// ssopick's cache folder (locks, registrations).
    pub cache: PathBuf,
    /// `sso_registration_scopes` of the session, if configured.
    pub scopes: Option<String>,
    pub oidc_endpoint: Option<String>,
    /// FIPS and dual-stack for SSO OIDC (`core::sso::endpoints`).
    pub variant: crate::core::sso::endpoints::Variant,
    pub clock: Arc<dyn Clock>,
    /// Never refresh (`--offline`: no network).
    pub offline: bool,
    current: std::sync::Mutex<Option<CachedToken>>,
    /// The run's HTTP client for SSO OIDC (`edge::net`).
    http: Option<aws_smithy_runtime_api::client::http::SharedHttpClient>,
    /// The identity of the token file as last read (`sync`).
    seen: std::sync::Mutex<Option<FileId>>,
}

/// What `TokenSource::sync` found in the token file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Synced {
    /// As before (or no file to follow).
    Same,
    /// The file is gone and the token held was dropped: logged out.
    LoggedOut,
    /// Another token (a new login, or another process's refresh) is held now.
    Adopted,
    /// There but unreadable now (being written?): nothing changed; ask again.
    Unreadable,
}

impl TokenSource {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        session: Session,
        path: Option<PathBuf>,
        found: Option<CachedToken>,
        env: &Env,
        cache: PathBuf,
        scopes: Option<String>,
        clock: Arc<dyn Clock>,
        offline: bool,
        http: Option<aws_smithy_runtime_api::client::http::SharedHttpClient>,
    ) -> TokenSource {
        TokenSource {
            session,
            path,
            cache,
            scopes,
            oidc_endpoint: env.endpoint(var::AWS_ENDPOINT_URL_SSO_OIDC),
            variant: crate::core::sso::endpoints::Variant::default(),
            clock,
            offline,
            current: std::sync::Mutex::new(found),
            http,
            seen: std::sync::Mutex::new(None),
        }
    }

    /// The token held now (not refreshed).
    pub(crate) fn peek(&self) -> Option<CachedToken> {
        self.current.lock().ok()?.clone()
    }

    fn set(&self, t: Option<CachedToken>) {
        if let Ok(mut c) = self.current.lock() {
            *c = t;
        }
    }

    /// Follows the token file: when it changed since the last look, the
    /// token it holds now is the one held (none when it is gone). Cheap
    /// when nothing changed (one `stat`).
    pub(crate) fn sync(&self) -> Synced {
        let Some(path) = &self.path else {
            return Synced::Same;
        };
        let mut seen = self
            .seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seen.is_some() && crate::edge::fs::file_id(path).ok().flatten() == *seen {
            return Synced::Same;
        }
        match token_cache::read_state(path) {
            TokenFile::Missing => {
                *seen = None;
                if self.peek().is_some() {
                    self.set(None);
                    return Synced::LoggedOut;
                }
                Synced::Same
            }
            TokenFile::Unreadable => Synced::Unreadable,
            TokenFile::Token(t, id) => {
                *seen = Some(id);
                let same = self
                    .peek()
                    .is_some_and(|c| c.access_token == t.access_token);
                self.set(Some(*t));
                if same { Synced::Same } else { Synced::Adopted }
            }
        }
    }

    /// The token file, if the session has one.
    pub(crate) fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    pub(crate) fn oidc(&self) -> OidcClient {
        OidcClient::new(
            &self.session.region,
            self.variant,
            self.oidc_endpoint.clone(),
            Duration::from_secs(15),
            self.http.clone(),
        )
    }

    /// The scopes a login registers for (none for legacy sessions, which
    /// get no refresh token).
    pub(crate) fn scope_list(&self) -> Vec<String> {
        match self.session.kind {
            SessionKind::Named(_) => self.scopes.as_deref().map_or_else(
                || vec!["sso:account:access".to_string()],
                crate::core::sso::config::split_scopes,
            ),
            _ => Vec::new(),
        }
    }

    /// A new token from a login: held and used from now on.
    pub(crate) fn replace(&self, t: CachedToken) {
        self.set(Some(t));
    }

    /// Why there is no usable token now, as the user should read it.
    pub(crate) fn problem(&self) -> Option<Error> {
        let now = self.clock.now();
        match self.peek() {
            None => Some(self.not_logged_in()),
            Some(t) if !t.is_valid_at(now) => Some(self.expired(Some(t.expires_at))),
            Some(_) => None,
        }
    }

    pub(crate) fn not_logged_in(&self) -> Error {
        Error::NotLoggedIn {
            session: self.session.id().to_string(),
            start_url: self.session.start_url.clone(),
            login: self.session.login_command(),
        }
    }

    /// The error for a token the portal rejected (`None`) or that ran out.
    pub(crate) fn expired(&self, when: Option<UtcTime>) -> Error {
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
    pub(crate) async fn access(&self) -> Result<Secret, Error> {
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
    pub(crate) async fn refresh_if_needed(&self) {
        let now = self.clock.now();
        let (Some(token), Some(path), false) = (self.peek(), self.path.clone(), self.offline)
        else {
            return;
        };
        if !needs_refresh(&token, now) || self.backing_off(&token, now) {
            return;
        }
        let lock = token_cache::lock_for_refresh(&self.cache, &self.session).await;
        // The file under the lock is the truth: gone is a logout (never
        // written back); another token is another process's refresh or a
        // new login.
        let current = match token_cache::read_state(&path) {
            TokenFile::Missing => {
                self.set(None);
                return;
            }
            TokenFile::Unreadable => return,
            TokenFile::Token(t, _) => *t,
        };
        if current.access_token != token.access_token {
            self.set(Some(current.clone()));
        }
        if !needs_refresh(&current, now) || self.backing_off(&current, now) {
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
        match self
            .oidc()
            .create_token(&id, &secret, REFRESH_GRANT, &refresh)
            .await
        {
            Ok(t) => {
                let reg = Registration {
                    client_id: id,
                    client_secret: secret,
                    expires_at: reg_exp,
                };
                let new_refresh = t.refresh_token.clone().unwrap_or(refresh);
                self.store_refreshed(&path, &current, reg, t, new_refresh);
            }
            Err(_) => token_cache::note_refresh_failure(
                &self.cache,
                &self.session,
                &login_of(&current),
                self.clock.now(),
            ),
        }
        drop(lock);
    }

    /// A refresh of this login failed under 30 s ago (here or in another
    /// process): not tried again yet.
    fn backing_off(&self, t: &CachedToken, now: UtcTime) -> bool {
        token_cache::refresh_failed_recently(&self.cache, &self.session, &login_of(t), now)
    }

    /// A refreshed token, written only over the login refreshed: a logout
    /// (or a new login) while the call was out wins. A read-only or full
    /// disk must not throw a good refresh away: this run uses it, and says
    /// the file is behind.
    fn store_refreshed(
        &self,
        path: &std::path::Path,
        current: &CachedToken,
        reg: Registration,
        t: Tokens,
        new_refresh: Secret,
    ) {
        match token_cache::read_state(path) {
            TokenFile::Token(now_there, _) if now_there.access_token == current.access_token => {}
            TokenFile::Token(other, _) => return self.set(Some(*other)),
            TokenFile::Missing => return self.set(None),
            TokenFile::Unreadable => return,
        }
        let expires_at = self.clock.now().plus_secs(t.expires_in.max(0));
        let written = token_cache::write(
            path,
            &self.session,
            &NewToken {
                access: &t.access_token,
                expires_at,
                registration: Some((&reg, Some(&new_refresh))),
            },
        );
        match written {
            Ok(t) => self.set(Some(t)),
            Err(e) => {
                eprintln!(
                    "ssopick: warning: the session was refreshed but {} cannot be written ({e}); this run uses the new login, other tools still see the old one.",
                    path.display()
                );
                self.set(Some(CachedToken {
                    access_token: t.access_token,
                    expires_at,
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
}

fn login_of(t: &CachedToken) -> String {
    crate::edge::credcache::login_id(t.access_token.expose())
}

/// Close to running out, and refreshable.
fn needs_refresh(t: &CachedToken, now: UtcTime) -> bool {
    now.secs_until(t.expires_at) <= REFRESH_BEFORE_SECS
        && t.refresh_token.is_some()
        && t.client_id.is_some()
        && t.client_secret.is_some()
        && t.registration_expires_at.is_some_and(|r| r > now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::time::FixedClock;

    fn source(dir: &std::path::Path, found: Option<CachedToken>) -> (TokenSource, PathBuf) {
        let session = Session {
            kind: SessionKind::Named("corp".into()),
            start_url: "https://corp.awsapps.com/start".into(),
            region: "us-east-1".into(),
            profiles: Vec::new(),
            registration_scopes: None,
            more_profiles: 0,
            endpoint_keys: crate::core::sso::endpoints::EndpointKeys::default(),
        };
        let path = dir.join("token.json");
        let s = TokenSource::new(
            session,
            Some(path.clone()),
            found,
            &Env::from_pairs(&[]),
            dir.join("cache"),
            None,
            Arc::new(FixedClock(UtcTime(1_000_000))),
            false,
            None,
        );
        (s, path)
    }

    fn refreshable(access: &str) -> CachedToken {
        CachedToken {
            access_token: Secret::new(access),
            expires_at: UtcTime(1_000_060),
            start_url: None,
            region: None,
            refresh_token: Some(Secret::new("refresh")),
            client_id: Some("id".into()),
            client_secret: Some(Secret::new("secret")),
            registration_expires_at: Some(UtcTime(2_000_000)),
        }
    }

    #[tokio::test]
    async fn a_removed_token_file_is_a_logout_never_written_back() {
        let d = tempfile::tempdir().unwrap();
        // Held in memory, due for a refresh, but its file is gone.
        let (s, path) = source(d.path(), Some(refreshable("old")));
        s.refresh_if_needed().await;
        assert!(!path.exists(), "the refresh re-created the file");
        assert!(s.peek().is_none(), "the token was kept after the logout");
        assert!(matches!(s.problem(), Some(Error::NotLoggedIn { .. })));
    }

    #[tokio::test]
    async fn sync_follows_the_file() {
        let d = tempfile::tempdir().unwrap();
        let (s, path) = source(d.path(), Some(refreshable("old")));
        let write = |tok: &str| {
            std::fs::write(
                &path,
                format!(r#"{{"accessToken":"{tok}","expiresAt":"2099-01-01T00:00:00Z"}}"#),
            )
            .unwrap();
        };
        write("old");
        assert_eq!(s.sync(), Synced::Same);
        write("new-login");
        assert_eq!(s.sync(), Synced::Adopted);
        assert_eq!(s.peek().unwrap().access_token.expose(), "new-login");
        assert_eq!(s.sync(), Synced::Same);
        // Half-written: nothing changes, and it is looked at again.
        std::fs::write(&path, r#"{"accessTok"#).unwrap();
        assert_eq!(s.sync(), Synced::Unreadable);
        assert_eq!(s.peek().unwrap().access_token.expose(), "new-login");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(s.sync(), Synced::LoggedOut);
        assert!(s.peek().is_none());
        assert_eq!(s.sync(), Synced::Same);
        write("after");
        assert_eq!(s.sync(), Synced::Adopted);
    }
}
