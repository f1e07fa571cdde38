//! Where one role's credentials come from: GetRoleCredentials for an SSO
//! row, and for a chained row (config.toml `[[chain]]`) the SSO row it goes
//! through, then STS AssumeRole with those credentials. Owned, so it can
//! outlive the command that made it (the renewal task).

use crate::app::error::Error;
use crate::app::session::portal_error::portal_error;
use crate::app::session::tokens::TokenSource;
use crate::core::catalog::Account;
use crate::core::chain::{self, Chain};
use crate::core::credentials::RoleCredentials;
use crate::core::export::Chosen;
use crate::core::profile_rows::ProfileRow;
use crate::core::time::Clock;
use crate::edge::portal::{PortalClient, PortalOptions, retry_call};
use crate::edge::profile_creds::{self, ProfileError, ProfileOptions};
use crate::edge::prompt;
use crate::edge::sts::{self, AssumeRequest, StsError, StsOptions};
use std::sync::Arc;

#[derive(Clone)]
pub(crate) struct RoleFeed {
    pub tokens: Arc<TokenSource>,
    pub portal: PortalOptions,
    pub chosen: Chosen,
    pub clock: Arc<dyn Clock>,
    /// STS, for a chained row.
    pub sts: StsOptions,
    /// The role session name a chain without its own uses.
    pub session_name: String,
    /// `--demo`: there is no STS to ask.
    pub demo: bool,
    /// How a profile row's credentials are resolved (`edge::profile_creds`).
    pub profiles: ProfileOptions,
    /// An `mfa_serial` profile may ask for its code (the first fetch on a
    /// terminal; never a renewal in the background).
    pub may_prompt: bool,
}

impl RoleFeed {
    /// The role's credentials, with a token valid now; errors as the user
    /// reads them.
    pub(crate) async fn fetch(&self) -> Result<RoleCredentials, Error> {
        if let Some(p) = &self.chosen.account.profile {
            return self.profile(p).await;
        }
        match &self.chosen.account.chain {
            None => self.sso(&self.chosen).await,
            Some(c) => {
                self.sts_here(c)?;
                let source = self.sso(&via(&self.chosen, c)).await?;
                self.assume(c, &source).await
            }
        }
    }

    /// Whether the credentials come through the SSO session (its logout
    /// stops them); a profile row's never do.
    pub(crate) fn uses_sso(&self) -> bool {
        self.chosen.account.profile.is_none()
    }

    /// A profile row's credentials, checked as the portal's are.
    pub(crate) async fn profile(&self, p: &ProfileRow) -> Result<RoleCredentials, Error> {
        match &p.mfa_serial {
            Some(serial) if self.may_prompt => {
                let got = self.with_mfa(p, serial).await?;
                checked(p, got, self.clock.now())
            }
            _ => unprompted(p, &self.profiles, self.clock.now()).await,
        }
    }

    /// An `mfa_serial` assume-role (which aws-config leaves to the caller):
    /// the code typed on the terminal, the source profile's credentials,
    /// then STS AssumeRole with `SerialNumber` and `TokenCode`.
    async fn with_mfa(&self, p: &ProfileRow, serial: &str) -> Result<RoleCredentials, Error> {
        let needs = || Error::NeedsMfa {
            name: p.name.clone(),
            serial: serial.to_string(),
        };
        let (Some(source), Some(role_arn)) = (&p.source_profile, &p.role_arn) else {
            return Err(Error::ProfileConfig {
                name: p.name.clone(),
                message: "mfa_serial works with role_arn and source_profile (credential_source cannot carry an MFA code)".into(),
            });
        };
        // Anything but a serial (a newline, an escape) never reaches the
        // prompt or STS.
        if !crate::core::names::valid_mfa_serial(serial) {
            return Err(Error::ProfileConfig {
                name: p.name.clone(),
                message: format!(
                    "mfa_serial {:?} is not an MFA device's ARN or serial number",
                    crate::core::catalog::clean_text(serial)
                ),
            });
        }
        if !self.may_prompt || !prompt::has_terminal() {
            return Err(needs());
        }
        // A mistyped code is asked for again (three tries in all).
        let is_code = |c: &str| (6..=8).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_digit());
        let mut code = None;
        for attempt in 0..3 {
            let again = if attempt == 0 {
                ""
            } else {
                "an MFA code is 6 digits; "
            };
            let typed = prompt::ask_line(&format!(
                "ssopick: {again}MFA code for {serial} (profile {}): ",
                p.name
            ))
            .ok_or_else(needs)?;
            if is_code(&typed) {
                code = Some(typed);
                break;
            }
        }
        let Some(code) = code else {
            return Err(Error::Usage(format!(
                "an MFA code is 6 digits; {serial} was not asked (profile {})",
                p.name
            )));
        };
        let from = profile_creds::resolve(&self.profiles, source, self.clock.now())
            .await
            .map_err(|e| profile_error(p, e))?;
        let req = AssumeRequest {
            role_arn,
            session_name: p.role_session_name.as_deref().unwrap_or(&self.session_name),
            external_id: p.external_id.as_deref(),
            duration_secs: p.duration_seconds.unwrap_or(3600),
            mfa: Some((serial, &code)),
        };
        let sts = StsOptions {
            region: self.profiles.region.clone(),
            ..self.sts.clone()
        };
        sts::assume_role(&sts, &from, &req)
            .await
            .map_err(|e| Error::ProfileFailed {
                name: p.name.clone(),
                message: format!("STS AssumeRole with MFA: {e}"),
            })
    }

    /// A chained row's credentials from its via row's `source` ones. Their
    /// expiry never passes the source's.
    pub(crate) async fn assume(
        &self,
        c: &Chain,
        source: &RoleCredentials,
    ) -> Result<RoleCredentials, Error> {
        self.sts_here(c)?;
        let req = AssumeRequest {
            role_arn: &c.role_arn,
            session_name: c.session_name.as_deref().unwrap_or(&self.session_name),
            external_id: c.external_id.as_deref(),
            duration_secs: c.duration_secs(),
            mfa: None,
        };
        let got = sts::assume_role(&self.sts, source, &req)
            .await
            .map_err(|e| sts_error(c, &self.sts, e))?
            .checked(self.clock.now())
            .map_err(|why| Error::Malformed {
                what: format!("chain {} (STS AssumeRole)", c.name),
                why,
            })?;
        Ok(RoleCredentials {
            expiration: chain::capped(got.expiration, source.expiration),
            expiry_stated: true,
            ..got
        })
    }

    /// The row's IAM role ARN: a chain's own, or for an SSO row the one STS
    /// reports for its credentials (the `AWSReservedSSO_` role with its
    /// suffix, which only STS reveals), under `sso_region`'s path.
    pub(crate) async fn role_arn(&self, sso_region: &str) -> Result<String, Error> {
        if let Some(c) = &self.chosen.account.chain {
            return Ok(c.role_arn.clone());
        }
        if let Some(p) = &self.chosen.account.profile {
            return p.role_arn.clone().ok_or_else(|| {
                Error::Usage(format!(
                    "AWS profile {} names no role ARN ({} credentials)",
                    p.name,
                    p.kind.word()
                ))
            });
        }
        let creds = self.sso(&self.chosen).await?;
        let sts_error = |m: String| Error::Sts {
            what: format!(
                "GetCallerIdentity (the role ARN of {} in {})",
                self.chosen.role, self.chosen.account.account_id
            ),
            message: m,
        };
        let arn = sts::caller_arn(&self.sts, &creds)
            .await
            .map_err(|e| sts_error(e.to_string()))?;
        crate::core::names::sso_role_arn(&arn, sso_region).ok_or_else(|| {
            sts_error(format!(
                "STS says these credentials act as {arn:?}, not an IAM Identity Center role"
            ))
        })
    }

    /// The demo has no STS: a chained row is refused before any call.
    fn sts_here(&self, c: &Chain) -> Result<(), Error> {
        if self.demo {
            return Err(Error::Usage(format!(
                "the demo has no STS to assume {} with ([[chain]] {}); chained rows work after a real login",
                c.role_arn, c.name
            )));
        }
        Ok(())
    }

    /// GetRoleCredentials for an SSO row.
    pub(crate) async fn sso(&self, chosen: &Chosen) -> Result<RoleCredentials, Error> {
        let client = PortalClient::new(&self.portal, self.tokens.access().await?);
        let (id, role) = (&chosen.account.account_id, &chosen.role);
        let got = retry_call(|| client.role_credentials(id, role))
            .await
            .map_err(|e| portal_error(e, &self.tokens, &self.portal, Some(chosen)))?;
        got.checked(self.clock.now())
            .map_err(|why| Error::Malformed {
                what: format!("{role} in {id}"),
                why,
            })
    }
}

/// The SSO row a chained row goes through.
pub(crate) fn via(chosen: &Chosen, c: &Chain) -> Chosen {
    Chosen::new(
        Account::new(c.via.account.clone(), c.via.account.clone(), String::new()),
        c.via.role.clone(),
        chosen.session.clone(),
    )
}

/// A profile row's credentials with no terminal to ask on: an
/// `mfa_serial` profile says it needs MFA (`credential-process
/// --profile`, a renewal).
pub(crate) async fn unprompted(
    p: &ProfileRow,
    opts: &ProfileOptions,
    now: crate::core::time::UtcTime,
) -> Result<RoleCredentials, Error> {
    if let Some(serial) = &p.mfa_serial {
        return Err(Error::NeedsMfa {
            name: p.name.clone(),
            serial: serial.clone(),
        });
    }
    let got = profile_creds::resolve(opts, &p.name, now)
        .await
        .map_err(|e| profile_error(p, e))?;
    checked(p, got, now)
}

/// A profile's credentials pass the checks the portal's do (long-term keys
/// without a token).
fn checked(
    p: &ProfileRow,
    got: RoleCredentials,
    now: crate::core::time::UtcTime,
) -> Result<RoleCredentials, Error> {
    got.checked_profile(now)
        .map_err(|why| Error::ProfileMalformed {
            name: p.name.clone(),
            message: format!(
                "its credentials are refused: {why}. Nothing was written, printed or served"
            ),
        })
}

/// A profile's failure as the user reads it.
fn profile_error(p: &ProfileRow, e: ProfileError) -> Error {
    let name = p.name.clone();
    match e {
        ProfileError::Config(message) => Error::ProfileConfig { name, message },
        ProfileError::Failed(message) | ProfileError::Transient(message) => {
            Error::ProfileFailed { name, message }
        }
        ProfileError::Malformed(message) => Error::ProfileMalformed { name, message },
        ProfileError::Login(message) => {
            let profile = crate::core::export::shell_word(&p.name);
            let hint = match p.kind {
                crate::core::profile_rows::Kind::Login => format!("aws login --profile {profile}"),
                _ => format!(
                    "ssopick login (or aws sso login --profile {}), for the SSO profile it starts from",
                    p.source_profile
                        .as_deref()
                        .map_or(profile.clone(), crate::core::export::shell_word)
                ),
            };
            Error::ProfileLogin {
                name,
                message,
                hint,
            }
        }
    }
}

fn sts_error(c: &Chain, opts: &StsOptions, e: StsError) -> Error {
    let from = format!("{}@{}", c.via.role, c.via.account);
    match e {
        StsError::Denied(m) => Error::NoAccess {
            account: format!("{} ({})", c.name, c.account_id()),
            role: c.role_name().to_string(),
            detail: format!(
                "STS refused to let {from} assume {}: {m}.\nThe role's trust policy must trust the SSO role (its AWSReservedSSO_{}_* ARN) and match external_id",
                c.role_arn, c.via.role
            ),
        },
        StsError::Transient(m) => Error::Sts {
            what: format!("AssumeRole for chain {}", c.name),
            message: match &opts.endpoint {
                Some(e) => format!(
                    "{m}.\nCheck your network and AWS_ENDPOINT_URL_STS ({e}), then try again."
                ),
                None => format!("{m}.\nCheck your network, then try again."),
            },
        },
        StsError::Expired(m) | StsError::Throttled(m) | StsError::Fatal(m) => Error::Sts {
            what: format!("AssumeRole for chain {}", c.name),
            message: m,
        },
    }
}
