//! Token lifecycle against local fakes over real HTTP: device-code login,
//! refresh (also two at once), expired registration, logout, console.

use crate::common::*;
use ssopick::core::sso::token::cache_key;
use ssopick::fake::{FakeOidc, FakeOptions, FakeOrg, FakePortal, FakeSignin, OidcOptions};
use std::process::Command;

pub(crate) async fn fakes(oidc: OidcOptions) -> (FakePortal, FakeOidc) {
    let portal = FakePortal::start(FakeOrg::generated(6, 2), FakeOptions::default())
        .await
        .unwrap();
    let oidc = FakeOidc::start(OidcOptions {
        access_token: portal.token().into(),
        ..oidc
    })
    .await
    .unwrap();
    (portal, oidc)
}

fn cmd(home: &Home, portal: &FakePortal, oidc: &FakeOidc) -> Command {
    let mut c = home.cmd(Some(portal.url()));
    c.env("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url());
    c
}

fn token_file(home: &Home) -> serde_json::Value {
    let p = home.sso_cache().join(format!("{}.json", cache_key("corp")));
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn device_login_with_pending_and_slow_down_writes_the_cli_token_file() {
    let (portal, oidc) = fakes(OidcOptions {
        pending_polls: 1,
        slow_down_at: 2,
        ..OidcOptions::default()
    })
    .await;
    let home = Home::new();
    home.with_session("corp");
    let o = run(cmd(&home, &portal, &oidc).args(["login", "--session", "corp"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("ABCD-EFGH")
            && err.contains("https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH"),
        "{err}"
    );
    assert_eq!(oidc.stats().polls, 3, "pending, slow down, approved");
    assert_eq!(oidc.scopes_registered(), vec!["sso:account:access"]);
    let t = token_file(&home);
    assert_eq!(t["accessToken"], portal.token());
    assert_eq!(t["startUrl"], URL);
    assert_eq!(t["region"], "us-east-1");
    for k in [
        "clientId",
        "clientSecret",
        "registrationExpiresAt",
        "refreshToken",
    ] {
        assert!(t[k].is_string(), "{k}");
    }
    let exp = t["expiresAt"].as_str().unwrap();
    assert!(
        exp.ends_with('Z') && exp.len() == 20,
        "YYYY-MM-DDTHH:MM:SSZ: {exp}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = home.sso_cache().join(format!("{}.json", cache_key("corp")));
        assert_eq!(
            std::fs::metadata(p).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    assert!(!err.contains(portal.token()), "no token on stderr");
    // The login is usable at once, and a second login reuses the registration.
    let o = run(cmd(&home, &portal, &oidc).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(cmd(&home, &portal, &oidc).args(["login"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(oidc.stats().registrations, 1);

    // A real SDK reads the token file: botocore resolves an sso_session profile.
    if Command::new("python3")
        .args(["-c", "import botocore"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let a = &portal.org().accounts[0];
        let mut cfg = std::fs::read_to_string(home.config_path()).unwrap();
        cfg.push_str(&format!(
            "\n[profile via-sso]\nsso_session = corp\nsso_account_id = {}\nsso_role_name = {}\n",
            a.account_id, a.roles[0]
        ));
        home.write_config(&cfg);
        let base = home.cmd(Some(portal.url()));
        let mut py = Command::new("python3");
        py.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).args([
            "-c",
            "import botocore.session\nprint(botocore.session.Session(profile='via-sso').get_credentials().get_frozen_credentials().access_key)",
        ]);
        for (k, v) in base.get_envs() {
            if let Some(v) = v {
                py.env(k, v);
            }
        }
        py.env("AWS_CONFIG_FILE", home.config_path());
        let o = run(&mut py).await;
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            stdout(&o).trim(),
            portal.last_issued().unwrap().access_key_id
        );
    } else {
        skip_or_fail("python3 with botocore");
    }
}

/// A token close to expiry, with what a refresh needs and a key of the future.
fn write_expiring(home: &Home, registration_expires_in: i64) {
    let now = crate::common::now();
    std::fs::create_dir_all(home.sso_cache()).unwrap();
    std::fs::write(
        home.sso_cache().join(format!("{}.json", cache_key("corp"))),
        serde_json::json!({
            "startUrl": URL, "region": "us-east-1", "accessToken": "old-token",
            "expiresAt": now.plus_secs(60).to_rfc3339(),
            "clientId": "client-1", "clientSecret": "secret-1",
            "registrationExpiresAt": now.plus_secs(registration_expires_in).to_rfc3339(),
            "refreshToken": "r-1", "someFutureKey": {"keep": true}
        })
        .to_string(),
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_before_expiry_keeps_unknown_keys() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    oidc.accept_refresh_token("r-1", "client-1");
    let home = Home::new();
    home.with_session("corp");
    write_expiring(&home, 86_400);
    // A symlink planted where the refresh lock goes is never followed.
    let locks = home.path().join("xdg-cache/ssopick/locks");
    std::fs::create_dir_all(&locks).unwrap();
    let lock = locks.join(format!("{}.lock", cache_key("corp")));
    let victim = home.path().join("victim");
    std::os::unix::fs::symlink(&victim, &lock).unwrap();
    let o = run(cmd(&home, &portal, &oidc).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(oidc.stats().refreshes, 1);
    assert!(!victim.exists(), "the lock followed a symlink");
    std::fs::remove_file(&lock).unwrap();
    let t = token_file(&home);
    assert_eq!(t["accessToken"], portal.token());
    assert_eq!(t["someFutureKey"]["keep"], true);
    assert_eq!(t["refreshToken"], "r-1");
    // --offline never refreshes.
    write_expiring(&home, 86_400);
    let o = run(cmd(&home, &portal, &oidc).args(["list", "--offline"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(oidc.stats().refreshes, 1);
    // The next refresh creates its lock file private.
    let o = run(cmd(&home, &portal, &oidc).args(["list", "--refresh"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(oidc.stats().refreshes, 2);
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&lock).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_refresh_once_and_both_succeed() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    oidc.accept_refresh_token("r-1", "client-1");
    let home = Home::new();
    home.with_session("corp");
    write_expiring(&home, 86_400);
    let mut a = cmd(&home, &portal, &oidc);
    a.args(["list", "--refresh"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut b = cmd(&home, &portal, &oidc);
    b.args(["list", "--refresh"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let (ca, cb) = (a.spawn().unwrap(), b.spawn().unwrap());
    let (oa, ob) = tokio::task::block_in_place(|| {
        (
            ca.wait_with_output().unwrap(),
            cb.wait_with_output().unwrap(),
        )
    });
    assert_eq!(oa.status.code(), Some(0), "{}", stderr(&oa));
    assert_eq!(ob.status.code(), Some(0), "{}", stderr(&ob));
    assert_eq!(
        oidc.stats().refreshes,
        1,
        "the second process found the refreshed token under the lock"
    );
    assert_eq!(token_file(&home)["accessToken"], portal.token());
}

#[tokio::test(flavor = "multi_thread")]
async fn expired_registration_means_log_in_again() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    oidc.accept_refresh_token("r-1", "client-1");
    let home = Home::new();
    home.with_session("corp");
    write_expiring(&home, -60);
    // The old token is still valid for a minute but the portal refuses it.
    let o = run(cmd(&home, &portal, &oidc).args(["list", "--refresh"])).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("ssopick login --session corp"),
        "{}",
        stderr(&o)
    );
    assert_eq!(oidc.stats().refreshes, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_revokes_and_removes_the_files() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    let a = &portal.org().accounts[1];
    let o = run(cmd(&home, &portal, &oidc)
        .arg("credential-process")
        .args(pick_args(a)))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_dir(home.cache().join("credentials"))
            .unwrap()
            .count(),
        1
    );
    // A refresh killed mid-write (kill -9) left its temp file, token inside;
    // a fresh one may be another process's write in progress.
    let stray = home.sso_cache().join(".ssopick-AbC123.tmp");
    let fresh = home.sso_cache().join(".ssopick-XyZ789.tmp");
    std::fs::write(&stray, "{\"refreshToken\":\"r\"}").unwrap();
    std::fs::write(&fresh, "{}").unwrap();
    assert!(
        Command::new("touch")
            .args(["-d", "5 minutes ago"])
            .arg(&stray)
            .status()
            .unwrap()
            .success()
    );
    let o = run(cmd(&home, &portal, &oidc).arg("logout")).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stray.exists() && fresh.exists(), "{}", stderr(&o));
    assert!(
        !home
            .sso_cache()
            .join(format!("{}.json", cache_key("corp")))
            .exists()
    );
    assert_eq!(
        std::fs::read_dir(home.cache().join("credentials"))
            .unwrap()
            .count(),
        0
    );
    // The portal no longer takes the token.
    home.write_token("corp", portal.token(), 3600);
    let o = run(cmd(&home, &portal, &oidc).args(["list", "--refresh"])).await;
    assert_eq!(o.status.code(), Some(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn console_gets_a_signin_token_and_prints_the_link() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let signin = FakeSignin::start().await.unwrap();
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    let a = &portal.org().accounts[2];
    let o = run(cmd(&home, &portal, &oidc)
        .env("SSOPICK_SIGNIN_ENDPOINT", signin.url())
        .args([
            "console",
            "--print",
            "--keep-session",
            "--region",
            "eu-central-1",
        ])
        .args(pick_args(a)))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let url = stdout(&o);
    assert!(
        url.starts_with(&format!(
            "{}?Action=login&Issuer=ssopick&Destination=",
            signin.url()
        )),
        "{url}"
    );
    assert!(url.contains("SigninToken=fake-signin-token"));
    assert!(url.contains("eu-central-1.console.aws.amazon.com"), "{url}");
    let s = signin.last_session().unwrap();
    assert_eq!(s["sessionId"], portal.last_issued().unwrap().access_key_id);
}

/// From nothing: a fresh HOME with no ~/.aws gets from `login --start-url
/// --sso-region` to a working list, with no other tool; a second login for
/// the same URL reuses the session; a valid session is not logged in again.
#[tokio::test(flavor = "multi_thread")]
async fn login_sets_up_a_session_without_the_aws_cli() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let home = Home::new();
    let _ = std::fs::remove_dir_all(home.path().join(".aws"));
    let url = "https://d-9876543210.awsapps.com/start";
    let o = run(cmd(&home, &portal, &oidc).args([
        "login",
        "--start-url",
        url,
        "--sso-region",
        "eu-west-1",
        "--no-browser",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let cfg = std::fs::read_to_string(home.config_path()).unwrap();
    assert!(
        cfg.contains(&format!(
            "[sso-session d-9876543210]\nsso_start_url = {url}\nsso_region = eu-west-1\n"
        )),
        "{cfg}"
    );
    let o = run(cmd(&home, &portal, &oidc).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows.len(), portal.org().role_count());
    // Again: the session is reused, not duplicated, and nobody logs in twice.
    let polls = oidc.stats().polls;
    let o = run(cmd(&home, &portal, &oidc).args([
        "login",
        "--start-url",
        &format!("{url}/"),
        "--sso-region",
        "eu-west-1",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("already logged in"), "{}", stderr(&o));
    assert_eq!(oidc.stats().polls, polls);
    let cfg2 = std::fs::read_to_string(home.config_path()).unwrap();
    assert_eq!(cfg2.matches("[sso-session").count(), 1, "{cfg2}");
    // Bad input: a clear usage error.
    for (u, r) in [
        ("http://x.awsapps.com/start", "eu-west-1"),
        (url, "mars-north-9"),
    ] {
        let o =
            run(cmd(&home, &portal, &oidc).args(["login", "--start-url", u, "--sso-region", r]))
                .await;
        assert_eq!(o.status.code(), Some(2), "{u} {r}: {}", stderr(&o));
    }
}

/// `console` keeps the sign-in URL (a credential for 15 minutes) out of
/// every argv: the browser gets a `file://` page, 0600 in a private
/// folder, that redirects to it.
#[tokio::test(flavor = "multi_thread")]
async fn console_keeps_the_signin_url_out_of_argv() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let signin = FakeSignin::start().await.unwrap();
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    let runtime = home.path().join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    let argv = home.path().join("argv");
    let browser = home.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", argv.display()),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let a = &portal.org().accounts[1];
    let o = run(cmd(&home, &portal, &oidc)
        .env("SSOPICK_SIGNIN_ENDPOINT", signin.url())
        .env_remove("SSOPICK_NO_BROWSER")
        .env("BROWSER", &browser)
        .env("XDG_RUNTIME_DIR", &runtime)
        .arg("console")
        .args(pick_args(a)))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !argv.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the browser never ran"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    let args = std::fs::read_to_string(&argv).unwrap();
    assert!(!args.contains("SigninToken"), "{args}");
    let page = args.trim().strip_prefix("file://").expect("a file:// URL");
    assert!(
        page.starts_with(runtime.join("ssopick").to_str().unwrap()),
        "{page}"
    );
    let html = std::fs::read_to_string(page).unwrap();
    assert!(html.contains("SigninToken%3Dfake-signin-token"), "{html}");
    assert!(
        html.contains("/oauth?Action=logout&amp;redirect_uri="),
        "logged out first: {html}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(page).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            std::fs::metadata(runtime.join("ssopick"))
                .unwrap()
                .permissions()
                .mode()
                & 0o777,
            0o700
        );
    }
}

/// A refresh that succeeds but cannot be written back (read-only or full
/// disk) is used for the run, with a warning; it is never thrown away as
/// "session expired".
#[tokio::test(flavor = "multi_thread")]
async fn a_refresh_that_cannot_be_saved_is_still_used() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    oidc.accept_refresh_token("r-1", "client-1");
    let home = Home::new();
    home.with_session("corp");
    write_expiring(&home, 86_400);
    // The old token is about to expire and the portal no longer takes it.
    let o = run(cmd(&home, &portal, &oidc)
        .env("SSOPICK_TEST_TOKEN_WRITE_FAILS", "1")
        .args(["list", "--json", "--refresh"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot be written"), "{}", stderr(&o));
    assert_eq!(oidc.stats().refreshes, 1);
    assert_eq!(token_file(&home)["accessToken"], "old-token");
}

/// Set-up refuses what it could not use later: `all` as a session name,
/// and a name another start URL already has (with the way out).
#[tokio::test(flavor = "multi_thread")]
async fn set_up_refuses_all_and_names_taken_by_another_url() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let home = Home::new();
    home.write_config("[sso-session d-1234567890]\nsso_start_url = https://elsewhere.awsapps.com/start\nsso_region = us-east-1\n");
    let before = std::fs::read(home.config_path()).unwrap();
    for args in [
        &[
            "login",
            "--start-url",
            "https://d-1234567890.awsapps.com/start",
            "--sso-region",
            "eu-west-1",
            "--session",
            "all",
        ][..],
        &[
            "login",
            "--start-url",
            "https://d-1234567890.awsapps.com/start",
            "--sso-region",
            "eu-west-1",
        ][..],
    ] {
        let o = run(cmd(&home, &portal, &oidc).args(args)).await;
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("--session") || stderr(&o).contains("not `all`"),
            "{}",
            stderr(&o)
        );
    }
    assert_eq!(std::fs::read(home.config_path()).unwrap(), before);
}

/// A cached client registration the service no longer knows (another OIDC
/// endpoint, a reset): the device flow drops it, registers anew, and logs in.
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_cached_registration_is_replaced() {
    use ssopick::core::secret::Secret;
    use ssopick::core::sso::session::{Session, SessionKind};
    use ssopick::core::sso::token::Registration;
    use ssopick::edge::token_cache::{RegistrationFor, load_registration, save_registration};
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let home = Home::new();
    home.with_session("corp");
    let session = Session {
        kind: SessionKind::Named("corp".into()),
        start_url: URL.into(),
        region: "us-east-1".into(),
        profiles: Vec::new(),
        registration_scopes: None,
        endpoint_keys: ssopick::core::sso::endpoints::EndpointKeys::default(),
        more_profiles: 0,
    };
    let scopes = vec!["sso:account:access".to_string()];
    let key = RegistrationFor {
        session: &session,
        scopes: &scopes,
        grants: &[],
        endpoint: Some(oidc.url()),
    };
    let stale = Registration {
        client_id: "client-from-elsewhere".into(),
        client_secret: Secret::new("s"),
        expires_at: crate::common::now().plus_secs(30 * 86_400),
    };
    save_registration(&home.cache(), &key, &stale);
    let o = run(cmd(&home, &portal, &oidc).args(["login", "--use-device-code"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(oidc.stats().registrations, 1);
    let now = load_registration(&home.cache(), &key).unwrap();
    assert_eq!(now.client_id, "client-1");
}

/// The device flow ends as the service says: a denial is exit 3 with the
/// service's `error_description` (read from the raw answer, as the AWS CLI
/// shows it), an expired code is exit 3 saying so; no token file either way.
#[tokio::test(flavor = "multi_thread")]
async fn device_login_denied_or_expired_says_so_and_writes_nothing() {
    for (opts, said) in [
        (
            OidcOptions {
                deny: true,
                ..OidcOptions::default()
            },
            "The user denied access",
        ),
        (
            OidcOptions {
                device_expires: true,
                ..OidcOptions::default()
            },
            "not confirmed in time",
        ),
    ] {
        let (portal, oidc) = fakes(opts).await;
        let home = Home::new();
        home.with_session("corp");
        let o = run(cmd(&home, &portal, &oidc).args(["login", "--session", "corp"])).await;
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
        assert!(stderr(&o).contains(said), "{}", stderr(&o));
        assert!(
            !home
                .sso_cache()
                .join(format!("{}.json", cache_key("corp")))
                .exists()
        );
    }
}

/// A failed refresh is not tried again for 30 s, by this process or any
/// other (the refresh token here belongs to another client, so the service
/// refuses it, as the real one binds refresh tokens to their client).
#[tokio::test(flavor = "multi_thread")]
async fn a_failed_refresh_waits_30_s_across_processes() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    oidc.accept_refresh_token("r-1", "client-2");
    let home = Home::new();
    home.with_session("corp");
    write_expiring(&home, 86_400);
    let attempts = || oidc.stats().refresh_attempts;
    let o = run(cmd(&home, &portal, &oidc).arg("list")).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!((attempts(), oidc.stats().refreshes), (1, 0));
    for _ in 0..2 {
        let o = run(cmd(&home, &portal, &oidc).arg("list")).await;
        assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    }
    assert_eq!(attempts(), 1, "no new attempt within 30 s");
    let marker = home
        .path()
        .join("xdg-cache/ssopick/locks")
        .join(format!("{}.refresh-failed", cache_key("corp")));
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&marker).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let mut m: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&marker).unwrap()).unwrap();
    m["at"] = (m["at"].as_i64().unwrap() - 31).into();
    std::fs::write(&marker, m.to_string()).unwrap();
    let o = run(cmd(&home, &portal, &oidc).arg("list")).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(attempts(), 2, "tried again after 30 s");
}
