//! The shared SSO token cache (`~/.aws/sso/cache/<sha1>.json`, as the AWS CLI
//! keeps it) and ssopick's cached OIDC client registrations: the only code
//! that reads or writes these files. The format is `core::sso::token`.

use crate::fs::{FileId, create_private_dir, file_id, read_capped, write_atomic};
use serde::{Deserialize, Serialize};
use ssopick_core::secret::Secret;
use ssopick_core::sso::session::Session;
use ssopick_core::sso::token::{
    CachedToken, FoundToken, MAX_TOKEN_FILE, Registration, TokenParse, cache_key, parse_token,
    token_json,
};
use ssopick_core::time::UtcTime;
use std::path::{Path, PathBuf};

/// The token file of a session.
pub fn token_path(sso_cache: &Path, session: &Session) -> PathBuf {
    sso_cache.join(format!("{}.json", session.cache_key()))
}

/// Reads one cache file, refusing non-files, huge files and unreadable ones.
pub fn read_token_file(path: &Path) -> Result<TokenParse, String> {
    read_token_bytes(path).map(|b| parse_token(&b))
}

/// A token file's bytes, when it is a regular file of a token's size.
fn read_token_bytes(path: &Path) -> Result<Vec<u8>, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".into());
    }
    if meta.len() > MAX_TOKEN_FILE {
        return Err(format!(
            "{} bytes is too large for a token file",
            meta.len()
        ));
    }
    std::fs::read(path).map_err(|e| e.to_string())
}

/// Every access-token file in `dir`. Registration files, `*.tmp`, directories,
/// unreadable, malformed and oversized entries are skipped silently: one bad
/// file must never hide the good ones. A missing folder is simply empty.
pub fn scan(dir: &Path) -> Vec<FoundToken> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<FoundToken> = rd
        .filter_map(Result::ok)
        .filter_map(|e| {
            let path = e.path();
            let name = path.file_name()?.to_str()?;
            let key = name.strip_suffix(".json")?.to_string();
            if key.is_empty() || key.ends_with(".tmp") {
                return None;
            }
            let bytes = read_token_bytes(&path).ok()?;
            match parse_token(&bytes) {
                TokenParse::Token(token) => Some(FoundToken {
                    key,
                    path,
                    token,
                    foreign: ssopick_core::sso::token::foreign_scopes(&bytes),
                }),
                _ => None,
            }
        })
        .collect();
    out.sort_by(|a, b| a.key.cmp(&b.key));
    out
}

/// The token in a session's file, if it holds a readable one.
pub fn read(path: &Path) -> Option<CachedToken> {
    match read_token_file(path) {
        Ok(TokenParse::Token(t)) => Some(t),
        _ => None,
    }
}

/// What a session's token file holds now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenFile {
    /// No file: logged out (or never logged in).
    Missing,
    /// There, but not readable as a token now (being written, damaged,
    /// not a file): try again later.
    Unreadable,
    /// A token, and the identity of the file it was read from.
    Token(Box<CachedToken>, FileId),
}

/// What the token file at `path` holds, read so that a file replaced while
/// it was read counts as `Unreadable`, never as a mix of two.
pub fn read_state(path: &Path) -> TokenFile {
    let id = match file_id(path) {
        Ok(None) => return TokenFile::Missing,
        Ok(Some(id)) => id,
        Err(_) => return TokenFile::Unreadable,
    };
    match read_token_file(path) {
        Ok(TokenParse::Token(t)) if file_id(path).ok().flatten() == Some(id) => {
            TokenFile::Token(Box::new(t), id)
        }
        _ if matches!(file_id(path), Ok(None)) => TokenFile::Missing,
        _ => TokenFile::Unreadable,
    }
}

/// What a login or a refresh writes into the token file.
pub struct NewToken<'a> {
    pub access: &'a Secret,
    pub expires_at: UtcTime,
    /// The client registration and refresh token, for refreshable sessions.
    pub registration: Option<(&'a Registration, Option<&'a Secret>)>,
}

/// Writes the token file as the AWS CLI does (0600, atomic, unknown keys of
/// an existing file kept) and returns the token as read back.
pub fn write(path: &Path, session: &Session, t: &NewToken<'_>) -> std::io::Result<CachedToken> {
    let existing = read_capped(path, MAX_TOKEN_FILE).ok().flatten();
    let mut fields: Vec<(&str, Option<String>)> = vec![
        ("startUrl", Some(session.start_url.clone())),
        ("region", Some(session.region.clone())),
        ("accessToken", Some(t.access.expose().to_string())),
        ("expiresAt", Some(t.expires_at.to_rfc3339())),
    ];
    if let Some((r, refresh)) = t.registration {
        fields.push(("clientId", Some(r.client_id.clone())));
        fields.push(("clientSecret", Some(r.client_secret.expose().to_string())));
        fields.push(("registrationExpiresAt", Some(r.expires_at.to_rfc3339())));
        if let Some(t) = refresh {
            fields.push(("refreshToken", Some(t.expose().to_string())));
        }
    }
    // Debug builds: tests stand in for a read-only or full disk (root,
    // which runs the CI, may write anywhere).
    #[cfg(debug_assertions)]
    if std::env::var_os("SSOPICK_TEST_TOKEN_WRITE_FAILS").is_some() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::StorageFull,
            "no space left on device (test)",
        ));
    }
    write_atomic(path, &token_json(existing.as_deref(), &fields), 0o600)?;
    read(path).ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidData, "could not be read back")
    })
}

/// Removes a session's token file; false when there was none.
pub fn remove(path: &Path) -> std::io::Result<bool> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

/// Takes the session's refresh lock (a sibling lock file in ssopick's
/// cache), so two processes never refresh the same token at once. `None`
/// when no lock can be had; the caller then goes on without one.
pub async fn lock_for_refresh(cache: &Path, session: &Session) -> Option<std::fs::File> {
    let lock_path = cache
        .join("locks")
        .join(format!("{}.lock", session.cache_key()));
    tokio::task::spawn_blocking(move || -> Option<std::fs::File> {
        create_private_dir(lock_path.parent()?).ok()?;
        let f = crate::fs::open_lock_file(&lock_path).ok()?;
        f.lock().ok()?;
        Some(f)
    })
    .await
    .ok()
    .flatten()
}

/// How long after a failed refresh no process tries again for the same
/// login (a dead or refusing OIDC service must not cost every call a
/// round trip).
pub const REFRESH_BACKOFF_SECS: i64 = 30;

fn backoff_path(cache: &Path, session: &Session) -> PathBuf {
    cache
        .join("locks")
        .join(format!("{}.refresh-failed", session.cache_key()))
}

#[derive(Serialize, Deserialize)]
struct FailedRefresh {
    /// Unix seconds.
    at: i64,
    /// `credcache::login_id` of the access token whose refresh failed: a
    /// new login is never held back.
    login: String,
}

/// True when a refresh of this login failed less than
/// [`REFRESH_BACKOFF_SECS`] ago, in this process or another.
pub fn refresh_failed_recently(cache: &Path, session: &Session, login: &str, now: UtcTime) -> bool {
    read_capped(&backoff_path(cache, session), 4096)
        .ok()
        .flatten()
        .and_then(|b| serde_json::from_slice::<FailedRefresh>(&b).ok())
        .is_some_and(|f| {
            let age = UtcTime(f.at).secs_until(now);
            f.login == login && (0..REFRESH_BACKOFF_SECS).contains(&age)
        })
}

/// Remembers a failed refresh of this login (best effort).
pub fn note_refresh_failure(cache: &Path, session: &Session, login: &str, now: UtcTime) {
    let path = backoff_path(cache, session);
    let Some(dir) = path.parent() else { return };
    if create_private_dir(dir).is_err() {
        return;
    }
    let f = FailedRefresh {
        at: now.0,
        login: login.to_string(),
    };
    if let Ok(bytes) = serde_json::to_vec(&f) {
        let _ = write_atomic(&path, &bytes, 0o600);
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredRegistration {
    client_id: String,
    client_secret: String,
    expires_at: UtcTime,
}

/// What a registration was made for, which is its cache key: the session,
/// the scopes, the grant types (empty for the device-code flow, so a
/// device-code registration is never reused for the authorization-code
/// flow, nor the other way round), and the OIDC endpoint override, if any
/// (a registration made with one service is never offered to another).
pub struct RegistrationFor<'a> {
    pub session: &'a Session,
    pub scopes: &'a [String],
    pub grants: &'a [&'a str],
    pub endpoint: Option<&'a str>,
}

fn registration_path(cache: &Path, r: &RegistrationFor<'_>) -> PathBuf {
    let mut text = format!(
        "{}\n{}\n{}\n{}",
        r.session.start_url,
        r.session.region,
        r.scopes.join(","),
        r.grants.join(",")
    );
    if let Some(e) = r.endpoint {
        text.push_str(&format!("\n{e}"));
    }
    cache
        .join("registrations")
        .join(format!("{}.json", cache_key(&text)))
}

/// The cached registration, if any.
pub fn load_registration(cache: &Path, r: &RegistrationFor<'_>) -> Option<Registration> {
    let stored: StoredRegistration = read_capped(&registration_path(cache, r), 64 * 1024)
        .ok()
        .flatten()
        .and_then(|b| serde_json::from_slice(&b).ok())?;
    Some(Registration {
        client_id: stored.client_id,
        client_secret: Secret::new(stored.client_secret),
        expires_at: stored.expires_at,
    })
}

/// Keeps a registration for the next login (best effort: 0600, atomic).
pub fn save_registration(cache: &Path, r: &RegistrationFor<'_>, reg: &Registration) {
    let stored = StoredRegistration {
        client_id: reg.client_id.clone(),
        client_secret: reg.client_secret.expose().into(),
        expires_at: reg.expires_at,
    };
    if let Ok(bytes) = serde_json::to_vec(&stored) {
        let _ = write_atomic(&registration_path(cache, r), &bytes, 0o600);
    }
}

/// Drops a registration the service refused (best effort).
pub fn forget_registration(cache: &Path, r: &RegistrationFor<'_>) {
    let _ = std::fs::remove_file(registration_path(cache, r));
}
