//! One run's set-up: which session, its token, the portal client, and the
//! catalog (from the snapshot or fetched). Also the built-in demo, which puts
//! a fake portal on loopback and a demo session in front of everything else.

use crate::core::catalog::Catalog;
use crate::app::error::Error;
use crate::fake::{FakeOptions, FakeOrg, FakePortal};
use crate::core::listing::{self, FetchEvent, FetchOptions, Progress};
use crate::edge::portal::listing::fetch_all;
use crate::edge::paths::{Env, Paths};
use crate::edge::portal::{CallError, PortalClient, PortalOptions, endpoint_override};
use crate::core::secret::Secret;
use crate::core::sso::config;
use crate::core::sso::session::{self, Session, SessionKind};
use crate::core::sso::token::{self, CachedToken};
use crate::edge::store;
use crate::core::time::{UtcTime, human_duration};
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

pub const DEMO_START_URL: &str = "https://ssopick-demo.awsapps.com/start";

#[derive(Clone, Debug, Default)]
pub struct Globals {
    pub session: Option<String>,
    pub account: Option<String>,
    pub role: Option<String>,
    pub region: Option<String>,
    pub refresh: bool,
    pub offline: bool,
    pub demo: bool,
    pub yes: bool,
}

pub struct Context {
    pub env: Env,
    pub paths: Paths,
    pub now: UtcTime,
    pub session: Session,
    pub token: Option<CachedToken>,
    pub endpoint: Option<String>,
    pub globals: Globals,
    pub config: config::AwsConfig,
    pub settings: crate::core::settings::Settings,
    demo: Option<FakePortal>,
}

fn http_timeout(env: &Env) -> Duration {
    env.get("SSOPICK_HTTP_TIMEOUT")
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite() && *v > 0.0)
        .map_or(Duration::from_secs(10), Duration::from_secs_f64)
}

impl Context {
    pub async fn new(globals: &Globals, env: Env) -> Result<Context, Error> {
        let paths = Paths::from_env(&env).map_err(Error::Usage)?;
        let now = UtcTime::now();
        let settings = Self::load_settings(&env, &paths)?;
        if globals.demo {
            let mut ctx = Self::demo(globals, env, paths, now).await?;
            ctx.settings = settings;
            return Ok(ctx);
        }
        let (cfg, tokens, sessions) = Self::discover(&env, &paths)?;
        let aws_profile = env.get("AWS_PROFILE");
        let chosen = session::resolve(
            &sessions,
            &tokens,
            globals.session.as_deref(),
            aws_profile.as_deref(),
            &cfg,
            now,
        )?
        .clone();
        let mut token = session::token_for(&chosen, &tokens).cloned();
        if let Some(t) = token.take() {
            // Refreshing talks to the network: never with --offline.
            token = Some(if globals.offline {
                t
            } else {
                let scopes = Self::scopes_of(&cfg, &chosen);
                let le = crate::app::login::LoginEnv {
                    env: &env,
                    sso_cache: &paths.sso_cache,
                    cache: &paths.cache,
                    scopes: scopes.as_deref(),
                };
                crate::app::login::refresh_if_needed(&le, &chosen, t, now).await
            });
        }
        let endpoint = endpoint_override(|k| env.get(k), "AWS_ENDPOINT_URL_SSO");
        Ok(Context {
            env,
            paths,
            now,
            session: chosen,
            token,
            endpoint,
            globals: globals.clone(),
            config: cfg,
            settings,
            demo: None,
        })
    }

    async fn demo(
        globals: &Globals,
        env: Env,
        paths: Paths,
        now: UtcTime,
    ) -> Result<Context, Error> {
        let opts = FakeOptions {
            latency: Duration::from_millis(25),
            throttle: Some((60.0, 10.0)),
            token: format!("demo-token-{}", std::process::id()),
            ..FakeOptions::default()
        };
        let fake = FakePortal::start(FakeOrg::demo(), opts)
            .await
            .map_err(|e| Error::other("cannot start the demo portal", e))?;
        let token = CachedToken {
            access_token: Secret::new(fake.token()),
            expires_at: now.plus_secs(8 * 3600),
            start_url: Some(DEMO_START_URL.into()),
            region: Some("us-east-1".into()),
            refresh_token: None,
            client_id: None,
            client_secret: None,
            registration_expires_at: None,
        };
        let session = Session {
            kind: SessionKind::Named("demo".into()),
            start_url: DEMO_START_URL.into(),
            region: "us-east-1".into(),
            profiles: Vec::new(),
        };
        Ok(Context {
            env,
            paths,
            now,
            session,
            token: Some(token),
            endpoint: Some(fake.url().to_string()),
            globals: globals.clone(),
            config: config::AwsConfig::default(),
            settings: crate::core::settings::Settings::default(),
            demo: Some(fake),
        })
    }

    /// The AWS config, the token cache, and the sessions they describe.
    fn discover(
        env: &Env,
        paths: &Paths,
    ) -> Result<(config::AwsConfig, Vec<token::FoundToken>, Vec<Session>), Error> {
        let text = match std::fs::read(&paths.aws_config) {
            Ok(b) => String::from_utf8_lossy(&b).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(Error::other(
                    &format!("cannot read {}", paths.aws_config.display()),
                    e,
                ));
            }
        };
        let cfg = config::parse(&text);
        let tokens = token::scan(&paths.sso_cache);
        let default_region = env
            .get("AWS_REGION")
            .or_else(|| env.get("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".into());
        let sessions = session::discover(&cfg, &tokens, &default_region);
        Ok((cfg, tokens, sessions))
    }

    /// One context per SSO session (`--session all`).
    pub async fn all(globals: &Globals, env: Env) -> Result<Vec<Context>, Error> {
        if globals.demo {
            return Ok(vec![Context::new(globals, env).await?]);
        }
        let paths = Paths::from_env(&env).map_err(Error::Usage)?;
        let (_, _, sessions) = Self::discover(&env, &paths)?;
        if sessions.is_empty() {
            return Err(Error::NoSessions);
        }
        let mut out = Vec::new();
        for s in sessions {
            let g = Globals {
                session: Some(s.id().to_string()),
                ..globals.clone()
            };
            out.push(Context::new(&g, env.clone()).await?);
        }
        Ok(out)
    }

    fn scopes_of(cfg: &config::AwsConfig, s: &Session) -> Option<String> {
        match &s.kind {
            SessionKind::Named(n) => cfg
                .sso_session(n)
                .and_then(|x| x.registration_scopes.clone()),
            _ => None,
        }
    }

    /// What `login` needs to know about this run.
    pub fn login_env(&self) -> (Option<String>, &Env, &std::path::Path, &std::path::Path) {
        (
            Self::scopes_of(&self.config, &self.session),
            &self.env,
            &self.paths.sso_cache,
            &self.paths.cache,
        )
    }

    /// `--format`, else config.toml's export_format, else bash.
    pub fn export_format(&self, given: Option<crate::core::export::Format>) -> crate::core::export::Format {
        given
            .or(self.settings.export_format)
            .unwrap_or(crate::core::export::Format::Bash)
    }

    /// Loads config.toml (`SSOPICK_CONFIG` overrides where); none is fine.
    fn load_settings(env: &Env, paths: &Paths) -> Result<crate::core::settings::Settings, Error> {
        let path = env
            .get("SSOPICK_CONFIG")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| paths.config.join("config.toml"));
        match std::fs::read_to_string(&path) {
            Ok(text) => crate::core::settings::Settings::parse(&text)
                .map_err(|e| Error::Usage(format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(crate::core::settings::Settings::default())
            }
            Err(e) => Err(Error::other(&format!("cannot read {}", path.display()), e)),
        }
    }

    pub fn is_demo(&self) -> bool {
        self.demo.is_some()
    }

    /// The error for a token the portal rejected or that has run out.
    pub fn expired_error(&self, when: Option<UtcTime>) -> Error {
        Error::SessionExpired {
            session: self.session.id().to_string(),
            when: match when {
                Some(t) => format!("{} ago ({t})", human_duration(self.now.secs_until(t))),
                None => "or was revoked (the portal rejected its token)".into(),
            },
            login: self.session.login_command(),
        }
    }

    /// A portal client with a token that is valid now.
    pub fn client(&self) -> Result<PortalClient, Error> {
        let token = match &self.token {
            None => {
                return Err(Error::NotLoggedIn {
                    session: self.session.id().to_string(),
                    start_url: self.session.start_url.clone(),
                    login: self.session.login_command(),
                });
            }
            Some(t) if !t.is_valid_at(self.now) => {
                return Err(self.expired_error(Some(t.expires_at)));
            }
            Some(t) => t.access_token.clone(),
        };
        let opts = PortalOptions {
            region: self.session.region.clone(),
            endpoint: self.endpoint.clone(),
            attempt_timeout: http_timeout(&self.env),
        };
        Ok(PortalClient::new(&opts, token))
    }

    /// Maps a failed portal call to the error the user sees.
    pub fn call_error(&self, e: CallError) -> Error {
        match e {
            CallError::Unauthorized => self.expired_error(None),
            CallError::Throttled => {
                Error::Api("still throttled after retrying for two minutes; try again later".into())
            }
            CallError::Transient(m) => Error::Api(format!(
                "{m}.\nCheck your network (and AWS_ENDPOINT_URL_SSO if set), then try again."
            )),
            CallError::NotFound(m) | CallError::Fatal(m) => Error::Api(m),
        }
    }

    pub fn snapshot_path(&self) -> std::path::PathBuf {
        store::snapshot_path(&self.paths.cache, &self.session.start_url)
    }

    pub fn load_snapshot(&self) -> Option<Catalog> {
        store::load_snapshot(&self.snapshot_path(), &self.session.start_url)
    }

    /// The catalog as `--offline`/`--refresh` and the snapshot's age decide.
    pub async fn catalog(&self) -> Result<Catalog, Error> {
        let snap = self.load_snapshot();
        if self.globals.offline {
            return snap.ok_or_else(|| Error::NoSnapshot(self.session.id().to_string()));
        }
        if let Some(s) = &snap
            && !self.globals.refresh
            && s.complete
            && s.taken_at.secs_until(self.now) < self.settings.snapshot.max_age
        {
            return Ok(s.clone());
        }
        let show = std::io::stderr().is_terminal();
        let result = self
            .refresh(
                |p| {
                    if show {
                        print_progress(p)
                    }
                },
                None,
                None,
            )
            .await;
        if show {
            eprint!("\r\x1b[2K");
        }
        result
    }

    /// Fetches the whole catalog, streaming events to `on_progress`, then
    /// saves it. A failed run keeps a complete snapshot as it was, and merges
    /// what it learned into an incomplete one.
    pub async fn refresh(
        &self,
        mut on_progress: impl FnMut(&Progress),
        mut forward: Option<mpsc::UnboundedSender<FetchEvent>>,
        priority: Option<mpsc::UnboundedReceiver<Vec<String>>>,
    ) -> Result<Catalog, Error> {
        let client = Arc::new(self.client()?);
        let mut fresh = Catalog::new(
            self.session.id(),
            &self.session.start_url,
            &self.session.region,
            self.now,
        );
        let (tx, mut rx) = mpsc::unbounded_channel();
        let mut applier = listing::Applier::default();
        let run = tokio::spawn(fetch_all(
            client,
            FetchOptions::default(),
            tx,
            priority,
        ));
        while let Some(ev) = rx.recv().await {
            if let FetchEvent::Progress(p) = &ev {
                on_progress(p);
            }
            if let Some(f) = &forward
                && f.send(ev.clone()).is_err()
            {
                forward = None;
            }
            applier.apply(&mut fresh, ev);
        }
        let outcome = run
            .await
            .unwrap_or_else(|e| Err(CallError::Fatal(format!("listing stopped: {e}"))));
        let path = self.snapshot_path();
        match outcome {
            Ok(_) => {
                fresh.complete = true;
                fresh.sort();
                let _ = store::save_snapshot(&path, &fresh);
                Ok(fresh)
            }
            Err(e) => {
                if fresh.accounts.is_empty() {
                    return Err(self.call_error(e));
                }
                match self.load_snapshot() {
                    Some(old) if old.complete => {}
                    Some(mut old) => {
                        old.merge_partial(&fresh);
                        let _ = store::save_snapshot(&path, &old);
                    }
                    None => {
                        fresh.sort();
                        let _ = store::save_snapshot(&path, &fresh);
                    }
                }
                Err(self.call_error(e))
            }
        }
    }
}

fn print_progress(p: &Progress) {
    let accounts = if p.accounts_complete {
        format!("{}", p.accounts)
    } else {
        format!("{}+", p.accounts)
    };
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\r\x1b[2Klisting: {accounts} accounts, roles {}/{} ({} in flight{})",
        p.roles_done,
        p.accounts,
        p.in_flight,
        if p.throttled > 0 {
            format!(", {} throttled and retried", p.throttled)
        } else {
            String::new()
        }
    );
    let _ = err.flush();
}
