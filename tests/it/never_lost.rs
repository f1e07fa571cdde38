//! Listings never lost (issue 31): progress saved as it goes and on every
//! way out, resumed by the next run, listed behind a child, and shared by
//! two runs at once. Against the throttled fake (20 requests a second).

use crate::common::*;
use ssopick::fake::FakePortal;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// 600 accounts at 20 requests a second: about 30 s to list.
async fn throttled(accounts: usize) -> (FakePortal, Home) {
    logged_in_throttled(accounts, 31).await
}

fn snapshot_path(home: &Home) -> Option<PathBuf> {
    std::fs::read_dir(home.cache().join("catalog"))
        .ok()?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
}

/// The saved snapshot: (complete, accounts, accounts whose roles are in).
fn saved(home: &Home) -> Option<(bool, usize, usize)> {
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(snapshot_path(home)?).ok()?).ok()?;
    let accounts = v["accounts"].as_array()?;
    let with_roles = accounts.iter().filter(|a| a["roles"].is_array()).count();
    Some((v["complete"].as_bool()?, accounts.len(), with_roles))
}

fn spawn(c: &mut std::process::Command) -> std::process::Child {
    c.stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Waits for `child` (up to `limit`), in the tests' blocking section.
async fn wait(child: std::process::Child, limit: Duration) -> std::process::Output {
    tokio::task::block_in_place(|| {
        let pid = child.id();
        let end = Instant::now() + limit;
        let waiter = std::thread::spawn(move || child.wait_with_output().unwrap());
        while !waiter.is_finished() {
            if Instant::now() > end {
                unsafe { libc::kill(pid as i32, libc::SIGKILL) };
                panic!("pid {pid} still running after {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        waiter.join().unwrap()
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_child_leaves_a_complete_snapshot() {
    let (portal, home) = throttled(600).await;
    let a = &portal.org().accounts[17];
    let o = run(home
        .cmd(Some(portal.url()))
        .arg("exec")
        .args(pick_args(a))
        .args(["--", "sh", "-c", "sleep 45; exit 5"]))
    .await;
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    let (complete, accounts, with_roles) = saved(&home).expect("a snapshot");
    assert!(complete, "the listing finished behind the child");
    assert_eq!((accounts, with_roles), (600, 600));
    // The ~30 s listing held the portal's 20 req/s: remembered beside the
    // snapshot, for the next listing to start at 80 % of it.
    let rate_file = snapshot_path(&home).unwrap().with_extension("rate");
    let rate: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&rate_file).expect("a remembered rate")).unwrap();
    let held = rate["held_rate"].as_f64().unwrap();
    assert!((15.0..=21.0).contains(&held), "held {held} req/s");
    let calls = portal.stats();
    // The next run answers from it without asking the portal.
    let o = run(home.cmd(Some(portal.url())).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(portal.stats().requests, calls.requests);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_child_exits_at_once_and_saves_what_was_listed() {
    let (portal, home) = throttled(600).await;
    let a = &portal.org().accounts[3];
    let stamp = home.path().join("child-ended");
    for (child, code) in [("true", 0), ("(exit 9)", 9)] {
        let _ = std::fs::remove_file(&stamp);
        let script = format!("{child}; r=$?; date +%s%N > '{}'; exit $r", stamp.display());
        let o = run(home
            .cmd(Some(portal.url()))
            .arg("exec")
            .args(pick_args(a))
            .args(["--", "sh", "-c", &script]))
        .await;
        let exited = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        assert_eq!(o.status.code(), Some(code), "{}", stderr(&o));
        let child_end: u128 = std::fs::read_to_string(&stamp)
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let after = Duration::from_nanos((exited - child_end) as u64);
        assert!(
            after < Duration::from_secs(1),
            "exited {after:?} after the child"
        );
        let (complete, accounts, _) = saved(&home).expect("progress saved");
        assert!(!complete && accounts > 0, "{accounts} accounts");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn esc_keeps_what_was_listed_and_the_next_run_resumes() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = throttled(600).await;
    let d = home.path().display();
    let body = format!(
        "'{}'; echo $? > {d}/rc\nsleep 120\n",
        env!("CARGO_BIN_EXE_ssopick")
    );
    let began = Instant::now();
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 110, 30);
    let rc = tokio::task::block_in_place(|| {
        t.wait_for("the picker", |s| s.starts_with("> "));
        std::thread::sleep(Duration::from_secs(12).saturating_sub(began.elapsed()));
        t.keys(&["Escape"]);
        wait_file(&home.path().join("rc"))
    });
    assert_eq!(rc.trim(), "130");
    let (complete, accounts, with_roles) = saved(&home).expect("Esc saves the progress");
    assert!(!complete);
    assert_eq!(accounts, 600, "every account was in within 12 s");
    assert!(with_roles > 100, "roles of {with_roles} accounts kept");
    let before = portal.stats();
    let o = run(home.cmd(Some(portal.url())).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows.len(), portal.org().role_count());
    let roles_calls = portal.stats().list_roles - before.list_roles;
    let throttled = portal.stats().throttled - before.throttled;
    assert!(
        roles_calls - throttled.min(roles_calls) <= (600 - with_roles) as u64,
        "{roles_calls} ListAccountRoles calls ({throttled} throttled) for {} accounts",
        600 - with_roles
    );
    assert_eq!(saved(&home), Some((true, 600, 600)));
}

#[tokio::test(flavor = "multi_thread")]
async fn two_first_runs_at_once_list_once() {
    let (portal, home) = throttled(300).await;
    let first = spawn(home.cmd(Some(portal.url())).args(["list", "--json"]));
    tokio::task::block_in_place(|| std::thread::sleep(Duration::from_millis(300)));
    let second = spawn(home.cmd(Some(portal.url())).args(["list", "--json"]));
    let (a, b) = (
        wait(first, Duration::from_mins(2)).await,
        wait(second, Duration::from_mins(2)).await,
    );
    for o in [&a, &b] {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    }
    assert_eq!(stdout(&a), stdout(&b));
    let s = portal.stats();
    assert!(
        s.list_roles_ok as f64 <= 300.0 * 1.1,
        "{} ListAccountRoles answers for 300 accounts",
        s.list_roles_ok
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_saves_and_kill_9_mid_save_leaves_a_readable_snapshot() {
    let (portal, home) = throttled(600).await;
    // SIGTERM while listing: the progress is saved as the run stops.
    let child = spawn(home.cmd(Some(portal.url())).arg("list"));
    let pid = child.id() as i32;
    tokio::task::block_in_place(|| std::thread::sleep(Duration::from_secs(3)));
    unsafe { libc::kill(pid, libc::SIGTERM) };
    let o = wait(child, Duration::from_secs(10)).await;
    assert_ne!(o.status.code(), Some(0));
    let (complete, accounts, _) = saved(&home).expect("SIGTERM saves");
    assert!(!complete && accounts > 0);
    let before = std::fs::read(snapshot_path(&home).unwrap()).unwrap();

    // The next run resumes; kill -9 while its save has the new file
    // written beside the old one.
    let marker = home.path().join("pause");
    std::fs::write(&marker, b"").unwrap();
    let child = spawn(
        home.cmd(Some(portal.url()))
            .arg("list")
            .env("SSOPICK_TEST_SAVE_PAUSE", &marker),
    );
    let pid = child.id() as i32;
    tokio::task::block_in_place(|| wait_file_until(&marker.with_extension("saving"), |_| true));
    unsafe { libc::kill(pid, libc::SIGKILL) };
    let _ = wait(child, Duration::from_secs(10)).await;
    assert_eq!(
        std::fs::read(snapshot_path(&home).unwrap()).unwrap(),
        before,
        "the old snapshot, whole"
    );
    // Readable: `--offline` shows it, as the partial catalog it is.
    let o = run(home.cmd(None).args(["list", "--offline", "--json"])).await;
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(!rows.is_empty());
}
