//! `ssopick credential-process --account ID --role NAME`: the JSON an SDK's
//! `credential_process` reads, from a 0600 cache while it is good for 15
//! more minutes. Never interactive.

use crate::app::error::Error;
use crate::app::output::print;
use crate::app::setup::Globals;
use crate::app::setup::Setup;
use crate::app::target::Target;
use crate::core::catalog::Account;
use crate::core::export::{Chosen, process_json};
use crate::core::sso::config;
use crate::core::sso::session::{Session, SessionKind};
use crate::core::time::UtcTime;
use crate::edge::env::Env;
use crate::edge::paths::Paths;
use crate::edge::{aws_files, credcache, fs, token_cache};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Example ~/.aws/config profile:\n  [profile prod-admin]\n  credential_process = /usr/local/bin/ssopick credential-process --session corp --account 123456789012 --role Admin\n\n\
Credentials are reused from a 0600 cache until 15 minutes before they expire."
)]
pub struct Args {
    /// Always ask the portal; neither read nor write the cache
    #[arg(long)]
    pub no_cache: bool,
    /// Give up after this many seconds (SDKs stop waiting too: Go's after 60)
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

/// The warm path, before any set-up: with `--session NAME`, a valid login
/// that needs no refresh, and cached credentials good for 15 more minutes,
/// the JSON is printed from the cache after reading only the session's own
/// section of the AWS config (a 5,000-profile config costs nothing then).
/// `None`: take the full path.
pub fn from_cache(globals: &Globals, env: &Env, args: &Args, now: UtcTime) -> Option<String> {
    let (Some(name), Some(account), Some(role)) =
        (&globals.session, &globals.account, &globals.role)
    else {
        return None;
    };
    if args.no_cache || globals.demo || name == "all" || name.contains("://") {
        return None;
    }
    let paths = Paths::from_env(env).ok()?;
    if fs::untrusted_dir(&paths.cache).is_some() {
        return None;
    }
    let text = aws_files::read_text(&paths.aws_config).ok()?;
    let section = config::sso_session_only(&text, name)?;
    let session = Session {
        kind: SessionKind::Named(name.clone()),
        start_url: section.start_url?,
        region: section.region.unwrap_or_default(),
        profiles: Vec::new(),
    };
    let token = token_cache::read(&token_cache::token_path(&paths.sso_cache, &session))?;
    if now.secs_until(token.expires_at) <= crate::app::tokens::REFRESH_BEFORE_SECS {
        return None;
    }
    let login = credcache::login_id(token.access_token.expose());
    let path = credcache::path(&paths.cache, &session.start_url, account, role);
    let c = credcache::load(&path, &session.start_url, account, role, &login, now)?;
    Some(format!("{}\n", process_json(&c)))
}

/// The answer, or a clear failure within `--timeout` however the portal
/// behaves (a hung portal must not hang Terraform).
pub async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    let limit = std::time::Duration::from_secs(args.timeout);
    match tokio::time::timeout(limit, answer(setup, args)).await {
        Ok(r) => r,
        Err(_) => Err(Error::Portal(format!(
            "credential-process: no answer from the portal within {} s; stopped (--timeout sets the limit)",
            limit.as_secs()
        ))),
    }
}

async fn answer(setup: &Setup, args: Args) -> Result<i32, Error> {
    let (Some(account), Some(role)) = (&setup.globals.account, &setup.globals.role) else {
        return Err(Error::Usage(
            "credential-process needs --account ID and --role NAME".into(),
        ));
    };
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Usage(format!(
            "credential-process needs a 12-digit --account id, not {account:?}"
        )));
    }
    let t = Target::chosen(setup).await?;
    // No usable login (logged out, expired): no credentials, cached or not.
    if let Some(e) = t.tokens.problem() {
        return Err(e);
    }
    let login = t
        .tokens
        .peek()
        .map(|tok| credcache::login_id(tok.access_token.expose()))
        .unwrap_or_default();
    let url = &t.session.start_url;
    let path = credcache::path(&setup.paths.cache, url, account, role);
    if !args.no_cache
        && let Some(c) = credcache::load(&path, url, account, role, &login, setup.clock.now())
    {
        return print(&format!("{}\n", process_json(&c)));
    }
    let chosen = Chosen {
        account: Account {
            account_id: account.clone(),
            account_name: account.clone(),
            email_address: String::new(),
        },
        // A cache miss: correct the role's case from the snapshot, if any.
        role: crate::app::choose::corrected_role(
            t.catalog.snapshot_ref().as_deref(),
            account,
            role,
        ),
        session: t.id().into(),
    };
    let c = t.credentials(&chosen).await?;
    if !args.no_cache
        && let Err(e) = credcache::save(&path, url, account, role, &login, &c)
    {
        eprintln!(
            "ssopick: warning: cannot cache credentials in {}: {e}",
            path.display()
        );
    }
    print(&format!("{}\n", process_json(&c)))
}
