//! The browser login (authorization code with PKCE) end to end: the real
//! binary and the real aws-sdk-ssooidc client against the project's fake
//! OIDC, with a scripted "browser" ($BROWSER) that follows the redirect to
//! ssopick's loopback callback the way a browser does.

use crate::common::*;
use crate::login::fakes;
use ssopick::core::sso::token::cache_key;
use ssopick::fake::{FakeOidc, FakePortal, OidcOptions};
use std::path::PathBuf;
use std::process::Command;

const DUAL_STACK: &str = "https://ssoins-7223abcd12345678.portal.eu-west-1.app.aws";

/// A "browser": records the URL it was given, then follows the redirects
/// with curl and keeps the page it lands on.
fn browser(home: &Home, body: &str) -> PathBuf {
    let p = home.path().join("browser.sh");
    let dir = home.path().display();
    std::fs::write(
        &p,
        format!("#!/bin/sh\n{FOLLOW_PAGE}echo \"$u\" > '{dir}/browser-url'\n{body}\n"),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    p
}

const FOLLOW: &str =
    "curl -sS -L -o \"$(dirname \"$0\")/page.html\" \"$u\" 2>\"$(dirname \"$0\")/curl.err\"";

fn cmd(home: &Home, portal: &FakePortal, oidc: &FakeOidc, browser: &PathBuf) -> Command {
    let mut c = home.cmd(Some(portal.url()));
    c.env("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url())
        .env_remove("SSOPICK_NO_BROWSER")
        .env_remove("SSH_CONNECTION")
        .env_remove("SSH_TTY")
        .env("BROWSER", browser);
    c
}

fn token_file_exists(home: &Home, session: &str) -> bool {
    home.sso_cache()
        .join(format!("{}.json", cache_key(session)))
        .exists()
}

fn has_curl() -> bool {
    let ok = Command::new("curl")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        skip_or_fail("curl (the scripted browser)");
    }
    ok
}

/// From a fresh HOME: `login --start-url` with a dual-stack start URL sets
/// the session up, registers a PKCE client as the AWS CLI does, sends the
/// browser to /authorize, takes the code at the loopback callback, and
/// writes the AWS CLI's token file; the session then lists. A second
/// login reuses the registration; a device-code login never does.
#[tokio::test(flavor = "multi_thread")]
async fn browser_login_with_pkce_from_nothing() {
    if !has_curl() {
        return;
    }
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let home = Home::new();
    let b = browser(&home, FOLLOW);
    let o = run(cmd(&home, &portal, &oidc, &b).args([
        "login",
        "--start-url",
        DUAL_STACK,
        "--sso-region",
        "eu-west-1",
        "--session",
        "corp",
    ]))
    .await;
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("in the browser"), "{err}");
    let stats = oidc.stats();
    assert_eq!(
        (stats.authorize_requests, stats.code_grants, stats.polls),
        (1, 1, 0)
    );
    let clients = oidc.registered_clients();
    assert_eq!(clients.len(), 1);
    assert_eq!(
        clients[0].grant_types,
        ["authorization_code", "refresh_token"]
    );
    assert_eq!(
        clients[0].redirect_uris,
        ["http://127.0.0.1/oauth/callback"]
    );
    assert_eq!(clients[0].issuer_url.as_deref(), Some(DUAL_STACK));
    let url = std::fs::read_to_string(home.path().join("browser-url")).unwrap();
    assert!(url.starts_with(&format!("{}/authorize?response_type=code&client_id=client-1&redirect_uri=http%3A%2F%2F127.0.0.1%3A", oidc.url())), "{url}");
    assert!(
        url.contains("&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge="),
        "{url}"
    );
    let page = browser_page(&home);
    assert!(page.contains("close this tab"), "{page}");
    // The browser's argv was a private page: no state, no challenge.
    let argv = std::fs::read_to_string(home.path().join("argv")).unwrap();
    assert!(
        argv.starts_with("file://")
            && !argv.contains("state=")
            && !argv.contains("code_challenge="),
        "{argv}"
    );

    let tf = home.sso_cache().join(format!("{}.json", cache_key("corp")));
    let t: serde_json::Value = serde_json::from_slice(&std::fs::read(&tf).unwrap()).unwrap();
    assert_eq!(t["accessToken"], portal.token());
    assert_eq!(t["startUrl"], DUAL_STACK);
    assert_eq!(t["region"], "eu-west-1");
    assert_eq!(t["clientId"], "client-1");
    assert!(
        t["refreshToken"]
            .as_str()
            .is_some_and(|r| r.starts_with("refresh-code-"))
    );
    assert!(!err.contains(portal.token()));

    let o = run(cmd(&home, &portal, &oidc, &b).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(rows.len(), portal.org().role_count());

    // Logged in: nothing to do, unless --force.
    let o = run(cmd(&home, &portal, &oidc, &b).arg("login")).await;
    assert!(stderr(&o).contains("already logged in"), "{}", stderr(&o));
    let o = run(cmd(&home, &portal, &oidc, &b).args(["login", "--force"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(oidc.stats().code_grants, 2);
    assert_eq!(
        oidc.registered_clients().len(),
        1,
        "the registration is reused"
    );
    // A device-code login registers its own client, without grant types.
    let o =
        run(cmd(&home, &portal, &oidc, &b).args(["login", "--force", "--use-device-code"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let clients = oidc.registered_clients();
    assert_eq!(clients.len(), 2);
    assert!(clients[1].grant_types.is_empty());
    // And the browser login after it still uses its own registration.
    let o = run(cmd(&home, &portal, &oidc, &b).args(["login", "--force"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(oidc.registered_clients().len(), 2);
    assert_eq!(oidc.stats().code_grants, 3);
}

/// A denied consent comes back as `error=access_denied`: exit 3, said
/// clearly, and the browser's page says so too.
#[tokio::test(flavor = "multi_thread")]
async fn a_denied_browser_login_is_a_clear_error() {
    if !has_curl() {
        return;
    }
    let (portal, oidc) = fakes(OidcOptions {
        deny: true,
        ..OidcOptions::default()
    })
    .await;
    let home = Home::new();
    home.with_session("corp");
    let b = browser(&home, FOLLOW);
    let o = run(cmd(&home, &portal, &oidc, &b).arg("login")).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("denied"), "{}", stderr(&o));
    let page = browser_page(&home);
    assert!(page.contains("did not complete"), "{page}");
    assert!(!token_file_exists(&home, "corp"));
}

/// `--redirect-port` fixes the callback port (for `ssh -L`); a busy port
/// is a clear error naming the way out.
#[tokio::test(flavor = "multi_thread")]
async fn a_fixed_redirect_port_is_used_and_a_busy_one_is_explained() {
    if !has_curl() {
        return;
    }
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let home = Home::new();
    home.with_session("corp");
    let b = browser(&home, FOLLOW);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let o =
        run(cmd(&home, &portal, &oidc, &b).args(["login", "--redirect-port", &port.to_string()]))
            .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let url = std::fs::read_to_string(home.path().join("browser-url")).unwrap();
    assert!(
        url.contains(&format!("127.0.0.1%3A{port}%2Foauth%2Fcallback")),
        "{url}"
    );

    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port();
    let o = run(cmd(&home, &portal, &oidc, &b).args([
        "login",
        "--force",
        "--redirect-port",
        &port.to_string(),
    ]))
    .await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--use-device-code"), "{}", stderr(&o));
}

/// Over SSH with no $BROWSER and no fixed port, the redirect could never
/// reach this machine: the device code is used, and the user is told why.
#[tokio::test(flavor = "multi_thread")]
async fn over_ssh_without_a_browser_the_device_code_is_used() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let home = Home::new();
    home.with_session("corp");
    let mut c = home.cmd(Some(portal.url()));
    c.env("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url())
        .env_remove("SSOPICK_NO_BROWSER")
        .env_remove("BROWSER")
        .env("SSH_CONNECTION", "10.0.0.1 50000 10.0.0.2 22");
    let o = run(c.arg("login")).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("device code"), "{}", stderr(&o));
    assert_eq!(oidc.stats().authorize_requests, 0);
    assert_eq!(oidc.stats().polls, 1);
}

/// Ctrl-C while waiting for the browser: exit 130, nothing written.
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_while_waiting_for_the_browser_stops_cleanly() {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let home = Home::new();
    home.with_session("corp");
    let b = browser(&home, "true");
    let log = home.path().join("stderr.txt");
    let mut c = cmd(&home, &portal, &oidc, &b);
    c.arg("login").stderr(std::fs::File::create(&log).unwrap());
    let mut child = c.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("waiting for the browser")
    {
        assert!(std::time::Instant::now() < deadline, "no prompt");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let status = tokio::task::block_in_place(|| child.wait().unwrap());
    assert_eq!(
        status.code(),
        Some(130),
        "{}",
        std::fs::read_to_string(&log).unwrap()
    );
    assert!(
        std::fs::read_to_string(&log)
            .unwrap()
            .contains("login stopped")
    );
    assert!(!token_file_exists(&home, "corp"));
}

/// `ssopick configure` on a terminal: the start URL, the region (the
/// dual-stack URL's own as the default), a session name; a bad answer is
/// asked again; the block is added; the login is offered and runs.
#[tokio::test(flavor = "multi_thread")]
async fn configure_asks_sets_up_and_logs_in() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    if !has_curl() {
        return;
    }
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let home = Home::new();
    let b = browser(&home, FOLLOW);
    let body = format!(
        "export AWS_ENDPOINT_URL_SSO_OIDC='{oidc}'\nunset SSOPICK_NO_BROWSER\nexport BROWSER='{b}'\n{exe} configure; echo $? > '{rc}'\nsleep 60\n",
        oidc = oidc.url(),
        b = b.display(),
        exe = env!("CARGO_BIN_EXE_ssopick"),
        rc = home.path().join("rc").display(),
    );
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 120, 30);
    tokio::task::block_in_place(|| {
        t.wait_for("the URL question", |s| s.contains("SSO start URL"));
        t.literal("not-a-url");
        t.keys(&["Enter"]);
        t.wait_for("the question again", |s| {
            s.matches("SSO start URL").count() == 2
        });
        t.literal(DUAL_STACK);
        t.keys(&["Enter"]);
        t.wait_for("the region question", |s| {
            s.contains("SSO region [eu-west-1]")
        });
        t.keys(&["Enter"]);
        t.wait_for("the name question", |s| {
            s.contains("Session name [ssoins-7223abcd12345678]")
        });
        t.literal("work");
        t.keys(&["Enter"]);
        t.wait_for("the login offer", |s| {
            s.contains("Log in to work now? [Y/n]")
        });
        t.keys(&["Enter"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "0", "{}", t.capture());
    let cfg = std::fs::read_to_string(home.config_path()).unwrap();
    assert!(
        cfg.contains(&format!(
            "[sso-session work]\nsso_start_url = {DUAL_STACK}\nsso_region = eu-west-1\n"
        )),
        "{cfg}"
    );
    assert_eq!(oidc.stats().code_grants, 1);
    assert!(token_file_exists(&home, "work"));
}

/// Ctrl-C at a `configure` question: a new line, "cancelled", exit 130,
/// and nothing written.
#[tokio::test(flavor = "multi_thread")]
async fn ctrl_c_in_configure_cancels_cleanly() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let home = Home::new();
    let body = format!(
        // (The script survives the Ctrl-C, as an interactive shell would.)
        "trap ':' INT\n{exe} configure; echo $? > '{rc}'\nsleep 60\n",
        exe = env!("CARGO_BIN_EXE_ssopick"),
        rc = home.path().join("rc").display(),
    );
    let t = Tmux::start(&home.script(None, &body), 120, 30);
    tokio::task::block_in_place(|| {
        t.wait_for("the URL question", |s| s.contains("SSO start URL"));
        t.literal("https://d-12");
        t.keys(&["C-c"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "130", "{}", t.capture());
    let screen = t.wait_for("the cancel message", |s| s.contains("ssopick: cancelled"));
    assert!(
        screen
            .lines()
            .any(|l| l.trim_start().starts_with("ssopick: cancelled")),
        "{screen}"
    );
    assert!(!home.config_path().exists());
}

/// The page the stand-in browser saved: curl may still be writing it when
/// ssopick has already answered.
fn browser_page(home: &Home) -> String {
    wait_file_until(&home.path().join("page.html"), |s| s.contains("terminal"))
}
