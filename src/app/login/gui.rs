//! `credential-process --login`: a login for a caller with no terminal
//! (an IDE, a GUI app) when the session has ended. Where a browser can be
//! opened, one caller per session claims the login lock and starts a
//! detached `ssopick login --session S` that holds it and outlives it,
//! with a desktop notification; every caller then waits (up to `[login]
//! wait`, under the Go SDKs' one-minute limit) for the new token. A caller
//! that finds the lock held never opens a second browser.

use crate::app::error::Error;
use crate::app::setup::Setup;
use crate::core::sso::session::Session;
use crate::edge::{browser, detached, token_cache};
use std::time::Duration;

/// How often the token file is looked at while waiting.
const POLL: Duration = Duration::from_millis(200);
/// A new token must be good for this long to count.
const FRESH_SECS: i64 = 60;

/// Gets the session logged in again, or says how (`ended`: the error that
/// brought us here). `Ok` once a valid token is in the cache.
pub(crate) async fn login_and_wait(
    setup: &Setup,
    session: &Session,
    ended: Error,
) -> Result<(), Error> {
    let name = session.id();
    let command = format!(
        "ssopick login --session {}",
        crate::core::export::shell_word(name)
    );
    if setup.is_demo() || !browser::usable(&setup.env) {
        return Err(Error::GuiLogin(format!(
            "{ended}\n(no browser can be opened here, so no login was started; run: {command})"
        )));
    }
    let key = session.cache_key();
    let lock = setup.paths.cache.join("locks").join(format!("{key}.login"));
    let lock_error = |e: std::io::Error| Error::file("lock", &lock, e);
    if let Some(claimed) = detached::claim(&lock).map_err(lock_error)? {
        let dir = setup.run_dir()?;
        let program = crate::edge::process::own_path().map_err(Error::OwnPath)?;
        let args = vec![
            "login".to_string(),
            "--session".to_string(),
            name.to_string(),
        ];
        let log = dir.join(format!("login-{key}.log"));
        detached::spawn(&program, &args, &log, claimed)
            .map_err(|e| Error::file("start a login for", &log, e))?;
        detached::notify(
            "ssopick: sign in",
            &format!(
                "An app needs the AWS SSO session {name}: finish the sign-in in your browser."
            ),
        );
        eprintln!(
            "ssopick: started `{command}` in the background; waiting for the browser sign-in."
        );
    } else {
        eprintln!("ssopick: a login for {name} is under way; waiting for it.");
    }
    let path = token_cache::token_path(&setup.paths.sso_cache, session);
    let wait = Duration::from_secs(setup.settings.login.wait_secs());
    let end = tokio::time::Instant::now() + wait;
    let fresh = || {
        token_cache::read(&path)
            .is_some_and(|t| setup.clock.now().secs_until(t.expires_at) > FRESH_SECS)
    };
    loop {
        if fresh() {
            return Ok(());
        }
        if !detached::held(&lock) {
            // The login ended: one last look, then it failed.
            if fresh() {
                return Ok(());
            }
            return Err(Error::GuiLogin(format!(
                "the browser login for {name} did not finish; run: {command}"
            )));
        }
        if tokio::time::Instant::now() >= end {
            return Err(Error::GuiLogin(format!(
                "finish the login in the browser, or run: {command}"
            )));
        }
        tokio::time::sleep(POLL).await;
    }
}
