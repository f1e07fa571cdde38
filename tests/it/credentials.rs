//! Credential delivery end to end: the built binary against the fake portal
//! over real HTTP; exports evaluated by real shells; credential_process run
//! by a real SDK (botocore).

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal, IssuedCredentials};
use std::process::Command;

struct Setup {
    portal: FakePortal,
    home: Home,
    account: String,
    account_name: String,
    role: String,
}

/// The account name every shell must carry through its quoting as it is.
const HOSTILE_NAME: &str = "it's \"q\" $HOME `x` \\n %PATH% !x";

/// A fake portal and a HOME logged in to it; `hostile`: the account the
/// tests use has a name full of shell metacharacters.
async fn setup(hostile: bool) -> Setup {
    let mut org = FakeOrg::generated(12, 21);
    if hostile {
        HOSTILE_NAME.clone_into(&mut org.accounts[3].account_name);
    }
    let portal = FakePortal::start(org, FakeOptions::default())
        .await
        .unwrap();
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    let a = &portal.org().accounts[3];
    let (account, account_name, role) = (
        a.account_id.clone(),
        a.account_name.clone(),
        a.roles[0].clone(),
    );
    Setup {
        portal,
        home,
        account,
        account_name,
        role,
    }
}

impl Setup {
    fn cmd(&self) -> Command {
        self.home.cmd(Some(self.portal.url()))
    }
    fn pick_args(&self) -> [String; 4] {
        [
            "--account".into(),
            self.account.clone(),
            "--role".into(),
            self.role.clone(),
        ]
    }
    fn issued(&self) -> IssuedCredentials {
        self.portal.last_issued().expect("credentials were issued")
    }
}

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("-c")
        .arg("exit 0")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Evaluates export text in a real shell and returns the variables it set.
fn evaluate(shell: &str, text: &str) -> std::collections::HashMap<String, String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("exports");
    std::fs::write(&file, text).unwrap();
    let f = file.display();
    let script = match shell {
        "fish" => format!("source {f}; env -0"),
        "dotenv" => format!("set -a; . {f}; env -0"),
        _ => format!("eval \"$(cat {f})\"; env -0"),
    };
    let program = if shell == "dotenv" { "bash" } else { shell };
    let out = Command::new(program)
        .arg("-c")
        .arg(script)
        .env("AWS_PROFILE", "stale")
        .env("AWS_DEFAULT_PROFILE", "stale")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{shell}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
        .split(|b| *b == 0)
        .filter_map(|kv| {
            let kv = String::from_utf8_lossy(kv);
            let (k, v) = kv.split_once('=')?;
            Some((k.to_string(), v.to_string()))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_round_trip_through_every_shell_on_the_machine() {
    let s = setup(true).await;
    // With a snapshot, an exact --account/--role also knows the account name.
    s.home.take_snapshot(s.portal.url()).await;
    for (shell, format) in [
        ("bash", "bash"),
        ("zsh", "zsh"),
        ("fish", "fish"),
        ("dotenv", "dotenv"),
    ] {
        if shell != "dotenv" && !have(shell) {
            skip_or_fail("{shell} is not installed");
            continue;
        }
        let o = run(s
            .cmd()
            .arg("export")
            .args(s.pick_args())
            .args(["--format", format])
            .env("AWS_REGION", "eu-west-3"))
        .await;
        if shell == "dotenv" {
            // A name with a quote and `$`: no dotenv quoting reads back the
            // same in python-dotenv and sh, so it is refused by name.
            assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
            assert!(
                stderr(&o).contains("SSOPICK_ACCOUNT_NAME"),
                "{}",
                stderr(&o)
            );
            assert!(stdout(&o).is_empty());
            continue;
        }
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let issued = s.issued();
        assert_eq!(s.account_name, HOSTILE_NAME);
        let env = evaluate(shell, &stdout(&o));
        assert_eq!(env["AWS_ACCESS_KEY_ID"], issued.access_key_id, "{shell}");
        assert_eq!(
            env["AWS_SECRET_ACCESS_KEY"], issued.secret_access_key,
            "{shell}"
        );
        assert_eq!(env["AWS_SESSION_TOKEN"], issued.session_token, "{shell}");
        assert_eq!(env["AWS_REGION"], "eu-west-3");
        assert_eq!(env["AWS_DEFAULT_REGION"], "eu-west-3");
        assert_eq!(env["SSOPICK_ACCOUNT_ID"], s.account);
        assert_eq!(env["SSOPICK_ACCOUNT_NAME"], s.account_name);
        assert_eq!(env["SSOPICK_ROLE_NAME"], s.role);
        assert_eq!(env["SSOPICK_SESSION"], "corp");
        let exp = ssopick::core::time::UtcTime::parse(&env["AWS_CREDENTIAL_EXPIRATION"]).unwrap();
        assert_eq!(
            exp,
            ssopick::core::time::UtcTime::from_millis(issued.expiration_ms)
        );
        if shell != "dotenv" {
            assert!(
                !env.contains_key("AWS_PROFILE") && !env.contains_key("AWS_DEFAULT_PROFILE"),
                "{shell}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn json_export_and_query_selection() {
    let s = setup(false).await;
    let o = run(s
        .cmd()
        .args(["export", &s.account_name, &s.role, "--format", "json"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(j["Version"], 1);
    assert_eq!(j["AccessKeyId"], s.issued().access_key_id);
    // Several matches and no terminal: an error naming them, exit 6.
    let o = run(s.cmd().args(["export", "-"])).await;
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("entries match"));
    // A role the user does not have: exit 5.
    let o = run(s
        .cmd()
        .args(["export", "--account", &s.account, "--role", "NotMine"]))
    .await;
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
    assert!(stderr(&o).contains("no access to role NotMine"));
}

#[tokio::test(flavor = "multi_thread")]
async fn exec_passes_env_exit_codes_and_signals() {
    let s = setup(true).await;
    // Static keys (`--static`); the default, the endpoint, is tested in
    // endpoint.rs.
    let o = run(s.cmd().env("AWS_PROFILE", "stale").args(["exec", "--static"]).args(s.pick_args()).args([
        "--",
        "sh",
        "-c",
        "printf '%s\\n' \"$AWS_SECRET_ACCESS_KEY\" \"${AWS_PROFILE-unset}\"; tr '\\0' ' ' < /proc/$PPID/cmdline; exit 42",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(42), "{}", stderr(&o));
    let out = stdout(&o);
    let issued = s.issued();
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some(issued.secret_access_key.as_str()));
    assert_eq!(lines.next(), Some("unset"));
    let parent_argv = lines.next().unwrap_or_default();
    assert!(parent_argv.contains("exec"), "{parent_argv}");
    assert!(
        !parent_argv.contains(&issued.access_key_id)
            && !parent_argv.contains(&issued.session_token)
    );
    assert!(!stderr(&o).contains(&issued.access_key_id));

    let o = run(s
        .cmd()
        .arg("exec")
        .args(s.pick_args())
        .args(["--", "sh", "-c", "kill -KILL $$"]))
    .await;
    assert_eq!(o.status.code(), Some(137));
    let o = run(s
        .cmd()
        .arg("exec")
        .args(s.pick_args())
        .args(["--", "no-such-command-xyz"]))
    .await;
    assert_eq!(o.status.code(), Some(127));
    // Not executable: 126, as shells say it.
    let plain = s.home.path().join("plain-file");
    std::fs::write(&plain, "not a program\n").unwrap();
    let o = run(s
        .cmd()
        .arg("exec")
        .args(s.pick_args())
        .arg("--")
        .arg(&plain))
    .await;
    assert_eq!(o.status.code(), Some(126), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn shell_runs_shell_reports_and_refuses_to_nest() {
    let s = setup(false).await;
    s.home.take_snapshot(s.portal.url()).await;
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        script.path(),
        "echo \"$SSOPICK_ROLE_NAME:$SSOPICK_SHELL:$AWS_ACCESS_KEY_ID\"; exit 9\n",
    )
    .unwrap();
    let o = run(s
        .cmd()
        .env("SHELL", "/bin/sh")
        .args(["shell", "--static"])
        .args(s.pick_args())
        .stdin(std::fs::File::open(script.path()).unwrap()))
    .await;
    assert_eq!(o.status.code(), Some(9), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        format!("{}:1:{}", s.role, s.issued().access_key_id)
    );
    let err = stderr(&o);
    assert!(
        err.contains(&s.account_name) && err.contains("expire") && err.contains("left the shell"),
        "{err}"
    );

    let o = run(s
        .cmd()
        .env("SSOPICK_SHELL", "1")
        .env("SHELL", "/bin/sh")
        .arg("shell")
        .args(s.pick_args()))
    .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--nest"), "{}", stderr(&o));
    let o = run(s
        .cmd()
        .env("SSOPICK_SHELL", "1")
        .env("SHELL", "/bin/sh")
        .args(["shell", "--nest"])
        .args(s.pick_args())
        .stdin(std::fs::File::open(script.path()).unwrap()))
    .await;
    assert_eq!(o.status.code(), Some(9));
    assert!(stdout(&o).contains(":2:"), "depth 2: {}", stdout(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn credential_process_caches_privately_and_fails_loudly() {
    let s = setup(false).await;
    let args = [
        "credential-process",
        "--session",
        "corp",
        "--account",
        &s.account,
        "--role",
        &s.role,
    ];
    let o = run(s.cmd().args(args)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(j["Version"], 1);
    assert_eq!(j["AccessKeyId"], s.issued().access_key_id);
    assert!(ssopick::core::time::UtcTime::parse(j["Expiration"].as_str().unwrap()).is_some());
    let calls = s.portal.stats().get_credentials;

    let o = run(s.cmd().args(args)).await;
    assert_eq!(stdout(&o).trim(), j.to_string(), "served from the cache");
    assert_eq!(s.portal.stats().get_credentials, calls);
    let files: Vec<_> = std::fs::read_dir(s.home.cache().join("credentials"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let o = run(s.cmd().args(args).arg("--no-cache")).await;
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(s.portal.stats().get_credentials, calls + 1);

    // Expired SSO token, cold cache: error on stderr, nothing on stdout, exit 3.
    std::fs::remove_file(&files[0]).unwrap();
    s.home.write_token("corp", s.portal.token(), -60);
    let o = run(s.cmd().args(args)).await;
    assert_eq!(o.status.code(), Some(3));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("aws sso login --sso-session corp"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn botocore_resolves_a_credential_process_profile() {
    let probe = Command::new("python3")
        .args(["-c", "import botocore"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        skip_or_fail("python3 with botocore is not available");
        return;
    }
    let s = setup(false).await;
    let exe = env!("CARGO_BIN_EXE_ssopick");
    let mut cfg = std::fs::read_to_string(s.home.config_path()).unwrap();
    cfg.push_str(&format!(
        "\n[profile picked]\ncredential_process = {exe} credential-process --session corp --account {} --role {}\nregion = eu-west-1\n",
        s.account, s.role
    ));
    s.home.write_config(&cfg);
    let py = "import botocore.session\n\
              c = botocore.session.Session(profile='picked').get_credentials().get_frozen_credentials()\n\
              print(c.access_key); print(c.secret_key); print(c.token)";
    // python3 with the same environment ssopick gets in the other tests.
    let base = s.cmd();
    let mut py_cmd = Command::new("python3");
    py_cmd.env_clear().args(["-c", py]);
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            py_cmd.env(k, v);
        }
    }
    py_cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
    let o = run(&mut py_cmd).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let issued = s.issued();
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        vec![
            issued.access_key_id.as_str(),
            &issued.secret_access_key,
            &issued.session_token
        ]
    );
}

/// Cached credentials belong to the login that fetched them: after the token
/// file is gone (`aws sso logout`), credential-process gives none. (That a
/// different token never reuses them is unit-tested in `edge::credcache`.)
#[tokio::test(flavor = "multi_thread")]
async fn cached_credentials_end_with_their_login() {
    let s = setup(false).await;
    let args = [
        "credential-process",
        "--session",
        "corp",
        "--account",
        s.account.as_str(),
        "--role",
        s.role.as_str(),
    ];
    let o = run(s.cmd().args(args)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let calls = s.portal.stats().get_credentials;
    let o = run(s.cmd().args(args)).await;
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        s.portal.stats().get_credentials,
        calls,
        "served from the cache"
    );
    // Logged out behind ssopick's back: no credentials, cached or not.
    let token = s.home.sso_cache().join(format!(
        "{}.json",
        ssopick::core::sso::token::cache_key("corp")
    ));
    std::fs::remove_file(&token).unwrap();
    let o = run(s.cmd().args(args)).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    // Logged in again: credentials again.
    s.home.write_token("corp", s.portal.token(), 3600);
    let o = run(s.cmd().args(args)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// `--role billing` where the portal calls it `Billing`: role names are
/// case-sensitive to GetRoleCredentials (a 403), so the snapshot's
/// spelling is used and the user is told; credential-process too.
#[tokio::test(flavor = "multi_thread")]
async fn a_role_named_in_the_wrong_case_is_corrected_from_the_snapshot() {
    let (portal, home) = logged_in(4, 11, FakeOptions::default()).await;
    home.take_snapshot(portal.url()).await;
    let a = &portal.org().accounts[1];
    let lower = a.roles[0].to_lowercase();
    assert_ne!(lower, a.roles[0], "the fixture's role names have capitals");
    for sub in ["export", "credential-process"] {
        let o = run(home.cmd(Some(portal.url())).args([
            sub,
            "--account",
            &a.account_id,
            "--role",
            &lower,
        ]))
        .await;
        assert_eq!(o.status.code(), Some(0), "{sub}: {}", stderr(&o));
        assert!(
            stderr(&o).contains(&format!("using {}", a.roles[0])),
            "{}",
            stderr(&o)
        );
    }
    let o = run(home.cmd(Some(portal.url())).args([
        "export",
        "--account",
        &a.account_id,
        "--role",
        "NoSuchRoleAnywhere",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(5), "{}", stderr(&o));
}

/// A portal that hangs: credential-process fails within its --timeout
/// (30 s by default), not after minutes of retries.
#[tokio::test(flavor = "multi_thread")]
async fn credential_process_gives_up_at_its_timeout() {
    let (portal, home) = logged_in(3, 12, FakeOptions::default()).await;
    portal.inject(
        ssopick::fake::Fault::Hang(std::time::Duration::from_mins(1)),
        100,
    );
    let a = &portal.org().accounts[0];
    let t = std::time::Instant::now();
    let o = run(home
        .cmd(Some(portal.url()))
        .env("SSOPICK_HTTP_TIMEOUT", "20")
        .args(["credential-process", "--timeout", "2"])
        .args(pick_args(a)))
    .await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    assert!(stderr(&o).contains("within 2 s"), "{}", stderr(&o));
    assert!(
        t.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        t.elapsed()
    );
}
