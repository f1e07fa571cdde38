//! Role credentials that never go stale: fetched once before a child (or
//! `serve`) starts, then renewed in the background ahead of their expiry,
//! never on a request's path (SDKs give a credential endpoint 1-2 s). The
//! SSO token is refreshed on the way when it nears its own end.
//!
//! The token file is followed every second (`TokenSource::sync`): when it
//! is removed (`logout`, `aws sso logout`), the keys held are dropped and
//! the endpoint answers `LoggedOut`; when a new login replaces it, the
//! keys are fetched with it at once and the endpoint serves again. The
//! terminal is told once of each.

pub(crate) use crate::app::deliver::feed::RoleFeed;
use crate::app::error::Error;
use crate::app::session::tokens::Synced;
use crate::core::credentials::RoleCredentials;
use crate::core::time::{Clock, UtcTime};
use crate::edge::cred_server::Answer;
use crate::edge::task::Owned;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Renew this long before expiry (or half the lifetime, when shorter).
const RENEW_AHEAD_SECS: i64 = 15 * 60;
/// After a failed renewal, try again after this long (doubling, capped).
const RETRY_FIRST: Duration = Duration::from_secs(2);
const RETRY_CAP: Duration = Duration::from_mins(1);
/// How often the token file is looked at.
const WATCH_EVERY: Duration = Duration::from_secs(1);

struct Live {
    /// `None` once logged out: nothing is served.
    creds: Option<RoleCredentials>,
    fetched_at: UtcTime,
    problem: Option<(String, String)>,
    /// The terminal was told that nothing is served now.
    told: bool,
}

/// Keeps one role's credentials fresh until dropped.
pub(crate) struct Renewer {
    live: Arc<Mutex<Live>>,
    clock: Arc<dyn Clock>,
    first: RoleCredentials,
    /// The renewal and the token file's watch, stopped with this.
    _tasks: [Owned<()>; 2],
}

/// When to renew credentials fetched at `fetched` that expire at `exp`.
pub(crate) fn renew_at(fetched: UtcTime, exp: UtcTime) -> UtcTime {
    let lifetime = fetched.secs_until(exp).max(2);
    exp.plus_secs(-RENEW_AHEAD_SECS.min(lifetime / 2))
}

fn lock(live: &Mutex<Live>) -> std::sync::MutexGuard<'_, Live> {
    live.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Renewer {
    /// Fetches the first credentials (errors are the command's), then keeps
    /// them fresh in the background.
    pub(crate) async fn start(feed: RoleFeed) -> Result<Renewer, Error> {
        let clock = feed.clock.clone();
        // The file as it is now is the starting point of the watch.
        feed.tokens.sync();
        let creds = feed.fetch().await?;
        let live = Arc::new(Mutex::new(Live {
            creds: Some(creds.clone()),
            fetched_at: clock.now(),
            problem: None,
            told: false,
        }));
        let wake = Arc::new(tokio::sync::Notify::new());
        // A renewal never asks on the terminal (a child may be using it).
        let feed = RoleFeed {
            may_prompt: false,
            ..feed
        };
        let tasks = [
            Owned::spawn(renew_forever(feed.clone(), live.clone(), wake.clone())),
            Owned::spawn(watch_token(feed, live.clone(), wake)),
        ];
        Ok(Renewer {
            live,
            clock,
            first: creds,
            _tasks: tasks,
        })
    }

    /// The credentials first fetched (for `shell`'s start line).
    pub(crate) fn first(&self) -> &RoleCredentials {
        &self.first
    }

    /// Whether the endpoint serves keys valid now (for the register).
    pub(crate) fn serving(&self) -> impl Fn() -> bool + Send + Sync + 'static {
        let answer = self.answer();
        move || matches!(answer(), Answer::Credentials(_))
    }

    /// What the endpoint answers now: the keys while they are valid, else
    /// why there are none.
    pub(crate) fn answer(&self) -> impl Fn() -> Answer + Send + Sync + 'static {
        let live = self.live.clone();
        let clock = self.clock.clone();
        move || {
            let l = lock(&live);
            if let Some(c) = &l.creds
                && c.expiration > clock.now()
            {
                return Answer::Credentials(c.clone());
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

/// Says `what` on the terminal (which may be in raw mode under a child).
fn tell(what: &str) {
    eprintln!("\r\nssopick: {what}\r");
}

async fn renew_forever(feed: RoleFeed, live: Arc<Mutex<Live>>, wake: Arc<tokio::sync::Notify>) {
    let clock = feed.clock.clone();
    let mut wait_after_failure = RETRY_FIRST;
    let who = format!("{} {}", feed.chosen.account.account_name, feed.chosen.role);
    loop {
        let due = {
            let l = lock(&live);
            match (&l.creds, &l.problem) {
                (Some(c), None) => Some(renew_at(l.fetched_at, c.expiration)),
                // Logged out: only a new login (a wake) brings keys back.
                (None, _) => None,
                (Some(_), Some(_)) => Some(clock.now()),
            }
        };
        let nap = due.map(|d| {
            Duration::from_secs(u64::try_from(clock.now().secs_until(d).max(1)).unwrap_or(1))
        });
        tokio::select! {
            () = async { tokio::time::sleep(nap.unwrap_or(Duration::MAX)).await }, if nap.is_some() => {}
            () = wake.notified() => {}
        }
        // The file first: a logout since the last look serves nothing (a
        // profile row's keys do not come through the session).
        if feed.uses_sso()
            && (feed.tokens.sync() == Synced::LoggedOut || feed.tokens.peek().is_none())
        {
            logged_out(&feed, &live);
            continue;
        }
        match feed.fetch().await {
            Ok(creds) => {
                let mut l = lock(&live);
                l.creds = Some(creds);
                l.fetched_at = clock.now();
                l.problem = None;
                if l.told {
                    tell(&format!(
                        "serving again: the credentials of {who} were renewed with the new login."
                    ));
                    l.told = false;
                }
                wait_after_failure = RETRY_FIRST;
            }
            Err(e) => {
                let expired = matches!(e, Error::SessionExpired { .. } | Error::NotLoggedIn { .. });
                {
                    let mut l = lock(&live);
                    if expired && !l.told {
                        tell(&format!("cannot renew the credentials of {who}: {e}"));
                        l.told = true;
                    }
                    let code = if expired {
                        "SessionExpired"
                    } else {
                        "RenewalFailed"
                    };
                    l.problem = Some((code.into(), e.first_line()));
                }
                tokio::select! {
                    () = tokio::time::sleep(wait_after_failure) => {}
                    () = wake.notified() => {}
                }
                wait_after_failure = (wait_after_failure * 2).min(RETRY_CAP);
            }
        }
    }
}

/// The session was logged out: the keys held are dropped, and the
/// endpoint says why (once on the terminal).
fn logged_out(feed: &RoleFeed, live: &Mutex<Live>) {
    let mut l = lock(live);
    l.creds = None;
    let login = feed.tokens.session.login_command();
    l.problem = Some((
        "LoggedOut".into(),
        format!(
            "the SSO session {} was logged out; run `{login}` and this endpoint serves again",
            feed.tokens.session.id()
        ),
    ));
    if !l.told {
        tell(&format!(
            "session {} was logged out: no keys are served now (those handed out stay valid at AWS until they expire). Run `{login}` to serve again.",
            feed.tokens.session.id()
        ));
        l.told = true;
    }
}

/// Looks at the token file every second: a logout drops the keys at once;
/// a new login while nothing is served wakes the renewal.
async fn watch_token(feed: RoleFeed, live: Arc<Mutex<Live>>, wake: Arc<tokio::sync::Notify>) {
    if !feed.uses_sso() {
        return;
    }
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        match feed.tokens.sync() {
            Synced::LoggedOut => logged_out(&feed, &live),
            Synced::Adopted => {
                let stuck = {
                    let l = lock(&live);
                    l.creds.is_none() || l.problem.is_some()
                };
                if stuck {
                    wake.notify_one();
                }
            }
            Synced::Same | Synced::Unreadable => {}
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
