//! Logging in with the OIDC device authorization flow: the URL and code are
//! shown (and a browser opened where one can be), the token is polled for
//! and written to the shared token cache exactly where and as the AWS CLI
//! writes it, so `aws`, Terraform and the SDKs use the same login.

use crate::app::error::Error;
use crate::app::tokens::TokenSource;
use crate::core::sso::token::{CachedToken, Registration};
use crate::edge::env::Env;
use crate::edge::oidc::{DEVICE_GRANT, OidcClient, OidcError};
use crate::edge::{browser, token_cache};
use std::time::Duration;

/// Reuse a client registration until this long before it expires.
const REGISTRATION_MARGIN_SECS: i64 = 15 * 60;
/// The slowest polling a server may ask for, in seconds.
const MAX_INTERVAL_SECS: u64 = 60;

/// A cached registration good for 15 more minutes, else a new one.
async fn registration(
    ts: &TokenSource,
    oidc: &OidcClient,
    scopes: &[String],
) -> Result<Registration, Error> {
    let now = ts.clock.now();
    if let Some(r) = token_cache::load_registration(&ts.cache, &ts.session, scopes)
        && now.secs_until(r.expires_at) > REGISTRATION_MARGIN_SECS
    {
        return Ok(r);
    }
    let reg = oidc.register(scopes).await.map_err(|source| Error::Oidc {
        step: "RegisterClient",
        source,
    })?;
    token_cache::save_registration(&ts.cache, &ts.session, scopes, &reg);
    Ok(reg)
}

/// The device authorization flow; writes the token and returns it.
pub async fn login(ts: &TokenSource, env: &Env) -> Result<CachedToken, Error> {
    let session = &ts.session;
    let Some(path) = ts.path().map(std::path::Path::to_path_buf) else {
        return Err(Error::Usage(
            "this session has no token file to log in to".into(),
        ));
    };
    let oidc = ts.oidc();
    let scopes = ts.scope_list();
    let reg = registration(ts, &oidc, &scopes).await?;
    let auth = oidc
        .start_device_authorization(&reg, &session.start_url)
        .await
        .map_err(|source| Error::Oidc {
            step: "StartDeviceAuthorization",
            source,
        })?;
    let url = auth
        .verification_uri_complete
        .clone()
        .unwrap_or_else(|| auth.verification_uri.clone());
    let opened = browser::open(&url, env);
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
            Ok(t) => {
                let with_reg = (!scopes.is_empty()).then_some((&reg, t.refresh_token.as_ref()));
                let token = token_cache::write(
                    &path,
                    session,
                    &token_cache::NewToken {
                        access: &t.access_token,
                        expires_at: ts.clock.now().plus_secs(t.expires_in.max(0)),
                        registration: with_reg,
                    },
                )
                .map_err(|e| Error::file("write", &path, e))?;
                eprintln!(
                    "ssopick: logged in to {}; the session lasts until {}.",
                    session.id(),
                    token.expires_at
                );
                ts.replace(token.clone());
                return Ok(token);
            }
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
