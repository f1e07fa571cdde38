//! Where credentials are used all day without a person at the keyboard:
//! agents (Claude Code's `awsCredentialExport` shape), prompts and status
//! bars (`status`).

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
use std::process::Command;

struct Fx {
    portal: FakePortal,
    home: Home,
    account: String,
    role: String,
}

async fn setup() -> Fx {
    let portal = FakePortal::start(FakeOrg::generated(6, 34), FakeOptions::default())
        .await
        .unwrap();
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    let a = &portal.org().accounts[2];
    let (account, role) = (a.account_id.clone(), a.roles[0].clone());
    Fx {
        portal,
        home,
        account,
        role,
    }
}

impl Fx {
    fn cmd(&self) -> Command {
        self.home.cmd(Some(self.portal.url()))
    }
    /// The session, account and role options for the role under test.
    fn role_args(&self) -> [&str; 6] {
        [
            "--session",
            "corp",
            "--account",
            &self.account,
            "--role",
            &self.role,
        ]
    }
}

/// `export --format claude` prints exactly Claude Code's documented
/// shape, answers from the credential cache once warm (the portal is not
/// asked again), never prompts, and ends with exit 3 and the login command
/// when the session has ended.
#[tokio::test(flavor = "multi_thread")]
async fn claude_export_has_the_documented_shape_and_uses_the_cache() {
    let fx = setup().await;
    let args = [&["export", "--format", "claude"][..], &fx.role_args()].concat();
    let o = run(fx.cmd().args(&args)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let issued = fx.portal.last_issued().unwrap();
    let c = j["Credentials"].as_object().unwrap();
    let mut keys: Vec<&str> = c.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "AccessKeyId",
            "Expiration",
            "SecretAccessKey",
            "SessionToken"
        ]
    );
    assert_eq!(j.as_object().unwrap().len(), 1, "{j}");
    assert_eq!(c["AccessKeyId"], issued.access_key_id);
    let exp = c["Expiration"].as_str().unwrap();
    assert!(
        exp.len() == 20 && exp.ends_with('Z') && exp.as_bytes()[10] == b'T',
        "{exp}"
    );
    let calls = fx.portal.stats().get_credentials;
    let again = run(fx.cmd().args(&args)).await;
    assert_eq!(stdout(&again), stdout(&o), "served from the cache");
    assert_eq!(fx.portal.stats().get_credentials, calls);

    // The same shape for a query that names one role.
    let o = run(fx
        .cmd()
        .args(["export", "--format", "claude", "--session", "corp"])
        .arg(&fx.account)
        .arg(&fx.role))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(j["Credentials"]["SessionToken"].is_string(), "{j}");

    // An ended session: exit 3, the command on stderr, no question asked.
    std::fs::remove_dir_all(fx.home.cache().join("credentials")).unwrap();
    fx.home.write_token("corp", fx.portal.token(), -60);
    let o = run(fx.cmd().args(&args)).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("login"), "{}", stderr(&o));
}

/// `status --json` follows its schema (checked by check-jsonschema):
/// both sessions with their logins, the listed one's snapshot, a running
/// `serve` (registered without its token, gone once it stops), and a
/// `kill -9`'d endpoint's stale entry ignored and removed. `--short` is
/// one line.
#[tokio::test(flavor = "multi_thread")]
async fn status_reports_sessions_snapshots_and_endpoints_by_its_schema() {
    use std::io::BufRead;
    let fx = setup().await;
    fx.home.with_two_sessions(fx.portal.token(), false);
    fx.home.write_token("partner", "old", -60);
    fx.home.take_snapshot(fx.portal.url()).await;
    let run_dir = fx.home.cache().join("run/endpoints");
    std::fs::create_dir_all(&run_dir).unwrap();
    let stale = run_dir.join("2147483600.json");
    std::fs::write(
        &stale,
        r#"{"pid":2147483600,"kind":"serve","session":"corp","account_id":"111111111111","role":"x","port":1,"started_at":"2026-01-01T00:00:00Z","serving":true}"#,
    )
    .unwrap();
    let mut serve = fx
        .cmd()
        .arg("serve")
        .args(fx.role_args())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let token = tokio::task::block_in_place(|| {
        let mut lines = std::io::BufReader::new(serve.stdout.take().unwrap()).lines();
        loop {
            let l = lines.next().unwrap().unwrap();
            if let Some(v) = l.strip_prefix("export AWS_CONTAINER_AUTHORIZATION_TOKEN=") {
                break v.trim_matches('\'').to_string();
            }
        }
    });
    let o = run(fx.cmd().args(["status", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc = stdout(&o);
    let file = fx.home.path().join("status.json");
    std::fs::write(&file, &doc).unwrap();
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/schemas/status.schema.json"
    );
    match Command::new("check-jsonschema")
        .args(["--schemafile", schema])
        .arg(&file)
        .output()
    {
        Ok(c) => assert!(c.status.success(), "{}\n{doc}", stdout(&c)),
        Err(_) => skip_or_fail("check-jsonschema"),
    }
    let j: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let sessions = j["sessions"].as_array().unwrap();
    let by = |n: &str| sessions.iter().find(|s| s["name"] == n).unwrap().clone();
    assert_eq!(by("corp")["logged_in"], true);
    assert_eq!(by("partner")["logged_in"], false);
    let snaps = j["snapshots"].as_array().unwrap();
    assert_eq!(snaps.len(), 1, "{doc}");
    assert_eq!(snaps[0]["accounts"], 6);
    assert_eq!(snaps[0]["complete"], true);
    let eps = j["endpoints"].as_array().unwrap();
    assert_eq!(eps.len(), 1, "the stale entry is ignored: {doc}");
    assert_eq!(eps[0]["pid"], serve.id());
    assert_eq!(eps[0]["account_id"], fx.account.as_str());
    assert_eq!(eps[0]["serving"], true);
    assert!(!stale.exists(), "a dead process's entry is removed");
    for e in std::fs::read_dir(&run_dir).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        assert!(!text.contains(&token), "the register holds the token");
    }
    let o = run(fx.cmd().args(["status", "--short"])).await;
    let line = stdout(&o);
    assert!(
        line.starts_with("corp ") && line.contains("partner expired"),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1);
    // SAFETY: a signal to the child this test spawned.
    unsafe { libc::kill(serve.id() as i32, libc::SIGTERM) };
    tokio::task::block_in_place(|| serve.wait().unwrap());
    let o = run(fx.cmd().args(["status", "--json"])).await;
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(j["endpoints"].as_array().unwrap().is_empty(), "{j}");
}

/// Writes an executable script at `path`.
fn script(path: &std::path::Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// An IDE's `credential_process` with `--login` and no terminal, ten
/// at once, with the session never logged in: one detached login, one
/// browser, one notification (no secret in it), and every caller answered.
/// With no browser to open, it says so at once (exit 3).
#[tokio::test(flavor = "multi_thread")]
async fn credential_process_login_opens_one_browser_for_ten_callers() {
    let (portal, oidc) = crate::login::fakes(ssopick::fake::OidcOptions::default()).await;
    let home = Home::new();
    home.with_session("corp");
    let d = home.path().to_path_buf();
    let browser = d.join("browser.sh");
    script(
        &browser,
        &format!(
            "#!/bin/sh\n{FOLLOW_PAGE}echo x >> '{}/opened'\ncurl -sS -L -o /dev/null \"$u\"\n",
            d.display()
        ),
    );
    script(
        &d.join("bin/notify-send"),
        &format!(
            "#!/bin/sh\nprintf '%s|' \"$@\" >> '{}/notified'\necho >> '{}/notified'\n",
            d.display(),
            d.display()
        ),
    );
    let path = format!(
        "{}:{}",
        d.join("bin").display(),
        std::env::var("PATH").unwrap()
    );
    let mut args: Vec<String> = ["credential-process", "--login", "--session", "corp"]
        .map(String::from)
        .to_vec();
    args.extend(pick_args(&portal.org().accounts[1]));
    let cmd = || {
        let mut c = home.cmd(Some(portal.url()));
        c.env("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url())
            .env("BROWSER", &browser)
            .env("PATH", &path)
            .args(&args);
        c
    };
    let no_browser = run(&mut cmd()).await;
    assert_eq!(no_browser.status.code(), Some(3), "{}", stderr(&no_browser));
    assert!(
        stderr(&no_browser).contains("ssopick login --session corp"),
        "{}",
        stderr(&no_browser)
    );
    assert_eq!(oidc.stats().authorize_requests, 0);
    let callers: Vec<_> = (0..10)
        .map(|_| {
            let mut c = cmd();
            c.env_remove("SSOPICK_NO_BROWSER");
            tokio::task::spawn_blocking(move || c.output().unwrap())
        })
        .collect();
    for c in callers {
        let o = c.await.unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(j["Version"], 1);
    }
    let opened = std::fs::read_to_string(d.join("opened")).unwrap();
    assert_eq!(opened.lines().count(), 1, "browsers opened: {opened:?}");
    assert_eq!(oidc.stats().authorize_requests, 1);
    let notified = std::fs::read_to_string(d.join("notified")).unwrap();
    assert_eq!(notified.lines().count(), 1, "{notified}");
    assert!(
        notified.contains("corp") && !notified.contains(portal.token()),
        "{notified}"
    );
}

/// `profile --style process --login` writes the `--login` line; with
/// another style `--login` is refused.
#[tokio::test(flavor = "multi_thread")]
async fn process_profiles_can_ask_for_the_gui_login() {
    let fx = setup().await;
    let o = run(fx
        .cmd()
        .args(["profile", "--style", "process", "--login"])
        .args(fx.role_args()))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let line = stdout(&o)
        .lines()
        .find(|l| l.starts_with("credential_process = "))
        .unwrap()
        .to_string();
    assert!(
        line.contains(" credential-process --session corp --account ")
            && line.ends_with(" --login"),
        "{line}"
    );
    let o = run(fx.cmd().args(["profile", "--login"]).args(fx.role_args())).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
