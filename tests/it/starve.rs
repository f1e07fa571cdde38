//! The credential endpoint against another local user (issue 33): 300
//! hostile connections from uid 65534 (when the tests run as root), half
//! idle and half announcing 1 MiB bodies, while the holder of the token
//! keeps being answered within 500 ms and `serve` grows by at most 16 MB;
//! a Host that is not the endpoint's own is refused.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The attacker: bash's /dev/tcp, 150 idle connections and 150 that send a
/// head announcing 1 MiB and then the MiB, all held open.
const ATTACK: &str = r#"
trap '' PIPE
port=$1
for i in $(seq 1 150); do exec {fd}<>/dev/tcp/127.0.0.1/$port || true; done
body=$(head -c 1048576 /dev/zero | tr '\0' a)
for i in $(seq 1 150); do
  exec {fd}<>/dev/tcp/127.0.0.1/$port || continue
  printf 'GET /ssopick/credentials HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nContent-Length: 1048576\r\n\r\n%s' "$port" "$body" >&$fd 2>/dev/null || true
done
echo started
sleep 6
"#;

fn rss_kb(pid: u32) -> u64 {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap()
}

/// One request on a new connection; the status line and how long it took.
fn ask(port: u16, host: &str, token: &str) -> (String, Duration) {
    let t0 = Instant::now();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "GET /ssopick/credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    (out.lines().next().unwrap_or("").to_string(), t0.elapsed())
}

#[tokio::test(flavor = "multi_thread")]
async fn strangers_cannot_starve_the_endpoint() {
    if !cfg!(target_os = "linux") {
        return skip_or_fail("Linux /proc");
    }
    let (portal, home) = logged_in_to(FakeOrg::generated(4, 3), FakeOptions::default()).await;
    let (child, port, token) = start_serve(&home, portal.url(), &portal.org().accounts[1]);
    let host = format!("127.0.0.1:{port}");
    let (status, _) = tokio::task::block_in_place(|| ask(port, &host, &token));
    assert!(status.contains(" 200 "), "{status}");
    // Another Host (a page reached through DNS rebinding) is refused.
    let (status, _) =
        tokio::task::block_in_place(|| ask(port, &format!("evil.example:{port}"), &token));
    assert!(status.contains(" 403 "), "{status}");
    let before = rss_kb(child.id());
    // SAFETY: geteuid(2) has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut attack = if root {
        let mut c = Command::new("setpriv");
        c.args([
            "--reuid",
            "65534",
            "--regid",
            "65534",
            "--clear-groups",
            "bash",
            "-c",
            ATTACK,
            "attack",
        ]);
        c
    } else {
        let mut c = Command::new("bash");
        c.args(["-c", ATTACK, "attack"]);
        c
    };
    let mut attacker = attack
        .arg(port.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = [0u8; 8];
    tokio::task::block_in_place(|| attacker.stdout.as_mut().unwrap().read_exact(&mut line))
        .unwrap();
    assert_eq!(&line, b"started\n");
    // Under attack: the holder is answered, each time within 500 ms.
    for _ in 0..10 {
        let (status, took) = tokio::task::block_in_place(|| ask(port, &host, &token));
        assert!(status.contains(" 200 "), "{status}");
        assert!(took < Duration::from_millis(500), "answered in {took:?}");
    }
    let grown = rss_kb(child.id()).saturating_sub(before);
    assert!(grown <= 16 * 1024, "serve grew by {grown} KiB");
    let _ = attacker.kill();
    let _ = attacker.wait();
    // SAFETY: a signal to the child this test spawned.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = tokio::task::block_in_place(|| child.wait_with_output().unwrap());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    if !root {
        skip_or_fail("root, to attack as another user (uid 65534)");
    }
}

/// `serve` for `a`'s first role on loopback; the child, its port and its
/// token.
fn start_serve(
    home: &Home,
    endpoint: &str,
    a: &ssopick::fake::FakeAccount,
) -> (std::process::Child, u16, String) {
    let (child, url, token) = serve_for(home, endpoint, a, &[]);
    let port: u16 = url
        .trim_start_matches("http://127.0.0.1:")
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (child, port, token)
}

/// The churning flood: new connections from uid 65534 as fast as they
/// open, for `$2` seconds, the newest 400 held.
const CHURN: &str = r#"
import socket, sys, time
port, end, held = int(sys.argv[1]), time.time() + float(sys.argv[2]), []
print("started", flush=True)
while time.time() < end:
    try:
        held.append(socket.create_connection(("127.0.0.1", port)))
        if len(held) > 400:
            held.pop(0).close()
    except OSError:
        pass
"#;

/// Strangers opening connections as fast as they can never push out a
/// client of this user that takes a moment between connecting and
/// sending its head: at the cap, another user's connection goes first.
#[tokio::test(flavor = "multi_thread")]
async fn a_churning_flood_of_strangers_never_pushes_out_this_users_clients() {
    // SAFETY: geteuid(2) has no preconditions.
    if !cfg!(target_os = "linux") || unsafe { libc::geteuid() } != 0 {
        return skip_or_fail("root on Linux, to flood as another user (uid 65534)");
    }
    let (portal, home) = logged_in_to(FakeOrg::generated(4, 3), FakeOptions::default()).await;
    let (mut child, port, token) = start_serve(&home, portal.url(), &portal.org().accounts[1]);
    let mut flood = Command::new("setpriv")
        .args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
        .args(["/usr/bin/python3", "-c", CHURN, &port.to_string(), "8"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = [0u8; 8];
    tokio::task::block_in_place(|| flood.stdout.as_mut().unwrap().read_exact(&mut line)).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let host = format!("127.0.0.1:{port}");
    let failed = tokio::task::block_in_place(|| {
        (0..100)
            .filter(|_| {
                let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
                    return true;
                };
                std::thread::sleep(Duration::from_millis(20));
                s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                let sent = write!(
                    s,
                    "GET /ssopick/credentials HTTP/1.1\r\nHost: {host}\r\nAuthorization: {token}\r\nConnection: close\r\n\r\n"
                );
                let mut out = String::new();
                let _ = s.read_to_string(&mut out);
                sent.is_err() || !out.starts_with("HTTP/1.1 200")
            })
            .count()
    });
    let _ = flood.kill();
    let _ = flood.wait();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(failed, 0, "of 100 requests of this user");
}
