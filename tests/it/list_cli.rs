//! `ssopick list` end to end: the built binary, a temp HOME, real token files
//! and the fake portal over real HTTP via AWS_ENDPOINT_URL_SSO.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};

async fn fake(n: usize) -> FakePortal {
    FakePortal::start(FakeOrg::generated(n, 11), FakeOptions::default())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_filters_and_serves_from_the_snapshot() {
    let portal = fake(30).await;
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    let o = run(home.cmd(Some(portal.url())).arg("list").arg("--json")).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows.len(), portal.org().role_count());
    assert_eq!(rows[0]["session"], "corp");
    for k in ["accountId", "accountName", "emailAddress", "roleName"] {
        assert!(rows[0][k].is_string(), "{k}");
    }
    let calls = portal.stats().requests;

    // The snapshot: private, tokenless, and used at once by the next run.
    let snaps: Vec<_> = std::fs::read_dir(home.cache().join("catalog"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(snaps.len(), 1);
    let body = std::fs::read_to_string(&snaps[0]).unwrap();
    assert!(!body.contains(portal.token()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&snaps[0]).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let name = &portal.org().accounts[7].account_name;
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["list", name.as_str(), "ADMIN"]))
    .await;
    assert_eq!(portal.stats().requests, calls, "served from the snapshot");
    let text = stdout(&o);
    assert!(
        text.lines()
            .all(|l| l.contains(name.as_str()) && l.to_lowercase().contains("admin")),
        "{text}"
    );

    // --offline needs no portal at all.
    drop(portal);
    let o = run(home
        .cmd(Some("http://127.0.0.1:9"))
        .args(["list", "--offline"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).lines().count() > 30);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_match_is_exit_6_with_closest() {
    let portal = fake(10).await;
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    let first = portal.org().accounts[0].account_name.clone();
    let typo: String = first.chars().filter(|c| *c != 'e').collect();
    let o = run(home.cmd(Some(portal.url())).args(["list", &typo, "zz9"])).await;
    assert_eq!(o.status.code(), Some(6));
    assert!(stderr(&o).contains("Closest"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_and_missing_tokens_name_the_login_command() {
    let home = Home::new();
    home.with_session("corp");
    let o = run(home.cmd(Some("http://127.0.0.1:9")).arg("list")).await;
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("aws sso login --sso-session corp"),
        "{}",
        stderr(&o)
    );
    home.write_token("corp", "t", -120);
    let o = run(home.cmd(Some("http://127.0.0.1:9")).arg("list")).await;
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("expired"), "{}", stderr(&o));
    assert!(stderr(&o).contains("aws sso login --sso-session corp"));

    // Legacy profile: the login command names the profile.
    let home = Home::new();
    home.write_config(&format!(
        "[profile old]\nsso_start_url = {URL}\nsso_region = us-east-1\n"
    ));
    let o = run(home.cmd(None).arg("list")).await;
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("aws sso login --profile old"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn revoked_token_is_exit_3_and_keeps_the_complete_snapshot() {
    let portal = fake(150).await;
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let snap = std::fs::read_dir(home.cache().join("catalog"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let before = std::fs::read(&snap).unwrap();
    portal.revoke_after(20);
    let o = run(home.cmd(Some(portal.url())).args(["list", "--refresh"])).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("aws sso login --sso-session corp"));
    assert_eq!(
        std::fs::read(&snap).unwrap(),
        before,
        "a failed refresh never replaces a complete snapshot"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn unreachable_portal_is_exit_4() {
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", "t", 3600);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o = run(home
        .cmd(Some(&format!("http://127.0.0.1:{port}")))
        .arg("list"))
    .await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("network"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn session_choice_and_ambiguity() {
    let portal = fake(5).await;
    let home = Home::new();
    home.write_config(&format!(
        "[sso-session a]\nsso_start_url = {URL}\nsso_region = us-east-1\n\
         [sso-session b]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1\n\
         [profile pb]\nsso_session = b\n"
    ));
    home.write_token("a", portal.token(), 3600);
    home.write_token("b", portal.token(), 3600);
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--session a") && stderr(&o).contains("--session b"),
        "{}",
        stderr(&o)
    );
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["list", "--json", "--session", "a"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("\"session\": \"a\""));
    let o = run(home
        .cmd(Some(portal.url()))
        .env("AWS_PROFILE", "pb")
        .args(["list", "--json"]))
    .await;
    assert!(stdout(&o).contains("\"session\": \"b\""), "{}", stderr(&o));
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["list", "--session", "nope"]))
    .await;
    assert_eq!(o.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn odd_cache_entries_do_not_hide_the_good_token() {
    let portal = fake(5).await;
    let home = Home::new();
    home.with_session("corp");
    let good = home.write_token("corp", portal.token(), 3600);
    let dir = home.sso_cache();
    std::fs::create_dir_all(dir.join("dir.json")).unwrap();
    std::fs::write(dir.join("empty.json"), b"").unwrap();
    std::fs::write(dir.join("binary.json"), [0u8, 159, 146, 150, 255]).unwrap();
    std::fs::write(dir.join("huge.json"), vec![b' '; 10 << 20]).unwrap();
    std::fs::write(
        dir.join("reg.json"),
        br#"{"clientId":"c","clientSecret":"s","expiresAt":"2099-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    std::fs::write(dir.join("x.json.tmp"), b"{").unwrap();
    std::fs::write(
        dir.join("crlf.json"),
        b"{\r\n\"accessToken\": \"x\",\r\n\"expiresAt\": \"2020-01-01T00:00:00UTC\"\r\n}\r\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("loop1.json"), dir.join("loop2.json")).unwrap();
        std::os::unix::fs::symlink(dir.join("loop2.json"), dir.join("loop1.json")).unwrap();
    }
    assert!(good.exists());
    let o = run(home.cmd(Some(portal.url())).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_that_cannot_list_fails_and_says_the_snapshot_is_there() {
    let portal = fake(12).await;
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    home.take_snapshot(portal.url()).await;
    portal.inject(ssopick::fake::Fault::Status(503), 10_000);
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["list", "--refresh", "--json"])
        .env("SSOPICK_HTTP_TIMEOUT", "1"))
    .await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("still there"), "{}", stderr(&o));
    // Without --refresh the (fresh) snapshot answers, as always.
    let o = run(home.cmd(Some(portal.url())).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows.len(), portal.org().role_count());
    // Truncated answers and resets count as transient too; nothing panics.
    portal.inject(ssopick::fake::Fault::Truncate, 3);
    portal.inject(ssopick::fake::Fault::Reset, 3);
    let o = run(home.cmd(Some(portal.url())).args(["list", "--refresh"])).await;
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

/// Partial is not success: an incomplete catalog prints what it has and
/// exits 7; `--prune` on it refuses and writes nothing. `--refresh` that
/// cannot list fails (4), saying the snapshot is still there; without
/// `--refresh`, a stale snapshot answers with a warning.
#[tokio::test(flavor = "multi_thread")]
async fn partial_catalogs_and_failed_refreshes_are_not_success() {
    let (portal, home) = logged_in(12, 31, ssopick::fake::FakeOptions::default()).await;
    let mut cat = portal.org().to_catalog("corp", URL, now());
    for a in cat.accounts.iter_mut().skip(4) {
        a.roles = None;
    }
    cat.complete = false;
    let snap = ssopick::edge::snapshot::path(&home.cache(), URL);
    ssopick::edge::snapshot::save(&snap, &cat).unwrap();
    let o = run(home.cmd(Some(portal.url())).args(["--offline", "list"])).await;
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("PARTIAL") && stderr(&o).contains("8 account(s) without roles"),
        "{}",
        stderr(&o)
    );
    assert!(!stdout(&o).is_empty());
    let before = std::fs::read(home.config_path()).unwrap();
    let o = run(home.cmd(Some(portal.url())).args([
        "--offline",
        "profile",
        "--all",
        "--write",
        "--prune",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing was written"), "{}", stderr(&o));
    assert_eq!(std::fs::read(home.config_path()).unwrap(), before);
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["--offline", "profile", "--all", "--write"]))
    .await;
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));

    // A complete snapshot, a day and a half old; the portal is gone.
    let mut old = portal
        .org()
        .to_catalog("corp", URL, now().plus_secs(-36 * 3600));
    old.complete = true;
    ssopick::edge::snapshot::save(&snap, &old).unwrap();
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let o = run(home.cmd(Some(&dead)).args(["list", "--refresh"])).await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("still there"), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let o = run(home.cmd(Some(&dead)).arg("list")).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("STALE"), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().count(),
        old.role_count(),
        "{}",
        stdout(&o)
    );
}

/// A junk `sso_region` in the config is named with its file and session
/// (exit 2), not left to the SDK's wording at the first call.
#[tokio::test(flavor = "multi_thread")]
async fn a_junk_sso_region_is_named_with_its_file() {
    let home = Home::new();
    home.write_config(&format!(
        "[sso-session corp]\nsso_start_url = {URL}\nsso_region = eu west 1\n"
    ));
    home.write_token("corp", "t", 3600);
    let o = run(home.cmd(None).arg("list")).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(".aws/config") && stderr(&o).contains("session corp"),
        "{}",
        stderr(&o)
    );
    // No sso_region at all: refused as the AWS CLI refuses it, never a
    // silent us-east-1.
    home.write_config(&format!("[sso-session corp]\nsso_start_url = {URL}\n"));
    let o = run(home.cmd(None).arg("list")).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(".aws/config")
            && stderr(&o).contains("[sso-session corp] has no sso_region"),
        "{}",
        stderr(&o)
    );
}

/// One account's ListAccountRoles answered with an unexpected 400: that
/// account is skipped and named, every other is listed (exit 7); the next
/// run asks again for that account only.
#[tokio::test(flavor = "multi_thread")]
async fn an_account_the_portal_refuses_is_skipped_and_named() {
    let org = ssopick::fake::FakeOrg::generated(12, 5);
    let refused = org.accounts[3].account_id.clone();
    let (portal, home) = logged_in_to(
        org.clone(),
        ssopick::fake::FakeOptions {
            refuse_roles_of: vec![refused.clone()],
            ..ssopick::fake::FakeOptions::default()
        },
    )
    .await;
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(&format!("refused 1 account(s) ({refused}: "))
            && err.contains("ValidationException"),
        "{err}"
    );
    for a in org.accounts.iter().filter(|a| a.account_id != refused) {
        assert!(stdout(&o).contains(&a.account_id), "{}", stdout(&o));
    }
    let before = portal.stats().list_roles;
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert_eq!(
        portal.stats().list_roles - before,
        1,
        "the resumed listing asks for the refused account only"
    );
}
