//! Test helpers: a throwaway HOME with AWS config and token cache, and the
//! built ssopick binary pointed at a fake portal by AWS_ENDPOINT_URL_SSO.

use ssopick::core::sso::token::cache_key;
use ssopick::core::time::UtcTime;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) struct Home {
    pub dir: tempfile::TempDir,
}

pub(crate) const URL: &str = "https://d-abc123.awsapps.com/start";

impl Home {
    pub(crate) fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }
    pub(crate) fn config_path(&self) -> PathBuf {
        self.path().join(".aws/config")
    }
    pub(crate) fn sso_cache(&self) -> PathBuf {
        self.path().join(".aws/sso/cache")
    }
    pub(crate) fn cache(&self) -> PathBuf {
        self.path().join("xdg-cache/ssopick")
    }
    pub(crate) fn write_config(&self, text: &str) {
        std::fs::create_dir_all(self.path().join(".aws")).unwrap();
        std::fs::write(self.config_path(), text).unwrap();
    }
    /// A config with one `[sso-session NAME]` and one profile using it.
    pub(crate) fn with_session(&self, name: &str) {
        self.write_config(&format!(
            "[profile dev]\nsso_session = {name}\nsso_account_id = 111111111111\nsso_role_name = Dev\nregion = eu-west-1\n\n\
             [sso-session {name}]\nsso_start_url = {URL}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
        ));
    }
    /// Writes a token file named after `key_source` (a session name or URL).
    pub(crate) fn write_token(
        &self,
        key_source: &str,
        token: &str,
        expires_in_secs: i64,
    ) -> PathBuf {
        std::fs::create_dir_all(self.sso_cache()).unwrap();
        let exp = now().plus_secs(expires_in_secs).to_rfc3339();
        let p = self
            .sso_cache()
            .join(format!("{}.json", cache_key(key_source)));
        std::fs::write(
            &p,
            format!(r#"{{"startUrl":"{URL}","region":"us-east-1","accessToken":"{token}","expiresAt":"{exp}"}}"#),
        )
        .unwrap();
        p
    }
    pub(crate) fn cmd(&self, endpoint: Option<&str>) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ssopick"));
        for (k, _) in std::env::vars() {
            if k.starts_with("AWS_") || k.starts_with("XDG_") || k.starts_with("SSOPICK_") {
                c.env_remove(k);
            }
        }
        c.env("HOME", self.path())
            .env("XDG_CACHE_HOME", self.path().join("xdg-cache"))
            .env("XDG_STATE_HOME", self.path().join("xdg-state"))
            .env("XDG_CONFIG_HOME", self.path().join("xdg-config"))
            .env("SSOPICK_HTTP_TIMEOUT", "3")
            .env("NO_COLOR", "1")
            .env("SSOPICK_NO_BROWSER", "1")
            .stdin(std::process::Stdio::null());
        // No controlling terminal: the picker must never open on the
        // terminal of whoever runs the tests.
        #[cfg(unix)]
        unsafe {
            use std::os::unix::process::CommandExt;
            c.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
        if let Some(e) = endpoint {
            c.env("AWS_ENDPOINT_URL_SSO", e);
        }
        c
    }
}

/// Runs a command while the in-process fake keeps serving on other workers
/// (tests use the multi-thread runtime).
pub(crate) async fn run(c: &mut Command) -> Output {
    tokio::task::block_in_place(|| c.output().unwrap())
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

impl Home {
    /// `program` with the environment `cmd(endpoint)` gives ssopick (for a
    /// copy of the binary, or a wrapper that runs it).
    pub(crate) fn cmd_of(&self, program: &std::ffi::OsStr, endpoint: Option<&str>) -> Command {
        let mut c = Command::new(program);
        for (k, v) in self.cmd(endpoint).get_envs() {
            match v {
                Some(v) => c.env(k, v),
                None => c.env_remove(k),
            };
        }
        c
    }

    /// A shell script that sets this HOME's environment (as `cmd` would)
    /// and runs `body`, for programs started inside tmux.
    pub(crate) fn script(&self, endpoint: Option<&str>, body: &str) -> PathBuf {
        let mut text = String::from("#!/bin/sh\n");
        for (k, v) in self.cmd(endpoint).get_envs() {
            if let (Some(k), Some(Some(v))) = (k.to_str(), v.map(|v| v.to_str())) {
                text.push_str(&format!("export {k}='{v}'\n"));
            }
        }
        text.push_str("unset NO_COLOR\n");
        text.push_str(body);
        let p = self.path().join(format!(
            "script-{}.sh",
            std::process::id() as u64 * 1000 + rand_suffix()
        ));
        std::fs::write(&p, text).unwrap();
        p
    }
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    N.fetch_add(1, Ordering::Relaxed)
}

/// A tmux server of its own, killed on drop.
pub(crate) struct Tmux {
    pub sock: String,
}

impl Tmux {
    pub(crate) fn available() -> bool {
        Command::new("tmux")
            .arg("-V")
            .output()
            .is_ok_and(|o| o.status.success())
    }
    pub(crate) fn start(script: &Path, w: u16, h: u16) -> Tmux {
        let sock = format!("ssopick-test-{}-{}", std::process::id(), rand_suffix());
        let t = Tmux { sock };
        let o = t.run(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
            "sh",
            script.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        t
    }
    pub(crate) fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.sock])
            .args(args)
            .output()
            .unwrap()
    }
    pub(crate) fn capture(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p"]).stdout).into_owned()
    }
    pub(crate) fn keys(&self, keys: &[&str]) {
        let mut a = vec!["send-keys"];
        a.extend_from_slice(keys);
        self.run(&a);
    }
    pub(crate) fn literal(&self, text: &str) {
        self.run(&["send-keys", "-l", text]);
    }
    /// Polls the screen until `pred` holds (generous timeout for slow CI).
    pub(crate) fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let end = std::time::Instant::now() + std::time::Duration::from_secs(30);
        loop {
            let screen = self.capture();
            if pred(&screen) {
                return screen;
            }
            assert!(
                std::time::Instant::now() < end,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
    /// Waits until all `total` roles are listed, pastes `account_id`,
    /// waits until the first row is of that account, and presses Enter.
    pub(crate) fn pick_account(&self, total: usize, account_id: &str) {
        self.wait_for("all roles listed", |s| {
            s.contains(&format!("{total}/{total}"))
        });
        self.literal(account_id);
        self.wait_for("the pasted id to filter", |s| {
            let mut l = s.lines();
            l.next().is_some_and(|q| q.contains(account_id))
                && l.next().is_some_and(|r| r.contains(account_id))
        });
        self.keys(&["Enter"]);
    }

    pub(crate) fn alternate_on(&self) -> bool {
        String::from_utf8_lossy(
            &self
                .run(&["display-message", "-p", "#{alternate_on}"])
                .stdout,
        )
        .trim()
            == "1"
    }
    /// The pid of the pane's first child process (the program under test).
    pub(crate) fn child_pid(&self) -> Option<u32> {
        let pane: u32 =
            String::from_utf8_lossy(&self.run(&["display-message", "-p", "#{pane_pid}"]).stdout)
                .trim()
                .parse()
                .ok()?;
        let kids = std::fs::read_to_string(format!("/proc/{pane}/task/{pane}/children")).ok()?;
        kids.split_whitespace().next()?.parse().ok()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

/// Polls for a file's content.
pub(crate) fn wait_file(p: &Path) -> String {
    wait_file_until(p, |s| s.ends_with('\n'))
}

/// Polls for a file whose content `done` accepts.
pub(crate) fn wait_file_until(p: &Path, done: impl Fn(&str) -> bool) -> String {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if let Ok(s) = std::fs::read_to_string(p)
            && done(&s)
        {
            return s;
        }
        assert!(
            std::time::Instant::now() < end,
            "timed out waiting for {}",
            p.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// A test whose tool is missing: skipped on a developer's machine, a
/// failure in CI (where `.ci/run` installs every tool the tests use).
pub(crate) fn skip_or_fail(what: &str) {
    assert!(
        !std::env::var_os("CI").is_some(),
        "{what} is required in CI (.ci/run installs it)"
    );
    eprintln!("skipped: {what} is not available");
}

/// A fake portal with a generated organisation and a HOME logged in to the
/// sso-session `corp` against it.
pub(crate) async fn logged_in(
    accounts: usize,
    seed: u64,
    opts: ssopick::fake::FakeOptions,
) -> (ssopick::fake::FakePortal, Home) {
    logged_in_to(ssopick::fake::FakeOrg::generated(accounts, seed), opts).await
}

/// `accounts` generated accounts behind the portal's published budget
/// (20 requests a second, bursts of 5), 5 ms a call, logged in as "corp".
pub(crate) async fn logged_in_throttled(
    accounts: usize,
    seed: u64,
) -> (ssopick::fake::FakePortal, Home) {
    logged_in(
        accounts,
        seed,
        ssopick::fake::FakeOptions {
            latency: std::time::Duration::from_millis(5),
            throttle: Some((20.0, 5.0)),
            ..ssopick::fake::FakeOptions::default()
        },
    )
    .await
}

/// A fake portal serving `org`, and a HOME logged in to it as "corp".
pub(crate) async fn logged_in_to(
    org: ssopick::fake::FakeOrg,
    opts: ssopick::fake::FakeOptions,
) -> (ssopick::fake::FakePortal, Home) {
    let portal = ssopick::fake::FakePortal::start(org, opts).await.unwrap();
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    (portal, home)
}

/// An account of a hand-made organisation, `NAME@example.com`.
pub(crate) fn fake_account(id: &str, name: &str, roles: &[&str]) -> ssopick::fake::FakeAccount {
    ssopick::fake::FakeAccount {
        account_id: id.into(),
        account_name: name.into(),
        email_address: format!("{name}@example.com"),
        roles: roles.iter().map(std::string::ToString::to_string).collect(),
    }
}

/// `--account ID --role ROLE` for an account's first role.
pub(crate) fn pick_args(a: &ssopick::fake::FakeAccount) -> Vec<String> {
    vec![
        "--account".into(),
        a.account_id.clone(),
        "--role".into(),
        a.roles[0].clone(),
    ]
}

impl Home {
    /// Lists once against `endpoint`, so a catalog snapshot exists.
    pub(crate) async fn take_snapshot(&self, endpoint: &str) {
        let o = run(self.cmd(Some(endpoint)).arg("list")).await;
        assert!(o.status.success(), "{}", stderr(&o));
    }
}

/// The time now (the system clock, as the binary reads it).
pub(crate) fn now() -> UtcTime {
    use ssopick::core::time::Clock;
    ssopick::edge::clock::SystemClock.now()
}

impl Home {
    /// Sessions `corp` (this module's URL) and `partner` in the config,
    /// `corp` logged in against `token`, and `partner` too when asked.
    pub(crate) fn with_two_sessions(&self, token: &str, partner_logged_in: bool) {
        self.write_config(&format!(
            "[sso-session corp]\nsso_start_url = {URL}\nsso_region = us-east-1\n\n\
             [sso-session partner]\nsso_start_url = https://partner.awsapps.com/start\nsso_region = us-east-1\n"
        ));
        self.write_token("corp", token, 3600);
        if partner_logged_in {
            self.write_token("partner", token, 3600);
        }
    }

    /// Lists every session once, so each has a snapshot.
    pub(crate) async fn take_snapshots_of_all(&self, endpoint: &str) {
        let o = run(self.cmd(Some(endpoint)).args(["list", "--session", "all"])).await;
        assert!(o.status.success(), "{}", stderr(&o));
    }
}

/// moto's server on a free loopback port, stopped on drop.
pub(crate) struct Moto {
    child: std::process::Child,
    pub url: String,
}

impl Moto {
    pub(crate) fn start() -> Option<Moto> {
        let has = Command::new("python3")
            .args(["-c", "import moto.server, boto3"])
            .output()
            .is_ok_and(|o| o.status.success());
        if !has {
            skip_or_fail("python3 with moto[server] is not available");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("python3")
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let m = Moto {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let start = std::time::Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < std::time::Duration::from_mins(1),
                "moto did not start"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Some(m)
    }
}

impl Moto {
    /// GetCallerIdentity from moto with the credentials in `env`, by boto3.
    pub(crate) fn caller_arn(&self, env: &[(String, String)]) -> String {
        let mut c = Command::new("python3");
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .args([
                "-c",
                "import boto3, sys\nprint(boto3.client('sts', region_name='us-east-1', endpoint_url=sys.argv[1]).get_caller_identity()['Arn'])",
                &self.url,
            ]);
        for (k, v) in env {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).trim().to_string()
    }
}

/// The variables `export` lines (bash) set, quotes removed.
pub(crate) fn exports(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("export "))
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim_matches('\'').to_string()))
        .collect()
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// For stand-in browser scripts: `$1` recorded as the argv the browser got
/// (`$(dirname "$0")/argv`), then `u` set to where it leads, a private
/// `file://` page followed to its link as a browser would.
pub(crate) const FOLLOW_PAGE: &str = r#"printf '%s' "$1" > "$(dirname "$0")/argv"
u="$1"
case "$u" in file://*)
  f=$(printf '%s' "${u#file://}" | sed 's/%20/ /g')
  u=$(sed -n 's/.*<a href="\([^"]*\)".*/\1/p' "$f" | sed 's/&lt;/</g; s/&quot;/"/g; s/&amp;/\&/g')
esac
"#;

/// `serve` for `a`'s first role with `extra` options, its lines in an
/// env file; the child (stderr piped), the endpoint's URL and its token.
pub(crate) fn serve_for(
    home: &Home,
    endpoint: &str,
    a: &ssopick::fake::FakeAccount,
    extra: &[&str],
) -> (std::process::Child, String, String) {
    let file = home.path().join("serve-env");
    let child = home
        .cmd(Some(endpoint))
        .args(["serve", "--account", &a.account_id, "--role", &a.roles[0]])
        .args(extra)
        .arg("--env-file")
        .arg(&file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let text = tokio::task::block_in_place(|| {
        wait_file_until(&file, |t| t.contains("AWS_CONTAINER_AUTHORIZATION_TOKEN"))
    });
    let value = |k: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("export {k}=")))
            .unwrap()
            .trim_matches('\'')
            .to_string()
    };
    (
        child,
        value("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        value("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
    )
}
