//! `ssopick doctor`: where everything lives, each session's state, the
//! endpoint overrides in effect, and whether a browser and the clipboard
//! can be reached. Runs even when the set-up is broken (that is when it
//! is needed); exits 1 when something fails, with the fix on its line.

use crate::app::error::Error;
use crate::app::output::print;
use crate::app::setup::load_settings;
use crate::core::doctor::{Check, failed, render};
use crate::core::env_vars as var;
use crate::core::sso::config;
use crate::core::sso::session::{self, Session};
use crate::core::sso::setup::check_endpoint;
use crate::core::sso::token::FoundToken;
use crate::core::time::{Clock, UtcTime, human_duration};
use crate::edge::env::Env;
use crate::edge::paths::Paths;
use crate::edge::{aws_files, browser, clipboard, fs, snapshot, token_cache};
use std::path::Path;

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Example:\n  ssopick doctor")]
pub struct Args {}

type Groups = Vec<(String, Vec<Check>)>;

fn shown(p: &Path) -> String {
    p.display().to_string()
}

fn files(env: &Env, paths: &Paths) -> Vec<Check> {
    let mut out = Vec::new();
    match aws_files::read_text(&paths.aws_config) {
        Ok(t) if t.is_empty() => out.push(Check::warn(
            format!(
                "AWS config {} is empty or missing",
                shown(&paths.aws_config)
            ),
            "ssopick login --start-url URL --sso-region REGION sets a session up",
        )),
        Ok(_) => out.push(Check::ok(format!(
            "AWS config {}",
            shown(&paths.aws_config)
        ))),
        Err(e) => out.push(Check::fail(
            format!("AWS config {}: {e}", shown(&paths.aws_config)),
            if e.kind() == std::io::ErrorKind::InvalidData {
                "point AWS_CONFIG_FILE at a regular text file (not a FIFO, device or folder)"
            } else {
                "fix the file's permissions, or point AWS_CONFIG_FILE at a readable file"
            },
        )),
    }
    let toml = env
        .get(var::SSOPICK_CONFIG)
        .map_or_else(|| paths.config.join("config.toml"), Into::into);
    match load_settings(env, paths) {
        Ok(_) if toml.exists() => out.push(Check::ok(format!("settings {}", shown(&toml)))),
        Ok(_) => out.push(Check::ok(format!(
            "settings {} (none; all defaults)",
            shown(&toml)
        ))),
        Err(e) => out.push(Check::fail(
            format!("settings: {e}"),
            "fix the line named, or move the file away",
        )),
    }
    for (what, dir) in [
        ("token cache", &paths.sso_cache),
        ("ssopick cache", &paths.cache),
        ("ssopick state", &paths.state),
    ] {
        match fs::untrusted_dir(dir) {
            Some(why) => out.push(Check::fail(
                format!("{what}: {why}"),
                format!(
                    "chmod 700 {0} (or remove {0}; ssopick recreates it)",
                    shown(dir)
                ),
            )),
            None => out.push(Check::ok(format!("{what} {}", shown(dir)))),
        }
    }
    out
}

fn session_checks(s: &Session, tokens: &[FoundToken], cache: &Path, now: UtcTime) -> Vec<Check> {
    let mut out = Vec::new();
    let login = s.login_command();
    match session::token_for(s, tokens) {
        None => out.push(Check::warn("not logged in", login)),
        Some(t) if t.is_valid_at(now) => {
            let refreshable = t.refresh_token.is_some()
                && t.client_secret.is_some()
                && t.registration_expires_at.is_some_and(|r| r > now);
            out.push(Check::ok(format!(
                "logged in until {} ({} left){}",
                t.expires_at,
                human_duration(now.secs_until(t.expires_at)),
                if refreshable {
                    "; refreshable, so ssopick renews it"
                } else {
                    "; not refreshable: log in again when it ends"
                }
            )));
        }
        Some(t) => out.push(Check::warn(format!("expired at {}", t.expires_at), login)),
    }
    let path = snapshot::path(cache, &s.start_url);
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    match snapshot::load(&path, &s.start_url) {
        Some(c) => {
            let roles: usize = c
                .accounts
                .iter()
                .filter_map(|a| a.roles.as_ref())
                .map(Vec::len)
                .sum();
            let line = format!(
                "snapshot: {} accounts, {roles} roles, {} old, {} KB{}",
                c.accounts.len(),
                human_duration(c.taken_at.secs_until(now).max(0)),
                size.div_ceil(1024),
                if c.complete { "" } else { ", incomplete" }
            );
            out.push(if c.complete {
                Check::ok(line)
            } else {
                Check::warn(line, format!("ssopick list --refresh --session {}", s.id()))
            });
        }
        None => out.push(Check::warn(
            "no snapshot yet",
            format!(
                "ssopick list --session {} (or just open the picker)",
                s.id()
            ),
        )),
    }
    out
}

fn reach(env: &Env) -> Vec<Check> {
    let mut out = Vec::new();
    for v in [
        var::AWS_ENDPOINT_URL_SSO,
        var::AWS_ENDPOINT_URL_SSO_OIDC,
        var::AWS_ENDPOINT_URL_STS,
        var::SSOPICK_SIGNIN_ENDPOINT,
    ] {
        let url = if v == var::SSOPICK_SIGNIN_ENDPOINT {
            env.get(v)
        } else {
            env.endpoint(v)
        };
        if let Some(url) = url {
            match check_endpoint(v, &url) {
                Ok(()) => out.push(Check::warn(
                    format!("{v} overrides the endpoint: {url}"),
                    if v == var::AWS_ENDPOINT_URL_STS {
                        "unset it unless you meant another STS (role chains, profiles' assume-role)"
                    } else {
                        "unset it unless you meant to use another portal"
                    },
                )),
                Err(e) => out.push(Check::fail(e, format!("unset {v} or fix it"))),
            }
        }
    }
    if out.is_empty() {
        out.push(Check::ok("no endpoint overrides: AWS's own endpoints"));
    }
    let place = browser::place(env);
    if place.wsl == Some(false) && !place.browser_named {
        out.push(Check::warn(
            "WSL without wslview: nothing opens the Windows browser",
            "login uses a device code; install wslu for the browser flow",
        ));
    } else if place.container && place.wsl.is_none() && !place.browser_named {
        out.push(Check::ok(
            "inside a container: login uses a device code (no browser can reach its redirect; --redirect-port with a published port, or $BROWSER, for the browser flow)",
        ));
    } else if place.browser_usable {
        out.push(Check::ok("a browser can be opened (login, console)"));
    } else {
        out.push(Check::warn(
            "no browser can be opened here (SSH or no display)",
            "login uses a device code; or set BROWSER, or use --redirect-port with ssh -L",
        ));
    }
    match clipboard::probe(env) {
        Ok(how) => out.push(Check::ok(format!("clipboard: {how}"))),
        Err(e) if e.contains("tmux") => out.push(Check::warn(
            format!("clipboard: {e}"),
            "add `set -g set-clipboard external` to ~/.tmux.conf (or `set -g allow-passthrough on`)",
        )),
        Err(e) => out.push(Check::warn(
            format!("clipboard: {e}"),
            "check the display's clipboard (DISPLAY, WAYLAND_DISPLAY)",
        )),
    }
    out.push(Check::ok(
        "credential endpoints (shell, exec, serve) use plain HTTP on 127.0.0.1, the only host (with ECS/EKS's 169.254.170.2 and .23) \
         where the SDKs accept plain HTTP: a container reaches `serve` with --network host, or through a forward to its own \
         127.0.0.1 (socat); a remote host through `ssh -R PORT:127.0.0.1:PORT` (README: Containers)",
    ));
    out
}

/// `--demo doctor`: the demo needs no set-up; say where its sandbox is.
pub(crate) fn run_demo(env: &Env) -> Result<i32, Error> {
    let dir = Paths::from_env(env).map_or_else(
        |_| "$XDG_CACHE_HOME/ssopick/demo".to_string(),
        |p| shown(&p.cache.join("demo")),
    );
    let groups: Groups = vec![(
        "Demo".into(),
        vec![
            Check::ok(
                "the built-in organisation, on a fake portal inside the process: no AWS account, no login",
            ),
            Check::ok(format!(
                "everything it writes goes to {dir}, never to ~/.aws"
            )),
        ],
    )];
    print(&render(&groups))?;
    Ok(0)
}

pub(crate) fn run(env: &Env, clock: &dyn Clock) -> Result<i32, Error> {
    let mut groups: Groups = Vec::new();
    let paths = match Paths::from_env(env) {
        Ok(p) => p,
        Err(e) => {
            groups.push((
                "Files".into(),
                vec![Check::fail(e, "set HOME to your home folder")],
            ));
            print(&render(&groups))?;
            return Ok(1);
        }
    };
    groups.push(("Files".into(), files(env, &paths)));
    let text = aws_files::read_text(&paths.aws_config).unwrap_or_default();
    let tokens = token_cache::scan(&paths.sso_cache);
    let region = env
        .get(var::AWS_REGION)
        .or_else(|| env.get(var::AWS_DEFAULT_REGION))
        .unwrap_or_else(|| "us-east-1".into());
    let sessions = session::discover(&config::parse(&text), &tokens, &region);
    if sessions.is_empty() {
        // The AWS files' other profiles work without one: then it is only
        // worth a warning.
        let creds = aws_files::read_text(&paths.aws_credentials).unwrap_or_default();
        // `[picker] profiles = false` hides them: then they are no rows.
        let shown = load_settings(env, &paths).map_or(true, |s| s.picker.profiles);
        let rows = if shown {
            crate::core::profile_rows::scan(&text, &creds).rows.len()
        } else {
            0
        };
        let fix = "ssopick login --start-url https://YOUR-ID.awsapps.com/start --sso-region REGION";
        groups.push((
            "Sessions".into(),
            vec![if rows == 0 {
                Check::fail("no SSO session is configured", fix)
            } else {
                Check::warn(
                    format!(
                        "no SSO session is configured; the AWS files' {rows} other profile(s) are the rows"
                    ),
                    fix,
                )
            }],
        ));
    }
    let now = clock.now();
    for s in &sessions {
        groups.push((
            format!("Session {} ({}, {})", s.id(), s.start_url, s.region),
            session_checks(s, &tokens, &paths.cache, now),
        ));
    }
    groups.push(("Endpoints, browser, clipboard".into(), reach(env)));
    print(&render(&groups))?;
    Ok(i32::from(failed(&groups)))
}
