//! Child processes (`shell`, `exec`): the environment set and unset (never
//! the argv), stdio inherited, the exit code passed through (128+N when a
//! signal N killed it). SIGTERM and SIGHUP are forwarded to the child;
//! SIGINT/SIGQUIT from the terminal reach it directly and ssopick waits.

use crate::env::Env;
use ssopick_core::env_vars as var;

#[derive(Debug, thiserror::Error)]
pub enum ProcessError {
    #[error("{0}: command not found")]
    NotFound(String),
    #[error("{0}: permission denied (not an executable file)")]
    NotExecutable(String),
    #[error("cannot start {program}: {source}")]
    Start {
        program: String,
        source: std::io::Error,
    },
    #[error("waiting for the command failed: {0}")]
    Wait(std::io::Error),
}

/// The user's shell: `$SHELL` (Windows: `%COMSPEC%`, else PowerShell).
pub fn shell_program(env: &Env) -> String {
    if cfg!(windows) {
        env.get(var::COMSPEC)
            .unwrap_or_else(|| "powershell.exe".into())
    } else {
        env.get(var::SHELL).unwrap_or_else(|| "/bin/sh".into())
    }
}

/// The most ssopick runs nested through profiles' `credential_process`
/// commands (a profile whose process runs ssopick for itself would fork
/// without end).
pub const MAX_PROFILE_DEPTH: u32 = 4;

/// Marks this run's depth (1: started by the user) in the environment
/// every child inherits: a `credential_process` that runs ssopick again
/// makes a run one deeper (read back as `Setup`'s environment).
/// Called in `main` before any thread starts.
pub fn mark_profile_depth() {
    let depth = std::env::var(var::SSOPICK_PROFILE_DEPTH)
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .unwrap_or(0)
        .saturating_add(1);
    // SAFETY: `main` calls this before the runtime or any other thread
    // exists, so nothing reads the environment meanwhile.
    #[allow(unsafe_code)]
    unsafe {
        std::env::set_var(var::SSOPICK_PROFILE_DEPTH, depth.to_string());
    }
}

/// Kills process `root` and, on Linux, every process below it (found in
/// `/proc` before any is killed): a `sh -c` that ran out of time takes
/// the commands it started with it.
pub fn kill_tree(root: u32) {
    #[cfg(unix)]
    {
        let mut tree = vec![root];
        #[cfg(target_os = "linux")]
        {
            let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(|e| {
                    let pid: u32 = e.file_name().to_str()?.parse().ok()?;
                    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
                    let (_, rest) = stat.rsplit_once(')')?;
                    Some((pid, rest.split_whitespace().nth(1)?.parse().ok()?))
                })
                .collect();
            let mut i = 0;
            while i < tree.len() {
                let p = tree[i];
                for (c, _) in parents.iter().filter(|(_, pp)| *pp == p) {
                    if !tree.contains(c) {
                        tree.push(*c);
                    }
                }
                i += 1;
            }
        }
        for pid in tree {
            if let Ok(pid) = libc::pid_t::try_from(pid) {
                // SAFETY: kill(2) on a process of ours or one it started.
                #[allow(unsafe_code)]
                unsafe {
                    libc::kill(pid, libc::SIGKILL)
                };
            }
        }
    }
    #[cfg(not(unix))]
    let _ = root;
}

/// This program's own path, resolved (a detached login started now).
pub fn own_path() -> std::io::Result<String> {
    let p = std::env::current_exe()?;
    let p = std::fs::canonicalize(&p).unwrap_or(p);
    Ok(p.to_string_lossy().into_owned())
}

/// The path written into files that run this program later
/// (`credential_process` lines, kubeconfig users): the first entry of
/// `path_var` (`$PATH`) under this program's name that is this very file
/// and that only its owner or root can change. A package manager's link
/// (`/opt/homebrew/bin/ssopick`, `~/.nix-profile/bin/ssopick`) outlives
/// an upgrade; the versioned folder it points into does not. Else the
/// resolved path.
pub fn stable_own_path(path_var: Option<&str>) -> std::io::Result<String> {
    let real = std::path::PathBuf::from(own_path()?);
    Ok(path_var
        .and_then(|p| on_path(&real, p))
        .unwrap_or(real)
        .to_string_lossy()
        .into_owned())
}

/// The first `$PATH` entry that names the file `real` (resolved) safely.
fn on_path(real: &std::path::Path, path_var: &str) -> Option<std::path::PathBuf> {
    let name = real.file_name()?;
    std::env::split_paths(path_var)
        .filter(|d| d.is_absolute())
        .map(|d| d.join(name))
        .find(|c| {
            std::fs::canonicalize(c).is_ok_and(|r| r == real)
                && crate::fs::replaceable_by_others(c).is_none()
        })
}

/// Runs `program args` with `set` added to and `unset` removed from the
/// environment; returns its exit code. `on_tty`: the child's stdin, stdout
/// and stderr are the terminal even when ours are redirected (a shell
/// chosen in a picker opened by `$(ssopick export)`).
pub async fn run(
    program: &str,
    args: &[String],
    set: &[(&str, String)],
    unset: &[&str],
    on_tty: bool,
) -> Result<i32, ProcessError> {
    let mut cmd = tokio::process::Command::new(program);
    cmd.args(args);
    // A shell or command the user runs starts its own count.
    cmd.env_remove(var::SSOPICK_PROFILE_DEPTH);
    if on_tty {
        use crate::tty;
        if let (Ok(i), Ok(o), Ok(e)) = (tty::input(), tty::output(), tty::output()) {
            cmd.stdin(i).stdout(o).stderr(e);
        }
    }
    for k in unset {
        cmd.env_remove(k);
    }
    for (k, v) in set {
        cmd.env(k, v);
    }
    cmd.kill_on_drop(false);
    let child = cmd.spawn().map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ProcessError::NotFound(program.to_string()),
        std::io::ErrorKind::PermissionDenied => ProcessError::NotExecutable(program.to_string()),
        _ => ProcessError::Start {
            program: program.to_string(),
            source: e,
        },
    })?;
    // The user's own core-dump limit, not ssopick's 0 (`core_dumps`).
    if let Some(pid) = child.id() {
        crate::core_dumps::restore_for_child(pid);
    }
    wait_forwarding(child).await
}

#[cfg(unix)]
async fn wait_forwarding(mut child: tokio::process::Child) -> Result<i32, ProcessError> {
    use std::os::unix::process::ExitStatusExt;
    use tokio::signal::unix::{SignalKind, signal};
    let sig = |k| signal(k).map_err(ProcessError::Wait);
    let (mut term, mut hup, mut int, mut quit) = (
        sig(SignalKind::terminate())?,
        sig(SignalKind::hangup())?,
        sig(SignalKind::interrupt())?,
        sig(SignalKind::quit())?,
    );
    let pid = child.id().and_then(|p| libc::pid_t::try_from(p).ok());
    let forward = |s: libc::c_int| {
        if let Some(pid) = pid {
            // SAFETY: kill(2) with a pid we spawned and still wait for.
            #[allow(unsafe_code)]
            unsafe {
                libc::kill(pid, s)
            };
        }
    };
    loop {
        tokio::select! {
            status = child.wait() => {
                let status = status.map_err(ProcessError::Wait)?;
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
async fn wait_forwarding(mut child: tokio::process::Child) -> Result<i32, ProcessError> {
    let status = child.wait().await.map_err(ProcessError::Wait)?;
    Ok(status.code().unwrap_or(1))
}

/// Waits for Ctrl-C, SIGTERM, SIGHUP or SIGQUIT (which would otherwise
/// dump core, secrets and all); the signal's number.
pub async fn stop_signal() -> i32 {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut int), Ok(mut term), Ok(mut hup), Ok(mut quit)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::quit()),
        ) else {
            let _ = tokio::signal::ctrl_c().await;
            return 2;
        };
        tokio::select! {
            _ = int.recv() => 2,
            _ = term.recv() => 15,
            _ = hup.recv() => 1,
            _ = quit.recv() => 3,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        2
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_safe_link_on_path_is_the_stable_path() {
        let real = std::path::PathBuf::from(own_path().unwrap());
        let name = real.file_name().unwrap();
        let d = tempfile::tempdir().unwrap();
        let (open, safe, other) = (
            d.path().join("open"),
            d.path().join("bin"),
            d.path().join("x"),
        );
        for dir in [&open, &safe, &other] {
            std::fs::create_dir(dir).unwrap();
        }
        // A folder anyone may write to is passed over, as is another file
        // of the same name; the link into the real file is taken.
        std::os::unix::fs::symlink(&real, open.join(name)).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
        std::fs::write(other.join(name), "not ssopick").unwrap();
        std::os::unix::fs::symlink(&real, safe.join(name)).unwrap();
        let path = std::env::join_paths([
            "relative",
            open.to_str().unwrap(),
            other.to_str().unwrap(),
            safe.to_str().unwrap(),
        ])
        .unwrap();
        assert_eq!(
            stable_own_path(path.to_str()).unwrap(),
            safe.join(name).to_string_lossy()
        );
        // Nothing on PATH: the resolved path.
        assert_eq!(stable_own_path(None).unwrap(), real.to_string_lossy());
        assert_eq!(
            stable_own_path(other.to_str()).unwrap(),
            real.to_string_lossy()
        );
    }
}
