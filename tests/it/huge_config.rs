//! A `~/.aws/config` of thousands of profiles (what `profile --all
//! --write` leaves): its sessions are kept between runs, and any change to
//! the file, in place or by rename, same size or not, is seen at once.

use crate::common::*;

/// A config with session `corp` and `n` profiles using it (~100 bytes each).
fn huge_config(home: &Home, n: usize) -> String {
    let mut text = format!("[sso-session corp]\nsso_start_url = {URL}\nsso_region = us-east-1\n");
    for i in 0..n {
        text.push_str(&format!(
            "\n[profile p{i:05}]\nsso_session = corp\nsso_account_id = {:012}\nsso_role_name = Admin\n",
            100_000_000_000u64 + i as u64
        ));
    }
    home.write_config(&text);
    text
}

/// What `--session NAME list --offline` says: the session is known (no
/// snapshot of it yet) or it is not.
async fn known(home: &Home, name: &str) -> bool {
    let o = run(home
        .cmd(None)
        .args(["--session", name, "--offline", "list"]))
    .await;
    let err = stderr(&o);
    assert!(!o.status.success(), "{err}");
    if err.contains("no cached catalog") {
        return true;
    }
    assert!(err.contains("no SSO session matches"), "{err}");
    false
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_of_a_huge_config_are_kept_until_it_changes() {
    let home = Home::new();
    let text = huge_config(&home, 3_000);
    let kept = home.cache().join("config-sessions.json");
    assert!(known(&home, "corp").await);
    assert!(kept.exists(), "kept after the first run");
    assert!(known(&home, "corp").await);
    // A profile name still finds its session.
    assert!(known(&home, "p02999").await);
    // Rewritten in place, same size: a session renamed.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let renamed = text.replacen("[sso-session corp]", "[sso-session cor2]", 1);
    assert_eq!(renamed.len(), text.len());
    std::fs::write(home.config_path(), &renamed).unwrap();
    assert!(!known(&home, "corp").await);
    assert!(known(&home, "cor2").await);
    // Replaced by rename, with one more session.
    let next = home.path().join("config.new");
    std::fs::write(
        &next,
        format!("{renamed}\n[sso-session more]\nsso_start_url = https://more.awsapps.com/start\nsso_region = eu-west-1\n"),
    )
    .unwrap();
    std::fs::rename(&next, home.config_path()).unwrap();
    assert!(known(&home, "more").await);
    // Another default region is another answer.
    let o = run(home.cmd(None).env("AWS_REGION", "eu-central-1").args([
        "--session",
        "more",
        "--offline",
        "list",
    ]))
    .await;
    assert!(stderr(&o).contains("no cached catalog"), "{}", stderr(&o));
    // A damaged keep is ignored.
    std::fs::write(&kept, b"{damaged").unwrap();
    assert!(known(&home, "more").await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_small_config_is_never_kept() {
    let home = Home::new();
    huge_config(&home, 3);
    assert!(known(&home, "corp").await);
    assert!(!home.cache().join("config-sessions.json").exists());
}

/// `credential-process` with a huge config: once its sessions are kept, the
/// warm answer comes without reading the config; a changed config is read.
#[tokio::test(flavor = "multi_thread")]
async fn credential_process_takes_the_kept_session_of_a_huge_config() {
    use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
    let portal = FakePortal::start(FakeOrg::generated(4, 3), FakeOptions::default())
        .await
        .unwrap();
    let home = Home::new();
    let text = huge_config(&home, 3_000);
    home.write_token("corp", portal.token(), 3600);
    let a = portal.org().accounts[1].clone();
    let args = [
        "--session",
        "corp",
        "--account",
        &a.account_id,
        "--role",
        &a.roles[0],
        "credential-process",
    ];
    for _ in 0..3 {
        let o = run(home.cmd(Some(portal.url())).args(args)).await;
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("\"AccessKeyId\""), "{}", stdout(&o));
    }
    assert!(home.cache().join("config-sessions.json").exists());
    assert_eq!(
        portal.stats().get_credentials,
        1,
        "warm runs from the cache"
    );
    // The session renamed (same size): `corp` is no longer a session.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(
        home.config_path(),
        text.replacen("[sso-session corp]", "[sso-session cor2]", 1),
    )
    .unwrap();
    let o = run(home.cmd(Some(portal.url())).args(args)).await;
    assert!(!o.status.success(), "{}", stdout(&o));
    assert!(stderr(&o).contains("corp"), "{}", stderr(&o));
}
