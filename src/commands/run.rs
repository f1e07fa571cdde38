//! `ssopick shell` and `ssopick exec`: a child process with the credentials
//! in its environment (never in its argv), stdio inherited, its exit code
//! passed through (128+N when a signal N killed it). SIGTERM and SIGHUP are
//! forwarded to the child; SIGINT/SIGQUIT from the terminal reach it directly
//! and ssopick waits for it.

use super::creds::{self, describe};
use crate::app::context::Context;
use crate::app::error::Error;
use crate::core::export::{Chosen, REMOVED_VARS, SHELL_MARKER, credential_env};
use crate::core::time::human_duration;

fn child_env(cmd: &mut tokio::process::Command, vars: &[(&'static str, String)]) {
    for k in REMOVED_VARS {
        cmd.env_remove(k);
    }
    for (k, v) in vars {
        cmd.env(k, v);
    }
}

#[cfg(unix)]
async fn wait_forwarding(mut child: tokio::process::Child) -> Result<i32, Error> {
    use std::os::unix::process::ExitStatusExt;
    use tokio::signal::unix::{SignalKind, signal};
    let sig = |k| signal(k).map_err(|e| Error::other("cannot watch signals", e));
    let (mut term, mut hup, mut int, mut quit) = (
        sig(SignalKind::terminate())?,
        sig(SignalKind::hangup())?,
        sig(SignalKind::interrupt())?,
        sig(SignalKind::quit())?,
    );
    let pid = child.id().map(|p| p as libc::pid_t);
    let forward = |s: libc::c_int| {
        if let Some(pid) = pid {
            // SAFETY: kill(2) with a pid we spawned and still wait for.
            unsafe { libc::kill(pid, s) };
        }
    };
    loop {
        tokio::select! {
            status = child.wait() => {
                let status = status.map_err(|e| Error::other("waiting for the command failed", e))?;
                return Ok(status.code().unwrap_or_else(|| 128 + status.signal().unwrap_or(0)));
            }
            _ = term.recv() => forward(libc::SIGTERM),
            _ = hup.recv() => forward(libc::SIGHUP),
            _ = int.recv() => {}
            _ = quit.recv() => {}
        }
    }
}

#[cfg(not(unix))]
async fn wait_forwarding(mut child: tokio::process::Child) -> Result<i32, Error> {
    let status = child
        .wait()
        .await
        .map_err(|e| Error::other("waiting for the command failed", e))?;
    Ok(status.code().unwrap_or(1))
}

fn spawn(mut cmd: tokio::process::Command, what: &str) -> Result<tokio::process::Child, Error> {
    cmd.kill_on_drop(false);
    cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::CommandNotFound(what.to_string()),
        _ => Error::other(&format!("cannot start {what}"), e),
    })
}

async fn prepare(
    ctx: &Context,
    chosen: &Chosen,
) -> Result<(Vec<(&'static str, String)>, String), Error> {
    let c = creds::credentials(ctx, chosen).await?;
    let vars = credential_env(chosen, &c, &creds::region(ctx, chosen));
    let expiry = format!(
        "{} (in {})",
        c.expiration,
        human_duration(ctx.now.secs_until(c.expiration))
    );
    Ok((vars, expiry))
}

pub fn shell_program(env: &crate::edge::paths::Env) -> String {
    if cfg!(windows) {
        env.get("COMSPEC")
            .unwrap_or_else(|| "powershell.exe".into())
    } else {
        env.get("SHELL").unwrap_or_else(|| "/bin/sh".into())
    }
}

/// An ssopick shell inside another is refused unless asked for (`--nest`).
pub fn refuse_nesting(ctx: &Context) -> Result<(), Error> {
    let Some(depth) = ctx.env.get(SHELL_MARKER) else {
        return Ok(());
    };
    let inside = ctx.env.get("SSOPICK_ACCOUNT_NAME").unwrap_or_default();
    let role = ctx.env.get("SSOPICK_ROLE_NAME").unwrap_or_default();
    Err(Error::Usage(format!(
        "already inside an ssopick shell ({inside} {role}, depth {depth}).\nType `exit` to leave it first, or pass --nest to open one inside it."
    )))
}

pub async fn shell(ctx: &Context, chosen: &Chosen, nest: bool) -> Result<i32, Error> {
    if !nest {
        refuse_nesting(ctx)?;
    }
    let (vars, expiry) = prepare(ctx, chosen).await?;
    let program = shell_program(&ctx.env);
    let mut cmd = tokio::process::Command::new(&program);
    child_env(&mut cmd, &vars);
    let depth = ctx
        .env
        .get(SHELL_MARKER)
        .and_then(|d| d.parse::<u32>().ok())
        .unwrap_or(0)
        + 1;
    cmd.env(SHELL_MARKER, depth.to_string());
    eprintln!(
        "ssopick: shell {program} for {}; credentials expire {expiry}. `exit` leaves it.",
        describe(chosen)
    );
    let code = wait_forwarding(spawn(cmd, &program)?).await?;
    eprintln!(
        "ssopick: left the shell for {} (exit code {code}).",
        describe(chosen)
    );
    Ok(code)
}

pub async fn exec(ctx: &Context, chosen: &Chosen, command: &[String]) -> Result<i32, Error> {
    let Some((program, args)) = command.split_first() else {
        return Err(Error::Usage("exec needs a command after `--`, e.g. ssopick exec prod -- aws sts get-caller-identity".into()));
    };
    let (vars, _) = prepare(ctx, chosen).await?;
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args);
    child_env(&mut cmd, &vars);
    wait_forwarding(spawn(cmd, program)?).await
}
