//! How one run reaches AWS: the endpoints (the demo's fakes, the standard
//! overrides), FIPS and dual-stack, and the network configuration with the
//! one HTTP client every SDK client shares.

use super::Setup;
use crate::app::error::Error;
use crate::core::env_vars as var;
use crate::core::sso::session::Session;
use crate::edge::net::NetConfig;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use std::time::Duration;

impl Setup {
    /// The portal endpoint: the demo's fake, else the standard overrides.
    pub(crate) fn portal_endpoint(&self) -> Option<String> {
        match &self.demo {
            Some(f) => Some(f.portal_url().to_string()),
            None => self.env.endpoint(var::AWS_ENDPOINT_URL_SSO),
        }
    }

    /// The federation sign-in endpoint: the demo's own, else the standard
    /// one of the partition (or `SSOPICK_SIGNIN_ENDPOINT`).
    pub(crate) fn signin_endpoint(&self) -> Option<String> {
        match &self.demo {
            Some(f) => Some(f.signin_url().to_string()),
            None => self.env.get(var::SSOPICK_SIGNIN_ENDPOINT),
        }
    }

    /// FIPS and dual-stack for a session's SDK clients: the environment,
    /// else the active profile's keys (`AWS_PROFILE`), else the session's.
    pub(crate) fn endpoint_variant(
        &self,
        s: &Session,
    ) -> Result<crate::core::sso::endpoints::Variant, Error> {
        let profile_name = self.env.get(var::AWS_PROFILE);
        let aws = profile_name.as_ref().map(|_| self.aws());
        let profile = profile_name
            .as_deref()
            .and_then(|n| aws.as_ref().and_then(|a| a.profile(n)));
        crate::core::sso::endpoints::variant(
            self.env.get(var::AWS_USE_FIPS_ENDPOINT).as_deref(),
            self.env.get(var::AWS_USE_DUALSTACK_ENDPOINT).as_deref(),
            profile,
            s,
        )
        .map_err(Error::Usage)
    }

    /// The network configuration of this run (proxies, CA bundle,
    /// timeouts: `edge::net`) and the HTTP client every AWS SDK client
    /// shares, resolved once. A bad proxy URL or CA bundle is a usage
    /// error naming it. The demo never leaves the machine: no proxy.
    pub(crate) fn net(&self) -> Result<(&NetConfig, &SharedHttpClient), Error> {
        let got = self.net.get_or_init(|| {
            let timeout = self.http_timeout();
            let net = if self.is_demo() {
                Ok(NetConfig {
                    attempt_timeout: timeout,
                    connect_timeout: timeout.min(Duration::from_secs(5)),
                    ..NetConfig::default()
                })
            } else {
                // The active profile's `ca_bundle`, read only when the
                // environment names no bundle.
                let profile_bundle = if self.env.get(var::AWS_CA_BUNDLE).is_some() {
                    None
                } else {
                    let name = self
                        .env
                        .get(var::AWS_PROFILE)
                        .unwrap_or_else(|| "default".into());
                    self.aws().profile(&name).and_then(|p| p.ca_bundle.clone())
                };
                NetConfig::resolve(&self.env, profile_bundle.as_deref(), timeout)
            };
            net.map(|n| {
                let http = n.sdk_http_client();
                (n, http)
            })
            .map_err(|e| e.to_string())
        });
        match got {
            Ok((n, h)) => Ok((n, h)),
            Err(m) => Err(Error::Usage(m.clone())),
        }
    }

    /// The SDK clients' shared HTTP client (`net`); `None` once `net` has
    /// failed (the failure was the command's already).
    pub(crate) fn sdk_http(&self) -> Option<SharedHttpClient> {
        self.net().ok().map(|(_, h)| h.clone())
    }

    /// Seconds each portal call may take (`SSOPICK_HTTP_TIMEOUT`, default 10).
    pub(crate) fn http_timeout(&self) -> Duration {
        self.env
            .get(var::SSOPICK_HTTP_TIMEOUT)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v > 0.0)
            .map_or(Duration::from_secs(10), Duration::from_secs_f64)
    }
}
