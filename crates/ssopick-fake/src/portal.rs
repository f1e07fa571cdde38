//! A fake of the AWS SSO portal API on 127.0.0.1, speaking the wire format of
//! the reference exactly: paths, query names, the `x-amz-sso_bearer_token`
//! header, `x-amzn-errortype` plus `__type` error bodies, and epoch-millisecond
//! expirations. It serves the integration tests, the benchmark and `--demo`.

use super::org::FakeOrg;
use ssopick_edge::http::{self, Request, Response};
#[cfg(feature = "testing")]
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

pub const BEARER_HEADER: &str = "x-amz-sso_bearer_token";
const DEFAULT_PAGE: usize = 20;

#[derive(Clone, Debug)]
pub struct FakeOptions {
    pub token: String,
    /// Added to every response.
    pub latency: Duration,
    /// Token bucket: (requests per second, burst). Over it: 429.
    pub throttle: Option<(f64, f64)>,
    /// Lifetime of issued role credentials.
    pub credential_ttl: Duration,
    /// Issue secrets holding `'"$\%` and spaces, to prove quoting.
    #[cfg(feature = "testing")]
    pub hostile_secrets: bool,
    /// ListAccounts answers every page with the same `nextToken` (a portal
    /// that loops).
    #[cfg(feature = "testing")]
    pub repeat_page_token: bool,
    /// ListAccounts and ListAccountRoles answer with next tokens that
    /// alternate between two values (a portal that loops in a cycle).
    #[cfg(feature = "testing")]
    pub alternate_page_tokens: bool,
    /// The first account's name is this many characters long.
    #[cfg(feature = "testing")]
    pub oversized_name: Option<usize>,
    /// Every ListAccountRoles call is answered with this status (a typed
    /// error body), while ListAccounts works.
    #[cfg(feature = "testing")]
    pub roles_status: Option<u16>,
    /// ListAccountRoles for these accounts is answered 400 (a
    /// ValidationException no listing should meet).
    #[cfg(feature = "testing")]
    pub refuse_roles_of: Vec<String>,
    /// Hand out these keys (access key id, secret, session token) instead
    /// of made-up ones: a test's credentials from a real STS (moto), so
    /// that GetCallerIdentity answers for them.
    #[cfg(feature = "testing")]
    pub fixed_credentials: Option<[String; 3]>,
}

impl Default for FakeOptions {
    fn default() -> Self {
        FakeOptions {
            token: "fake-sso-access-token".into(),
            latency: Duration::ZERO,
            throttle: None,
            credential_ttl: Duration::from_hours(1),
            #[cfg(feature = "testing")]
            hostile_secrets: false,
            #[cfg(feature = "testing")]
            repeat_page_token: false,
            #[cfg(feature = "testing")]
            alternate_page_tokens: false,
            #[cfg(feature = "testing")]
            oversized_name: None,
            #[cfg(feature = "testing")]
            roles_status: None,
            #[cfg(feature = "testing")]
            refuse_roles_of: Vec::new(),
            #[cfg(feature = "testing")]
            fixed_credentials: None,
        }
    }
}

/// The hostile modes, as the portal's answers read them (all off without
/// the `testing` feature).
#[cfg_attr(not(feature = "testing"), allow(clippy::unused_self))]
impl FakeOptions {
    pub(crate) fn hostile_secrets(&self) -> bool {
        #[cfg(feature = "testing")]
        return self.hostile_secrets;
        #[cfg(not(feature = "testing"))]
        false
    }

    pub(crate) fn repeat_page_token(&self) -> bool {
        #[cfg(feature = "testing")]
        return self.repeat_page_token;
        #[cfg(not(feature = "testing"))]
        false
    }

    pub(crate) fn alternate_page_tokens(&self) -> bool {
        #[cfg(feature = "testing")]
        return self.alternate_page_tokens;
        #[cfg(not(feature = "testing"))]
        false
    }

    pub(crate) fn oversized_name(&self) -> Option<usize> {
        #[cfg(feature = "testing")]
        return self.oversized_name;
        #[cfg(not(feature = "testing"))]
        None
    }

    pub(crate) fn roles_status(&self) -> Option<u16> {
        #[cfg(feature = "testing")]
        return self.roles_status;
        #[cfg(not(feature = "testing"))]
        None
    }

    pub(crate) fn refuses_roles_of(&self, account_id: &str) -> bool {
        #[cfg(feature = "testing")]
        return self.refuse_roles_of.iter().any(|a| a == account_id);
        #[cfg(not(feature = "testing"))]
        {
            let _ = account_id;
            false
        }
    }

    pub(crate) fn fixed_credentials(&self) -> Option<&[String; 3]> {
        #[cfg(feature = "testing")]
        return self.fixed_credentials.as_ref();
        #[cfg(not(feature = "testing"))]
        None
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FakeStats {
    pub requests: u64,
    pub ok: u64,
    pub throttled: u64,
    pub unauthorized: u64,
    pub list_accounts: u64,
    pub list_roles: u64,
    /// ListAccountRoles calls answered 200 (429s and errors not counted).
    pub list_roles_ok: u64,
    pub get_credentials: u64,
    pub peak_in_flight: i64,
}

struct State {
    org: FakeOrg,
    opts: FakeOptions,
    bucket: Mutex<Bucket>,
    #[cfg(feature = "testing")]
    faults: Mutex<VecDeque<Fault>>,
    revoked: AtomicBool,
    /// When > 0: counts down on every request; at 1 the token is revoked.
    revoke_after: AtomicU64,
    issued: AtomicU64,
    requests: AtomicU64,
    ok: AtomicU64,
    throttled: AtomicU64,
    unauthorized: AtomicU64,
    list_accounts: AtomicU64,
    list_roles: AtomicU64,
    list_roles_ok: AtomicU64,
    get_credentials: AtomicU64,
    in_flight: AtomicI64,
    peak_in_flight: AtomicI64,
    last_issued: Mutex<Option<IssuedCredentials>>,
    /// Every access key id GetRoleCredentials handed out.
    issued_keys: Arc<Mutex<std::collections::HashSet<String>>>,
    /// Every request's `Call`, in arrival order.
    log: Mutex<Vec<Call>>,
    /// The token accepted from now on, instead of `opts.token` (a new
    /// login: the old token is refused).
    accepted: Mutex<Option<String>>,
}

/// One request, as it reached the fake (in arrival order): the operation
/// and the account and role it named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Call {
    pub op: &'static str,
    pub account_id: Option<String>,
    pub role: Option<String>,
}

/// What the fake last handed out, for tests to compare with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedCredentials {
    pub account_id: String,
    pub role: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    pub expiration_ms: i64,
}

pub struct FakePortal {
    url: String,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakePortal {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakePortal {
    /// Binds 127.0.0.1 on a free port and serves until dropped.
    pub async fn start(org: FakeOrg, opts: FakeOptions) -> std::io::Result<FakePortal> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let burst = opts.throttle.map_or(0.0, |(_, b)| b);
        let throttle = opts.throttle;
        let state = Arc::new(State {
            org,
            opts,
            bucket: Mutex::new(Bucket {
                tokens: burst,
                last: Instant::now(),
                throttle,
            }),
            #[cfg(feature = "testing")]
            faults: Mutex::new(VecDeque::new()),
            revoked: AtomicBool::new(false),
            revoke_after: AtomicU64::new(0),
            issued: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            ok: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
            unauthorized: AtomicU64::new(0),
            list_accounts: AtomicU64::new(0),
            list_roles: AtomicU64::new(0),
            list_roles_ok: AtomicU64::new(0),
            get_credentials: AtomicU64::new(0),
            in_flight: AtomicI64::new(0),
            peak_in_flight: AtomicI64::new(0),
            last_issued: Mutex::new(None),
            issued_keys: Arc::default(),
            log: Mutex::new(Vec::new()),
            accepted: Mutex::new(None),
        });
        let st = state.clone();
        let task = tokio::spawn(http::serve(listener, move |req| {
            let st = st.clone();
            async move { handle(&st, req).await }
        }));
        Ok(FakePortal { url, state, task })
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn token(&self) -> &str {
        &self.state.opts.token
    }

    pub fn org(&self) -> &FakeOrg {
        &self.state.org
    }

    #[cfg(feature = "testing")]
    /// Changes the throttle from now on (the tokens saved so far stay, up
    /// to the new burst).
    pub fn set_throttle(&self, throttle: Option<(f64, f64)>) {
        let mut b = self
            .state
            .bucket
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        refill(&mut b, Instant::now());
        b.throttle = throttle;
    }

    #[cfg(feature = "testing")]
    /// Accepts `token` from now on and refuses the old one (as after a new
    /// login whose old session ended).
    pub fn accept_only(&self, token: &str) {
        self.state.revoked.store(false, Relaxed);
        *self
            .state
            .accepted
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(token.to_string());
    }

    #[cfg(feature = "testing")]
    /// Revokes the token now: every later call gets a 401.
    pub fn revoke(&self) {
        self.state.revoked.store(true, Relaxed);
    }

    #[cfg(feature = "testing")]
    /// Revokes the token when the n-th request from now arrives.
    pub fn revoke_after(&self, n: u64) {
        self.state.revoke_after.store(n.max(1), Relaxed);
    }

    /// The next `n` requests meet `fault`.
    #[cfg(feature = "testing")]
    pub fn inject(&self, fault: Fault, n: usize) {
        let mut q = self
            .state
            .faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        q.extend(std::iter::repeat_n(fault, n));
    }

    pub fn last_issued(&self) -> Option<IssuedCredentials> {
        self.state
            .last_issued
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Whether an access key id is one this portal issued (an SSO role
    /// session, not a role-chained one), for `FakeSignin::for_portal`.
    pub fn issued_keys(&self) -> impl Fn(&str) -> bool + Send + Sync + 'static {
        let keys = Arc::clone(&self.state.issued_keys);
        move |k| {
            keys.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(k)
        }
    }

    /// Every request so far, in the order they arrived.
    pub fn calls(&self) -> Vec<Call> {
        self.state
            .log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    pub fn stats(&self) -> FakeStats {
        let s = &self.state;
        FakeStats {
            requests: s.requests.load(Relaxed),
            ok: s.ok.load(Relaxed),
            throttled: s.throttled.load(Relaxed),
            unauthorized: s.unauthorized.load(Relaxed),
            list_accounts: s.list_accounts.load(Relaxed),
            list_roles: s.list_roles.load(Relaxed),
            list_roles_ok: s.list_roles_ok.load(Relaxed),
            get_credentials: s.get_credentials.load(Relaxed),
            peak_in_flight: s.peak_in_flight.load(Relaxed),
        }
    }
}

async fn handle(st: &State, req: Request) -> FakeAnswer {
    st.requests.fetch_add(1, Relaxed);
    let now_in = st.in_flight.fetch_add(1, Relaxed) + 1;
    st.peak_in_flight.fetch_max(now_in, Relaxed);
    #[cfg(feature = "testing")]
    let fault = st
        .faults
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .pop_front();
    #[cfg(not(feature = "testing"))]
    let fault = None;
    let resp = respond(st, &req, fault).await;
    st.in_flight.fetch_sub(1, Relaxed);
    resp
}

#[cfg(not(feature = "testing"))]
type Fault = std::convert::Infallible;

async fn respond(st: &State, req: &Request, fault: Option<Fault>) -> FakeAnswer {
    // Decisions are taken on arrival, as a real front end would; the answer
    // leaves after the configured latency.
    let countdown = st.revoke_after.load(Relaxed);
    if countdown > 0 && st.revoke_after.fetch_sub(1, Relaxed) == 1 {
        st.revoked.store(true, Relaxed);
    }
    let throttled = !take_token(st);
    if !st.opts.latency.is_zero() {
        tokio::time::sleep(st.opts.latency).await;
    }
    #[cfg(feature = "testing")]
    match &fault {
        Some(Fault::Status(s)) => {
            let kind = match s {
                429 => "TooManyRequestsException",
                401 => "UnauthorizedException",
                _ => "InternalServerException",
            };
            return FakeAnswer::Normal(error(*s, kind, "injected fault"));
        }
        Some(Fault::Reset) => return FakeAnswer::Reset,
        Some(Fault::Hang(d)) => tokio::time::sleep(*d).await,
        Some(Fault::Truncate | Fault::Pass) | None => {}
    }
    let resp = route(st, req, throttled);
    #[cfg(feature = "testing")]
    if matches!(fault, Some(Fault::Truncate)) {
        return FakeAnswer::Truncated(resp);
    }
    let _ = fault;
    FakeAnswer::Normal(resp)
}

mod answer;
mod api;
#[cfg(feature = "testing")]
pub use answer::Fault;
#[cfg(feature = "testing")]
use answer::refill;
use answer::{Bucket, FakeAnswer, error, take_token};
use api::route;
