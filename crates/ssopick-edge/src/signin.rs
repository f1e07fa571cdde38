//! The AWS federation sign-in endpoint (getSigninToken), over HTTPS with a
//! timeout. The URLs and documents are `core::console`.

#[derive(Debug, thiserror::Error)]
pub enum SigninError {
    #[error("AWS sign-in (getSigninToken): {0}")]
    Http(String),
    #[error("AWS sign-in answered without a SigninToken")]
    NoToken,
}

/// GETs `url` (a getSigninToken request) with `agent` (the run's proxy
/// and roots: `edge::net`) and returns the body.
pub async fn get_token(url: String, agent: ureq::Agent) -> Result<String, SigninError> {
    let body = tokio::task::spawn_blocking(move || -> Result<String, String> {
        let resp = agent.get(&url).call().map_err(|e| e.to_string())?;
        resp.into_body().read_to_string().map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| SigninError::Http(e.to_string()))?
    .map_err(SigninError::Http)?;
    ssopick_core::console::signin_token(&body).ok_or(SigninError::NoToken)
}
