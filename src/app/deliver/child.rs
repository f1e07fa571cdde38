//! `shell` and `exec`: a child process with the role's credentials.
//!
//! By default the child gets a local credential endpoint
//! (`AWS_CONTAINER_CREDENTIALS_FULL_URI` and a per-run token), served by this
//! process and renewed in the background while the child runs, so nothing
//! goes stale in a long `terraform apply`. Everything an SDK would try first
//! is removed from the child's environment; when `~/.aws/config` or
//! `~/.aws/credentials` has a `[default]` profile (which SDKs read before the
//! endpoint), the child gets a per-run copy of the config with an empty
//! profile of its own selected, so the picked role wins in every SDK.
//! `--static` puts keys in the environment instead.

use crate::app::deliver::renewer::Renewer;
use crate::app::error::Error;
use crate::app::session::target::Target;
use crate::core::delivery::ChildCredentials;
use crate::core::env_vars as var;
use crate::core::export::{
    Chosen, ENDPOINT_REMOVED_VARS, SHELL_MARKER, credential_env, describe, endpoint_env,
};
use crate::core::time::human_duration;
use crate::edge::{aws_files, cred_server, fs, process};
use std::sync::Arc;

/// What runs: `$SHELL` (with the nesting marker), or a command.
pub(crate) enum Child<'a> {
    Shell,
    Command(&'a [String]),
}

/// The AWS files the child's SDKs will read (from the environment, not
/// the demo's sandbox): config and credentials.
pub(crate) fn sdk_files(t: &Target<'_>) -> (std::path::PathBuf, std::path::PathBuf) {
    match crate::edge::paths::Paths::from_env(&t.setup.env) {
        Ok(p) => (p.aws_config, p.aws_credentials),
        Err(_) => (
            t.setup.paths.aws_config.clone(),
            t.setup.paths.aws_credentials.clone(),
        ),
    }
}

/// True when an SDK would find a `[default]` profile before the endpoint.
pub(crate) fn has_default_profile(config: &std::path::Path, credentials: &std::path::Path) -> bool {
    [config, credentials].iter().any(|p| {
        aws_files::read_text(p).is_ok_and(|text| {
            crate::core::sso::config::parse(&text)
                .profile("default")
                .is_some()
        })
    })
}

/// The per-run config: the user's own, plus an empty profile that the
/// child selects (SDKs then fall through to the endpoint).
pub(crate) fn overlay(
    t: &Target<'_>,
    config: &std::path::Path,
    region: &str,
) -> Result<(tempfile::TempPath, String), Error> {
    let mut text = aws_files::read_text(config).map_err(|e| Error::file("read", config, e))?;
    let parsed = crate::core::sso::config::parse(&text);
    let taken = |n: &str| parsed.profile(n).is_some();
    let name = if taken("ssopick") {
        (1..=parsed.profiles.len() + 1)
            .map(|n| format!("ssopick-{n}"))
            .find(|n| !taken(n))
            .unwrap_or_else(|| "ssopick-run".into())
    } else {
        "ssopick".into()
    };
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!(
        "\n# ssopick: this run's profile; credentials come from its local endpoint\n[profile {name}]\nregion = {region}\n"
    ));
    let dir = t.setup.run_dir()?;
    let file = fs::private_temp(Some(&dir), &text)
        .map_err(|e| Error::file("write", std::path::Path::new("a temporary config"), e))?;
    Ok((file, name))
}

pub(crate) async fn run(
    t: &Target<'_>,
    chosen: &Chosen,
    child: Child<'_>,
    keys: ChildCredentials,
) -> Result<i32, Error> {
    let env = &t.setup.env;
    let region = t.region(chosen);
    let (program, args): (String, &[String]) = match child {
        Child::Shell => (process::shell_program(env), &[]),
        Child::Command(cmd) => match cmd.split_first() {
            Some((p, a)) => (p.clone(), a),
            None => {
                return Err(Error::Usage("exec needs a command after `--`, e.g. ssopick exec prod -- aws sts get-caller-identity".into()));
            }
        },
    };
    let is_shell = matches!(child, Child::Shell);
    // A shell whose stdout is taken (`$(ssopick export)`, then Tab ->
    // subshell) talks to the terminal, never into the caller's capture.
    let on_tty = is_shell && !std::io::IsTerminal::is_terminal(&std::io::stdout());
    let mut marker = Vec::new();
    if is_shell {
        let depth = env
            .get(SHELL_MARKER)
            .and_then(|d| d.parse::<u32>().ok())
            .unwrap_or(0)
            + 1;
        marker.push((SHELL_MARKER, depth.to_string()));
    }
    let launch = Launch {
        program: &program,
        args,
        marker,
        is_shell,
        on_tty,
        region: &region,
    };
    if keys == ChildCredentials::Static {
        let c = t.credentials(chosen).await?;
        return run_static(t, chosen, launch, c).await;
    }
    let who = describe(chosen);
    let renewer = Renewer::start(t.feed(chosen)).await?;
    // Long-term keys (a static profile's) need no renewal, and an endpoint
    // answer without a token is not read alike by every SDK.
    if renewer.first().long_term() {
        let c = renewer.first().clone();
        drop(renewer);
        return run_static(t, chosen, launch, c).await;
    }
    let endpoint = cred_server::start(
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        Arc::new(renewer.answer()),
    )
    .await
    .map_err(Error::Endpoint)?;
    let registered = super::registry::register(
        t,
        chosen,
        if is_shell { "shell" } else { "exec" },
        endpoint.addr.port(),
        renewer.serving(),
    );
    let mut vars = endpoint_env(chosen, &region, &endpoint.url, endpoint.token.expose());
    vars.extend(launch.marker);
    let (config, credentials) = sdk_files(t);
    let overlay_file = if has_default_profile(&config, &credentials) {
        let (file, name) = overlay(t, &config, &region)?;
        vars.push((var::AWS_CONFIG_FILE, file.to_string_lossy().into_owned()));
        vars.push((var::AWS_PROFILE, name));
        Some(file)
    } else {
        None
    };
    if is_shell {
        eprintln!(
            "ssopick: shell {program} for {who}; credentials from a local endpoint, renewed until you leave (now valid until {}). `exit` leaves it.",
            renewer.first().expiration
        );
    }
    let code = process::run(&program, args, &vars, &ENDPOINT_REMOVED_VARS, on_tty).await?;
    drop(registered);
    drop(endpoint);
    drop(renewer);
    drop(overlay_file);
    if is_shell {
        eprintln!("ssopick: left the shell for {who} (exit code {code}).");
    }
    Ok(code)
}

/// The child to start: its program, arguments, the nesting marker, and
/// where it talks.
struct Launch<'a> {
    program: &'a str,
    args: &'a [String],
    marker: Vec<(&'static str, String)>,
    is_shell: bool,
    on_tty: bool,
    region: &'a str,
}

/// `--static`: the keys themselves in the child's environment, said to
/// expire; a shell is told on leaving whether they did while it was open.
async fn run_static(
    t: &Target<'_>,
    chosen: &Chosen,
    launch: Launch<'_>,
    c: crate::core::credentials::RoleCredentials,
) -> Result<i32, Error> {
    let who = describe(chosen);
    let mut vars = credential_env(chosen, &c, launch.region);
    vars.extend(launch.marker);
    let program = launch.program;
    let removed = crate::core::export::removed(&c);
    if c.long_term() || !c.expiry_stated {
        if launch.is_shell {
            eprintln!(
                "ssopick: shell {program} for {who}; the profile's {}. `exit` leaves it.",
                if c.long_term() {
                    "long-term keys"
                } else {
                    "keys (no expiry stated)"
                }
            );
        }
        let code = process::run(program, launch.args, &vars, &removed, launch.on_tty).await?;
        if launch.is_shell {
            eprintln!("ssopick: left the shell for {who} (exit code {code}).");
        }
        return Ok(code);
    }
    if launch.is_shell {
        let left = t.setup.clock.now().secs_until(c.expiration);
        eprintln!(
            "ssopick: shell {program} for {who}; static keys, they expire {} (in {}). `exit` leaves it.",
            c.expiration,
            human_duration(left)
        );
    }
    let code = process::run(program, launch.args, &vars, &removed, launch.on_tty).await?;
    if launch.is_shell {
        let now = t.setup.clock.now();
        let expired = if now >= c.expiration {
            format!(
                "; its keys expired {} ago, while it was open",
                human_duration(c.expiration.secs_until(now))
            )
        } else {
            String::new()
        };
        eprintln!("ssopick: left the shell for {who} (exit code {code}){expired}.");
    }
    Ok(code)
}
