//! The device authorization flow: a code the user checks in a browser
//! anywhere, polled for until approved.

use super::registration::{forget_registration, registration, store};
use crate::app::error::Error;
use crate::app::session::tokens::TokenSource;
use crate::core::sso::flow::LoginOptions;
use crate::core::sso::token::CachedToken;
use crate::edge::browser;
use crate::edge::env::Env;
use crate::edge::oidc::{DEVICE_GRANT, OidcError};
use std::time::Duration;

/// The slowest polling a server may ask for, in seconds.
const MAX_INTERVAL_SECS: u64 = 60;

/// The device authorization flow.
pub(super) async fn login(
    ts: &TokenSource,
    env: &Env,
    opts: &LoginOptions,
    oidc_start_url: &str,
) -> Result<CachedToken, Error> {
    let session = &ts.session;
    let oidc = ts.oidc();
    let scopes = ts.scope_list();
    let mut reg = registration(ts, &oidc, &scopes, None).await?;
    let mut started = oidc.start_device_authorization(&reg, oidc_start_url).await;
    // A cached registration the service no longer knows: register anew, once.
    if let Err(OidcError::InvalidClient(_)) = started {
        forget_registration(ts, &scopes, false);
        reg = registration(ts, &oidc, &scopes, None).await?;
        started = oidc.start_device_authorization(&reg, oidc_start_url).await;
    }
    let auth = started.map_err(|source| Error::Oidc {
        step: "StartDeviceAuthorization",
        source,
    })?;
    // The server's words: only an https URL is opened, and what is shown
    // is cleaned for the terminal.
    let url = crate::core::catalog::clean_text(
        &auth
            .verification_uri_complete
            .clone()
            .unwrap_or_else(|| auth.verification_uri.clone()),
    );
    let opened = !opts.no_browser && url.starts_with("https://") && browser::open(&url, env);
    eprintln!(
        "ssopick: log in to SSO session {} ({})\n  {} {url}\n  and check that it shows the code {}\n  (waiting; Ctrl-C to stop)",
        session.id(),
        session.start_url,
        if opened {
            "a browser was opened at"
        } else {
            "open"
        },
        crate::core::catalog::clean_text(&auth.user_code)
    );
    let mut interval = auth.interval.clamp(1, MAX_INTERVAL_SECS);
    let deadline = tokio::time::Instant::now()
        + Duration::from_secs(u64::try_from(auth.expires_in.clamp(60, 3600)).unwrap_or(600));
    loop {
        let wake = (tokio::time::Instant::now() + Duration::from_secs(interval)).min(deadline);
        tokio::time::sleep_until(wake).await;
        match oidc
            .create_token(
                &reg.client_id,
                &reg.client_secret,
                DEVICE_GRANT,
                &auth.device_code,
            )
            .await
        {
            Ok(t) => return store(ts, &reg, &scopes, &t),
            Err(OidcError::AuthorizationPending) => {}
            Err(OidcError::SlowDown) => interval = (interval + 5).min(MAX_INTERVAL_SECS),
            Err(OidcError::Expired) => return Err(Error::LoginTimedOut),
            Err(OidcError::Denied(m)) => return Err(Error::LoginDenied(m)),
            Err(source) => {
                return Err(Error::Oidc {
                    step: "CreateToken",
                    source,
                });
            }
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(Error::LoginTimedOut);
        }
    }
}
