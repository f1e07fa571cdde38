//! What both login flows share: the cached OIDC client registration, and
//! writing the new token where the AWS CLI keeps it.

use crate::app::error::Error;
use crate::app::session::tokens::TokenSource;
use crate::core::sso::pkce::AUTH_CODE_GRANTS;
use crate::core::sso::token::{CachedToken, Registration};
use crate::edge::oidc::{OidcClient, Tokens};
use crate::edge::token_cache::{self, RegistrationFor};

/// Reuse a client registration until this long before it expires.
const REGISTRATION_MARGIN_SECS: i64 = 15 * 60;

/// What a registration for this login is keyed by.
pub(super) fn registration_for<'a>(
    ts: &'a TokenSource,
    scopes: &'a [String],
    pkce: bool,
) -> RegistrationFor<'a> {
    RegistrationFor {
        session: &ts.session,
        scopes,
        grants: if pkce { AUTH_CODE_GRANTS } else { &[] },
        endpoint: ts.oidc_endpoint.as_deref(),
    }
}

/// A cached registration good for 15 more minutes, else a new one. `pkce`
/// is the redirect URI and the issuer for an authorization-code one.
pub(super) async fn registration(
    ts: &TokenSource,
    oidc: &OidcClient,
    scopes: &[String],
    pkce: Option<(&str, &str)>,
) -> Result<Registration, Error> {
    let key = registration_for(ts, scopes, pkce.is_some());
    let now = ts.clock.now();
    if let Some(r) = token_cache::load_registration(&ts.cache, &key)
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
    token_cache::save_registration(&ts.cache, &key, &reg);
    Ok(reg)
}

/// Drops the cached registration after the service refused it, so the
/// next attempt registers anew.
pub(super) fn forget_registration(ts: &TokenSource, scopes: &[String], pkce: bool) {
    token_cache::forget_registration(&ts.cache, &registration_for(ts, scopes, pkce));
}

/// Writes the new token where the AWS CLI keeps it and makes it current.
pub(super) fn store(
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
