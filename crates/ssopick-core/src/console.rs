//! The AWS console sign-in link (federation): the partition's hosts, the
//! session document and the URLs, all pure. The HTTP call is `edge::signin`.

use crate::credentials::RoleCredentials;

/// The federation endpoint of a region's partition (sign-in table:
/// `core::partition`), or why `console` cannot sign in there.
pub fn federation_endpoint(region: &str) -> Result<String, String> {
    let p = crate::partition::of_checked(region);
    p.federation_endpoint().ok_or_else(|| no_console(p))
}

/// Why `console` refuses a partition.
pub fn no_console(p: &crate::partition::Partition) -> String {
    format!(
        "the {} partition has no console sign-in ssopick knows of: use the credentials (`export`, `exec`) instead",
        p.id
    )
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
    fn federation_per_partition_and_encoding() {
        assert_eq!(
            federation_endpoint("eu-west-1").unwrap(),
            "https://signin.aws.amazon.com/federation"
        );
        assert_eq!(
            federation_endpoint("cn-north-1").unwrap(),
            "https://signin.amazonaws.cn/federation"
        );
        assert_eq!(
            federation_endpoint("us-gov-east-1").unwrap(),
            "https://signin.amazonaws-us-gov.com/federation"
        );
        assert_eq!(
            federation_endpoint("eusc-de-east-1").unwrap(),
            "https://eusc-de-east-1.signin.amazonaws-eusc.eu/federation"
        );
        assert!(
            federation_endpoint("us-isob-east-1")
                .unwrap_err()
                .contains("aws-iso-b")
        );
        assert_eq!(
            crate::url::encode("a b/{\"x\":1}~"),
            "a%20b%2F%7B%22x%22%3A1%7D~"
        );
    }
}
