//! `--session all`: every SSO session at once, each entry delivered through
//! its own session.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};

async fn two_sessions(partner_logged_in: bool) -> (FakePortal, Home) {
    let portal = FakePortal::start(FakeOrg::generated(5, 12), FakeOptions::default())
        .await
        .unwrap();
    let home = Home::new();
    home.with_two_sessions(portal.token(), partner_logged_in);
    (portal, home)
}

#[tokio::test(flavor = "multi_thread")]
async fn list_shows_every_session() {
    let (portal, home) = two_sessions(true).await;
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["list", "--session", "all", "--json"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows.len(), 2 * portal.org().role_count());
    for s in ["corp", "partner"] {
        assert!(rows.iter().any(|r| r["session"] == s), "{s}");
    }
    // Session names are searchable with several sessions.
    let o =
        run(home
            .cmd(Some(portal.url()))
            .args(["list", "--session", "all", "--json", "partner"]))
        .await;
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows.len(), portal.org().role_count(), "{}", stderr(&o));
    assert!(rows.iter().all(|r| r["session"] == "partner"));
    // Off a terminal, with both logged in and none named: the error says
    // how to choose, default_session included.
    let o = run(home.cmd(Some(portal.url())).args(["export", "anything"])).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("--session NAME") && stderr(&o).contains("default_session"),
        "{}",
        stderr(&o)
    );
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["list", "--session", "all"]))
    .await;
    assert!(
        stdout(&o)
            .lines()
            .all(|l| l.ends_with("corp") || l.ends_with("partner")),
        "a session column:\n{}",
        stdout(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn one_match_is_delivered_through_its_own_session() {
    let (portal, home) = two_sessions(false).await;
    let a = &portal.org().accounts[1];
    // partner is not logged in and has no snapshot: skipped, said on stderr.
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["export", "--session", "all"])
        .args(pick_args(a)))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("export SSOPICK_SESSION='corp'"));
    assert!(stderr(&o).contains("session partner"), "{}", stderr(&o));
    // Both logged in: two matches, and no terminal to pick on: the error
    // names the sessions and how to choose one.
    home.write_token("partner", portal.token(), 3600);
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["export", "--session", "all"])
        .args(pick_args(a)))
    .await;
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("[session corp]")
            && stderr(&o).contains("[session partner]")
            && stderr(&o).contains("sessions corp, partner")
            && stderr(&o).contains("default_session"),
        "{}",
        stderr(&o)
    );
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["login", "--session", "all"]))
    .await;
    assert_eq!(o.status.code(), Some(2), "login takes one session");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_picker_shows_sessions_and_delivers_the_chosen_one() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = two_sessions(true).await;
    home.take_snapshots_of_all(portal.url()).await;
    let a = portal.org().accounts[2].clone();
    let d = home.path().display();
    let body = format!(
        "x=$('{exe}' export --session all); rc=$?\nprintf '%s\\n' \"$x\" > {d}/out\necho $rc > {d}/rc\nsleep 120\n",
        exe = env!("CARGO_BIN_EXE_ssopick")
    );
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 120, 30);
    tokio::task::block_in_place(|| {
        t.wait_for("the picker with a session column", |s| {
            s.contains("Esc quit") && s.contains("partner")
        });
        t.literal(&format!("{} {}", a.account_id, a.roles[0]));
        // Rows of one account sort by session: corp first, then partner.
        t.wait_for("both sessions' rows", |s| {
            s.lines().nth(1).is_some_and(|l| l.contains("corp"))
                && s.lines().nth(2).is_some_and(|l| l.contains("partner"))
        });
        t.keys(&["Down"]);
        t.keys(&["Enter"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "0", "{}", t.capture());
    let out = std::fs::read_to_string(home.path().join("out")).unwrap();
    assert!(out.contains("export SSOPICK_SESSION='partner'"), "{out}");
    assert!(out.contains(&format!("export SSOPICK_ACCOUNT_ID='{}'", a.account_id)));
}

/// Two logged-in sessions and no `--session`: on a terminal the picker shows
/// both (its status line names the highlighted row's session); a script
/// gets a clear choice to make; config.toml's default_session decides.
#[tokio::test(flavor = "multi_thread")]
async fn several_logged_in_sessions_open_the_picker_over_all() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = two_sessions(true).await;
    home.take_snapshots_of_all(portal.url()).await;
    // Without a terminal: exit 2, the sessions listed in aligned columns.
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let listed: Vec<usize> = stderr(&o)
        .lines()
        .filter(|l| l.starts_with("  --session"))
        .map(|l| l.find("https://").unwrap())
        .collect();
    assert_eq!(listed.len(), 2, "{}", stderr(&o));
    assert_eq!(listed[0], listed[1], "aligned:\n{}", stderr(&o));
    // On a terminal: the picker over both.
    let d = home.path().display();
    let body = format!(
        "x=$('{exe}' export); rc=$?\necho $rc > {d}/rc\nsleep 120\n",
        exe = env!("CARGO_BIN_EXE_ssopick")
    );
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 120, 30);
    let a = portal.org().accounts[2].clone();
    tokio::task::block_in_place(|| {
        t.wait_for("the picker over both sessions", |s| {
            s.contains("Esc quit") && s.contains("partner") && s.contains(" session corp")
        });
        t.literal(&format!("{} {}", a.account_id, a.roles[0]));
        t.wait_for("both rows", |s| {
            s.lines().nth(2).is_some_and(|l| l.contains("partner"))
        });
        t.keys(&["Down"]);
        t.wait_for("the status naming partner", |s| {
            s.contains(" session partner")
        });
        t.keys(&["Escape"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "130");
    // default_session in config.toml: that one, no question.
    std::fs::create_dir_all(home.path().join("xdg-config/ssopick")).unwrap();
    std::fs::write(
        home.path().join("xdg-config/ssopick/config.toml"),
        "default_session = \"partner\"\n",
    )
    .unwrap();
    let o = run(home.cmd(Some(portal.url())).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(!rows.is_empty() && rows.iter().all(|r| r["session"] == "partner"));
}

/// `--session all` where no session can be listed (and none has a
/// snapshot) fails like one session would (exit 4), never an empty success.
#[tokio::test(flavor = "multi_thread")]
async fn all_sessions_failing_is_a_failure() {
    let home = Home::new();
    home.with_two_sessions("tok", true);
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    for extra in [&[][..], &["--json"][..]] {
        let o = run(home
            .cmd(Some(&dead))
            .args(["--session", "all", "list"])
            .args(extra))
        .await;
        assert_eq!(o.status.code(), Some(4), "{extra:?}: {}", stderr(&o));
        assert!(
            stdout(&o).trim().is_empty() || stdout(&o).trim() == "[]",
            "{}",
            stdout(&o)
        );
    }
}
