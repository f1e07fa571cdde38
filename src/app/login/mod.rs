//! Logging in: the authorization-code flow with PKCE for `[sso-session]`
//! sessions (the AWS CLI's default since 2.22, `pkce`), the device
//! code flow for legacy sessions, with `--use-device-code`, and where no
//! browser can reach this machine. Either way the token is written to the
//! shared token cache exactly where and as the AWS CLI writes it, so `aws`,
//! Terraform and the SDKs use the same login.
//!
//! `login` picks the flow; `device` and `pkce` are the two flows, and
//! `registration` what both share (the client registration, the token
//! written to the cache). The flows never call each other.

use crate::app::error::Error;
use crate::app::session::tokens::TokenSource;
use crate::core::sso::flow::{Flow, LoginOptions, flow};
use crate::core::sso::token::CachedToken;
use crate::edge::browser;
use crate::edge::env::Env;

mod device;
pub(crate) mod gui;
mod pkce;
mod registration;

/// Logs in by the flow `flow` picks; Ctrl-C stops it (exit 130).
/// `oidc_start_url` is the start URL OIDC is given: the session's, or
/// where a company's own start URL leads (`Target::for_login`).
pub(crate) async fn login(
    ts: &TokenSource,
    env: &Env,
    opts: &LoginOptions,
    oidc_start_url: &str,
) -> Result<CachedToken, Error> {
    if ts.path().is_none() {
        return Err(Error::Usage(
            "this session has no token file to log in to".into(),
        ));
    }
    let wants = ts.session.endpoint_keys.device_code();
    let chosen = flow(&ts.session.kind, opts, wants, browser::place(env));
    let run = async {
        match chosen {
            Flow::AuthCode => pkce::login(ts, env, opts, oidc_start_url).await,
            Flow::DeviceCode(why) => {
                if let Some(why) = why {
                    eprintln!("ssopick: {why}");
                }
                device::login(ts, env, opts, oidc_start_url).await
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
