//! Where a start URL on a company's own domain leads: one request, one
//! redirect at most, as the AWS CLI follows it (HEAD, else GET when HEAD is
//! refused with 405 or 501). The rules are `core::sso::start_url`.

use ssopick_core::sso::start_url::join;

/// The URL one redirect from `url` leads to (`url` itself when it does not
/// redirect), through `agent` (the run's proxy and roots: `edge::net`).
pub async fn follow_once(url: String, agent: ureq::Agent) -> Result<String, String> {
    tokio::task::spawn_blocking(move || {
        let status = |method: &str| -> Result<(u16, Option<String>), String> {
            let req = match method {
                "HEAD" => agent.head(&url).config(),
                _ => agent.get(&url).config(),
            };
            let resp = req
                .max_redirects(0)
                .http_status_as_error(false)
                .build()
                .call()
                .map_err(|e| format!("cannot resolve the start URL {url}: {e}"))?;
            let location = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            Ok((resp.status().as_u16(), location))
        };
        let (mut code, mut location) = status("HEAD")?;
        if matches!(code, 405 | 501) {
            (code, location) = status("GET")?;
        }
        match code {
            301 | 302 | 303 | 307 | 308 => location
                .map(|l| join(&url, &l))
                .ok_or_else(|| format!("the start URL {url} redirects without a Location")),
            200..=299 => Ok(url.clone()),
            other => Err(format!("cannot resolve the start URL {url}: HTTP {other}")),
        }
    })
    .await
    .map_err(|e| e.to_string())?
}
