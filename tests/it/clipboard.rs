//! `ssopick copy` on a real X server (Xvfb, read back with xclip) and
//! through OSC 52 in a real terminal (tmux with set-clipboard on).
//! Each test skips with a note when its programs are missing.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakePortal};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn have(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .output()
        .is_ok_and(|o| o.status.success())
}

fn poll<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let end = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() > end {
            return None;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Xvfb {
    child: Child,
    display: String,
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_xvfb() -> Option<Xvfb> {
    let n = (40..90).find(|n| {
        !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            && !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
    })?;
    let child = Command::new("Xvfb")
        .arg(format!(":{n}"))
        .args(["-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let x = Xvfb {
        child,
        display: format!(":{n}"),
    };
    poll(Duration::from_secs(20), || {
        Path::new(&format!("/tmp/.X11-unix/X{n}"))
            .exists()
            .then_some(())
    })?;
    Some(x)
}

fn xclip_out(display: &str) -> String {
    Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .env("DISPLAY", display)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default()
}

fn servers_on(display: &str) -> usize {
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return 0;
    };
    rd.filter_map(Result::ok)
        .filter(|e| {
            let p = e.path();
            let cmd = std::fs::read(p.join("cmdline")).unwrap_or_default();
            let env = std::fs::read(p.join("environ")).unwrap_or_default();
            String::from_utf8_lossy(&cmd).contains("__clipboard-serve")
                && env
                    .split(|b| *b == 0)
                    .any(|kv| kv == format!("DISPLAY={display}").as_bytes())
        })
        .count()
}

async fn setup() -> (FakePortal, Home, Vec<String>) {
    let (portal, home) = logged_in(4, 8, FakeOptions::default()).await;
    let args = pick_args(&portal.org().accounts[0]);
    (portal, home, args)
}

#[tokio::test(flavor = "multi_thread")]
async fn x11_clipboard_outlives_ssopick_and_is_cleared() {
    if !have("Xvfb") || !have("xclip") {
        skip_or_fail("Xvfb or xclip is not installed");
        return;
    }
    let Some(x) = start_xvfb() else {
        skip_or_fail("Xvfb did not start");
        return;
    };
    let (portal, home, args) = setup().await;
    let o = run(home
        .cmd(Some(portal.url()))
        .env("DISPLAY", &x.display)
        .arg("copy")
        .args(&args)
        .args(["--clear-after", "3"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("system clipboard"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "copy prints nothing on stdout");
    let secret = portal.last_issued().unwrap().secret_access_key;
    let text = xclip_out(&x.display);
    assert!(
        text.contains(&format!("export AWS_SECRET_ACCESS_KEY='{secret}'")),
        "after ssopick exited: {text:?}"
    );
    // Marked for clipboard managers: kept out of their history.
    let targets = Command::new("xclip")
        .args(["-o", "-selection", "clipboard", "-t", "TARGETS"])
        .env("DISPLAY", &x.display)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(
        targets
            .lines()
            .any(|t| t.trim() == "x-kde-passwordManagerHint"),
        "{targets}"
    );
    let cleared = poll(Duration::from_secs(20), || {
        (!xclip_out(&x.display).contains(&secret)).then_some(())
    });
    assert!(cleared.is_some(), "cleared after --clear-after");
    assert!(
        poll(Duration::from_secs(10), || (servers_on(&x.display) == 0)
            .then_some(()))
        .is_some()
    );

    // Another program takes the clipboard: ssopick's server steps back and ends,
    // leaving the new content alone.
    let o = run(home
        .cmd(Some(portal.url()))
        .env("DISPLAY", &x.display)
        .arg("copy")
        .args(&args)
        .args(["--clear-after", "0"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(servers_on(&x.display), 1);
    let mut other = Command::new("xclip")
        .args(["-selection", "clipboard"])
        .env("DISPLAY", &x.display)
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        other
            .stdin
            .take()
            .unwrap()
            .write_all(b"something else")
            .unwrap();
    }
    let _ = other.wait();
    assert!(
        poll(Duration::from_secs(10), || (servers_on(&x.display) == 0)
            .then_some(()))
        .is_some(),
        "server ended"
    );
    assert_eq!(xclip_out(&x.display), "something else");
}

#[tokio::test(flavor = "multi_thread")]
async fn over_ssh_copy_uses_osc52_in_the_terminal() {
    if !have("tmux") {
        skip_or_fail("tmux is not installed");
        return;
    }
    let (portal, home, args) = setup().await;
    let sock = format!("ssopick-osc52-{}", std::process::id());
    let script = home.path().join("run.sh");
    let mut env_lines = String::new();
    for (k, v) in home.cmd(Some(portal.url())).get_envs() {
        if let (Some(k), Some(Some(v))) = (k.to_str(), v.map(|v| v.to_str())) {
            env_lines.push_str(&format!("export {k}='{v}'\n"));
        }
    }
    std::fs::write(
        &script,
        format!(
            "{env_lines}export SSH_CONNECTION='10.0.0.1 1 10.0.0.2 22'\n'{}' copy {} --clear-after 0 2>{}/err\necho done:$? > {}/rc\nsleep 60\n",
            env!("CARGO_BIN_EXE_ssopick"),
            args.join(" "),
            home.path().display(),
            home.path().display()
        ),
    )
    .unwrap();
    let tmux = |a: &[&str]| {
        Command::new("tmux")
            .args(["-L", &sock])
            .args(a)
            .output()
            .unwrap()
    };
    let o = tmux(&[
        "-f",
        "/dev/null",
        "new-session",
        "-d",
        "-x",
        "100",
        "-y",
        "30",
        "sh",
        script.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    tmux(&["set-option", "-g", "set-clipboard", "on"]);
    let rc = poll(Duration::from_secs(30), || {
        std::fs::read_to_string(home.path().join("rc")).ok()
    });
    let buffer = String::from_utf8_lossy(&tmux(&["show-buffer"]).stdout).into_owned();
    tmux(&["kill-server"]);
    assert_eq!(
        rc.as_deref().map(str::trim),
        Some("done:0"),
        "{:?}",
        std::fs::read_to_string(home.path().join("err"))
    );
    let err = std::fs::read_to_string(home.path().join("err")).unwrap();
    assert!(err.contains("OSC 52"), "{err}");
    let secret = portal.last_issued().unwrap().secret_access_key;
    assert!(
        buffer.contains(&format!("export AWS_SECRET_ACCESS_KEY='{secret}'")),
        "tmux buffer: {buffer:?}"
    );
}
