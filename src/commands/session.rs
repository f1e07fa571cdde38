//! `ssopick login`, `ssopick logout`, `ssopick console`.

use super::creds;
use crate::app::context::Context;
use crate::edge::credcache;
use crate::app::error::Error;
use crate::core::export::Chosen;
use crate::app::login::{LoginEnv, login, token_path};
use crate::picker::Action;
use crate::edge::portal::retry_call;

pub async fn run_login(ctx: &Context) -> Result<i32, Error> {
    if ctx.is_demo() {
        eprintln!("ssopick: the demo session needs no login.");
        return Ok(0);
    }
    let (scopes, env, sso_cache, cache) = ctx.login_env();
    let le = LoginEnv {
        env,
        sso_cache,
        cache,
        scopes: scopes.as_deref(),
    };
    login(&le, &ctx.session).await?;
    Ok(0)
}

pub async fn run_logout(ctx: &Context) -> Result<i32, Error> {
    // Tell the portal first (ignoring a token it already refuses).
    if let Ok(client) = ctx.client() {
        match retry_call(|| client.logout()).await {
            Ok(()) | Err(crate::edge::portal::CallError::Unauthorized) => {}
            Err(e) => eprintln!(
                "ssopick: warning: the portal's Logout failed ({e}); removing the local files anyway"
            ),
        }
    }
    let path = token_path(&ctx.paths.sso_cache, &ctx.session);
    let removed_token = match std::fs::remove_file(&path) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => {
            return Err(Error::other(
                &format!("cannot remove {}", path.display()),
                e,
            ));
        }
    };
    let removed_creds = credcache::remove_session(&ctx.paths.cache, &ctx.session.start_url);
    eprintln!(
        "ssopick: logged out of {}: {}, {removed_creds} cached role credential file(s) removed.",
        ctx.session.id(),
        if removed_token {
            format!("token {} removed", path.display())
        } else {
            "no token was cached".into()
        }
    );
    Ok(0)
}

/// The AWS partition's sign-in and console hosts for a region.
pub fn partition_hosts(region: &str) -> (&'static str, String) {
    if region.starts_with("cn-") {
        (
            "https://signin.amazonaws.cn/federation",
            format!("https://console.amazonaws.cn/console/home?region={region}"),
        )
    } else if region.starts_with("us-gov-") {
        (
            "https://signin.amazonaws-us-gov.com/federation",
            format!("https://console.amazonaws-us-gov.com/console/home?region={region}"),
        )
    } else {
        (
            "https://signin.aws.amazon.com/federation",
            format!("https://{region}.console.aws.amazon.com/console/home?region={region}"),
        )
    }
}

/// RFC 3986 percent-encoding of everything but the unreserved characters.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub async fn console_url(ctx: &Context, chosen: &Chosen) -> Result<String, Error> {
    let c = creds::credentials(ctx, chosen).await?;
    let region = creds::region(ctx, chosen);
    let (signin, destination) = partition_hosts(&region);
    let endpoint = ctx
        .env
        .get("SSOPICK_SIGNIN_ENDPOINT")
        .unwrap_or_else(|| signin.to_string());
    let session = serde_json::json!({
        "sessionId": c.access_key_id.expose(),
        "sessionKey": c.secret_access_key.expose(),
        "sessionToken": c.session_token.expose(),
    })
    .to_string();
    let url = format!(
        "{endpoint}?Action=getSigninToken&Session={}",
        urlencode(&session)
    );
    let body = tokio::task::spawn_blocking(move || -> Result<String, String> {
        let resp = ureq::get(&url).call().map_err(|e| e.to_string())?;
        resp.into_body().read_to_string().map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| Error::other("sign-in request", e))?
    .map_err(|e| Error::Api(format!("AWS sign-in (getSigninToken): {e}")))?;
    let token = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["SigninToken"].as_str().map(str::to_string))
        .ok_or_else(|| Error::Api("AWS sign-in answered without a SigninToken".into()))?;
    Ok(format!(
        "{endpoint}?Action=login&Issuer=ssopick&Destination={}&SigninToken={}",
        urlencode(&destination),
        urlencode(&token)
    ))
}

pub async fn run_console(ctx: &Context, query: &[String], print: bool) -> Result<i32, Error> {
    let (chosen, action) = creds::choose(ctx, query, "console").await?;
    if action != Action::Default {
        return super::deliver::deliver(
            ctx,
            &chosen,
            super::deliver::Deliver::Shell { nest: false }.with(action),
        )
        .await;
    }
    let url = console_url(ctx, &chosen).await?;
    if !print && crate::app::login::open_browser(&url, &ctx.env) {
        eprintln!(
            "ssopick: opened the AWS console for {} in your browser.",
            creds::describe(&chosen)
        );
        return Ok(0);
    }
    eprintln!(
        "ssopick: sign-in link for {} (valid for 15 minutes; it is a credential, keep it private):",
        creds::describe(&chosen)
    );
    super::export::write_stdout(&format!("{url}\n"))
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
        assert_eq!(urlencode("a b/{\"x\":1}~"), "a%20b%2F%7B%22x%22%3A1%7D~");
    }
}
