//! The presigned STS GetCallerIdentity URL behind an EKS token, signed by
//! aws-sigv4 (query signing, `X-Amz-Expires=60`, the signed headers `host`
//! and `x-k8s-aws-id`) as botocore signs it for `aws eks get-token`.

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{
    SignableBody, SignableRequest, SignatureLocation, SigningSettings, sign,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use ssopick_core::credentials::RoleCredentials;
use ssopick_core::eks;
use std::time::{Duration, SystemTime};

/// The presigned URL for `cluster` in `region` (a partition with
/// `dns_suffix`), signed with `creds` at `at`.
pub fn presigned_url(
    creds: &RoleCredentials,
    cluster: &str,
    region: &str,
    dns_suffix: &str,
    at: SystemTime,
) -> Result<String, String> {
    let base = eks::sts_url(region, dns_suffix);
    let identity: Identity = Credentials::new(
        creds.access_key_id.expose(),
        creds.secret_access_key.expose(),
        Some(creds.session_token.expose().to_string()),
        None,
        "ssopick",
    )
    .into();
    let mut settings = SigningSettings::default();
    settings.signature_location = SignatureLocation::QueryParams;
    settings.expires_in = Some(Duration::from_secs(eks::URL_EXPIRES_SECS));
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(region)
        .name("sts")
        .time(at)
        .settings(settings)
        .build()
        .map_err(|e| e.to_string())?
        .into();
    let request = SignableRequest::new(
        "GET",
        base.as_str(),
        std::iter::once((eks::CLUSTER_HEADER, cluster)),
        SignableBody::Bytes(&[]),
    )
    .map_err(|e| e.to_string())?;
    let (instructions, _) = sign(request, &params)
        .map_err(|e| e.to_string())?
        .into_parts();
    let mut url = base;
    for (k, v) in instructions.params() {
        url.push('&');
        url.push_str(k);
        url.push('=');
        url.push_str(&ssopick_core::url::encode(v));
    }
    Ok(url)
}
