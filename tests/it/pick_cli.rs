//! `ssopick pick --format`: a chosen row printed for scripts, from the
//! picker in a real terminal (tmux) or by the selection rule without one.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakePortal};

async fn setup() -> (FakePortal, Home) {
    logged_in(40, 9, FakeOptions::default()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn the_picked_row_is_printed_in_the_format() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = setup().await;
    let target = portal.org().accounts[11].clone();
    let d = home.path().display();
    let body = format!(
        "x=$('{exe}' pick --format '{{account_id}}:{{role_name}}:{{email}}|{{{{}}}}'); rc=$?\nprintf '%s\\n' \"$x\" > {d}/out\necho $rc > {d}/rc\nsleep 120\n",
        exe = env!("CARGO_BIN_EXE_ssopick")
    );
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 100, 30);
    let total = portal.org().role_count();
    tokio::task::block_in_place(|| t.pick_account(total, &target.account_id));
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "0");
    let out = std::fs::read_to_string(home.path().join("out")).unwrap();
    let line = out.trim_end_matches('\n');
    let (fields, braces) = line.split_once('|').expect("the literal part");
    assert_eq!(braces, "{}", "{{ and }} are literal braces: {out:?}");
    let parts: Vec<&str> = fields.split(':').collect();
    assert_eq!(parts.len(), 3, "{out:?}");
    assert_eq!(parts[0], target.account_id);
    assert!(target.roles.iter().any(|r| r == parts[1]), "{out:?}");
    assert_eq!(parts[2], target.email_address);
    assert!(!out.contains('\x1b'), "no terminal output in stdout");
    // Printing needs no credentials.
    assert_eq!(portal.stats().get_credentials, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_terminal_one_match_is_printed_and_several_are_an_error() {
    let (portal, home) = setup().await;
    let a = portal.org().accounts[3].clone();
    let out = home
        .cmd(Some(portal.url()))
        .args([
            "pick",
            &a.account_id,
            &a.roles[0],
            "--format",
            "{account_name}\t{session}",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("{}\tcorp\n", a.account_name));
    // The default format.
    let out = home
        .cmd(Some(portal.url()))
        .args(["--account", &a.account_id, "--role", &a.roles[0], "pick"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), format!("{} {}\n", a.account_id, a.roles[0]));
    // Several rows and no terminal: the rows are named, nothing printed.
    let out = home
        .cmd(Some(portal.url()))
        .args(["pick"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("match"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_format_is_a_usage_error_before_any_call() {
    let (portal, home) = setup().await;
    let before = portal.stats().requests;
    for bad in ["{role}", "{account_id", "a } b"] {
        let out = home
            .cmd(Some(portal.url()))
            .args(["pick", "--format", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert!(
            stderr(&out)
                .contains("{account_id} {account_name} {role_name} {session} {email} {role_arn}")
        );
    }
    assert_eq!(portal.stats().requests, before, "nothing was listed");
}
