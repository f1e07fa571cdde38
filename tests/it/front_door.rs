//! The picker is the front door: on a terminal it opens at once whatever
//! the snapshot (none, stale, or `--refresh`), lists behind it against a
//! throttled fake portal, and never lists when `--offline`.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakePortal};
use std::time::{Duration, Instant};

/// 300 accounts behind a 20 req/s throttle: a listing takes ~15 s.
async fn throttled() -> (FakePortal, Home) {
    logged_in_throttled(300, 11).await
}

/// `ssopick ARGS` in tmux, its stdout and exit code saved.
fn start(home: &Home, portal: &FakePortal, args: &str) -> Tmux {
    let d = home.path().display();
    let body = format!(
        "x=$('{exe}' {args}); rc=$?\nprintf '%s\\n' \"$x\" > {d}/out\necho $rc > {d}/rc\nsleep 120\n",
        exe = env!("CARGO_BIN_EXE_ssopick")
    );
    let _ = std::fs::remove_file(home.path().join("rc"));
    Tmux::start(&home.script(Some(portal.url()), &body), 110, 30)
}

fn snapshot_file(home: &Home) -> std::path::PathBuf {
    let dir = home.path().join("xdg-cache/ssopick/catalog");
    std::fs::read_dir(&dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}

/// Rewrites the snapshot's `takenAt` to `days` ago.
fn age_snapshot(home: &Home, days: i64) {
    let p = snapshot_file(home);
    let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    let then = ssopick::core::time::UtcTime(now().0 - days * 86_400);
    v["takenAt"] = serde_json::json!(then.to_rfc3339());
    std::fs::write(&p, serde_json::to_vec(&v).unwrap()).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn the_first_run_opens_the_picker_while_the_listing_runs() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = throttled().await;
    let total = portal.org().accounts.len() as u64;
    let t = start(&home, &portal, "export");
    let target = portal.org().accounts[0].clone();
    let word: String = target.account_name.split('-').next().unwrap().to_string();
    tokio::task::block_in_place(|| {
        t.wait_for("the picker", |s| s.contains("Enter print exports"));
        let listed = portal.stats().list_roles_ok;
        assert!(
            listed < total,
            "the picker waited for the listing ({listed}/{total} accounts' roles)"
        );
        // Typing filters what has arrived, while the rest streams in.
        t.literal(&format!("'{word}"));
        let s = t.wait_for("the typed filter", |s| {
            s.starts_with(&format!("> '{word}"))
                && s.lines().nth(1).is_some_and(|l| l.contains(&word))
        });
        assert!(portal.stats().list_roles_ok < total, "still listing:\n{s}");
        t.keys(&["Escape"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "130");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_snapshot_opens_at_once_and_refresh_lists_once() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = throttled().await;
    let total = portal.org().accounts.len() as u64;
    home.take_snapshot(portal.url()).await;
    assert_eq!(portal.stats().list_roles_ok, total);
    age_snapshot(&home, 3);
    let began = Instant::now();
    let t = start(&home, &portal, "export");
    tokio::task::block_in_place(|| {
        let s = t.wait_for("the picker on the stale snapshot", |s| {
            s.contains("snapshot 3d 0h old") || s.contains("roles ")
        });
        assert!(
            began.elapsed() < Duration::from_secs(5),
            "the picker took {:?}:\n{s}",
            began.elapsed()
        );
        assert!(portal.stats().list_roles_ok < 2 * total, "still listing");
        t.keys(&["Escape"]);
        wait_file(&home.path().join("rc"));
        std::thread::sleep(Duration::from_millis(300));
    });
    drop(t);
    // --refresh: one listing, in the background, one successful
    // ListAccountRoles per account (429s are retried, not counted).
    let before = portal.stats().list_roles_ok;
    let t = start(&home, &portal, "--refresh export");
    tokio::task::block_in_place(|| {
        t.wait_for("the picker", |s| s.contains("Enter print exports"));
        t.wait_for("the listing to end", |s| {
            s.contains("snapshot 0s old") || s.contains("snapshot 1")
        });
        // Nothing lists after that.
        std::thread::sleep(Duration::from_millis(500));
        t.keys(&["Escape"]);
    });
    assert_eq!(portal.stats().list_roles_ok - before, total);
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_never_lists_and_ctrl_r_says_so() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = throttled().await;
    home.take_snapshot(portal.url()).await;
    age_snapshot(&home, 6);
    let file = snapshot_file(&home);
    let bytes = std::fs::read(&file).unwrap();
    let calls = portal.stats().requests;
    let t = start(&home, &portal, "--offline export");
    tokio::task::block_in_place(|| {
        t.wait_for("the picker", |s| s.contains("snapshot 6d 0h old"));
        t.keys(&["C-r"]);
        t.wait_for("the offline note", |s| s.contains("offline (--offline)"));
        t.keys(&["Escape"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "130");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        bytes,
        "the snapshot is untouched"
    );
    assert_eq!(portal.stats().requests, calls, "no call to the portal");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_goes_straight_in_once_the_listing_settles_it() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = logged_in(
        40,
        5,
        FakeOptions {
            latency: Duration::from_millis(5),
            throttle: Some((20.0, 5.0)),
            ..FakeOptions::default()
        },
    )
    .await;
    let a = portal.org().accounts[7].clone();
    let t = start(
        &home,
        &portal,
        &format!("export {} {}", a.account_id, a.roles[0]),
    );
    let rc = tokio::task::block_in_place(|| {
        t.wait_for("the picker with the query", |s| s.contains(&a.account_id));
        wait_file(&home.path().join("rc"))
    });
    assert_eq!(rc.trim(), "0", "{}", t.capture());
    let out = std::fs::read_to_string(home.path().join("out")).unwrap();
    let issued = portal.last_issued().unwrap();
    assert_eq!(issued.account_id, a.account_id);
    assert!(out.contains("export AWS_ACCESS_KEY_ID="), "{out}");
}

/// Several sessions and no snapshot: the picker opens at once and lists
/// each session behind it, one after another; both sessions' rows arrive.
#[tokio::test(flavor = "multi_thread")]
async fn several_sessions_list_behind_the_picker_in_turn() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let portal = FakePortal::start(
        ssopick::fake::FakeOrg::generated(60, 9),
        FakeOptions {
            latency: Duration::from_millis(5),
            throttle: Some((20.0, 5.0)),
            ..FakeOptions::default()
        },
    )
    .await
    .unwrap();
    let home = Home::new();
    home.with_two_sessions(portal.token(), true);
    let total = portal.org().accounts.len() as u64;
    let t = start(&home, &portal, "export --session all");
    tokio::task::block_in_place(|| {
        t.wait_for("the picker", |s| s.contains("Esc quit"));
        assert!(
            portal.stats().list_roles_ok < total,
            "the picker waited for a listing"
        );
        t.wait_for("rows of both sessions", |s| {
            s.contains(" corp") && s.contains(" partner")
        });
        // Both listings finish, each once.
        let end = Instant::now() + Duration::from_mins(1);
        while portal.stats().list_roles_ok < 2 * total && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_millis(300));
        t.wait_for("no row left loading", |s| !s.contains("loading"));
        t.keys(&["Escape"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "130");
    assert_eq!(
        portal.stats().list_roles_ok,
        2 * total,
        "each session listed once"
    );
}
