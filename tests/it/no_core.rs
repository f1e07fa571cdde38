//! No core dumps of a process holding secrets (issue 33): `serve` started
//! with core dumps allowed runs with a soft core limit of 0 (the hard limit
//! kept) and is not dumpable; SIGQUIT ends it as SIGTERM does (its env file
//! removed, no core); `exec`'s child gets the user's own limit back.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg};
use std::process::Stdio;

/// `ssopick ARGS` under `sh`, with the soft core limit raised to the hard
/// one first.
fn with_cores_allowed(home: &Home, url: &str, args: &[&str]) -> std::process::Command {
    let mut c = home.cmd_of("sh".as_ref(), Some(url));
    c.arg("-c")
        .arg("ulimit -S -c \"$(ulimit -H -c)\" && exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_ssopick"))
        .args(args);
    c
}

/// The hard core limit here, as `ulimit` and /proc/PID/limits write it
/// (where it is 0 the system allows no core at all, and the soft limit
/// cannot be raised to show anything).
async fn hard_limit() -> String {
    let o = run(std::process::Command::new("sh").args(["-c", "ulimit -H -c"])).await;
    let h = stdout(&o).trim().to_string();
    if h == "0" {
        eprintln!("note: the hard core limit is 0 here: core dumps are off for every process");
    }
    h
}

/// The "Max core file size" row of /proc/PID/limits: (soft, hard).
fn core_limits(pid: u32) -> (String, String) {
    let text = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap()
        .to_string();
    let mut cols = row["Max core file size".len()..].split_whitespace();
    (cols.next().unwrap().into(), cols.next().unwrap().into())
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_never_dumps_core_and_sigquit_ends_it_cleanly() {
    if !cfg!(target_os = "linux") {
        return skip_or_fail("Linux /proc");
    }
    let hard = hard_limit().await;
    let (portal, home) = logged_in_to(FakeOrg::generated(4, 3), FakeOptions::default()).await;
    let a = &portal.org().accounts[1];
    let file = home.path().join("serve-env");
    let mut child = with_cores_allowed(
        &home,
        portal.url(),
        &[
            "serve",
            "--account",
            &a.account_id,
            "--role",
            &a.roles[0],
            "--env-file",
            file.to_str().unwrap(),
        ],
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    tokio::task::block_in_place(|| wait_file_until(&file, |t| t.contains("AWS_CONTAINER")));
    // ulimit counts 1024-byte blocks, /proc/PID/limits bytes.
    let hard_bytes = hard
        .parse::<u64>()
        .map_or_else(|_| hard.clone(), |blocks| (blocks * 1024).to_string());
    let (soft, kept) = core_limits(child.id());
    assert_eq!((soft.as_str(), kept.as_str()), ("0", hard_bytes.as_str()));
    // Not dumpable: /proc/PID belongs to root from then on (visible only
    // when the tests do not run as root themselves).
    // SAFETY: geteuid(2) has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        let meta = std::fs::metadata(format!("/proc/{}", child.id())).unwrap();
        assert_eq!(std::os::unix::fs::MetadataExt::uid(&meta), 0);
    }
    // SAFETY: a signal to the child this test spawned.
    unsafe { libc::kill(child.id() as i32, libc::SIGQUIT) };
    let out = tokio::task::block_in_place(|| {
        let _ = child.stdout.take();
        child.wait_with_output().unwrap()
    });
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!file.exists(), "the env file outlived serve");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_exec_child_gets_the_users_core_limit_back() {
    if !cfg!(target_os = "linux") {
        return skip_or_fail("Linux prlimit");
    }
    let (portal, home) = logged_in_to(FakeOrg::generated(4, 3), FakeOptions::default()).await;
    let a = &portal.org().accounts[1];
    let pick = ["--account", &a.account_id, "--role", &a.roles[0]];
    let child = ["--", "sh", "-c", "sleep 0.3; ulimit -S -c"];
    let args: Vec<&str> = ["exec"]
        .iter()
        .chain(&pick)
        .chain(&child)
        .copied()
        .collect();
    let o = run(&mut with_cores_allowed(&home, portal.url(), &args)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), hard_limit().await);
}
