//! One role's credentials answered from the 0600 credential cache while
//! they are good for 15 more minutes, else from the portal (or, for a
//! chain, STS), never interactively: what `credential-process` prints, and
//! `export --format claude` and `eks-token` too (`Shape`). The warm path
//! (`from_cache`) runs before any set-up.

use crate::app::deliver::kube::{EksAsk, eks_document};
use crate::app::error::Error;
use crate::app::output::print;
use crate::app::session::target::Target;
use crate::app::setup::Globals;
use crate::app::setup::Setup;
use crate::core::catalog::Account;
use crate::core::chain::Chain;
use crate::core::credentials::RoleCredentials;
use crate::core::export::{Chosen, claude_json, process_json};
use crate::core::sso::config;
use crate::core::sso::session::{Session, SessionKind};
use crate::core::time::UtcTime;
use crate::edge::env::Env;
use crate::edge::paths::Paths;
use crate::edge::{aws_files, config_sessions, credcache, fs, token_cache};
use std::sync::Arc;

/// What is asked (the options `credential-process` takes).
#[derive(Clone, Debug)]
pub(crate) struct Ask {
    /// Neither read nor write the cache.
    pub no_cache: bool,
    /// Seconds the portal may take.
    pub timeout: u64,
    /// With an ended session, a browser login in the background first.
    pub login: bool,
    /// A `[[chain]]` of config.toml instead of `--account`/`--role`.
    pub chain: Option<String>,
}

/// `--account ID --role NAME` name one role by its account id: what the
/// warm path answers for (an account name takes the selection rule).
pub(crate) fn by_ids(g: &Globals) -> bool {
    g.account
        .as_deref()
        .is_some_and(crate::core::catalog::valid_account_id)
        && g.role.is_some()
}

impl Default for Ask {
    fn default() -> Ask {
        Ask {
            no_cache: false,
            timeout: 30,
            login: false,
            chain: None,
        }
    }
}

/// The document printed: the `credential_process` one, Claude Code's
/// (`export --format claude`), or Kubernetes' ExecCredential (`eks-token`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    Process,
    Claude,
    Eks(EksAsk),
}

impl Shape {
    /// The region this shape needs and names; `None` when it needs none or
    /// leaves it to the role.
    fn region(&self) -> Option<&str> {
        match self {
            Shape::Eks(e) => e.region.as_deref(),
            _ => None,
        }
    }

    /// The document for `c` at `now`; `region` is where an EKS token's STS
    /// lives.
    fn text(&self, c: &RoleCredentials, now: UtcTime, region: &str) -> Result<String, Error> {
        let doc = match self {
            Shape::Process => process_json(c),
            Shape::Claude => claude_json(c),
            Shape::Eks(e) => eks_document(c, e, region, now)?,
        };
        Ok(format!("{doc}\n"))
    }
}

/// The warm path, before any set-up: with `--session NAME`, a valid login
/// that needs no refresh, and cached credentials good for 15 more minutes,
/// the JSON is printed from the cache after reading only the session's own
/// section of the AWS config (a 5,000-profile config costs nothing then).
/// `None`: take the full path.
pub(crate) fn from_cache(
    globals: &Globals,
    env: &Env,
    ask: &Ask,
    now: UtcTime,
    shape: &Shape,
) -> Option<String> {
    if ask.no_cache || globals.demo {
        return None;
    }
    let paths = Paths::from_env(env).ok()?;
    let plan = Plan::of(globals, ask, || {
        crate::app::setup::load_settings(env, &paths)
            .ok()
            .map(|s| s.chains)
    })
    .ok()?;
    let name = plan.session.clone()?;
    let (account, role) = (plan.account, plan.key);
    if name == "all" || name.contains("://") {
        return None;
    }
    if fs::untrusted_dir(&paths.cache).is_some() {
        return None;
    }
    let session = kept_session(&paths, env, &name).or_else(|| {
        let text = aws_files::read_text(&paths.aws_config).ok()?;
        let section = config::sso_session_only(&text, &name)?;
        Some(Session {
            kind: SessionKind::Named(name.clone()),
            start_url: section.start_url?,
            region: section.region.unwrap_or_default(),
            profiles: Vec::new(),
            registration_scopes: section.registration_scopes,
            more_profiles: 0,
            endpoint_keys: crate::core::sso::endpoints::EndpointKeys {
                use_fips_endpoint: section.use_fips_endpoint,
                use_dualstack_endpoint: section.use_dualstack_endpoint,
                sso_use_device_code: section.sso_use_device_code,
            },
        })
    })?;
    let token = token_cache::read(&token_cache::token_path(&paths.sso_cache, &session))?;
    if now.secs_until(token.expires_at) <= crate::app::session::tokens::REFRESH_BEFORE_SECS {
        return None;
    }
    let login = credcache::login_id(token.access_token.expose());
    let path = credcache::path(&paths.cache, &session.start_url, &account, &role);
    let c = credcache::load(&path, &session.start_url, &account, &role, &login, now)?;
    if matches!(shape, Shape::Eks(_)) && shape.region().is_none() {
        return None;
    }
    shape.text(&c, now, shape.region().unwrap_or_default()).ok()
}

/// Session `name` as an earlier run kept it for this very config file (a
/// large one is then not read at all).
fn kept_session(paths: &Paths, env: &Env, name: &str) -> Option<Session> {
    let region = crate::app::setup::default_region(env);
    let stamp = config_sessions::Stamp::of(&paths.aws_config, &region)?;
    config_sessions::load(&paths.cache, &stamp)?
        .into_iter()
        .find(|s| matches!(&s.kind, SessionKind::Named(n) if n == name))
}

/// The answer, or a clear failure within `--timeout` however the portal
/// behaves (a hung portal must not hang Terraform).
pub(crate) async fn run(setup: &Setup, ask: Ask, shape: Shape) -> Result<i32, Error> {
    if ask.login {
        return login_then_answer(setup, ask, shape).await;
    }
    let limit = std::time::Duration::from_secs(ask.timeout);
    match tokio::time::timeout(limit, answer(setup, ask, shape)).await {
        Ok(r) => r,
        Err(_) => Err(Error::Portal(format!(
            "credential-process: no answer from the portal within {} s; stopped (--timeout sets the limit)",
            limit.as_secs()
        ))),
    }
}

/// `--login`: with an ended session, a login in the background (one per
/// session, however many callers), then the answer from a fresh set-up.
/// The wait for the browser is not part of `--timeout`.
async fn login_then_answer(setup: &Setup, ask: Ask, shape: Shape) -> Result<i32, Error> {
    let plan = Plan::of(&setup.globals, &ask, || Some(setup.settings.chains.clone()))?;
    let via_session = plan.chain.as_ref().and_then(|c| c.via.session.as_deref());
    let t = Target::named_or_chosen(setup, via_session).await?;
    let Some(ended) = t.tokens.problem() else {
        return Box::pin(run(
            setup,
            Ask {
                login: false,
                ..ask
            },
            shape,
        ))
        .await;
    };
    crate::app::login::gui::login_and_wait(setup, &t.session, ended).await?;
    let fresh = Setup::load(
        setup.globals.clone(),
        setup.env.clone(),
        setup.clock.clone(),
    )
    .await?;
    Box::pin(run(
        &fresh,
        Ask {
            login: false,
            ..ask
        },
        shape,
    ))
    .await
}

/// What credential-process answers for, decided once for both paths (the
/// warm one before any set-up, and the full one): the chain, if any, the
/// session to use, and the cache entry's account and key.
struct Plan {
    chain: Option<Arc<Chain>>,
    /// `--session`, else the chain's `via.session`; `None`: the default.
    session: Option<String>,
    account: String,
    /// The role, or for a chain its whole declaration.
    key: String,
}

impl Plan {
    /// `chains`: config.toml's, asked for only with `--chain`.
    fn of(
        globals: &Globals,
        ask: &Ask,
        chains: impl FnOnce() -> Option<Vec<Arc<Chain>>>,
    ) -> Result<Plan, Error> {
        if let Some(n) = &ask.chain {
            let chains = chains().unwrap_or_default();
            let c = chains
                .iter()
                .find(|c| &c.name == n)
                .cloned()
                .ok_or_else(|| {
                    let known: Vec<&str> = chains.iter().map(|c| c.name.as_str()).collect();
                    Error::Usage(format!(
                        "no [[chain]] named {:?} in config.toml{}",
                        crate::core::catalog::clean_text(n),
                        if known.is_empty() {
                            String::new()
                        } else {
                            format!(" (it has: {})", known.join(", "))
                        }
                    ))
                })?;
            return Ok(Plan {
                session: globals.session.clone().or_else(|| c.via.session.clone()),
                account: c.account_id().to_string(),
                key: c.cache_key(),
                chain: Some(c),
            });
        }
        let (Some(account), Some(role)) = (&globals.account, &globals.role) else {
            return Err(Error::Usage(
                "credential-process needs --account ID and --role NAME (or --chain NAME)".into(),
            ));
        };
        if !crate::core::catalog::valid_account_id(account) {
            return Err(Error::Usage(format!(
                "credential-process needs a 12-digit --account id, not {account:?}"
            )));
        }
        Ok(Plan {
            chain: None,
            session: globals.session.clone(),
            account: account.clone(),
            key: role.clone(),
        })
    }
}

async fn answer(setup: &Setup, ask: Ask, shape: Shape) -> Result<i32, Error> {
    let plan = Plan::of(&setup.globals, &ask, || Some(setup.settings.chains.clone()))?;
    let (chain, account, role) = (plan.chain, plan.account, plan.key);
    let via_session = chain.as_ref().and_then(|c| c.via.session.as_deref());
    let t = Target::named_or_chosen(setup, via_session).await?;
    // No usable login (logged out, expired): no credentials, cached or not.
    if let Some(e) = t.tokens.problem() {
        return Err(e);
    }
    let cache = Cache {
        t: &t,
        login: t
            .tokens
            .peek()
            .map(|tok| credcache::login_id(tok.access_token.expose()))
            .unwrap_or_default(),
        off: ask.no_cache,
    };
    let region = shape.region().map_or_else(
        || {
            // The account's config.toml metadata (its region) counts, as
            // for a row chosen by query.
            let mut a = Account::new(&account, &account, "");
            setup.row_settings().additions().account(&mut a);
            t.region(&Chosen::new(a, &role, t.id()))
        },
        str::to_string,
    );
    let now = setup.clock.now();
    if let Some(c) = cache.load(&account, &role, 0) {
        return print(&shape.text(&c, now, &region)?);
    }
    let c = if let Some(ch) = &chain {
        let chosen = Chosen::new(
            t.setup.row_settings().additions().chain_row(ch).account,
            ch.role_name(),
            t.id(),
        );
        let feed = t.feed(&chosen);
        let via = crate::app::deliver::feed::via(&chosen, ch);
        let (id, r) = (&via.account.account_id, &via.role);
        // The source must outlast the chained session, or it caps it.
        let source = if let Some(s) = cache.load(id, r, ch.duration_secs()) {
            s
        } else {
            let s = feed.sso(&via).await?;
            cache.save(id, r, &s);
            s
        };
        feed.assume(ch, &source).await?
    } else {
        let chosen = Chosen::new(Account::new(&account, &account, ""), &role, t.id());
        match t.credentials(&chosen).await {
            // The portal knows no such role: perhaps only its case differs
            // from the snapshot's spelling (the snapshot is read only then).
            Err(e @ Error::NoAccess { .. }) => {
                let snapshot = t.catalog.snapshot_ref();
                let spelled =
                    crate::app::pick::named::corrected_role(snapshot.as_deref(), &account, &role);
                if spelled == role {
                    return Err(e);
                }
                t.credentials(&Chosen::new(chosen.account, spelled, t.id()))
                    .await?
            }
            other => other?,
        }
    };
    cache.save(&account, &role, &c);
    print(&shape.text(&c, now, &region)?)
}

/// The credential cache of one login.
struct Cache<'t, 's> {
    t: &'t Target<'s>,
    login: String,
    off: bool,
}

impl Cache<'_, '_> {
    /// Cached credentials with at least `more_secs` beyond the reuse margin.
    fn load(&self, account: &str, role: &str, more_secs: i64) -> Option<RoleCredentials> {
        if self.off {
            return None;
        }
        let (url, now) = (&self.t.session.start_url, self.t.setup.clock.now());
        let path = credcache::path(&self.t.setup.paths.cache, url, account, role);
        credcache::load(
            &path,
            url,
            account,
            role,
            &self.login,
            now.plus_secs(more_secs),
        )
    }

    fn save(&self, account: &str, role: &str, c: &RoleCredentials) {
        if self.off {
            return;
        }
        let url = &self.t.session.start_url;
        let path = credcache::path(&self.t.setup.paths.cache, url, account, role);
        if let Err(e) = credcache::save(&path, url, account, role, &self.login, c) {
            eprintln!(
                "ssopick: warning: cannot cache credentials in {}: {e}",
                path.display()
            );
        }
    }
}
