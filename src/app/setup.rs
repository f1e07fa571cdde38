//! One run's set-up, read once: the environment, where files live,
//! config.toml, the AWS config and the token cache, and the clock. From it a
//! command gets the `Target` (one SSO session) it works on. `--demo` puts a
//! fake portal on loopback and a demo session in front of everything else.

use crate::app::demo::Demo;
use crate::app::error::Error;
use crate::core::catalog::valid_role_name;
use crate::core::delivery::Defaults;
use crate::core::env_vars as var;
use crate::core::secret::Secret;
use crate::core::settings::Settings;
use crate::core::sso::config::{self, AwsConfig};
use crate::core::sso::session::{self, Session, SessionError, SessionKind};
use crate::core::sso::setup::{check_endpoint, check_region};
use crate::core::sso::token::{CachedToken, FoundToken};
use crate::core::time::Clock;
use crate::edge::env::Env;
use crate::edge::net::NetConfig;
use crate::edge::paths::Paths;
use crate::edge::{aws_files, config_sessions, token_cache};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use std::sync::Arc;

pub(crate) const DEMO_START_URL: &str = "https://ssopick-demo.awsapps.com/start";

/// The options every command shares (`--session`, `--account`, ...).
#[derive(Clone, Debug, Default)]
pub struct Globals {
    pub session: Option<String>,
    pub account: Option<String>,
    pub role: Option<String>,
    pub region: Option<String>,
    pub refresh: bool,
    pub offline: bool,
    /// `--sso-only`: no rows for the AWS files' other profiles.
    pub sso_only: bool,
    pub demo: bool,
    pub yes: bool,
    /// `-v`: the whole cause of network errors, and ssopick's decisions.
    pub verbose: bool,
}

pub(crate) struct Setup {
    pub env: Env,
    pub paths: Paths,
    pub settings: Settings,
    /// config.toml's defaults for deliveries.
    pub defaults: Defaults,
    pub clock: Arc<dyn Clock>,
    pub globals: Globals,
    /// The AWS config, parsed when first asked for (`aws()`): a run whose
    /// sessions come from `edge::config_sessions` may never need it.
    aws: std::sync::OnceLock<AwsConfig>,
    pub sessions: Vec<Session>,
    pub tokens: Vec<FoundToken>,
    /// `--demo`: its portal and sign-in page (`console`), on loopback.
    demo: Option<Demo>,
    /// (account id, role) -> the region of the first profile naming them.
    profile_regions: std::sync::OnceLock<std::collections::HashMap<(String, String), String>>,
    /// The network configuration (`edge::net`) and its HTTP client,
    /// resolved when first asked for.
    net: std::sync::OnceLock<Result<(NetConfig, SharedHttpClient), String>>,
    /// `settings` with the AWS files' other profiles (`row_settings`).
    rows: std::sync::OnceLock<Settings>,
}

impl Setup {
    pub(crate) async fn load(
        globals: Globals,
        env: Env,
        clock: Arc<dyn Clock>,
    ) -> Result<Setup, Error> {
        let paths = Paths::from_env(&env).map_err(Error::Usage)?;
        // Checked once, here: a bad region or endpoint is a usage error that
        // names what to fix, not a connection failure later.
        if let Some(r) = globals.role.as_deref().filter(|r| !valid_role_name(r)) {
            return Err(Error::Usage(format!(
                "--role {r:?} is not a role name (letters, digits and _+=,.@- only)"
            )));
        }
        if let Some(r) = &globals.region {
            check_region(r).map_err(|e| Error::Usage(format!("--region: {e}")))?;
        }
        for v in [var::AWS_ENDPOINT_URL_SSO, var::AWS_ENDPOINT_URL_SSO_OIDC] {
            if let Some(url) = env.endpoint(v) {
                check_endpoint(v, &url).map_err(Error::Usage)?;
            }
        }
        // Folders holding credentials and snapshots must be the user's own
        // (as ssh judges ~/.ssh): planted files there would be trusted.
        for dir in [&paths.cache, &paths.state] {
            if let Some(why) = crate::edge::fs::untrusted_dir(dir) {
                return Err(Error::UnsafeFolder(format!(
                    "refusing to use {}: {why}.\nFix: chmod 700 {0} (or remove it; ssopick recreates it).",
                    dir.display()
                )));
            }
        }
        let settings = load_settings(&env, &paths)?;
        let mut s = Setup {
            defaults: Defaults::from_settings(&settings),
            env,
            paths,
            settings,
            clock,
            globals,
            aws: std::sync::OnceLock::new(),
            sessions: Vec::new(),
            tokens: Vec::new(),
            demo: None,
            profile_regions: std::sync::OnceLock::new(),
            net: std::sync::OnceLock::new(),
            rows: std::sync::OnceLock::new(),
        };
        if s.globals.demo {
            s.start_demo().await?;
        } else {
            s.tokens = token_cache::scan(&s.paths.sso_cache);
            let default_region = default_region(&s.env);
            let found = s.sessions_of_config(&default_region)?;
            s.sessions = session::with_tokens(found, &s.tokens, &default_region);
        }
        Ok(s)
    }

    /// The sessions the AWS config names: kept from an earlier run while a
    /// large config stays the same file, else parsed (and, when large,
    /// kept).
    fn sessions_of_config(&self, default_region: &str) -> Result<Vec<Session>, Error> {
        let path = &self.paths.aws_config;
        let stamp = config_sessions::Stamp::of(path, default_region)
            .filter(|s| s.file_size() >= config_sessions::WORTH_CACHING);
        if let Some(kept) = stamp
            .as_ref()
            .and_then(|s| config_sessions::load(&self.paths.cache, s))
        {
            return Ok(kept);
        }
        let text = aws_files::read_text(path).map_err(|e| Error::file("read", path, e))?;
        let aws = self.aws.get_or_init(|| config::parse(&text));
        let found = session::of_config(aws);
        if let Some(s) = &stamp {
            config_sessions::save(&self.paths.cache, s, &found);
        }
        Ok(found)
    }

    /// The AWS config (`~/.aws/config`), parsed on first use; unreadable
    /// now, it is empty (the run read it, or its kept sessions, at start).
    pub(crate) fn aws(&self) -> &AwsConfig {
        self.aws.get_or_init(|| {
            aws_files::read_text(&self.paths.aws_config)
                .map(|t| config::parse(&t))
                .unwrap_or_default()
        })
    }

    /// The region a profile of the AWS config gives this account and role
    /// (the first such profile), indexed once: one lookup per row, however
    /// many profiles the config holds.
    /// The region of a profile in `~/.aws/config` for this account and role
    /// (when it is a region).
    pub(crate) fn profile_region(&self, account_id: &str, role: &str) -> Option<String> {
        valid_region(
            "a profile in ~/.aws/config",
            self.profile_region_raw(account_id, role)
                .map(str::to_string),
        )
    }

    fn profile_region_raw(&self, account_id: &str, role: &str) -> Option<&str> {
        self.profile_regions
            .get_or_init(|| {
                let mut m = std::collections::HashMap::new();
                for p in &self.aws().profiles {
                    if let (Some(a), Some(r), Some(region)) =
                        (&p.sso_account_id, &p.sso_role_name, &p.region)
                    {
                        m.entry((a.clone(), r.clone()))
                            .or_insert_with(|| region.clone());
                    }
                }
                m
            })
            .get(&(account_id.to_string(), role.to_string()))
            .map(String::as_str)
    }

    async fn start_demo(&mut self) -> Result<(), Error> {
        // A sandbox: every file the demo writes (config, credentials, token,
        // snapshot, history) stays in its own folder, never in ~/.aws.
        let root = self.paths.cache.join("demo");
        self.paths.aws_config = root.join("aws/config");
        self.paths.aws_credentials = root.join("aws/credentials");
        self.paths.sso_cache = root.join("aws/sso/cache");
        self.paths.cache = root.join("cache");
        self.paths.state = root.join("state");
        eprintln!(
            "ssopick: --demo: a built-in fake organisation; files go to {}, never to ~/.aws.",
            root.display()
        );
        let fake = Demo::start().await?;
        let session = Session {
            kind: SessionKind::Named("demo".into()),
            start_url: DEMO_START_URL.into(),
            region: "us-east-1".into(),
            profiles: Vec::new(),
            registration_scopes: None,
            more_profiles: 0,
            endpoint_keys: crate::core::sso::endpoints::EndpointKeys::default(),
        };
        self.tokens = vec![FoundToken {
            key: session.cache_key(),
            path: std::path::PathBuf::new(),
            token: CachedToken {
                access_token: Secret::new(fake.token()),
                expires_at: self.clock.now().plus_secs(8 * 3600),
                start_url: Some(DEMO_START_URL.into()),
                region: Some("us-east-1".into()),
                refresh_token: None,
                client_id: None,
                client_secret: None,
                registration_expires_at: None,
            },
            foreign: false,
        }];
        self.sessions = vec![session];
        self.demo = Some(fake);
        crate::app::demo::write_profiles(&self.paths.aws_config, &self.paths.aws_credentials);
        // The demo shows the production guardrail on its *-prod accounts,
        // unless config.toml names production accounts itself.
        if self.settings.production.patterns.is_empty() {
            self.settings.production.patterns = vec!["*-prod".into(), "*-prod-*".into()];
        }
        Ok(())
    }

    pub(crate) fn is_demo(&self) -> bool {
        self.demo.is_some()
    }

    /// The session `--session`, `AWS_PROFILE` and the token cache choose.
    pub(crate) fn chosen_session(&self) -> Result<&Session, SessionError> {
        if self.is_demo() {
            return self.sessions.first().ok_or(SessionError::NoSessions);
        }
        session::resolve(
            &self.sessions,
            &self.tokens,
            self.globals
                .session
                .as_deref()
                .or(self.settings.default_session.as_deref()),
            self.env.get(var::AWS_PROFILE).as_deref(),
            &|| self.aws(),
            self.clock.now(),
        )
    }

    /// `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`.
    pub(crate) fn region_override(&self) -> Option<String> {
        valid_region("--region", self.globals.region.clone())
            .or_else(|| valid_region(var::AWS_REGION, self.env.get(var::AWS_REGION)))
            .or_else(|| {
                valid_region(
                    var::AWS_DEFAULT_REGION,
                    self.env.get(var::AWS_DEFAULT_REGION),
                )
            })
    }

    /// The private folder for this run's pages and config copies
    /// (`edge::fs::private_run_dir`); why `$XDG_RUNTIME_DIR` was passed
    /// over is said under `-v`.
    pub(crate) fn run_dir(&self) -> Result<std::path::PathBuf, Error> {
        let (dir, why) = run_dir_of(&self.env, &self.paths.cache)
            .map_err(|e| Error::UnsafeFolder(e.to_string()))?;
        if let (Some(why), true) = (why, self.globals.verbose) {
            eprintln!(
                "ssopick: not using $XDG_RUNTIME_DIR ({why}); using {}",
                dir.display()
            );
        }
        Ok(dir)
    }
}

/// The largest config.toml read.
pub(crate) const MAX_SETTINGS: u64 = 1 << 20;

/// Where config.toml is: `SSOPICK_CONFIG`, else the config folder's.
pub(crate) fn settings_path(env: &Env, paths: &Paths) -> std::path::PathBuf {
    env.get(var::SSOPICK_CONFIG).map_or_else(
        || paths.config.join("config.toml"),
        std::path::PathBuf::from,
    )
}

/// Loads config.toml (`SSOPICK_CONFIG` overrides where); none is fine.
pub(crate) fn load_settings(env: &Env, paths: &Paths) -> Result<Settings, Error> {
    let path = settings_path(env, paths);
    match crate::edge::fs::read_capped(&path, MAX_SETTINGS) {
        Ok(Some(bytes)) => Settings::parse(&String::from_utf8_lossy(&bytes))
            .map_err(|message| Error::Config { path, message }),
        Ok(None) => Ok(Settings::default()),
        Err(e) => Err(Error::file("read", &path, e)),
    }
}

/// The region of a session whose config names none: `AWS_REGION`,
/// `AWS_DEFAULT_REGION`, else us-east-1.
pub(crate) fn default_region(env: &Env) -> String {
    env.get(var::AWS_REGION)
        .or_else(|| env.get(var::AWS_DEFAULT_REGION))
        .unwrap_or_else(|| "us-east-1".into())
}

/// `value`, when it is an AWS region; anything else (a typo, or a value
/// that would break a shell line) is ignored, said once per source on
/// stderr.
pub(crate) fn valid_region(source: &str, value: Option<String>) -> Option<String> {
    static WARNED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let v = value?;
    match crate::core::sso::setup::check_region(&v) {
        Ok(r) => Some(r),
        Err(e) => {
            let mut w = WARNED
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if !w.iter().any(|s| s == source) {
                w.push(source.to_string());
                eprintln!(
                    "ssopick: warning: ignoring the region from {source}: {}",
                    crate::core::catalog::clean_text(&e)
                );
            }
            None
        }
    }
}

/// The private run folder for this environment and ssopick cache folder
/// (`edge::fs::private_run_dir`), and why `$XDG_RUNTIME_DIR` was passed
/// over, if it was.
pub(crate) fn run_dir_of(
    env: &Env,
    cache: &std::path::Path,
) -> std::io::Result<(std::path::PathBuf, Option<String>)> {
    let xdg = env.get(var::XDG_RUNTIME_DIR).map(std::path::PathBuf::from);
    crate::edge::fs::private_run_dir(xdg.as_deref(), &cache.join("run"))
}

mod network;
mod rows;
pub(crate) use rows::profiles_found;
