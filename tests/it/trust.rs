//! Trust, part 1: hostile values stay out. Credentials of any shape but
//! AWS's are never written, printed or served (exit 8), whichever way they
//! were to leave.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
use std::process::Command;

/// A portal whose keys carry an INI section in the session token.
async fn injecting_portal() -> (FakePortal, Home) {
    let opts = FakeOptions {
        fixed_credentials: Some([
            "ASIAQWERTYUIOP123456".into(),
            "abcdEFGH/+=1234567890abcdEFGH".into(),
            "IQoJb3JpZ2luX2Vj\n[default]\ncredential_process = sh -c 'touch /tmp/ssopick-pwned-ini'\n".into(),
        ]),
        ..FakeOptions::default()
    };
    let (portal, home) = logged_in_to(FakeOrg::generated(6, 3), opts).await;
    home.take_snapshot(portal.url()).await;
    (portal, home)
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_credentials_are_never_written_printed_or_served() {
    let (portal, home) = injecting_portal().await;
    let a = &portal.org().accounts[0];
    let pick = pick_args(a);
    let creds = home.path().join(".aws/credentials");
    let cases: [&[&str]; 6] = [
        &["profile", "--style", "static", "--write"],
        &["export"],
        &["export", "--format", "dotenv"],
        &["credential-process"],
        &["exec", "--static", "--", "true"],
        &["exec", "--", "true"],
    ];
    for args in cases {
        let (sub, rest) = args.split_first().unwrap();
        let o = run(home.cmd(Some(portal.url())).arg(sub).args(&pick).args(rest)).await;
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(8), "{args:?}: {err}");
        assert!(err.contains("malformed credentials"), "{args:?}: {err}");
        assert!(
            !err.contains("IQoJ") && !err.contains("credential_process ="),
            "{err}"
        );
        assert!(!stdout(&o).contains("IQoJ"), "{args:?} printed the token");
    }
    assert!(!creds.exists(), "nothing written to ~/.aws/credentials");
    // A real SDK reading the files finds no injected profile.
    if Command::new("python3")
        .args(["-c", "import botocore"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let o = Command::new("python3")
            .args([
                "-c",
                "import botocore.session\ns = botocore.session.Session()\nprint(sorted(s.full_config['profiles']))\nprint(s.get_scoped_config().get('credential_process'))",
            ])
            .env("HOME", home.path())
            .env_remove("AWS_PROFILE")
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains("None"), "botocore sees {out}");
    } else {
        skip_or_fail("python3 with botocore");
    }
    assert!(!std::path::Path::new("/tmp/ssopick-pwned-ini").exists());
    // The same through the flag that hands out quote-laden secrets.
    let (portal, home) = logged_in_to(
        FakeOrg::generated(6, 3),
        FakeOptions {
            hostile_secrets: true,
            ..FakeOptions::default()
        },
    )
    .await;
    let o = run(home
        .cmd(Some(portal.url()))
        .arg("export")
        .args(pick_args(&portal.org().accounts[1])))
    .await;
    assert_eq!(o.status.code(), Some(8), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
}

/// A running `ssopick serve`: its endpoint, and the child.
struct Serve {
    child: std::process::Child,
    addr: String,
    token: String,
}

impl Serve {
    fn start(home: &Home, portal: &FakePortal) -> Serve {
        use std::io::BufRead;
        let a = &portal.org().accounts[2];
        let mut child = home
            .cmd(Some(portal.url()))
            .args(["serve", "--account", &a.account_id, "--role", &a.roles[0]])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut url, mut token) = (String::new(), String::new());
        while url.is_empty() || token.is_empty() {
            let l = lines.next().unwrap().unwrap();
            if let Some((k, v)) = l.strip_prefix("export ").and_then(|l| l.split_once('=')) {
                let v = v.trim_matches('\'').to_string();
                match k {
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI" => url = v,
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN" => token = v,
                    _ => {}
                }
            }
        }
        let addr = url
            .strip_prefix("http://")
            .and_then(|u| u.split('/').next())
            .unwrap()
            .to_string();
        Serve { child, addr, token }
    }

    /// One GET of the endpoint: (status, body).
    fn get(&self) -> (u16, String) {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        write!(
            s,
            "GET /ssopick/credentials HTTP/1.1\r\nHost: {}\r\nAuthorization: {}\r\nConnection: close\r\n\r\n",
            self.addr, self.token
        )
        .unwrap();
        let mut text = String::new();
        s.read_to_string(&mut text).unwrap();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let body = text
            .split("\r\n\r\n")
            .nth(1)
            .unwrap_or_default()
            .to_string();
        (status, body)
    }

    /// Polls until `want` answers, for at most `secs`; the time it took.
    fn until(&self, secs: u64, want: impl Fn(u16, &str) -> bool) -> Duration {
        let t0 = std::time::Instant::now();
        loop {
            let (status, body) = self.get();
            if want(status, &body) {
                return t0.elapsed();
            }
            assert!(
                t0.elapsed() < Duration::from_secs(secs),
                "no such answer within {secs} s; last: {status} {body}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

use std::time::Duration;

#[tokio::test(flavor = "multi_thread")]
async fn logout_stops_a_running_serve_and_a_new_login_restarts_it() {
    let (portal, home) = logged_in_to(FakeOrg::generated(6, 3), FakeOptions::default()).await;
    let token_file = home.write_token("corp", portal.token(), 3600);
    let serve = tokio::task::block_in_place(|| Serve::start(&home, &portal));
    tokio::task::block_in_place(|| assert_eq!(serve.get().0, 200));
    let o = run(home.cmd(Some(portal.url())).arg("logout")).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    tokio::task::block_in_place(|| {
        let took = serve.until(2, |s, b| s == 503 && b.contains("\"LoggedOut\""));
        assert!(took <= Duration::from_secs(2), "{took:?}");
        // Nothing re-creates the token file.
        std::thread::sleep(Duration::from_secs(2));
        assert!(!token_file.exists(), "the token file came back");
        assert_eq!(serve.get().0, 503);
    });
    // A new login (any tool writes the file): serving again.
    portal.accept_only("the-next-login");
    home.write_token("corp", "the-next-login", 3600);
    tokio::task::block_in_place(|| {
        serve.until(10, |s, b| s == 200 && b.contains("AccessKeyId"));
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_login_heals_a_serve_whose_session_ended() {
    let (portal, home) = logged_in_to(
        FakeOrg::generated(6, 3),
        FakeOptions {
            credential_ttl: Duration::from_secs(4),
            ..FakeOptions::default()
        },
    )
    .await;
    let serve = tokio::task::block_in_place(|| Serve::start(&home, &portal));
    tokio::task::block_in_place(|| assert_eq!(serve.get().0, 200));
    // The session ends: the portal refuses the old token from now on.
    portal.accept_only("a-new-login-token");
    tokio::task::block_in_place(|| {
        serve.until(15, |s, b| s == 503 && b.contains("SessionExpired"));
    });
    // `ssopick login` (or `aws sso login`) writes the new token.
    home.write_token("corp", "a-new-login-token", 3600);
    tokio::task::block_in_place(|| {
        let took = serve.until(10, |s, b| s == 200 && b.contains("AccessKeyId"));
        assert!(took <= Duration::from_secs(10), "{took:?}");
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_writes_a_private_env_file_and_removes_it() {
    use std::os::unix::fs::PermissionsExt;
    let (portal, home) = logged_in_to(FakeOrg::generated(6, 3), FakeOptions::default()).await;
    let a = &portal.org().accounts[2];
    let file = home.path().join("serve-env");
    let args = |extra: &[&str]| {
        let mut c = home.cmd(Some(portal.url()));
        c.args(["serve", "--account", &a.account_id, "--role", &a.roles[0]])
            .args(extra)
            .env(
                "AWS_REGION",
                "eu-west-3'; touch /tmp/ssopick-region-pwned; '",
            );
        c
    };
    let child = args(&["--env-file", file.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let text = tokio::task::block_in_place(|| {
        wait_file_until(&file, |t| t.contains("AWS_DEFAULT_REGION"))
    });
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // Every value quoted; the hostile region ignored for the session's own.
    for l in text.lines().filter(|l| l.starts_with("export ")) {
        let (_, v) = l.split_once('=').unwrap();
        assert!(v.starts_with('\'') && v.ends_with('\''), "{l}");
    }
    assert!(text.contains("export AWS_REGION='us-east-1'"), "{text}");
    let o = Command::new("sh")
        .args([
            "-c",
            &format!(". '{}' && echo \"$AWS_REGION\"", file.display()),
        ])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "us-east-1");
    assert!(!std::path::Path::new("/tmp/ssopick-region-pwned").exists());
    // A second serve never writes over it...
    let o = run(&mut args(&["--env-file", file.to_str().unwrap()])).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    // ... nor through a symlink planted where it goes.
    let link = home.path().join("planted");
    std::os::unix::fs::symlink(home.path().join("victim"), &link).unwrap();
    let o = run(&mut args(&["--env-file", link.to_str().unwrap()])).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!home.path().join("victim").exists());
    // SIGTERM: the file is removed, and the warning about the region was
    // said once.
    // SAFETY: a signal to the child this test spawned.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = tokio::task::block_in_place(|| child.wait_with_output().unwrap());
    assert_eq!(out.status.code(), Some(0));
    assert!(!file.exists(), "the env file outlived serve");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("ignoring the region from AWS_REGION").count(),
        1,
        "{err}"
    );
    assert!(
        !stdout(&out).contains("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        "no token on stdout"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_warns_when_its_lines_go_to_a_file_others_can_read() {
    use std::os::unix::fs::PermissionsExt;
    let (portal, home) = logged_in_to(FakeOrg::generated(6, 3), FakeOptions::default()).await;
    let a = &portal.org().accounts[2];
    let out = home.path().join("redirected");
    let f = std::fs::File::create(&out).unwrap();
    f.set_permissions(std::fs::Permissions::from_mode(0o644))
        .unwrap();
    let child = home
        .cmd(Some(portal.url()))
        .args(["serve", "--account", &a.account_id, "--role", &a.roles[0]])
        .stdout(f)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    tokio::task::block_in_place(|| wait_file_until(&out, |t| t.contains("AWS_DEFAULT_REGION")));
    // SAFETY: a signal to the child this test spawned.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let o = tokio::task::block_in_place(|| child.wait_with_output().unwrap());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("other users can read") && err.contains("--env-file"),
        "{err}"
    );
}

/// A portal that cycles between two page tokens, for accounts and roles.
#[tokio::test(flavor = "multi_thread")]
async fn alternating_page_tokens_end_the_listing_cut() {
    let (portal, home) = logged_in_to(
        FakeOrg::generated(3, 8),
        FakeOptions {
            alternate_page_tokens: true,
            ..FakeOptions::default()
        },
    )
    .await;
    let o = tokio::time::timeout(
        Duration::from_mins(1),
        run(home.cmd(Some(portal.url())).arg("list")),
    )
    .await
    .expect("the listing ends");
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    assert!(stderr(&o).contains("cut short"), "{}", stderr(&o));
    let s = portal.stats();
    assert!(s.requests < 100, "{s:?}");
}

/// Names AWS would never send are skipped and make the catalog
/// incomplete; an answer over 16 MiB is refused.
#[tokio::test(flavor = "multi_thread")]
async fn over_long_names_are_skipped_and_huge_answers_refused() {
    let (portal, home) = logged_in_to(
        FakeOrg::generated(5, 8),
        FakeOptions {
            oversized_name: Some(300),
            ..FakeOptions::default()
        },
    )
    .await;
    let o = run(home.cmd(Some(portal.url())).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["accountName"].as_str().unwrap().len() < 300)
    );
    assert!(
        stderr(&o).contains("rows AWS would never send"),
        "{}",
        stderr(&o)
    );
    let (portal, home) = logged_in_to(
        FakeOrg::generated(5, 8),
        FakeOptions {
            oversized_name: Some(17 * 1024 * 1024),
            ..FakeOptions::default()
        },
    )
    .await;
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("16 MiB"), "{}", stderr(&o));
}

/// `payments-pro\u{200b}d` looks like `payments-prod`: it is production,
/// and wherever its name is shown the zero-width space shows.
#[tokio::test(flavor = "multi_thread")]
async fn a_zero_width_production_name_is_production_and_shows() {
    let org = FakeOrg {
        accounts: vec![
            fake_account("111111111111", "payments-pro\u{200b}d", &["Admin"]),
            fake_account("222222222222", "payments-dev", &["Admin"]),
        ],
    };
    let (portal, home) = logged_in_to(org, FakeOptions::default()).await;
    std::fs::create_dir_all(home.path().join("xdg-config/ssopick")).unwrap();
    std::fs::write(
        home.path().join("xdg-config/ssopick/config.toml"),
        "[production]\npatterns = [\"*-prod\"]\n\n[[account]]\nmatch = \"*-prod\"\ntags = [\"live\"]\n",
    )
    .unwrap();
    home.take_snapshot(portal.url()).await;
    // The production confirmation is asked (refused off a terminal).
    let o = run(home.cmd(Some(portal.url())).args([
        "exec",
        "--account",
        "111111111111",
        "--role",
        "Admin",
        "--",
        "true",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("production account"), "{}", stderr(&o));
    // tag: applies as to the name without it.
    let o = run(home.cmd(Some(portal.url())).args(["list", "tag:live"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Shown as \u{200b} in list, errors and completion.
    assert!(
        stdout(&o).contains("payments-pro\\u{200b}d"),
        "{}",
        stdout(&o)
    );
    let o = run(home.cmd(Some(portal.url())).args(["export", "payments"])).await;
    assert_eq!(o.status.code(), Some(6));
    assert!(
        stderr(&o).contains("payments-pro\\u{200b}d"),
        "{}",
        stderr(&o)
    );
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["__complete", "account", "--", "payments-pro"]))
    .await;
    assert!(
        stdout(&o).contains("payments-pro\\u{200b}d"),
        "{}",
        stdout(&o)
    );
    // Typed back as shown, it names that account.
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["export", "payments-pro\\u{200b}d", "Admin"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(portal.last_issued().unwrap().account_id, "111111111111");
    // And the plain name names no account at all.
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["export", "payments-prod", "Admin"]))
    .await;
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
}
