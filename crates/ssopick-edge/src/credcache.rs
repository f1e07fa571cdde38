//! ssopick's own cache of role credentials (for `credential-process`), one
//! 0600 file per session/account/role in `$XDG_CACHE_HOME/ssopick/credentials`.
//! Reused until 15 minutes before expiry.

use crate::fs::{read_capped, write_atomic};
use serde::{Deserialize, Serialize};
use ssopick_core::credentials::RoleCredentials;
use ssopick_core::secret::Secret;
use ssopick_core::sso::token::cache_key;
use ssopick_core::time::UtcTime;
use std::path::{Path, PathBuf};

pub const REUSE_MARGIN_SECS: i64 = 15 * 60;

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    version: u32,
    /// Which login the credentials came from: a hash of the SSO access
    /// token (never the token). A new login or a logout ends their use.
    #[serde(default)]
    login: String,
    start_url: String,
    account_id: String,
    role_name: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: String,
    expiration: UtcTime,
}

pub fn dir(cache: &Path) -> PathBuf {
    cache.join("credentials")
}

pub fn path(cache: &Path, start_url: &str, account_id: &str, role: &str) -> PathBuf {
    dir(cache).join(format!(
        "{}.json",
        cache_key(&format!("v1\n{start_url}\n{account_id}\n{role}"))
    ))
}

/// The login a token stands for, as the cache records it.
pub fn login_id(access_token: &str) -> String {
    cache_key(&format!("ssopick-login\n{access_token}"))
}

/// Cached credentials of this login that are still good for at least 15
/// minutes.
pub fn load(
    path: &Path,
    start_url: &str,
    account_id: &str,
    role: &str,
    login: &str,
    now: UtcTime,
) -> Option<RoleCredentials> {
    let bytes = read_capped(path, 64 * 1024).ok()??;
    let s: Stored = serde_json::from_slice(&bytes).ok()?;
    let matches = s.version == 2
        && s.login == login
        && s.start_url == start_url
        && s.account_id == account_id
        && s.role_name == role;
    let c = RoleCredentials {
        access_key_id: Secret::new(s.access_key_id),
        secret_access_key: Secret::new(s.secret_access_key),
        session_token: Secret::new(s.session_token),
        expiration: s.expiration,
        expiry_stated: true,
    };
    // Read back as if from the portal: a file someone changed that holds
    // anything but AWS's shapes is not used.
    (matches && now.secs_until(s.expiration) > REUSE_MARGIN_SECS)
        .then(|| c.checked(now).ok())
        .flatten()
}

pub fn save(
    path: &Path,
    start_url: &str,
    account_id: &str,
    role: &str,
    login: &str,
    c: &RoleCredentials,
) -> std::io::Result<()> {
    let s = Stored {
        version: 2,
        login: login.into(),
        start_url: start_url.into(),
        account_id: account_id.into(),
        role_name: role.into(),
        access_key_id: c.access_key_id.expose().into(),
        secret_access_key: c.secret_access_key.expose().into(),
        session_token: c.session_token.expose().into(),
        expiration: c.expiration,
    };
    write_atomic(
        path,
        &serde_json::to_vec(&s).map_err(std::io::Error::other)?,
        0o600,
    )
}

/// Removes every cached credential file of a start URL (used by logout).
pub fn remove_session(cache: &Path, start_url: &str) -> usize {
    let Ok(rd) = std::fs::read_dir(dir(cache)) else {
        return 0;
    };
    rd.filter_map(Result::ok)
        .filter(|e| {
            read_capped(&e.path(), 64 * 1024)
                .ok()
                .flatten()
                .and_then(|b| serde_json::from_slice::<Stored>(&b).ok())
                .is_some_and(|s| s.start_url == start_url)
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuse_until_fifteen_minutes_before_expiry() {
        let d = tempfile::tempdir().unwrap();
        let now = UtcTime(1_000_000);
        let c = RoleCredentials {
            access_key_id: Secret::new("ASIAQWERTYUIOP123456"),
            secret_access_key: Secret::new("abcdEFGH/+=1234567890"),
            session_token: Secret::new("IQoJb3JpZ2luX2VjEXAMPLE"),
            expiration: now.plus_secs(REUSE_MARGIN_SECS + 60),
            expiry_stated: true,
        };
        let p = path(d.path(), "u", "1", "r");
        let login = login_id("token-a");
        save(&p, "u", "1", "r", &login, &c).unwrap();
        assert_eq!(load(&p, "u", "1", "r", &login, now), Some(c.clone()));
        // A value outside AWS's shapes, written by someone else: not used.
        let bad = RoleCredentials {
            session_token: Secret::new("IQoJ\n[default]\ncredential_process = x"),
            ..c.clone()
        };
        let q = path(d.path(), "u", "1", "bad");
        save(&q, "u", "1", "bad", &login, &bad).unwrap();
        assert_eq!(load(&q, "u", "1", "bad", &login, now), None);
        assert_eq!(
            load(&p, "u", "1", "r", &login, now.plus_secs(61)),
            None,
            "inside the margin"
        );
        assert_eq!(load(&p, "u", "1", "other", &login, now), None);
        // Another login (a new token) does not reuse them.
        assert_eq!(load(&p, "u", "1", "r", &login_id("token-b"), now), None);
        assert!(!std::fs::read_to_string(&p).unwrap().contains("token-a"));
        assert_eq!(remove_session(d.path(), "other-url"), 0);
        assert_eq!(remove_session(d.path(), "u"), 2);
        assert!(!p.exists());
    }
}
