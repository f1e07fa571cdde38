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

/// `copy` over SSH inside tmux, with tmux's `set-clipboard` (and
/// `allow-passthrough`) as given: exit code, stderr, and the tmux buffers
/// left once it has finished.
async fn copy_in_tmux(
    options: &[(&str, &str)],
    attach: bool,
) -> (String, String, String, FakePortal) {
    let (portal, home, args) = setup().await;
    let sock = format!("ssopick-osc52-{}-{}", std::process::id(), options.len());
    let script = home.path().join("run.sh");
    let mut env_lines = String::new();
    for (k, v) in home.cmd(Some(portal.url())).get_envs() {
        if let (Some(k), Some(Some(v))) = (k.to_str(), v.map(|v| v.to_str())) {
            env_lines.push_str(&format!("export {k}='{v}'\n"));
        }
    }
    let d = home.path().display();
    std::fs::write(
        &script,
        format!(
            "{env_lines}export SSH_CONNECTION='10.0.0.1 1 10.0.0.2 22'\nunset DISPLAY WAYLAND_DISPLAY STY\n\
             while [ ! -e '{d}/go' ]; do sleep 0.1; done\n\
             '{}' copy {} --clear-after 2 2>'{d}/err'\necho done:$? > '{d}/rc'\nsleep 60\n",
            env!("CARGO_BIN_EXE_ssopick"),
            args.join(" "),
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
    for (k, v) in options {
        match k.strip_prefix("-w ") {
            Some(window_option) => tmux(&["set-option", "-w", window_option, v]),
            None => tmux(&["set-option", "-g", k, v]),
        };
    }
    // A client on a terminal that takes OSC 52 (xterm's features), as a
    // user's own terminal would be.
    let client = attach.then(|| {
        Command::new("script")
            .args(["-qfec", &format!("tmux -L {sock} attach"), "/dev/null"])
            .env("TERM", "xterm-256color")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    });
    if attach {
        poll(Duration::from_secs(10), || {
            let c = String::from_utf8_lossy(
                &tmux(&["list-clients", "-F", "#{client_termfeatures}"]).stdout,
            )
            .into_owned();
            c.contains("clipboard").then_some(())
        })
        .expect("an attached client with the clipboard feature");
    }
    std::fs::write(home.path().join("go"), "").unwrap();
    let rc = poll(Duration::from_secs(30), || {
        std::fs::read_to_string(home.path().join("rc")).ok()
    })
    .unwrap_or_default();
    let buffers = String::from_utf8_lossy(&tmux(&["list-buffers", "-F", "#{buffer_name}"]).stdout)
        .into_owned();
    let mut shown = String::new();
    for name in buffers.lines() {
        shown.push_str(&String::from_utf8_lossy(
            &tmux(&["show-buffer", "-b", name]).stdout,
        ));
    }
    // The auto-clear: tmux itself deletes ssopick's buffer.
    let cleared = poll(Duration::from_secs(10), || {
        let left = String::from_utf8_lossy(&tmux(&["list-buffers", "-F", "#{buffer_name}"]).stdout)
            .into_owned();
        (!left.contains("ssopick-")).then_some(())
    });
    tmux(&["kill-server"]);
    if let Some(mut c) = client {
        let _ = c.kill();
        let _ = c.wait();
    }
    let err = std::fs::read_to_string(home.path().join("err")).unwrap_or_default();
    assert!(
        cleared.is_some(),
        "ssopick's tmux buffer outlived the auto-clear"
    );
    (rc.trim().to_string(), err, shown, portal)
}

/// tmux's `set-clipboard external` (its default) and `on`: the text goes
/// through a tmux buffer of ssopick's own, deleted at the auto-clear;
/// `off`: refused with the fix (exit 1), unless `allow-passthrough` is on.
#[tokio::test(flavor = "multi_thread")]
async fn inside_tmux_copy_says_what_really_happens() {
    if !have("tmux") {
        skip_or_fail("tmux is not installed");
        return;
    }
    for mode in ["external", "on"] {
        let (rc, err, shown, portal) = copy_in_tmux(&[("set-clipboard", mode)], true).await;
        assert_eq!(rc, "done:0", "{mode}: {err}");
        assert!(
            err.contains("through tmux (set-clipboard)"),
            "{mode}: {err}"
        );
        let secret = portal.last_issued().unwrap().secret_access_key;
        assert!(
            shown.contains(&format!("export AWS_SECRET_ACCESS_KEY='{secret}'")),
            "{mode}: tmux buffers: {shown:?}"
        );
    }
    // No attached terminal takes OSC 52: said so, the text in tmux only.
    let (rc, err, _, _) = copy_in_tmux(&[("set-clipboard", "external")], false).await;
    assert_eq!(rc, "done:0", "{err}");
    assert!(
        err.contains("in tmux's buffer") && err.contains(" only"),
        "{err}"
    );
    let (rc, err, shown, _) = copy_in_tmux(&[("set-clipboard", "off")], false).await;
    assert_eq!(rc, "done:1", "{err}");
    assert!(
        err.contains("cannot copy inside this tmux: set -g set-clipboard external"),
        "{err}"
    );
    assert!(!shown.contains("AWS_SECRET_ACCESS_KEY"), "{shown:?}");
    let (rc, err, _, _) = copy_in_tmux(
        &[("set-clipboard", "off"), ("allow-passthrough", "on")],
        false,
    )
    .await;
    assert_eq!(rc, "done:0", "{err}");
    assert!(err.contains("passthrough"), "{err}");
    // The window's own setting wins over the global one.
    let (rc, err, _, _) = copy_in_tmux(
        &[
            ("set-clipboard", "off"),
            ("allow-passthrough", "on"),
            ("-w allow-passthrough", "off"),
        ],
        false,
    )
    .await;
    assert_eq!(rc, "done:1", "{err}");
}
