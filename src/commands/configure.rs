//! `ssopick configure`: the questions `login --start-url` answers by flags,
//! asked on the terminal with defaults; then the `[sso-session]` block is
//! added (safely, backed up) and, if wanted, the login runs.

use crate::app::error::Error;
use crate::app::login;
use crate::app::session::configure::{set_up, valid_session_name};
use crate::app::session::target::Target;
use crate::app::setup::{Globals, Setup};
use crate::core::env_vars as var;
use crate::core::sso::flow::LoginOptions;
use crate::core::sso::setup::{
    check_region, check_start_url, region_in_start_url, session_name_for,
};
use crate::edge::prompt::{ask, ask_line, has_terminal};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Asks for the start URL, the region and a session name (with defaults), adds\n\
[sso-session NAME] to ~/.aws/config (a backup is kept; an existing session for the\n\
URL is reused), then offers to log in. `ssopick login --start-url URL --sso-region\n\
REGION` does the same without questions."
)]
pub struct Args {}

/// Asks until `check` accepts the answer (at most 3 times); an empty
/// answer takes the default.
fn ask_checked(
    question: &str,
    default: Option<&str>,
    check: impl Fn(&str) -> Result<String, String>,
) -> Result<String, Error> {
    let prompt = match default {
        Some(d) => format!("{question} [{d}]: "),
        None => format!("{question}: "),
    };
    for _ in 0..3 {
        let Some(answer) = ask_line(&prompt) else {
            return Err(Error::Cancelled);
        };
        let answer = if answer.is_empty() {
            default.unwrap_or_default().to_string()
        } else {
            answer
        };
        match check(&answer) {
            Ok(v) => return Ok(v),
            Err(e) => eprintln!("ssopick: {e}"),
        }
    }
    Err(Error::Usage(format!("no usable answer to {question:?}")))
}

/// Runs blocking questions off the runtime, so Ctrl-C ends them cleanly
/// (a new line, "cancelled", exit 130) with nothing written.
async fn interruptible<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    tokio::select! {
        r = tokio::task::spawn_blocking(f) => r.map_err(|_| Error::Cancelled)?,
        _ = tokio::signal::ctrl_c() => {
            eprintln!();
            Err(Error::Cancelled)
        }
    }
}

/// The three answers (start URL, region, session name).
fn questions(
    sessions: Vec<crate::core::sso::config::SsoSessionSection>,
    env_region: Option<String>,
) -> Result<(String, String, String), Error> {
    let url = ask_checked(
        "SSO start URL (e.g. https://d-1234567890.awsapps.com/start)",
        None,
        check_start_url,
    )?;
    let default_region = region_in_start_url(&url)
        .or(env_region)
        .unwrap_or_else(|| "us-east-1".into());
    let region = ask_checked("SSO region", Some(&default_region), check_region)?;
    let default_name = session_name_for(&url);
    let taken = |n: &str| {
        sessions.iter().any(|s| {
            s.name == n
                && !s
                    .start_url
                    .as_deref()
                    .is_some_and(|u| crate::core::sso::session::same_url(u, &url))
        })
    };
    // A name another start URL has is not offered, nor taken.
    let default_name = (0..100)
        .map(|i| {
            if i == 0 {
                default_name.clone()
            } else {
                format!("{default_name}-{i}")
            }
        })
        .find(|n| !taken(n))
        .unwrap_or(default_name);
    let name = ask_checked("Session name", Some(&default_name), |n| {
        if !valid_session_name(n) {
            Err(format!(
                "{n:?} is not a session name (letters, digits, _ . - only; not `all`)"
            ))
        } else if taken(n) {
            Err(format!(
                "a session named {n} already exists for another start URL; choose another name"
            ))
        } else {
            Ok(n.to_string())
        }
    })?;
    Ok((url, region, name))
}

pub(crate) async fn run(setup: &Setup, _args: Args) -> Result<i32, Error> {
    if !has_terminal() {
        return Err(Error::Usage(
            "configure asks on a terminal; in scripts use `ssopick login --start-url URL --sso-region REGION`".into(),
        ));
    }
    let sessions = setup.aws().sso_sessions.clone();
    let env_region = setup
        .env
        .get(var::AWS_REGION)
        .or_else(|| setup.env.get(var::AWS_DEFAULT_REGION));
    let (url, region, name) = interruptible(move || questions(sessions, env_region)).await?;
    let name = set_up(setup, &url, &region, Some(&name))?;
    let question = format!("Log in to {name} now? [Y/n] ");
    if interruptible(move || Ok(ask(&question, true))).await? != Some(true) {
        eprintln!("ssopick: later: ssopick login --session {name}");
        return Ok(0);
    }
    let globals = Globals {
        session: Some(name),
        ..setup.globals.clone()
    };
    let fresh = Setup::load(globals, setup.env.clone(), setup.clock.clone()).await?;
    let (t, url) = Target::for_login(&fresh).await?;
    login::login(
        &t.tokens,
        &fresh.env,
        &LoginOptions::from_settings(&fresh.settings.login),
        &url,
    )
    .await?;
    Ok(0)
}
