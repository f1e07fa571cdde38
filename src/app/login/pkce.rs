//! The authorization-code login with PKCE, as the AWS CLI runs it since
//! 2.22: a loopback listener on 127.0.0.1 (up before the browser opens),
//! a client registered for `authorization_code` + `refresh_token` with the
//! port-less loopback redirect URI and the start URL as issuer, the
//! browser sent to `/authorize` with an S256 challenge and a random
//! `state`, and CreateToken with the code and the verifier.

use super::registration::{registration, store};
use crate::app::error::Error;
use crate::app::session::tokens::TokenSource;
use crate::core::sso::flow::LoginOptions;
use crate::core::sso::pkce::{self, Callback, Pkce};
use crate::core::sso::token::CachedToken;
use crate::edge::env::Env;
use crate::edge::oidc::OidcError;
use crate::edge::{browser, callback};
use std::time::Duration;

/// How long the browser has to come back (the AWS CLI's 10 minutes).
const CALLBACK_WAIT: Duration = Duration::from_mins(10);

fn fresh_pkce() -> Pkce {
    use rand::RngCore;
    let mut b = [0u8; 64];
    // The thread RNG is a CSPRNG seeded from the OS.
    rand::rng().fill_bytes(&mut b);
    Pkce::from_random(&b)
}

pub(super) async fn login(
    ts: &TokenSource,
    env: &Env,
    opts: &LoginOptions,
    oidc_start_url: &str,
) -> Result<CachedToken, Error> {
    let session = &ts.session;
    let secrets = fresh_pkce();
    let port = opts.redirect_port.unwrap_or(0);
    let mut listener = callback::listen(port, secrets.state.clone())
        .await
        .map_err(|source| Error::Callback { port, source })?;
    let redirect_uri = pkce::redirect_uri(listener.port());
    let oidc = ts.oidc();
    let scopes = ts.scope_list();
    let reg = registration(
        ts,
        &oidc,
        &scopes,
        Some((
            &format!("http://127.0.0.1{}", pkce::CALLBACK_PATH),
            oidc_start_url,
        )),
    )
    .await?;
    // The /authorize host is the OIDC client's own endpoint, from the
    // SDK's rules (partition, FIPS, dual-stack), as the AWS CLI takes it.
    let base =
        crate::edge::endpoints::oidc_base(&session.region, ts.variant, ts.oidc_endpoint.as_deref())
            .await
            .map_err(Error::Usage)?;
    let url = pkce::authorize_url(&base, &reg.client_id, &redirect_uri, &secrets, &scopes);
    // The browser gets a private file page that sends it on: `state` and
    // the challenge never appear in a process list.
    // A confined (snap, flatpak) $BROWSER gets a one-time loopback link,
    // kept for the whole wait.
    let (opened, _once) = match crate::app::setup::run_dir_of(env, &ts.cache) {
        Ok((dir, _)) if !opts.no_browser => browser::open_secret(&url, env, &dir).await,
        _ => (false, None),
    };
    eprintln!(
        "ssopick: log in to SSO session {} ({}) in the browser{}:\n\n  {url}\n\n  \
(waiting for the browser to come back to {redirect_uri}; Ctrl-C to stop.\n   \
If the browser is on another machine, use --use-device-code{}.)",
        session.id(),
        session.start_url,
        if opened {
            " (opened; else open this URL)"
        } else {
            ": open this URL"
        },
        if opts.redirect_port.is_some() {
            " or forward this port"
        } else {
            ", or --redirect-port with ssh -L"
        },
    );
    let got = wait_for_code(&mut listener).await;
    // A failed login's page is written after its callback is handed over:
    // it gets a moment to reach the browser before the process ends.
    listener.close(got.is_err()).await;
    let code = match got {
        // The service refused the cached client: the next login registers anew.
        Err(Error::LoginDenied(why))
            if why.starts_with("invalid_client") || why.starts_with("unauthorized_client") =>
        {
            super::registration::forget_registration(ts, &scopes, true);
            return Err(Error::LoginDenied(format!(
                "{why} (the cached client registration was dropped; run `ssopick login` again)"
            )));
        }
        other => other?,
    };
    let tokens = oidc
        .create_token_with_code(&reg, &code, secrets.verifier(), &redirect_uri)
        .await
        .map_err(|source| match source {
            OidcError::Expired => Error::LoginTimedOut,
            OidcError::Denied(m) => Error::LoginDenied(m),
            source => Error::Oidc {
                step: "CreateToken",
                source,
            },
        })?;
    store(ts, &reg, &scopes, &tokens)
}

/// The authorization code, once a callback with the right state arrives.
async fn wait_for_code(listener: &mut callback::CallbackListener) -> Result<String, Error> {
    let deadline = tokio::time::Instant::now() + CALLBACK_WAIT;
    let mut bad = 0;
    loop {
        let got = tokio::time::timeout_at(deadline, listener.next())
            .await
            .map_err(|_| Error::LoginTimedOut)?;
        match got {
            Some(Callback::Code(c)) => return Ok(c),
            Some(Callback::Denied(why)) => return Err(Error::LoginDenied(why)),
            // Answered and ignored (a web page can aim requests at a fixed
            // port; it must not be able to cancel the login).
            Some(Callback::BadState) => {
                bad += 1;
                if bad == 1 {
                    eprintln!(
                        "ssopick: ignored a request to the login's callback whose state does not match this login."
                    );
                }
            }
            Some(Callback::NotACallback) => {}
            None => return Err(Error::LoginTimedOut),
        }
    }
}
