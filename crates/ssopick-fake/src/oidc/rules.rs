//! The fake OIDC service's rules, as the API reference documents them:
//! what RegisterClient refuses, client credentials, refresh tokens bound
//! to their client, loopback redirect URIs.

use super::{Client, State, error, lock};
use serde_json::Value;
use ssopick_edge::http::Response;

/// What RegisterClient refuses, as the API reference documents it: a
/// public client with a name; scopes of the `service:scope` form (one
/// string each: a list joined by commas or spaces is one bad scope); only
/// the grant types the service knows; an authorization-code client needs
/// an https issuer URL and loopback redirect URIs.
pub(super) fn register_problem(client: &Client, body: &Value) -> Option<Response> {
    let invalid = || Some(error(400, "InvalidRequestException", "invalid_request"));
    if body["clientType"].as_str() != Some("public")
        || body["clientName"].as_str().is_none_or(str::is_empty)
    {
        return invalid();
    }
    let scope_ok = |s: &str| {
        let mut parts = s.split(':');
        parts.next().is_some_and(|p| !p.is_empty())
            && s.contains(':')
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-:*".contains(c))
    };
    if let Some(scopes) = body["scopes"].as_array()
        && !scopes.iter().all(|v| v.as_str().is_some_and(scope_ok))
    {
        return Some(error(400, "InvalidScopeException", "invalid_scope"));
    }
    const GRANTS: [&str; 3] = [
        "authorization_code",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
    ];
    if !client
        .grant_types
        .iter()
        .all(|g| GRANTS.contains(&g.as_str()))
    {
        return invalid();
    }
    if client.grant_types.iter().any(|g| g == "authorization_code") {
        if !client
            .issuer_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://") && u.len() > 8)
        {
            return invalid();
        }
        // The port may be left out (the AWS CLI registers
        // `http://127.0.0.1/oauth/callback`; RFC 8252 §7.3).
        let loopback = |u: &String| {
            u.strip_prefix("http://127.0.0.1")
                .or_else(|| u.strip_prefix("http://[::1]"))
                .map(|rest| {
                    rest.trim_start_matches(':')
                        .trim_start_matches(|c: char| c.is_ascii_digit())
                })
                .is_some_and(|path| path.starts_with('/'))
        };
        if client.redirect_uris.is_empty() || !client.redirect_uris.iter().all(loopback) {
            return Some(error(
                400,
                "InvalidRedirectUriException",
                "invalid_redirect_uri",
            ));
        }
    }
    None
}

/// A registered client with its own secret.
pub(super) fn client_ok(st: &State, body: &Value) -> bool {
    let id = body["clientId"].as_str().unwrap_or_default();
    lock(&st.clients).contains_key(id)
        && body["clientSecret"].as_str() == Some(&id.replacen("client-", "secret-", 1))
}

/// A new refresh token, bound to the client that asked.
pub(super) fn bind(st: &State, refresh: &str, body: &Value) {
    let client = body["clientId"].as_str().unwrap_or_default().to_string();
    lock(&st.refresh_tokens).insert(refresh.into(), client);
}

/// RFC 8252 §7.3: a loopback redirect URI matches whatever its port.
pub(super) fn redirect_matches(registered: &str, used: &str) -> bool {
    let strip_port = |u: &str| {
        let Some(rest) = u.strip_prefix("http://127.0.0.1") else {
            return u.to_string();
        };
        let path = rest.trim_start_matches(|c: char| c == ':' || c.is_ascii_digit());
        format!("http://127.0.0.1{path}")
    };
    registered == used || strip_port(registered) == strip_port(used)
}

/// The client a RegisterClient body describes.
pub(super) fn client_of(body: &Value) -> Client {
    Client {
        grant_types: strings(&body["grantTypes"]),
        redirect_uris: strings(&body["redirectUris"]),
        issuer_url: body["issuerUrl"].as_str().map(String::from),
    }
}

pub(super) fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problem(body: &Value) -> Option<String> {
        register_problem(&client_of(body), body)
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
    }

    #[test]
    fn register_client_is_checked_as_documented() {
        let device = json!({"clientName": "ssopick", "clientType": "public", "scopes": ["sso:account:access"]});
        assert_eq!(problem(&device), None);
        let pkce = json!({"clientName": "ssopick", "clientType": "public",
            "grantTypes": ["authorization_code", "refresh_token"],
            "redirectUris": ["http://127.0.0.1/oauth/callback"],
            "issuerUrl": "https://d-1.awsapps.com/start"});
        assert_eq!(problem(&pkce), None);
        let bad = |k: &str, v: Value| {
            let mut b = pkce.clone();
            b[k] = v;
            problem(&b).unwrap_or_default()
        };
        assert!(bad("scopes", json!(["sso:account:access, sso:x"])).contains("invalid_scope"));
        assert!(bad("scopes", json!(["account"])).contains("invalid_scope"));
        assert!(
            bad("redirectUris", json!(["https://evil.example/cb"]))
                .contains("invalid_redirect_uri")
        );
        assert!(bad("redirectUris", json!([])).contains("invalid_redirect_uri"));
        assert!(
            bad("issuerUrl", json!("http://d-1.awsapps.com/start")).contains("invalid_request")
        );
        assert!(bad("grantTypes", json!(["implicit"])).contains("invalid_request"));
        assert!(bad("clientType", json!("confidential")).contains("invalid_request"));
    }
}
