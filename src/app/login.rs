//! Logging in: the authorization-code flow with PKCE for `[sso-session]`
//! sessions (the AWS CLI's default since 2.22, `login_pkce`), the device
//! code flow for legacy sessions, with `--use-device-code`, and where no
//! browser can reach this machine. Either way the token is written to the
//! shared token cache exactly where and as the AWS CLI writes it, so `aws`,
//! Terraform and the SDKs use the same login.

use crate::app::error::Error;
use crate::app::tokens::TokenSource;
use crate::core::sso::pkce::AUTH_CODE_GRANTS;
use crate::core::sso::session::SessionKind;
use crate::core::sso::token::{CachedToken, Registration};
use crate::edge::env::Env;
use crate::edge::oidc::{DEVICE_GRANT, OidcClient, OidcError, Tokens};
use crate::edge::{browser, token_cache};
use std::time::Duration;

/// Reuse a client registration until this long before it expires.
const REGISTRATION_MARGIN_SECS: i64 = 15 * 60;
/// The slowest polling a server may ask for, in seconds.
const MAX_INTERVAL_SECS: u64 = 60;

#[derive(Clone, Debug, Default)]
pub struct LoginOptions {
    /// Never open a browser: print the URL.
    pub no_browser: bool,
    /// The device-code flow even where the browser flow would work.
    pub use_device_code: bool,
    /// A fixed port for the browser flow's redirect (SSH forwarding).
    pub redirect_port: Option<u16>,
}

impl LoginOptions {
    /// config.toml's `[login]` settings.
    pub fn from_settings(s: &crate::core::settings::LoginSettings) -> LoginOptions {
        LoginOptions {
            no_browser: false,
            use_device_code: s.use_device_code,
            redirect_port: s.redirect_port,
        }
    }
}

/// Which flow a login takes, and why (said on stderr when it is not the
/// one the user would expect).
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    AuthCode,
    DeviceCode(Option<&'static str>),
}

/// The AWS CLI's choice (authorization code for `[sso-session]` sessions,
/// unless `--use-device-code`), plus a fallback: with no browser here (SSH,
/// no display) and no fixed redirect port to forward, the redirect could
/// never reach this machine, so the device code is used.
pub fn flow(kind: &SessionKind, opts: &LoginOptions, browser_usable: bool) -> Flow {
    if !matches!(kind, SessionKind::Named(_)) {
        return Flow::DeviceCode(None);
    }
    if opts.use_device_code {
        return Flow::DeviceCode(None);
    }
    if browser_usable || opts.redirect_port.is_some() {
        return Flow::AuthCode;
    }
    Flow::DeviceCode(Some(
        "no browser can be opened here (SSH or no display), so this login uses a device code.\n  (For the browser flow over SSH: --redirect-port 8400 with `ssh -L 8400:127.0.0.1:8400`.)",
    ))
}

/// A cached registration good for 15 more minutes, else a new one. The
/// cache is keyed by the grant types too: `pkce` is the redirect URI and
/// the issuer for an authorization-code registration.
pub(crate) async fn registration(
    ts: &TokenSource,
    oidc: &OidcClient,
    scopes: &[String],
    pkce: Option<(&str, &str)>,
) -> Result<Registration, Error> {
    let grants: &[&str] = if pkce.is_some() {
        AUTH_CODE_GRANTS
    } else {
        &[]
    };
    let now = ts.clock.now();
    if let Some(r) = token_cache::load_registration(&ts.cache, &ts.session, scopes, grants)
        && now.secs_until(r.expires_at) > REGISTRATION_MARGIN_SECS
    {
        return Ok(r);
    }
    let reg = oidc
        .register(scopes, pkce)
        .await
        .map_err(|source| Error::Oidc {
            step: "RegisterClient",
            source,
        })?;
    token_cache::save_registration(&ts.cache, &ts.session, scopes, grants, &reg);
    Ok(reg)
}

/// Writes the new token where the AWS CLI keeps it and makes it current.
pub(crate) fn store(
    ts: &TokenSource,
    reg: &Registration,
    scopes: &[String],
    t: &Tokens,
) -> Result<CachedToken, Error> {
    let Some(path) = ts.path() else {
        return Err(Error::Usage(
            "this session has no token file to log in to".into(),
        ));
    };
    let with_reg = (!scopes.is_empty()).then_some((reg, t.refresh_token.as_ref()));
    let token = token_cache::write(
        path,
        &ts.session,
        &token_cache::NewToken {
            access: &t.access_token,
            expires_at: ts.clock.now().plus_secs(t.expires_in.max(0)),
            registration: with_reg,
        },
    )
    .map_err(|e| Error::file("write", path, e))?;
    eprintln!(
        "ssopick: logged in to {} ({}); the session lasts until {}.",
        ts.session.id(),
        ts.session.start_url,
        token.expires_at
    );
    ts.replace(token.clone());
    Ok(token)
}

/// Logs in by the flow `flow` picks; Ctrl-C stops it (exit 130).
pub async fn login(ts: &TokenSource, env: &Env, opts: &LoginOptions) -> Result<CachedToken, Error> {
    if ts.path().is_none() {
        return Err(Error::Usage(
            "this session has no token file to log in to".into(),
        ));
    }
    let chosen = flow(&ts.session.kind, opts, browser::usable(env));
    let run = async {
        match chosen {
            Flow::AuthCode => crate::app::login_pkce::login(ts, env, opts).await,
            Flow::DeviceCode(why) => {
                if let Some(why) = why {
                    eprintln!("ssopick: {why}");
                }
                device_code(ts, env, opts).await
            }
        }
    };
    tokio::select! {
        r = run => r,
        _ = tokio::signal::ctrl_c() => {
            eprintln!("ssopick: login stopped; the session is unchanged.");
            Err(Error::Cancelled)
        }
    }
}

/// The device authorization flow.
async fn device_code(
    ts: &TokenSource,
    env: &Env,
    opts: &LoginOptions,
) -> Result<CachedToken, Error> {
    let session = &ts.session;
    let oidc = ts.oidc();
    let scopes = ts.scope_list();
    let reg = registration(ts, &oidc, &scopes, None).await?;
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
    let opened = !opts.no_browser && browser::open(&url, env);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flow_follows_the_cli_and_falls_back_without_a_browser() {
        let named = SessionKind::Named("corp".into());
        let o = LoginOptions::default();
        assert_eq!(flow(&named, &o, true), Flow::AuthCode);
        assert_eq!(flow(&SessionKind::Legacy, &o, true), Flow::DeviceCode(None));
        let dev = LoginOptions {
            use_device_code: true,
            ..o.clone()
        };
        assert_eq!(flow(&named, &dev, true), Flow::DeviceCode(None));
        assert!(matches!(flow(&named, &o, false), Flow::DeviceCode(Some(_))));
        let port = LoginOptions {
            redirect_port: Some(8400),
            ..o
        };
        assert_eq!(flow(&named, &port, false), Flow::AuthCode);
    }
}
