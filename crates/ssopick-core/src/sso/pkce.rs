//! The OAuth 2.0 authorization-code flow with PKCE (RFC 7636) as the AWS CLI
//! runs it against IAM Identity Center: the verifier and its S256
//! challenge, the `/authorize` URL, the loopback redirect URI, and the
//! checks on what comes back to the callback. Pure: the random bytes come
//! from the caller.

use crate::url::encode as urlencode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// The grant types a PKCE client registers for (as the AWS CLI does).
pub const AUTH_CODE_GRANTS: &[&str] = &["authorization_code", "refresh_token"];
/// The callback path on the loopback listener.
pub const CALLBACK_PATH: &str = "/oauth/callback";

/// One login's secrets: the code verifier and the `state` value.
pub struct Pkce {
    verifier: crate::secret::Secret,
    pub state: String,
}

impl Pkce {
    /// From 64 random bytes: a 43-character verifier (32 bytes of entropy,
    /// base64url, within RFC 7636's 43..=128 characters) and a 43-character
    /// state from the other 32.
    pub fn from_random(bytes: &[u8; 64]) -> Pkce {
        Pkce {
            verifier: crate::secret::Secret::new(URL_SAFE_NO_PAD.encode(&bytes[..32])),
            state: URL_SAFE_NO_PAD.encode(&bytes[32..]),
        }
    }

    pub fn verifier(&self) -> &crate::secret::Secret {
        &self.verifier
    }

    /// `BASE64URL(SHA256(verifier))`, the S256 challenge.
    pub fn challenge(&self) -> String {
        challenge_of(self.verifier.expose())
    }
}

/// The S256 challenge of a verifier.
pub fn challenge_of(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `http://127.0.0.1:PORT/oauth/callback`.
pub fn redirect_uri(port: u16) -> String {
    format!("http://127.0.0.1:{port}{CALLBACK_PATH}")
}

/// The page the browser is sent to: `<oidc>/authorize?...`, with the
/// parameters the AWS CLI sends.
pub fn authorize_url(
    oidc_base: &str,
    client_id: &str,
    redirect_uri: &str,
    pkce: &Pkce,
    scopes: &[String],
) -> String {
    let params = [
        ("response_type", "code".to_string()),
        ("client_id", client_id.to_string()),
        ("redirect_uri", redirect_uri.to_string()),
        ("state", pkce.state.clone()),
        ("code_challenge_method", "S256".to_string()),
        ("scopes", scopes.join(" ")),
        ("code_challenge", pkce.challenge()),
    ];
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect();
    format!("{oidc_base}/authorize?{}", query.join("&"))
}

/// What the callback brought.
#[derive(Debug, PartialEq, Eq)]
pub enum Callback {
    /// The authorization code (the state matched).
    Code(String),
    /// The user or the service refused (`error=access_denied`, ...).
    Denied(String),
    /// The state did not match: not our login, or a forged request.
    BadState,
    /// Neither a code nor an error: not the callback (a favicon, a probe).
    NotACallback,
}

/// Checks a callback's query parameters against the state sent. The
/// server's words are untrusted: they are cleaned for the terminal.
pub fn check_callback(params: &[(String, String)], state: &str) -> Callback {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let (code, error) = (get("code"), get("error"));
    if code.is_none() && error.is_none() {
        return Callback::NotACallback;
    }
    let state_ok = get("state")
        .is_some_and(|s| crate::secret::constant_time_eq(s.as_bytes(), state.as_bytes()));
    // Any error ends the login at once, as in the AWS CLI (Identity Center
    // may redirect a denial without the state).
    if let Some(e) = error {
        let mut said =
            get("error_description").map_or_else(|| e.to_string(), |d| format!("{e}: {d}"));
        if !state_ok {
            said.push_str(" (the callback did not carry this login's state)");
        }
        let said: String = crate::catalog::clean_text(&said)
            .chars()
            .take(360)
            .collect();
        return Callback::Denied(said);
    }
    if !state_ok {
        return Callback::BadState;
    }
    match code {
        Some(c) if !c.is_empty() && c.len() <= 4096 && c.chars().all(|c| c.is_ascii_graphic()) => {
            Callback::Code(c.to_string())
        }
        _ => Callback::Denied("the callback carried no usable authorization code".into()),
    }
}

/// The page the browser shows after the redirect.
pub fn callback_page(ok: bool, detail: &str) -> String {
    let (title, text) = if ok {
        (
            "ssopick: logged in",
            "Request approved. You can close this tab and return to the terminal.".to_string(),
        )
    } else {
        (
            "ssopick: login failed",
            format!(
                "The login did not complete: {}. Return to the terminal for details.",
                html_escape(detail)
            ),
        )
    };
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>\
<body style=\"font-family:sans-serif;margin:3em\"><h1>{title}</h1><p>{text}</p></body></html>"
    )
}

fn html_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(kv: &[(&str, &str)]) -> Vec<(String, String)> {
        kv.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()
    }

    #[test]
    fn rfc7636_appendix_b_challenge() {
        assert_eq!(
            challenge_of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifier_and_state_are_long_enough_and_distinct() {
        let k = Pkce::from_random(&[7u8; 64]);
        assert_eq!(k.verifier().expose().len(), 43);
        assert_eq!(k.state.len(), 43);
        let other = Pkce::from_random(&[8u8; 64]);
        assert_ne!(k.challenge(), other.challenge());
        assert!(!format!("{:?}", k.verifier()).contains(k.verifier().expose()));
    }

    #[test]
    fn authorize_url_has_the_cli_parameters() {
        let k = Pkce::from_random(&[1u8; 64]);
        let u = authorize_url(
            "https://oidc.eu-west-1.amazonaws.com",
            "cid",
            &redirect_uri(4567),
            &k,
            &["sso:account:access".into()],
        );
        assert!(u.starts_with("https://oidc.eu-west-1.amazonaws.com/authorize?response_type=code&client_id=cid&redirect_uri=http%3A%2F%2F127.0.0.1%3A4567%2Foauth%2Fcallback&state="));
        assert!(
            u.contains("&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge=")
        );
        assert!(u.ends_with(&k.challenge()));
    }

    #[test]
    fn callbacks_are_checked() {
        assert_eq!(
            check_callback(&p(&[("code", "abc"), ("state", "s1")]), "s1"),
            Callback::Code("abc".into())
        );
        assert_eq!(
            check_callback(&p(&[("code", "abc"), ("state", "s2")]), "s1"),
            Callback::BadState
        );
        assert_eq!(
            check_callback(&p(&[("code", "abc")]), "s1"),
            Callback::BadState
        );
        assert_eq!(check_callback(&p(&[]), "s1"), Callback::NotACallback);
        assert_eq!(
            check_callback(
                &p(&[
                    ("error", "access_denied"),
                    ("error_description", "no\x1b]0;x"),
                    ("state", "s1")
                ]),
                "s1"
            ),
            Callback::Denied("access_denied: no\u{FFFD}]0;x".into())
        );
        assert!(matches!(
            check_callback(&p(&[("code", "a\nb"), ("state", "s1")]), "s1"),
            Callback::Denied(_)
        ));
        // An error ends the login at once, with or without the state.
        assert_eq!(
            check_callback(&p(&[("error", "access_denied")]), "s1"),
            Callback::Denied(
                "access_denied (the callback did not carry this login's state)".into()
            )
        );
    }

    #[test]
    fn the_page_escapes_what_it_shows() {
        assert!(callback_page(true, "").contains("close this tab"));
        let bad = callback_page(false, "<script>x</script>");
        assert!(!bad.contains("<script>"));
        assert!(bad.contains("&lt;script&gt;"));
    }
}
