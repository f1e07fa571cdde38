//! The AWS console sign-in link (federation): the partition's hosts, the
//! session document and the URLs, all pure. The HTTP call is `edge::signin`.

use crate::credentials::RoleCredentials;
use crate::names::{Partition, partition};

/// The AWS partition's sign-in and console hosts for a region.
pub fn partition_hosts(region: &str) -> (&'static str, String) {
    match partition(region) {
        Partition::China => (
            "https://signin.amazonaws.cn/federation",
            format!("https://console.amazonaws.cn/console/home?region={region}"),
        ),
        Partition::GovCloud => (
            "https://signin.amazonaws-us-gov.com/federation",
            format!("https://console.amazonaws-us-gov.com/console/home?region={region}"),
        ),
        Partition::Aws => (
            "https://signin.aws.amazon.com/federation",
            format!("https://{region}.console.aws.amazon.com/console/home?region={region}"),
        ),
    }
}

/// The `Session` document getSigninToken takes.
pub fn session_document(c: &RoleCredentials) -> String {
    serde_json::json!({
        "sessionId": c.access_key_id.expose(),
        "sessionKey": c.secret_access_key.expose(),
        "sessionToken": c.session_token.expose(),
    })
    .to_string()
}

/// The getSigninToken request URL (it carries the credentials: never log
/// it); `duration`: the console session's length in seconds.
pub fn token_request_url(endpoint: &str, c: &RoleCredentials, duration: Option<i64>) -> String {
    let mut s = format!(
        "{endpoint}?Action=getSigninToken&Session={}",
        crate::url::encode(&session_document(c))
    );
    if let Some(d) = duration {
        s.push_str(&format!("&SessionDuration={d}"));
    }
    s
}

/// The sign-in token from getSigninToken's answer.
pub fn signin_token(body: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["SigninToken"].as_str().map(str::to_string))
}

/// The link that signs the browser in and opens `destination`.
pub fn login_url(endpoint: &str, destination: &str, token: &str) -> String {
    format!(
        "{endpoint}?Action=login&Issuer=ssopick&Destination={}&SigninToken={}",
        crate::url::encode(destination),
        crate::url::encode(token)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partitions_and_encoding() {
        assert_eq!(
            partition_hosts("eu-west-1").0,
            "https://signin.aws.amazon.com/federation"
        );
        assert_eq!(
            partition_hosts("eu-west-1").1,
            "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
        );
        assert_eq!(
            partition_hosts("cn-north-1").0,
            "https://signin.amazonaws.cn/federation"
        );
        assert_eq!(
            partition_hosts("us-gov-west-1").1,
            "https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1"
        );
        assert_eq!(
            crate::url::encode("a b/{\"x\":1}~"),
            "a%20b%2F%7B%22x%22%3A1%7D~"
        );
    }
}
