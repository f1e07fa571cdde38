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
use crate::core::time::Clock;
use crate::edge::portal::{PortalClient, PortalOptions, retry_call};
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
}

impl RoleFeed {
    /// The role's credentials, with a token valid now; errors as the user
    /// reads them.
    pub(crate) async fn fetch(&self) -> Result<RoleCredentials, Error> {
        match &self.chosen.account.chain {
            None => self.sso(&self.chosen).await,
            Some(c) => {
                self.sts_here(c)?;
                let source = self.sso(&via(&self.chosen, c)).await?;
                self.assume(c, &source).await
            }
        }
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
