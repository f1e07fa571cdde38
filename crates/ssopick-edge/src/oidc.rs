//! The SSO OIDC API through the official SDK client (aws-sdk-ssooidc): client
//! registration, device authorization, and token grants. The only place that
//! talks to it.

use aws_sdk_ssooidc::config::{BehaviorVersion, Region};
use aws_sdk_ssooidc::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use ssopick_core::secret::Secret;
use ssopick_core::sso::token::Registration;
use ssopick_core::time::UtcTime;
use std::time::Duration;

pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
pub const REFRESH_GRANT: &str = "refresh_token";
pub const AUTH_CODE_GRANT: &str = "authorization_code";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OidcError {
    AuthorizationPending,
    SlowDown,
    /// The device code (or refresh token) is no longer valid.
    Expired,
    Denied(String),
    /// The client registration was rejected (expired or unknown).
    InvalidClient(String),
    InvalidGrant(String),
    Other(String),
}

impl std::error::Error for OidcError {}

impl std::fmt::Display for OidcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OidcError::AuthorizationPending => f.write_str("authorization pending"),
            OidcError::SlowDown => f.write_str("slow down"),
            OidcError::Expired => f.write_str("the code expired"),
            OidcError::Denied(m)
            | OidcError::InvalidClient(m)
            | OidcError::InvalidGrant(m)
            | OidcError::Other(m) => f.write_str(m),
        }
    }
}

fn classify<E: ProvideErrorMetadata + std::error::Error + 'static>(
    e: &SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> OidcError {
    let code = e.code().unwrap_or("");
    // The server's words are untrusted: no control character reaches the
    // terminal. SSO OIDC says what went wrong in `error_description`,
    // which the SDK does not read (it fills `message` only from a
    // `message` field): it is read from the raw answer, as the CLI shows it.
    let msg = match (
        e,
        error_description(e).or_else(|| e.message().map(str::to_string)),
    ) {
        (_, Some(m)) => ssopick_core::catalog::clean_text(&m)
            .chars()
            .take(300)
            .collect(),
        (SdkError::TimeoutError(_), None) => "the request timed out".to_string(),
        (SdkError::DispatchFailure(_), None) => format!(
            "connection failed: {}{}",
            crate::log::root_cause(e),
            crate::log::causes(e)
        ),
        (_, None) => format!("{}{}", crate::log::root_cause(e), crate::log::causes(e)),
    };
    match code {
        "AuthorizationPendingException" => OidcError::AuthorizationPending,
        "SlowDownException" => OidcError::SlowDown,
        "ExpiredTokenException" => OidcError::Expired,
        "AccessDeniedException" => OidcError::Denied(msg),
        "InvalidClientException" | "UnauthorizedClientException" => OidcError::InvalidClient(msg),
        "InvalidGrantException" => OidcError::InvalidGrant(msg),
        _ => OidcError::Other(msg),
    }
}

/// `error_description` of a service error's JSON body.
fn error_description<E>(e: &SdkError<E, aws_smithy_runtime_api::http::Response>) -> Option<String> {
    let SdkError::ServiceError(s) = e else {
        return None;
    };
    let body = s.raw().body().bytes()?;
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    Some(v.get("error_description")?.as_str()?.to_string()).filter(|d| !d.is_empty())
}

pub struct DeviceAuthorization {
    pub device_code: Secret,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_in: i64,
    pub interval: u64,
}

pub struct Tokens {
    pub access_token: Secret,
    pub expires_in: i64,
    pub refresh_token: Option<Secret>,
}

pub struct OidcClient {
    client: aws_sdk_ssooidc::Client,
}

impl OidcClient {
    pub fn new(
        region: &str,
        variant: ssopick_core::sso::endpoints::Variant,
        endpoint: Option<String>,
        timeout: Duration,
        http: Option<SharedHttpClient>,
    ) -> OidcClient {
        let http = http.unwrap_or_else(crate::net::direct);
        let mut conf = aws_sdk_ssooidc::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.to_string()))
            .use_fips(variant.fips)
            .use_dual_stack(variant.sso_dual_stack_for(endpoint.is_some()))
            .http_client(http)
            .retry_config(RetryConfig::standard().with_max_attempts(3))
            .interceptor(crate::body_limit::BodyLimit)
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(timeout.min(Duration::from_secs(5)))
                    .operation_attempt_timeout(timeout)
                    .build(),
            );
        if let Some(e) = endpoint {
            conf = conf.endpoint_url(e);
        }
        OidcClient {
            client: aws_sdk_ssooidc::Client::from_conf(conf.build()),
        }
    }

    /// RegisterClient. For the authorization-code flow, `pkce` holds the
    /// redirect URI (without a port: any loopback port matches, RFC 8252)
    /// and the issuer (the start URL), and the client is registered for the
    /// `authorization_code` and `refresh_token` grants, as the AWS CLI does.
    pub async fn register(
        &self,
        scopes: &[String],
        pkce: Option<(&str, &str)>,
    ) -> Result<Registration, OidcError> {
        let mut req = self
            .client
            .register_client()
            .client_name("ssopick")
            .client_type("public");
        for s in scopes {
            req = req.scopes(s);
        }
        if let Some((redirect_uri, issuer)) = pkce {
            for g in ssopick_core::sso::pkce::AUTH_CODE_GRANTS {
                req = req.grant_types(*g);
            }
            req = req.redirect_uris(redirect_uri).issuer_url(issuer);
        }
        let out = req.send().await.map_err(|e| classify(&e))?;
        Ok(Registration {
            client_id: out.client_id().unwrap_or_default().to_string(),
            client_secret: Secret::new(out.client_secret().unwrap_or_default()),
            expires_at: UtcTime(out.client_secret_expires_at()),
        })
    }

    pub async fn start_device_authorization(
        &self,
        reg: &Registration,
        start_url: &str,
    ) -> Result<DeviceAuthorization, OidcError> {
        let out = self
            .client
            .start_device_authorization()
            .client_id(&reg.client_id)
            .client_secret(reg.client_secret.expose())
            .start_url(start_url)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        Ok(DeviceAuthorization {
            device_code: Secret::new(out.device_code().unwrap_or_default()),
            user_code: out.user_code().unwrap_or_default().to_string(),
            verification_uri: out.verification_uri().unwrap_or_default().to_string(),
            verification_uri_complete: out.verification_uri_complete().map(str::to_string),
            expires_in: i64::from(out.expires_in()),
            interval: u64::try_from(out.interval())
                .ok()
                .filter(|i| *i > 0)
                .unwrap_or(5),
        })
    }

    /// CreateToken with either a device code or a refresh token.
    pub async fn create_token(
        &self,
        client_id: &str,
        client_secret: &Secret,
        grant: &str,
        code: &Secret,
    ) -> Result<Tokens, OidcError> {
        let mut req = self
            .client
            .create_token()
            .client_id(client_id)
            .client_secret(client_secret.expose())
            .grant_type(grant);
        req = if grant == REFRESH_GRANT {
            req.refresh_token(code.expose())
        } else {
            req.device_code(code.expose())
        };
        Self::tokens(req.send().await.map_err(|e| classify(&e))?)
    }

    /// CreateToken with an authorization code and its PKCE verifier.
    pub async fn create_token_with_code(
        &self,
        reg: &Registration,
        code: &str,
        verifier: &Secret,
        redirect_uri: &str,
    ) -> Result<Tokens, OidcError> {
        let out = self
            .client
            .create_token()
            .client_id(&reg.client_id)
            .client_secret(reg.client_secret.expose())
            .grant_type(AUTH_CODE_GRANT)
            .code(code)
            .code_verifier(verifier.expose())
            .redirect_uri(redirect_uri)
            .send()
            .await
            .map_err(|e| classify(&e))?;
        Self::tokens(out)
    }

    #[allow(clippy::unnecessary_wraps)]
    fn tokens(
        out: aws_sdk_ssooidc::operation::create_token::CreateTokenOutput,
    ) -> Result<Tokens, OidcError> {
        Ok(Tokens {
            access_token: Secret::new(out.access_token().unwrap_or_default()),
            expires_in: i64::from(out.expires_in()),
            refresh_token: out.refresh_token().map(Secret::new),
        })
    }
}
