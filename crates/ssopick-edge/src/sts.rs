//! STS AssumeRole through the official SDK client (aws-sdk-sts), signed with
//! an SSO role's credentials: the one place that talks to STS (role
//! chaining). `AWS_ENDPOINT_URL_STS` points it elsewhere.

use aws_sdk_sts::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use ssopick_core::catalog::clean_text;
use ssopick_core::credentials::RoleCredentials;
use ssopick_core::secret::Secret;
use ssopick_core::time::UtcTime;
use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StsError {
    /// The role's trust policy (or an SCP, or the external id) refused.
    #[error("{0}")]
    Denied(String),
    /// The source credentials are no longer valid.
    #[error("{0}")]
    Expired(String),
    #[error("{0}")]
    Throttled(String),
    /// Network, timeouts, 5xx: worth another try.
    #[error("{0}")]
    Transient(String),
    #[error("{0}")]
    Fatal(String),
}

#[derive(Clone, Debug)]
pub struct StsOptions {
    pub region: String,
    pub endpoint: Option<String>,
    pub timeout: Duration,
    /// The run's HTTP client (`edge::net`); `None`: direct.
    pub http: Option<SharedHttpClient>,
    /// FIPS and dual-stack (a `*.app.aws` start URL does not count here).
    pub variant: ssopick_core::sso::endpoints::Variant,
}

/// What to assume.
pub struct AssumeRequest<'a> {
    pub role_arn: &'a str,
    pub session_name: &'a str,
    pub external_id: Option<&'a str>,
    pub duration_secs: i64,
    /// `mfa_serial` and the code the user typed.
    pub mfa: Option<(&'a str, &'a str)>,
}

fn classify<E: ProvideErrorMetadata + std::error::Error + 'static>(
    e: &SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> StsError {
    let code = e.code().unwrap_or("");
    let msg = match (e, e.message()) {
        (_, Some(m)) => clean_text(m),
        (SdkError::TimeoutError(_), None) => "the request timed out".to_string(),
        (_, None) => format!("{}{}", crate::log::root_cause(e), crate::log::causes(e)),
    };
    let status = match e {
        SdkError::ServiceError(s) => s.raw().status().as_u16(),
        _ => 0,
    };
    match code {
        "AccessDenied" | "AccessDeniedException" | "MalformedPolicyDocument" => {
            StsError::Denied(msg)
        }
        "ExpiredToken"
        | "ExpiredTokenException"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch" => StsError::Expired(msg),
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" => StsError::Throttled(msg),
        _ if matches!(
            e,
            SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_)
        ) || status >= 500 =>
        {
            StsError::Transient(msg)
        }
        "" => StsError::Fatal(msg),
        other => StsError::Fatal(format!("{other}: {msg}")),
    }
}

/// A client signed with `source`. The SDK retries throttling and
/// transient failures (standard mode, three attempts).
fn client(opts: &StsOptions, source: &RoleCredentials) -> aws_sdk_sts::Client {
    let http = opts.http.clone().unwrap_or_else(crate::net::direct);
    let creds = Credentials::new(
        source.access_key_id.expose(),
        source.secret_access_key.expose(),
        // Long-term keys (a profile's) have no session token.
        Some(source.session_token.expose().to_string()).filter(|t| !t.is_empty()),
        None,
        "ssopick-sso-role",
    );
    let mut conf = aws_sdk_sts::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(opts.region.clone()))
        .use_fips(opts.variant.fips)
        .use_dual_stack(opts.variant.dual_stack)
        .credentials_provider(creds)
        .http_client(http)
        .retry_config(RetryConfig::standard().with_max_attempts(3))
        .interceptor(crate::body_limit::BodyLimit)
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(opts.timeout.min(Duration::from_secs(5)))
                .operation_attempt_timeout(opts.timeout)
                .build(),
        );
    if let Some(e) = &opts.endpoint {
        conf = conf.endpoint_url(e);
    }
    aws_sdk_sts::Client::from_conf(conf.build())
}

/// GetCallerIdentity: the ARN the credentials act as (for an SSO role,
/// `arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_..._SUFFIX/USER`).
pub async fn caller_arn(opts: &StsOptions, creds: &RoleCredentials) -> Result<String, StsError> {
    let out = client(opts, creds)
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| classify(&e))?;
    out.arn()
        .map(clean_text)
        .ok_or_else(|| StsError::Fatal("GetCallerIdentity answered without an ARN".into()))
}

/// AssumeRole signed with `source`.
pub async fn assume_role(
    opts: &StsOptions,
    source: &RoleCredentials,
    req: &AssumeRequest<'_>,
) -> Result<RoleCredentials, StsError> {
    let client = client(opts, source);
    let mut call = client
        .assume_role()
        .role_arn(req.role_arn)
        .role_session_name(req.session_name)
        .duration_seconds(i32::try_from(req.duration_secs).unwrap_or(3600));
    if let Some(x) = req.external_id {
        call = call.external_id(x);
    }
    if let Some((serial, code)) = req.mfa {
        call = call.serial_number(serial).token_code(code);
    }
    let out = call.send().await.map_err(|e| classify(&e))?;
    let c = out
        .credentials()
        .ok_or_else(|| StsError::Fatal("AssumeRole answered without credentials".into()))?;
    let expiration = UtcTime(c.expiration().secs());
    let id = c.access_key_id();
    if id.is_empty() || c.secret_access_key().is_empty() || c.session_token().is_empty() {
        return Err(StsError::Fatal(
            "AssumeRole answered with empty credentials".into(),
        ));
    }
    Ok(RoleCredentials {
        access_key_id: Secret::new(id),
        secret_access_key: Secret::new(c.secret_access_key()),
        session_token: Secret::new(c.session_token()),
        expiration,
        expiry_stated: true,
    })
}
