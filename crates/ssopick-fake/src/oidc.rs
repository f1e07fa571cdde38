//! A fake of the SSO OIDC API (RegisterClient, StartDeviceAuthorization,
//! the `/authorize` page of the authorization-code flow, CreateToken with
//! device-code, authorization-code (PKCE S256 checked) and refresh grants)
//! on 127.0.0.1, for tests of `ssopick login` and of token refresh.

use serde_json::{Value, json};
use ssopick_core::sso::pkce::challenge_of;
use ssopick_core::url::encode as urlencode;
use ssopick_edge::http::{self, Request, Response};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

mod rules;
use rules::{bind, client_ok, redirect_matches, register_problem};

#[derive(Clone, Debug)]
pub struct OidcOptions {
    /// The access token CreateToken hands out (the fake portal's token).
    pub access_token: String,
    pub expires_in: i64,
    /// Polls answered AuthorizationPending before approval.
    pub pending_polls: u64,
    /// Answer SlowDown once, at this poll (1-based; 0 = never).
    pub slow_down_at: u64,
    pub interval: i64,
    /// Seconds from now the registration's secret expires.
    pub registration_ttl: i64,
    /// `/authorize` redirects with `error=access_denied`, and the device
    /// grant answers AccessDenied after its pending polls (the user said no).
    pub deny: bool,
    /// The device grant answers ExpiredToken after its pending polls (the
    /// user never approved in time).
    pub device_expires: bool,
}

impl Default for OidcOptions {
    fn default() -> Self {
        OidcOptions {
            access_token: "fake-sso-access-token".into(),
            expires_in: 8 * 3600,
            pending_polls: 0,
            slow_down_at: 0,
            interval: 1,
            registration_ttl: 90 * 86_400,
            deny: false,
            device_expires: false,
        }
    }
}

#[derive(Default)]
struct State {
    opts: Mutex<Option<OidcOptions>>,
    registrations: AtomicU64,
    authorizations: AtomicU64,
    polls: AtomicU64,
    refreshes: AtomicU64,
    refresh_attempts: AtomicU64,
    /// Refresh token -> the client it was issued to.
    refresh_tokens: Mutex<HashMap<String, String>>,
    scopes: Mutex<Vec<String>>,
    clients: Mutex<HashMap<String, Client>>,
    codes: Mutex<HashMap<String, Grant>>,
    authorize_requests: AtomicU64,
    code_grants: AtomicU64,
}

/// What a client registered for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Client {
    pub grant_types: Vec<String>,
    pub redirect_uris: Vec<String>,
    pub issuer_url: Option<String>,
}

/// An authorization code handed out by `/authorize`.
struct Grant {
    client_id: String,
    redirect_uri: String,
    challenge: String,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn redirect(location: &str) -> Response {
    Response {
        status: 302,
        headers: vec![("location".into(), location.into())],
        body: Vec::new(),
    }
}

pub struct FakeOidc {
    url: String,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeOidc {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OidcStats {
    pub registrations: u64,
    pub authorizations: u64,
    pub polls: u64,
    pub refreshes: u64,
    /// Refresh grants asked for, accepted or not.
    pub refresh_attempts: u64,
    pub authorize_requests: u64,
    pub code_grants: u64,
}

/// An OIDC error as the service writes it: the OAuth `error`, a human
/// `error_description` (what the AWS CLI shows), and the type header.
fn error(status: u16, kind: &str, oauth: &str) -> Response {
    let description = match kind {
        "AuthorizationPendingException" => "Authorization is still pending",
        "SlowDownException" => "Client is polling too quickly, slow down",
        "ExpiredTokenException" => "The device code or token has expired",
        "AccessDeniedException" => "The user denied access",
        "InvalidClientException" => "Invalid client: unknown, expired or mismatched credentials",
        "InvalidGrantException" => "Invalid grant provided",
        "InvalidScopeException" => "Invalid scope requested",
        "InvalidRedirectUriException" => "Invalid redirect_uri",
        "InvalidRequestException" => "Invalid request",
        other => other,
    };
    let mut r = Response::json(
        status,
        &json!({"error": oauth, "error_description": description}),
    );
    {
        let headers = &mut r.headers;
        headers.push((
            "x-amzn-errortype".into(),
            format!("{kind}:http://internal.amazon.com/coral/com.amazonaws.switchboard.oidc/"),
        ));
    }
    r
}

impl FakeOidc {
    pub async fn start(opts: OidcOptions) -> std::io::Result<FakeOidc> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(State::default());
        *state
            .opts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(opts);
        let st = state.clone();
        let task = tokio::spawn(http::serve(listener, move |req| {
            let st = st.clone();
            async move { handle(&st, req) }
        }));
        Ok(FakeOidc { url, state, task })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    /// A refresh token this fake accepts from `client_id` (registered
    /// here, with the secret this fake gives it: `secret-N` for `client-N`).
    pub fn accept_refresh_token(&self, t: &str, client_id: &str) {
        lock(&self.state.clients)
            .entry(client_id.into())
            .or_default();
        lock(&self.state.refresh_tokens).insert(t.into(), client_id.into());
    }

    pub fn scopes_registered(&self) -> Vec<String> {
        self.state
            .scopes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Every registration so far, in order.
    pub fn registered_clients(&self) -> Vec<Client> {
        let clients = lock(&self.state.clients);
        let mut v: Vec<(u64, Client)> = clients
            .iter()
            .map(|(id, c)| {
                (
                    id.trim_start_matches("client-").parse().unwrap_or(0),
                    c.clone(),
                )
            })
            .collect();
        v.sort_by_key(|(n, _)| *n);
        v.into_iter().map(|(_, c)| c).collect()
    }

    pub fn stats(&self) -> OidcStats {
        let s = &self.state;
        OidcStats {
            registrations: s.registrations.load(Relaxed),
            authorizations: s.authorizations.load(Relaxed),
            polls: s.polls.load(Relaxed),
            refreshes: s.refreshes.load(Relaxed),
            refresh_attempts: s.refresh_attempts.load(Relaxed),
            authorize_requests: s.authorize_requests.load(Relaxed),
            code_grants: s.code_grants.load(Relaxed),
        }
    }
}

fn handle(st: &State, req: Request) -> Response {
    let Some(opts) = st
        .opts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
    else {
        return error(500, "InternalServerException", "server_error");
    };
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/client/register") => register(st, &opts, &body),
        ("POST", "/device_authorization") => device_authorization(st, &opts, &body),
        ("GET", "/authorize") => authorize(st, &opts, &req),
        ("POST", "/token") => match body["grantType"].as_str() {
            Some("authorization_code") => code_grant(st, &opts, &body),
            Some("urn:ietf:params:oauth:grant-type:device_code") => device_grant(st, &opts, &body),
            Some("refresh_token") => refresh_grant(st, &opts, &body),
            _ => error(
                400,
                "UnsupportedGrantTypeException",
                "unsupported_grant_type",
            ),
        },
        _ => error(404, "InvalidRequestException", "invalid_request"),
    }
}

fn epoch_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs() as i64
}

/// RegisterClient, checked as the service checks it.
fn register(st: &State, opts: &OidcOptions, body: &Value) -> Response {
    let n = st.registrations.fetch_add(1, Relaxed) + 1;
    let client = rules::client_of(body);
    if let Some(bad) = register_problem(&client, body) {
        return bad;
    }
    lock(&st.clients).insert(format!("client-{n}"), client);
    if body["scopes"].is_array() {
        *lock(&st.scopes) = rules::strings(&body["scopes"]);
    }
    let now = epoch_now();
    Response::json(
        200,
        &json!({
            "clientId": format!("client-{n}"),
            "clientSecret": format!("secret-{n}"),
            "clientIdIssuedAt": now,
            "clientSecretExpiresAt": now + opts.registration_ttl,
        }),
    )
}

/// StartDeviceAuthorization, for a registered client.
fn device_authorization(st: &State, opts: &OidcOptions, body: &Value) -> Response {
    if body["clientId"].as_str().is_none() || body["startUrl"].as_str().is_none() {
        return error(400, "InvalidRequestException", "invalid_request");
    }
    if !lock(&st.clients).contains_key(body["clientId"].as_str().unwrap_or_default()) {
        return error(400, "InvalidClientException", "invalid_client");
    }
    let n = st.authorizations.fetch_add(1, Relaxed) + 1;
    Response::json(
        200,
        &json!({
            "deviceCode": format!("device-{n}"),
            "userCode": "ABCD-EFGH",
            "verificationUri": "https://device.sso.us-east-1.amazonaws.com/",
            "verificationUriComplete": "https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH",
            "expiresIn": 600,
            "interval": opts.interval,
        }),
    )
}

/// CreateToken with the device code: pending for the first polls (one
/// asked to slow down), then a token with a new refresh token.
fn device_grant(st: &State, opts: &OidcOptions, body: &Value) -> Response {
    if !client_ok(st, body) {
        return error(400, "InvalidClientException", "invalid_client");
    }
    let poll = st.polls.fetch_add(1, Relaxed) + 1;
    if poll == opts.slow_down_at {
        return error(400, "SlowDownException", "slow_down");
    }
    // Polls other than the slow-down one, counted.
    let answered = poll - u64::from(opts.slow_down_at != 0 && opts.slow_down_at < poll);
    if answered <= opts.pending_polls {
        return error(
            400,
            "AuthorizationPendingException",
            "authorization_pending",
        );
    }
    if opts.deny {
        return error(400, "AccessDeniedException", "access_denied");
    }
    if opts.device_expires {
        return error(400, "ExpiredTokenException", "expired_token");
    }
    let refresh = format!("refresh-{poll}");
    bind(st, &refresh, body);
    Response::json(
        200,
        &json!({"accessToken": opts.access_token, "tokenType": "Bearer", "expiresIn": opts.expires_in, "refreshToken": refresh}),
    )
}

/// CreateToken with a refresh token this fake issued to this client.
fn refresh_grant(st: &State, opts: &OidcOptions, body: &Value) -> Response {
    st.refresh_attempts.fetch_add(1, Relaxed);
    if !client_ok(st, body) {
        return error(400, "InvalidClientException", "invalid_client");
    }
    let t = body["refreshToken"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // Bound to the client it was issued to, as the service binds it.
    if lock(&st.refresh_tokens).get(&t).map(String::as_str) != body["clientId"].as_str() {
        return error(400, "InvalidGrantException", "invalid_grant");
    }
    st.refreshes.fetch_add(1, Relaxed);
    Response::json(
        200,
        &json!({"accessToken": opts.access_token, "tokenType": "Bearer", "expiresIn": opts.expires_in, "refreshToken": t}),
    )
}

/// `/authorize`: checks the request as Identity Center would, then sends the
/// browser back to the redirect URI with a code (or `access_denied`).
fn authorize(st: &State, opts: &OidcOptions, req: &Request) -> Response {
    st.authorize_requests.fetch_add(1, Relaxed);
    let p = |k: &str| req.param(k).unwrap_or_default().to_string();
    let (client_id, redirect_uri, state) = (p("client_id"), p("redirect_uri"), p("state"));
    let client = lock(&st.clients).get(&client_id).cloned();
    let Some(client) = client else {
        return error(400, "InvalidClientException", "invalid_client");
    };
    let ok = p("response_type") == "code"
        && p("code_challenge_method") == "S256"
        && p("code_challenge").len() == 43
        && !state.is_empty()
        && client.grant_types.iter().any(|g| g == "authorization_code")
        && client
            .redirect_uris
            .iter()
            .any(|r| redirect_matches(r, &redirect_uri));
    if !ok {
        return error(400, "InvalidRequestException", "invalid_request");
    }
    if opts.deny {
        return redirect(&format!(
            "{redirect_uri}?error=access_denied&error_description={}&state={}",
            urlencode("The user denied the request"),
            urlencode(&state)
        ));
    }
    let code = format!("code-{}", st.authorize_requests.load(Relaxed));
    lock(&st.codes).insert(
        code.clone(),
        Grant {
            client_id,
            redirect_uri: redirect_uri.clone(),
            challenge: p("code_challenge"),
        },
    );
    redirect(&format!(
        "{redirect_uri}?code={}&state={}",
        urlencode(&code),
        urlencode(&state)
    ))
}

/// CreateToken with `authorization_code`: the code is single-use, and the
/// verifier must hash to the challenge `/authorize` was given.
fn code_grant(st: &State, opts: &OidcOptions, body: &Value) -> Response {
    let s = |k: &str| body[k].as_str().unwrap_or_default().to_string();
    if !client_ok(st, body) {
        return error(400, "InvalidClientException", "invalid_client");
    }
    let Some(grant) = lock(&st.codes).remove(&s("code")) else {
        return error(400, "InvalidGrantException", "invalid_grant");
    };
    if grant.client_id != s("clientId")
        || grant.redirect_uri != s("redirectUri")
        || challenge_of(&s("codeVerifier")) != grant.challenge
    {
        return error(400, "InvalidGrantException", "invalid_grant");
    }
    let n = st.code_grants.fetch_add(1, Relaxed) + 1;
    let refresh = format!("refresh-code-{n}");
    bind(st, &refresh, body);
    Response::json(
        200,
        &json!({"accessToken": opts.access_token, "tokenType": "Bearer", "expiresIn": opts.expires_in, "refreshToken": refresh}),
    )
}
