//! The built binary's picker in a real terminal (tmux) against the fake
//! portal: typing, Enter, Esc, signals; stdout carries only the result and
//! the terminal is restored (cooked mode, main screen) on every exit path.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakePortal};
use std::time::Duration;

struct Run {
    _tmux: Tmux,
}

async fn setup() -> (FakePortal, Home) {
    logged_in(
        60,
        5,
        FakeOptions {
            latency: Duration::from_millis(5),
            ..FakeOptions::default()
        },
    )
    .await
}

/// Runs `ssopick ARGS` in tmux as `x=$(ssopick ARGS)`, then records its exit
/// code, stdout and the terminal mode afterwards.
fn start(home: &Home, portal: &FakePortal, args: &str) -> Tmux {
    let d = home.path().display();
    let body = format!(
        "x=$('{exe}' {args}); rc=$?\nprintf '%s\\n' \"$x\" > {d}/out\nstty -a > {d}/stty\necho $rc > {d}/rc\nsleep 120\n",
        exe = env!("CARGO_BIN_EXE_ssopick")
    );
    let _ = std::fs::remove_file(home.path().join("rc"));
    Tmux::start(&home.script(Some(portal.url()), &body), 100, 30)
}

fn restored(home: &Home, t: &Tmux) {
    let stty = std::fs::read_to_string(home.path().join("stty")).unwrap();
    assert!(
        stty.split_whitespace().any(|w| w == "icanon"),
        "cooked mode: {stty}"
    );
    assert!(
        stty.split_whitespace().any(|w| w == "echo"),
        "echo on: {stty}"
    );
    assert!(!t.alternate_on(), "back on the main screen");
}

#[tokio::test(flavor = "multi_thread")]
async fn type_enter_prints_exports_and_restores_the_terminal() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = setup().await;
    let target = portal.org().accounts[17].clone();
    let t = start(&home, &portal, "export");
    let total = portal.org().role_count();
    tokio::task::block_in_place(|| t.pick_account(total, &target.account_id));
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "0");
    let out = std::fs::read_to_string(home.path().join("out")).unwrap();
    let issued = portal.last_issued().unwrap();
    assert_eq!(issued.account_id, target.account_id);
    assert!(
        out.contains(&format!(
            "export AWS_ACCESS_KEY_ID='{}'",
            issued.access_key_id
        )),
        "{out}"
    );
    assert!(
        !out.contains('\x1b'),
        "no terminal output leaked into stdout"
    );
    restored(&home, &t);
    // The pick was remembered.
    let hist = std::fs::read_to_string(home.path().join("xdg-state/ssopick/history.json")).unwrap();
    assert!(hist.contains(&target.account_id));
}

#[tokio::test(flavor = "multi_thread")]
async fn esc_cancels_with_130() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = setup().await;
    let t = start(&home, &portal, "export");
    tokio::task::block_in_place(|| {
        t.wait_for("the picker", |s| s.contains("Esc quit"));
        t.literal("prod");
        t.keys(&["Escape"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "130");
    assert_eq!(
        std::fs::read_to_string(home.path().join("out"))
            .unwrap()
            .trim(),
        ""
    );
    restored(&home, &t);
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_and_sighup_restore_the_terminal() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    for (sig, code) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129)] {
        let (portal, home) = setup().await;
        let t = start(&home, &portal, "");
        tokio::task::block_in_place(|| {
            t.wait_for("the picker", |s| s.contains("Esc quit"));
            assert!(t.alternate_on());
        });
        // The pane runs sh; its child is the `$(...)` subshell or ssopick.
        let pid = tokio::task::block_in_place(|| {
            let end = std::time::Instant::now() + Duration::from_secs(10);
            loop {
                let found = std::fs::read_dir("/proc")
                    .unwrap()
                    .filter_map(Result::ok)
                    .find_map(|e| {
                        let cmd = std::fs::read(e.path().join("cmdline")).ok()?;
                        let env = std::fs::read(e.path().join("environ")).ok()?;
                        let mine = env
                            .split(|b| *b == 0)
                            .any(|kv| kv == format!("HOME={}", home.path().display()).as_bytes());
                        (mine && cmd.starts_with(env!("CARGO_BIN_EXE_ssopick").as_bytes()))
                            .then(|| e.file_name().to_str()?.parse::<i32>().ok())?
                    });
                if let Some(p) = found {
                    break p;
                }
                assert!(std::time::Instant::now() < end, "ssopick process not found");
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        unsafe { libc::kill(pid, sig) };
        let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
        assert_eq!(rc.trim(), code.to_string(), "signal {sig}");
        restored(&home, &t);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_session_is_shown_and_the_snapshot_stays_browsable() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = setup().await;
    // A snapshot first, then the token expires.
    home.take_snapshot(portal.url()).await;
    home.write_token("corp", portal.token(), -600);
    let t = start(&home, &portal, "export");
    let name = portal.org().accounts[3].account_name.clone();
    tokio::task::block_in_place(|| {
        t.wait_for("the expiry notice", |s| {
            s.contains("aws sso login --sso-session corp")
        });
        t.literal(&name);
        t.wait_for("filtering still works", |s| {
            s.lines().nth(1).is_some_and(|l| l.contains(&name))
        });
        t.keys(&["Enter"]);
        t.wait_for("a refusal naming the login", |s| {
            s.contains("cannot get credentials")
        });
        t.keys(&["Escape"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "130");
    restored(&home, &t);
    let _ = Run { _tmux: t };
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_session_offers_login_and_carries_on() {
    use ssopick::fake::{FakeOidc, OidcOptions};
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = setup().await;
    let oidc = FakeOidc::start(OidcOptions {
        access_token: portal.token().into(),
        ..OidcOptions::default()
    })
    .await
    .unwrap();
    let a = portal.org().accounts[5].clone();
    home.write_token("corp", "stale", -600);
    // A command: asked on the terminal, answered "y", then it carries on.
    let d = home.path().display();
    let body = format!(
        "export AWS_ENDPOINT_URL_SSO_OIDC='{oidc}'\nx=$('{exe}' export --account {id} --role {role}); rc=$?\nprintf '%s\\n' \"$x\" > {d}/out\necho $rc > {d}/rc\nsleep 120\n",
        oidc = oidc.url(),
        exe = env!("CARGO_BIN_EXE_ssopick"),
        id = a.account_id,
        role = a.roles[0]
    );
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 100, 30);
    tokio::task::block_in_place(|| {
        t.wait_for("the offer to log in", |s| s.contains("Log in now? [Y/n]"));
        t.keys(&["y", "Enter"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "0", "{}", t.capture());
    let out = std::fs::read_to_string(home.path().join("out")).unwrap();
    assert!(
        out.contains(&format!(
            "export AWS_ACCESS_KEY_ID='{}'",
            portal.last_issued().unwrap().access_key_id
        )),
        "{out}"
    );

    // The picker (on a snapshot): Ctrl-L logs in, and the picker comes back.
    home.take_snapshot(portal.url()).await;
    home.write_token("corp", "stale", -600);
    let _ = std::fs::remove_file(home.path().join("rc"));
    let body = format!(
        "export AWS_ENDPOINT_URL_SSO_OIDC='{oidc}'\nx=$('{exe}' export); rc=$?\nprintf '%s\\n' \"$x\" > {d}/out\nstty -a > {d}/stty\necho $rc > {d}/rc\nsleep 120\n",
        oidc = oidc.url(),
        exe = env!("CARGO_BIN_EXE_ssopick"),
    );
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 120, 30);
    tokio::task::block_in_place(|| {
        t.wait_for("the expiry notice", |s| s.contains("Ctrl-L logs in"));
        // The query typed before Ctrl-L is still there after the login.
        t.literal(&a.account_id);
        t.wait_for("the id to filter", |s| {
            s.lines().nth(1).is_some_and(|l| l.contains(&a.account_id))
        });
        t.keys(&["C-l"]);
        t.wait_for("the picker again, logged in, same query", |s| {
            s.contains("Esc quit")
                && !s.contains("Ctrl-L logs in")
                && s.lines()
                    .next()
                    .is_some_and(|q| q.starts_with(&format!("> {}", a.account_id)))
                && s.lines().nth(1).is_some_and(|l| l.contains(&a.account_id))
        });
        t.keys(&["Enter"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "0", "{}", t.capture());
    let out = std::fs::read_to_string(home.path().join("out")).unwrap();
    assert!(out.contains("export AWS_ACCESS_KEY_ID='"), "{out}");
    restored(&home, &t);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_panic_restores_the_terminal() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = setup().await;
    home.take_snapshot(portal.url()).await;
    let d = home.path().display();
    let body = format!(
        "export SSOPICK_TEST_PANIC=after-first-frame\n'{exe}' export 2> {d}/err; rc=$?\nstty -a > {d}/stty\necho $rc > {d}/rc\nsleep 120\n",
        exe = env!("CARGO_BIN_EXE_ssopick")
    );
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 100, 30);
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "101", "a panic exits 101");
    assert!(
        std::fs::read_to_string(home.path().join("err"))
            .unwrap()
            .contains("test panic")
    );
    restored(&home, &t);
}

/// A HOME with a snapshot (taken through a fast portal), config.toml, and a
/// second portal for the same organisation that takes 3 s per call.
async fn slow_portal_with_config(config: &str) -> (FakePortal, FakePortal, Home) {
    let (fast, home) = setup().await;
    home.take_snapshot(fast.url()).await;
    let slow = FakePortal::start(
        fast.org().clone(),
        FakeOptions {
            latency: Duration::from_secs(3),
            token: fast.token().to_string(),
            ..FakeOptions::default()
        },
    )
    .await
    .unwrap();
    let dir = home.path().join("xdg-config/ssopick");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), config).unwrap();
    (fast, slow, home)
}

/// Ctrl-Y asks a portal that takes 3 s: the picker keeps taking keys (and
/// shows them at once) while it waits, says it is getting credentials, then
/// that it copied them, in config.toml's export_format.
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_y_keeps_typing_while_a_slow_portal_answers() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (_fast, slow, home) = slow_portal_with_config("export_format = \"fish\"\n").await;
    let body = format!(
        "unset DISPLAY WAYLAND_DISPLAY\nexport SSOPICK_HTTP_TIMEOUT=10\n'{exe}' export > /dev/null; echo $? > {d}/rc\nsleep 120\n",
        exe = env!("CARGO_BIN_EXE_ssopick"),
        d = home.path().display()
    );
    let t = Tmux::start(&home.script(Some(slow.url()), &body), 100, 30);
    t.run(&["set-option", "-g", "set-clipboard", "on"]);
    tokio::task::block_in_place(|| {
        t.wait_for("the picker", |s| s.contains("Enter print exports"));
        t.keys(&["C-y"]);
        t.wait_for("getting credentials", |s| {
            s.contains("getting credentials for")
        });
        let typed = std::time::Instant::now();
        t.literal("zz");
        let s = t.wait_for("the typed keys", |s| s.starts_with("> zz"));
        assert!(
            typed.elapsed() < Duration::from_millis(2500),
            "typing waited for the portal ({:?})",
            typed.elapsed()
        );
        assert!(s.contains("getting credentials for"), "still copying:\n{s}");
        // No terminal is attached to this tmux: the lines stay in its buffer,
        // and the status line says so.
        t.wait_for("the copy to finish", |s| {
            s.contains("put credentials") && s.contains("in tmux's buffer")
        });
    });
    let buffer = String::from_utf8_lossy(&t.run(&["show-buffer"]).stdout).into_owned();
    let issued = slow.last_issued().unwrap();
    assert!(
        buffer.contains(&format!(
            "set -gx AWS_ACCESS_KEY_ID '{}'",
            issued.access_key_id
        )),
        "fish lines (export_format) on the clipboard: {buffer:?}"
    );
    t.keys(&["Escape"]);
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "130");
}

/// Tab -> "Print export lines" and Enter with `default_action = "profile"`
/// both follow config.toml (export_format, profile_name).
#[tokio::test(flavor = "multi_thread")]
async fn the_menu_and_enter_follow_config_toml() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let config = "export_format = \"dotenv\"\ndefault_action = \"profile\"\nprofile_name = \"cfg.{account_id}.{role_name}\"\n";
    let (fast, _slow, home) = slow_portal_with_config(config).await;
    let target = fast.org().accounts[3].clone();
    for (keys, want) in [
        (
            vec!["Tab", "Down", "Enter"],
            "AWS_ACCESS_KEY_ID='".to_string(),
        ),
        (
            vec!["Enter"],
            format!("[profile cfg.{}.{}]", target.account_id, target.roles[0]),
        ),
    ] {
        let t = start(&home, &fast, "");
        tokio::task::block_in_place(|| {
            t.wait_for("the picker", |s| s.contains("Enter profile block"));
            t.literal(&format!("{} {}", target.account_id, target.roles[0]));
            t.wait_for("the row", |s| {
                s.lines()
                    .nth(1)
                    .is_some_and(|r| r.contains(&target.account_id) && r.contains(&target.roles[0]))
            });
            t.keys(&keys);
        });
        let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
        assert_eq!(rc.trim(), "0");
        let out = std::fs::read_to_string(home.path().join("out")).unwrap();
        assert!(out.contains(&want), "{keys:?}: want {want:?} in\n{out}");
        if keys.len() > 1 {
            assert!(!out.contains("export "), "dotenv, not bash: {out}");
        }
    }
}
