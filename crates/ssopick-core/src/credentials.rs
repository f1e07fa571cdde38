//! Role credentials as they travel through ssopick. Every secret part is a
//! `Secret`, so `Debug` never shows them. They are checked where they
//! enter (GetRoleCredentials, STS, the credential cache read back): only
//! values of AWS's shapes, with an expiration near now, are ever written,
//! printed or served, so no value can carry a newline, a quote or an INI
//! section into a file or a shell.

use crate::secret::Secret;
use crate::time::UtcTime;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleCredentials {
    pub access_key_id: Secret,
    pub secret_access_key: Secret,
    pub session_token: Secret,
    pub expiration: UtcTime,
    /// The source said when they expire. Not so for long-term keys or a
    /// profile's token with no expiry: `expiration` is then only when
    /// ssopick looks at the profile again, and no export states it.
    pub expiry_stated: bool,
}

/// Which part of the credentials is not of AWS's shape (never the value).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Malformed {
    #[error("the access key id is not 16-128 capital letters and digits")]
    AccessKeyId,
    #[error("the secret access key is not 16-256 base64 characters")]
    SecretAccessKey,
    #[error("the session token is not 16-16384 base64 characters")]
    SessionToken,
    #[error("the expiration is not between 5 minutes ago and 36 hours from now")]
    Expiration,
}

/// Earliest accepted expiration: 5 minutes ago (clock skew).
const PAST_SECS: i64 = 5 * 60;
/// Latest accepted expiration: 36 hours from now (AWS's longest is 12 h).
const FUTURE_SECS: i64 = 36 * 3600;

fn shaped(s: &str, len: std::ops::RangeInclusive<usize>, ok: impl Fn(u8) -> bool) -> bool {
    len.contains(&s.len()) && s.bytes().all(ok)
}

fn base64ish(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'/' | b'+' | b'=')
}

impl RoleCredentials {
    /// The credentials, when every part has AWS's shape and the expiration
    /// is within [now - 5 min, now + 36 h].
    pub fn checked(self, now: UtcTime) -> Result<RoleCredentials, Malformed> {
        if !shaped(self.access_key_id.expose(), 16..=128, |b| {
            b.is_ascii_uppercase() || b.is_ascii_digit()
        }) {
            return Err(Malformed::AccessKeyId);
        }
        if !shaped(self.secret_access_key.expose(), 16..=256, base64ish) {
            return Err(Malformed::SecretAccessKey);
        }
        if !shaped(self.session_token.expose(), 16..=16384, base64ish) {
            return Err(Malformed::SessionToken);
        }
        let left = now.secs_until(self.expiration);
        if !(-PAST_SECS..=FUTURE_SECS).contains(&left) {
            return Err(Malformed::Expiration);
        }
        Ok(self)
    }

    /// Another profile's credentials (`core::profile_rows`): what the SDKs
    /// accept from a profile (a local S3's `test`/`test`, a process's keys
    /// for days), within characters that can carry nothing into a shell,
    /// an INI file or a terminal. Long-term keys have no session token.
    pub fn checked_profile(self, now: UtcTime) -> Result<RoleCredentials, &'static str> {
        if !shaped(self.access_key_id.expose(), 1..=128, plain) {
            return Err("the access key id is not 1-128 letters, digits and +/=_.-:@");
        }
        if !shaped(self.secret_access_key.expose(), 1..=256, plain) {
            return Err("the secret access key is not 1-256 letters, digits and +/=_.-:@");
        }
        if !(self.long_term() || shaped(self.session_token.expose(), 1..=16384, plain)) {
            return Err("the session token is not 1-16384 letters, digits and +/=_.-:@");
        }
        let left = now.secs_until(self.expiration);
        if left <= 0 {
            return Err("they expired already (at their stated expiration)");
        }
        if left > PROFILE_FUTURE_SECS {
            return Err("the expiration is more than a century away");
        }
        Ok(self)
    }

    /// Long-term keys: no session token (never the portal's or STS's).
    pub fn long_term(&self) -> bool {
        self.session_token.expose().is_empty()
    }
}

/// A profile's keys may last as long as their source says (the SDKs
/// accept `2099-01-01`), within a century.
const PROFILE_FUTURE_SECS: i64 = 100 * 366 * 24 * 3600;

fn plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"+/=_.-:@".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds(id: &str, secret: &str, token: &str, exp: i64) -> RoleCredentials {
        RoleCredentials {
            access_key_id: Secret::new(id),
            secret_access_key: Secret::new(secret),
            session_token: Secret::new(token),
            expiration: UtcTime(1_000_000 + exp),
            expiry_stated: true,
        }
    }

    #[test]
    fn only_aws_shapes_pass() {
        let now = UtcTime(1_000_000);
        let good = creds(
            "ASIAQWERTYUIOP123456",
            "abcdEFGH/+=1234567890",
            "IQoJb3JpZ2luX2Vj+/=abc",
            3600,
        );
        assert!(good.clone().checked(now).is_ok());
        let bad = [
            (
                creds(
                    "asia1234567890123",
                    "abcdEFGH/+=1234567890",
                    "IQoJb3JpZ2luX2Vj",
                    3600,
                ),
                Malformed::AccessKeyId,
            ),
            (
                creds(
                    "ASIA1234",
                    "abcdEFGH/+=1234567890",
                    "IQoJb3JpZ2luX2Vj",
                    3600,
                ),
                Malformed::AccessKeyId,
            ),
            (
                creds(
                    "ASIAQWERTYUIOP123456",
                    "it's \"q\" $HOME `x`",
                    "IQoJb3JpZ2luX2Vj",
                    3600,
                ),
                Malformed::SecretAccessKey,
            ),
            (
                creds(
                    "ASIAQWERTYUIOP123456",
                    "abcdEFGH/+=1234567890",
                    "IQoJ\n[default]\ncredential_process = x",
                    3600,
                ),
                Malformed::SessionToken,
            ),
            (
                creds(
                    "ASIAQWERTYUIOP123456",
                    "abcdEFGH/+=1234567890",
                    "IQoJb3JpZ2luX2Vj",
                    -301,
                ),
                Malformed::Expiration,
            ),
            (
                creds(
                    "ASIAQWERTYUIOP123456",
                    "abcdEFGH/+=1234567890",
                    "IQoJb3JpZ2luX2Vj",
                    36 * 3600 + 1,
                ),
                Malformed::Expiration,
            ),
        ];
        for (c, why) in bad {
            assert_eq!(c.checked(now), Err(why));
        }
        assert!(!format!("{}", Malformed::SessionToken).contains("IQoJ"));
    }

    #[test]
    fn long_term_keys_pass_only_as_a_profiles() {
        let keys = creds("AKIAEXAMPLEEXAMPLE", "secretsecretsecretsecret", "", 3600);
        let now = UtcTime(1_000_000);
        assert!(keys.long_term());
        assert_eq!(keys.clone().checked(now), Err(Malformed::SessionToken));
        assert!(keys.clone().checked_profile(now).is_ok());
        // A local S3's keys, and a process's keys for days, pass too.
        assert!(
            creds("test", "test", "", 5 * 86_400)
                .checked_profile(now)
                .is_ok()
        );
        // Nothing that could leave its quotes does.
        for (id, secret) in [
            ("AKIA\n[default]", "secret"),
            ("AKIA", "se'cret"),
            ("AKIA", "se\"cret"),
            ("AKIA", "$(id)"),
            ("AKIA", "a b"),
            ("", "secret"),
        ] {
            assert!(
                creds(id, secret, "", 3600).checked_profile(now).is_err(),
                "{id:?} {secret:?}"
            );
        }
        assert!(
            creds("AKIA", "secret", "tok;en", 3600)
                .checked_profile(now)
                .is_err()
        );
        // Years ahead pass (the SDKs take `2099-01-01`); already expired
        // keys, or a millennium, do not.
        assert!(
            creds("AKIA", "secret", "tok", 400 * 86_400)
                .checked_profile(now)
                .is_ok()
        );
        for exp in [-120, 0, 1000 * 366 * 86_400] {
            assert!(
                creds("AKIA", "secret", "tok", exp)
                    .checked_profile(now)
                    .is_err(),
                "{exp}"
            );
        }
    }
}
