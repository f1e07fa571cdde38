//! The AWS SSO portal API through the official SDK client (aws-sdk-sso): the
//! only place that talks to it. Unsigned calls with the bearer token; the
//! SDK's own retries are off, because ssopick owns the retry policy
//! (`retry_call` here, the adaptive limiter in `fetch`).

use aws_sdk_sso::config::{BehaviorVersion, Region};
use aws_sdk_sso::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use ssopick_core::bounds::account_fits;
use ssopick_core::catalog::{Account, clean_text, valid_account_id, valid_role_name};
use ssopick_core::credentials::RoleCredentials;
use ssopick_core::secret::Secret;
use ssopick_core::time::UtcTime;
use std::future::Future;
use std::time::Duration;

pub const PAGE_SIZE: i32 = 100;

/// What went wrong with one call, as the retry policy needs to know it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    /// 401: the token is expired or revoked. Ends the run.
    Unauthorized,
    /// 429: slow down and try again.
    Throttled,
    /// 5xx, timeouts, connection failures, unreadable answers: try again a
    /// bounded number of times.
    Transient(String),
    /// 403/404: the account or role is not (or no longer) there for you.
    NotFound(String),
    /// Anything else: a bug or a bad request; not retried.
    Fatal(String),
}

impl std::error::Error for CallError {}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Unauthorized => f.write_str("the SSO token was rejected (401)"),
            CallError::Throttled => f.write_str("throttled (429)"),
            CallError::Transient(m) | CallError::NotFound(m) | CallError::Fatal(m) => {
                f.write_str(m)
            }
        }
    }
}

fn classify<E>(e: &SdkError<E, aws_smithy_runtime_api::http::Response>) -> CallError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if crate::body_limit::is_over(e) {
        return CallError::Fatal(format!(
            "the portal's answer is larger than {} MiB; refused",
            crate::body_limit::MAX_BODY >> 20
        ));
    }
    match e {
        SdkError::TimeoutError(_) => CallError::Transient("the request timed out".into()),
        SdkError::DispatchFailure(d) => {
            let what = if d.is_timeout() {
                "connection timed out"
            } else if d.is_io() {
                "connection failed"
            } else {
                "request could not be sent"
            };
            CallError::Transient(format!(
                "{what}: {}{}",
                crate::log::root_cause(e),
                crate::log::causes(e)
            ))
        }
        SdkError::ResponseError(_) => CallError::Transient(format!(
            "unreadable response from the portal{}",
            crate::log::causes(e)
        )),
        SdkError::ServiceError(s) => {
            let status = s.raw().status().as_u16();
            let code = s.err().code().unwrap_or("");
            let msg = format!(
                "{} (HTTP {status}{})",
                clean_text(s.err().message().unwrap_or("no message")),
                if code.is_empty() {
                    String::new()
                } else {
                    format!(", {code}")
                }
            );
            match (code, status) {
                ("UnauthorizedException", _) | (_, 401) => CallError::Unauthorized,
                ("TooManyRequestsException", _) | (_, 429) => CallError::Throttled,
                ("ResourceNotFoundException" | "ForbiddenException", _) | (_, 403 | 404) => {
                    CallError::NotFound(msg)
                }
                (_, 500..=599) => CallError::Transient(msg),
                _ => CallError::Fatal(msg),
            }
        }
        _ => CallError::Fatal(format!(
            "the request could not be made: {}{}",
            crate::log::root_cause(e),
            crate::log::causes(e)
        )),
    }
}

#[derive(Clone)]
pub struct PortalClient {
    client: aws_sdk_sso::Client,
    token: Secret,
    /// Rows the portal sent that AWS would never send (an account id that
    /// is not 12 digits, a name over 256 characters, an e-mail over 320, a
    /// role name outside the pattern), skipped: a listing that saw any is
    /// incomplete (`bounds::Cut::ROWS`). Shared by the client's clones.
    skipped: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl std::fmt::Debug for PortalClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PortalClient { token: <redacted> }")
    }
}

#[derive(Clone, Debug)]
pub struct PortalOptions {
    pub region: String,
    pub endpoint: Option<String>,
    pub attempt_timeout: Duration,
    /// The run's HTTP client (`edge::net`: proxies, CA bundle); `None`:
    /// direct, the OS's roots.
    pub http: Option<SharedHttpClient>,
    /// FIPS and dual-stack (`core::sso::endpoints`).
    pub variant: ssopick_core::sso::endpoints::Variant,
}

impl PortalOptions {
    /// The portal as an error names it: the override, or the region's host.
    pub fn shown_host(&self) -> String {
        self.endpoint.clone().unwrap_or_else(|| {
            // The SDK's rule: portal.sso[-fips].{region}.{suffix}.
            let p = ssopick_core::partition::of_checked(&self.region);
            let suffix = if self.variant.sso_dual_stack {
                p.dual_stack_dns_suffix
            } else {
                p.dns_suffix
            };
            let fips = if self.variant.fips { "-fips" } else { "" };
            format!("portal.sso{fips}.{}.{suffix}", self.region)
        })
    }
}

impl PortalClient {
    pub fn new(opts: &PortalOptions, token: Secret) -> Self {
        let http = opts.http.clone().unwrap_or_else(crate::net::direct);
        let mut conf = aws_sdk_sso::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(opts.region.clone()))
            .use_fips(opts.variant.fips)
            .use_dual_stack(opts.variant.sso_dual_stack_for(opts.endpoint.is_some()))
            .http_client(http)
            .retry_config(RetryConfig::disabled())
            .interceptor(crate::body_limit::BodyLimit)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(opts.attempt_timeout.min(Duration::from_secs(5)))
                    .operation_attempt_timeout(opts.attempt_timeout)
                    .build(),
            );
        if let Some(url) = &opts.endpoint {
            conf = conf.endpoint_url(url.clone());
        }
        PortalClient {
            client: aws_sdk_sso::Client::from_conf(conf.build()),
            token,
            skipped: std::sync::Arc::default(),
        }
    }

    /// How many rows this client (and its clones) skipped so far.
    pub fn skipped(&self) -> usize {
        self.skipped.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Counts a row skipped when `ok` is false.
    fn accepted(&self, ok: bool) -> bool {
        if !ok {
            self.skipped
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        ok
    }

    pub async fn list_accounts_page(
        &self,
        next: Option<String>,
    ) -> Result<(Vec<Account>, Option<String>), CallError> {
        let out = self
            .client
            .list_accounts()
            .access_token(self.token.expose())
            .max_results(PAGE_SIZE)
            .set_next_token(next)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        let accounts = out
            .account_list()
            .iter()
            .filter_map(|a| {
                let id = a.account_id()?;
                let (name, email) = (
                    a.account_name().unwrap_or_default(),
                    a.email_address().unwrap_or_default(),
                );
                self.accepted(valid_account_id(id) && account_fits(name, email))
                    .then(|| Account::new(id.to_string(), clean_text(name), clean_text(email)))
            })
            .collect();
        Ok((
            accounts,
            out.next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        ))
    }

    pub async fn list_roles_page(
        &self,
        account_id: &str,
        next: Option<String>,
    ) -> Result<(Vec<String>, Option<String>), CallError> {
        let out = self
            .client
            .list_account_roles()
            .access_token(self.token.expose())
            .account_id(account_id)
            .max_results(PAGE_SIZE)
            .set_next_token(next)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        let roles = out
            .role_list()
            .iter()
            .filter_map(|r| r.role_name())
            .filter(|r| self.accepted(valid_role_name(r)))
            .map(str::to_string)
            .collect();
        Ok((
            roles,
            out.next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string),
        ))
    }

    pub async fn role_credentials(
        &self,
        account_id: &str,
        role: &str,
    ) -> Result<RoleCredentials, CallError> {
        let out = self
            .client
            .get_role_credentials()
            .access_token(self.token.expose())
            .account_id(account_id)
            .role_name(role)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        let c = out
            .role_credentials()
            .ok_or_else(|| CallError::Transient("answer without roleCredentials".into()))?;
        let (Some(id), Some(secret), Some(token)) =
            (c.access_key_id(), c.secret_access_key(), c.session_token())
        else {
            return Err(CallError::Transient(
                "incomplete roleCredentials in the answer".into(),
            ));
        };
        Ok(RoleCredentials {
            access_key_id: Secret::new(id),
            secret_access_key: Secret::new(secret),
            session_token: Secret::new(token),
            expiration: UtcTime::from_millis(c.expiration()),
            expiry_stated: true,
        })
    }

    pub async fn logout(&self) -> Result<(), CallError> {
        self.client
            .logout()
            .access_token(self.token.expose())
            .send()
            .await
            .map_err(|e| classify(&e))?;
        Ok(())
    }
}

/// Backoff with full jitter: uniform in [0, min(cap, base * 2^attempt)].
pub fn backoff(attempt: u32, base: Duration, cap: Duration) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(16)).min(cap);
    exp.mul_f64(rand::random::<f64>())
}

pub const MAX_TRANSIENT_ATTEMPTS: u32 = 8;
/// Throttling is retried for this long at most on a single call before
/// giving up (the listing's role calls stop after as long without any
/// success: `FetchOptions::stall_limit`).
pub const MAX_THROTTLED_WAIT: Duration = Duration::from_mins(1);

/// Runs one call with ssopick's retry policy: throttling and transient
/// failures are retried with jittered backoff; 401/403/404 are returned.
pub async fn retry_call<T, F, Fut>(mut call: F) -> Result<T, CallError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, CallError>>,
{
    let started = std::time::Instant::now();
    let mut attempt = 0u32;
    let mut transient = 0u32;
    loop {
        match call().await {
            Err(CallError::Throttled) if started.elapsed() < MAX_THROTTLED_WAIT => {}
            Err(CallError::Transient(m)) => {
                transient += 1;
                if transient >= MAX_TRANSIENT_ATTEMPTS {
                    return Err(CallError::Transient(format!(
                        "{m} (gave up after {transient} attempts)"
                    )));
                }
            }
            other => return other,
        }
        attempt += 1;
        tokio::time::sleep(backoff(
            attempt,
            Duration::from_millis(100),
            Duration::from_secs(2),
        ))
        .await;
    }
}

pub mod gate;
pub mod listing;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded() {
        for a in 0..40 {
            assert!(
                backoff(a, Duration::from_millis(100), Duration::from_secs(2))
                    <= Duration::from_secs(2)
            );
        }
    }
}
