//! Logging in (OIDC device authorization) and keeping tokens fresh, writing
//! the shared token cache exactly where and as the AWS CLI does, so that
//! `aws`, Terraform and the SDKs use the same login.

use crate::app::error::Error;
use crate::edge::oidc::{DEVICE_GRANT, OidcClient, OidcError, REFRESH_GRANT, Registration};
use crate::edge::paths::Env;
use crate::edge::portal::endpoint_override;
use crate::core::secret::Secret;
use crate::core::sso::session::{Session, SessionKind};
use crate::core::sso::token::{CachedToken, TokenParse, cache_key, read_token_file, token_json};
use crate::edge::store::{read_capped, write_atomic};
use crate::core::time::UtcTime;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Refresh a token with less than this left.
pub const REFRESH_BEFORE_SECS: i64 = 5 * 60;
/// Reuse a client registration until this long before it expires.
const REGISTRATION_MARGIN_SECS: i64 = 15 * 60;

pub struct LoginEnv<'a> {
    pub env: &'a Env,
    pub sso_cache: &'a Path,
    /// ssopick's cache folder (registrations, locks).
    pub cache: &'a Path,
    /// `sso_registration_scopes` of the session, if configured.
    pub scopes: Option<&'a str>,
}

fn client(le: &LoginEnv<'_>, session: &Session) -> OidcClient {
    let endpoint = endpoint_override(|k| le.env.get(k), "AWS_ENDPOINT_URL_SSO_OIDC");
    OidcClient::new(&session.region, endpoint, Duration::from_secs(15))
}

fn scopes(le: &LoginEnv<'_>, session: &Session) -> Vec<String> {
    match session.kind {
        SessionKind::Named(_) => le
            .scopes
            .map(|s| {
                s.split(',')
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_else(|| vec!["sso:account:access".to_string()]),
        _ => Vec::new(),
    }
}

pub fn token_path(sso_cache: &Path, session: &Session) -> PathBuf {
    sso_cache.join(format!("{}.json", session.cache_key()))
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredRegistration {
    client_id: String,
    client_secret: String,
    expires_at: UtcTime,
}

fn registration_path(cache: &Path, session: &Session, scopes: &[String]) -> PathBuf {
    let key = cache_key(&format!(
        "{}\n{}\n{}",
        session.start_url,
        session.region,
        scopes.join(",")
    ));
    cache.join("registrations").join(format!("{key}.json"))
}

/// A cached registration good for 15 more minutes, else a new one.
async fn registration(
    le: &LoginEnv<'_>,
    oidc: &OidcClient,
    session: &Session,
    scopes: &[String],
    now: UtcTime,
) -> Result<Registration, Error> {
    let path = registration_path(le.cache, session, scopes);
    if let Some(r) = read_capped(&path, 64 * 1024)
        .ok()
        .flatten()
        .and_then(|b| serde_json::from_slice::<StoredRegistration>(&b).ok())
        && now.secs_until(r.expires_at) > REGISTRATION_MARGIN_SECS
    {
        return Ok(Registration {
            client_id: r.client_id,
            client_secret: Secret::new(r.client_secret),
            expires_at: r.expires_at,
        });
    }
    let reg = oidc
        .register(scopes)
        .await
        .map_err(|e| Error::Api(format!("SSO OIDC RegisterClient: {e}")))?;
    let stored = StoredRegistration {
        client_id: reg.client_id.clone(),
        client_secret: reg.client_secret.expose().into(),
        expires_at: reg.expires_at,
    };
    if let Ok(bytes) = serde_json::to_vec(&stored) {
        let _ = write_atomic(&path, &bytes, 0o600);
    }
    Ok(reg)
}

pub fn open_browser(url: &str, env: &Env) -> bool {
    if env.get("SSOPICK_NO_BROWSER").is_some()
        || env.get("SSH_CONNECTION").is_some()
        || env.get("SSH_TTY").is_some()
    {
        return false;
    }
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        if env.get("DISPLAY").is_none() && env.get("WAYLAND_DISPLAY").is_none() {
            return false;
        }
        ("xdg-open", vec![url])
    };
    std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// Writes the token file as the AWS CLI does (0600, atomic, unknown keys of
/// an existing file kept) and returns the token.
fn write_token(
    path: &Path,
    session: &Session,
    access: &Secret,
    expires_at: UtcTime,
    reg: Option<(&Registration, Option<&Secret>)>,
) -> Result<CachedToken, Error> {
    let existing = read_capped(path, crate::core::sso::token::MAX_TOKEN_FILE)
        .ok()
        .flatten();
    let mut fields: Vec<(&str, Option<String>)> = vec![
        ("startUrl", Some(session.start_url.clone())),
        ("region", Some(session.region.clone())),
        ("accessToken", Some(access.expose().to_string())),
        ("expiresAt", Some(expires_at.to_rfc3339())),
    ];
    if let Some((r, refresh)) = reg {
        fields.push(("clientId", Some(r.client_id.clone())));
        fields.push(("clientSecret", Some(r.client_secret.expose().to_string())));
        fields.push(("registrationExpiresAt", Some(r.expires_at.to_rfc3339())));
        if let Some(t) = refresh {
            fields.push(("refreshToken", Some(t.expose().to_string())));
        }
    }
    let bytes = token_json(existing.as_deref(), &fields);
    write_atomic(path, &bytes, 0o600)
        .map_err(|e| Error::other(&format!("cannot write {}", path.display()), e))?;
    match read_token_file(path) {
        Ok(TokenParse::Token(t)) => Ok(t),
        _ => Err(Error::Other(format!(
            "{} could not be read back",
            path.display()
        ))),
    }
}

/// The device authorization flow: shows the URL and code (and opens a
/// browser where one can be opened), polls until confirmed, writes the token.
pub async fn login(le: &LoginEnv<'_>, session: &Session) -> Result<CachedToken, Error> {
    let oidc = client(le, session);
    let scopes = scopes(le, session);
    let now = UtcTime::now();
    let reg = registration(le, &oidc, session, &scopes, now).await?;
    let auth = oidc
        .start_device_authorization(&reg, &session.start_url)
        .await
        .map_err(|e| Error::Api(format!("SSO OIDC StartDeviceAuthorization: {e}")))?;
    let url = auth
        .verification_uri_complete
        .clone()
        .unwrap_or_else(|| auth.verification_uri.clone());
    let opened = open_browser(&url, le.env);
    eprintln!(
        "ssopick: log in to SSO session {} ({})\n  {} {url}\n  and check that it shows the code {}\n  (waiting; Ctrl-C to stop)",
        session.id(),
        session.start_url,
        if opened {
            "a browser was opened at"
        } else {
            "open"
        },
        auth.user_code
    );
    let mut interval = auth.interval;
    let deadline =
        std::time::Instant::now() + Duration::from_secs(auth.expires_in.clamp(60, 3600) as u64);
    loop {
        tokio::time::sleep(Duration::from_secs(interval)).await;
        match oidc
            .create_token(
                &reg.client_id,
                &reg.client_secret,
                DEVICE_GRANT,
                &auth.device_code,
            )
            .await
        {
            Ok(t) => {
                let expires = UtcTime::now().plus_secs(t.expires_in.max(0));
                let path = token_path(le.sso_cache, session);
                let with_reg = (!scopes.is_empty()).then_some((&reg, t.refresh_token.as_ref()));
                let token = write_token(&path, session, &t.access_token, expires, with_reg)?;
                eprintln!(
                    "ssopick: logged in to {}; the session lasts until {}.",
                    session.id(),
                    token.expires_at
                );
                return Ok(token);
            }
            Err(OidcError::AuthorizationPending) => {}
            Err(OidcError::SlowDown) => interval += 5,
            Err(OidcError::Expired) => {
                return Err(Error::NotLoggedIn {
                    session: session.id().into(),
                    start_url: session.start_url.clone(),
                    login: "ssopick login (the code expired before it was confirmed)".into(),
                });
            }
            Err(OidcError::Denied(m)) => {
                return Err(Error::Other(format!("the login was denied: {m}")));
            }
            Err(e) => return Err(Error::Api(format!("SSO OIDC CreateToken: {e}"))),
        }
        if std::time::Instant::now() > deadline {
            return Err(Error::Other(
                "the login code expired before it was confirmed; run `ssopick login` again".into(),
            ));
        }
    }
}

fn refreshable(t: &CachedToken, now: UtcTime) -> bool {
    t.refresh_token.is_some()
        && t.client_id.is_some()
        && t.client_secret.is_some()
        && t.registration_expires_at.is_some_and(|r| r > now)
}

/// A token with under five minutes left is refreshed (when it has what that
/// takes) under a lock, so two ssopick processes never race; the file is
/// rewritten keeping unknown keys. Anything that fails leaves the token as
/// it was, and the caller reports the expiry.
pub async fn refresh_if_needed(
    le: &LoginEnv<'_>,
    session: &Session,
    token: CachedToken,
    now: UtcTime,
) -> CachedToken {
    if now.secs_until(token.expires_at) > REFRESH_BEFORE_SECS || !refreshable(&token, now) {
        return token;
    }
    let lock_path = le
        .cache
        .join("locks")
        .join(format!("{}.lock", session.cache_key()));
    let lock = tokio::task::spawn_blocking(move || -> Option<std::fs::File> {
        crate::edge::store::create_private_dir(lock_path.parent()?).ok()?;
        let f = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .ok()?;
        f.lock().ok()?;
        Some(f)
    })
    .await
    .ok()
    .flatten();
    let path = token_path(le.sso_cache, session);
    // Another process may have refreshed while we waited for the lock.
    let current = match read_token_file(&path) {
        Ok(TokenParse::Token(t)) => t,
        _ => token,
    };
    if now.secs_until(current.expires_at) > REFRESH_BEFORE_SECS || !refreshable(&current, now) {
        drop(lock);
        return current;
    }
    let (Some(id), Some(secret), Some(refresh), Some(reg_exp)) = (
        current.client_id.clone(),
        current.client_secret.clone(),
        current.refresh_token.clone(),
        current.registration_expires_at,
    ) else {
        return current;
    };
    let oidc = client(le, session);
    let result = match oidc
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
            write_token(
                &path,
                session,
                &t.access_token,
                UtcTime::now().plus_secs(t.expires_in.max(0)),
                Some((&reg, Some(&new_refresh))),
            )
            .unwrap_or(current)
        }
        Err(_) => current,
    };
    drop(lock);
    result
}
