//! Role credentials that never go stale: fetched once before a child (or
//! `serve`) starts, then renewed in the background ahead of their expiry,
//! never on a request's path (SDKs give a credential endpoint 1-2 s). The
//! SSO token is refreshed on the way when it nears its own end. When the
//! session is gone, the endpoint answers with an error an SDK can read, and
//! the terminal is told once what to run.

use crate::app::error::Error;
pub use crate::app::feed::RoleFeed;
use crate::core::credentials::RoleCredentials;
use crate::core::time::{Clock, UtcTime};
use crate::edge::cred_server::Answer;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Renew this long before expiry (or half the lifetime, when shorter).
const RENEW_AHEAD_SECS: i64 = 15 * 60;
/// After a failed renewal, try again after this long (doubling, capped).
const RETRY_FIRST: Duration = Duration::from_secs(2);
const RETRY_CAP: Duration = Duration::from_mins(1);

struct Live {
    creds: RoleCredentials,
    fetched_at: UtcTime,
    problem: Option<(String, String)>,
}

/// Keeps one role's credentials fresh until dropped.
pub struct Renewer {
    live: Arc<Mutex<Live>>,
    clock: Arc<dyn Clock>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Renewer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// When to renew credentials fetched at `fetched` that expire at `exp`.
pub fn renew_at(fetched: UtcTime, exp: UtcTime) -> UtcTime {
    let lifetime = fetched.secs_until(exp).max(2);
    exp.plus_secs(-RENEW_AHEAD_SECS.min(lifetime / 2))
}

impl Renewer {
    /// Fetches the first credentials (errors are the command's), then keeps
    /// them fresh in the background.
    pub async fn start(feed: RoleFeed) -> Result<Renewer, Error> {
        let clock = feed.clock.clone();
        let creds = feed.fetch().await?;
        let live = Arc::new(Mutex::new(Live {
            creds,
            fetched_at: clock.now(),
            problem: None,
        }));
        let task = tokio::spawn(renew_forever(feed, live.clone()));
        Ok(Renewer { live, clock, task })
    }

    /// The credentials now (for `shell`'s start line, tests).
    pub fn current(&self) -> RoleCredentials {
        self.live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .creds
            .clone()
    }

    /// What the endpoint answers now: the keys while they are valid, else
    /// why there are none.
    pub fn answer(&self) -> impl Fn() -> Answer + Send + Sync + 'static {
        let live = self.live.clone();
        let clock = self.clock.clone();
        move || {
            let l = live
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if l.creds.expiration > clock.now() {
                return Answer::Credentials(l.creds.clone());
            }
            let (code, message) = l.problem.clone().unwrap_or_else(|| {
                (
                    "CredentialsExpired".into(),
                    "the role's credentials expired and are being renewed".into(),
                )
            });
            Answer::Unavailable { code, message }
        }
    }
}

async fn renew_forever(feed: RoleFeed, live: Arc<Mutex<Live>>) {
    let clock = feed.clock.clone();
    let mut told = false;
    let mut wait_after_failure = RETRY_FIRST;
    loop {
        let due = {
            let l = live
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            renew_at(l.fetched_at, l.creds.expiration)
        };
        let secs = clock.now().secs_until(due).max(1);
        tokio::time::sleep(Duration::from_secs(u64::try_from(secs).unwrap_or(1))).await;
        match feed.fetch().await {
            Ok(creds) => {
                let mut l = live
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                l.creds = creds;
                l.fetched_at = clock.now();
                l.problem = None;
                wait_after_failure = RETRY_FIRST;
                told = false;
            }
            Err(e) => {
                let expired = matches!(e, Error::SessionExpired { .. } | Error::NotLoggedIn { .. });
                if expired && !told {
                    eprintln!(
                        "\r\nssopick: cannot renew the credentials of {} {}: {e}\r",
                        feed.chosen.account.account_name, feed.chosen.role
                    );
                    told = true;
                }
                let code = if expired {
                    "SessionExpired"
                } else {
                    "RenewalFailed"
                };
                live.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .problem = Some((code.into(), e.first_line()));
                tokio::time::sleep(wait_after_failure).await;
                wait_after_failure = (wait_after_failure * 2).min(RETRY_CAP);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewal_comes_ahead_of_expiry() {
        let t = UtcTime(1_000_000);
        // An hour's credentials: 15 minutes before they end.
        assert_eq!(renew_at(t, t.plus_secs(3600)), t.plus_secs(2700));
        // Short ones: half way.
        assert_eq!(renew_at(t, t.plus_secs(20)), t.plus_secs(10));
        // Already expired: at once (the loop waits at least a second).
        assert!(renew_at(t, t.plus_secs(-5)) <= t);
    }
}
