//! Credentials that never go stale: `exec` and `shell` serve the picked
//! role through a local credential endpoint, renewed in the background, and
//! a real SDK (botocore) resolves it, across a rotation and despite a
//! `[default]` profile that would otherwise win.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
use std::process::Command;
use std::time::Duration;

pub(crate) fn botocore() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import botocore"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        skip_or_fail("python3 with botocore is not available");
    }
    ok
}

/// A fake portal issuing credentials that live `ttl`, and a HOME logged in.
async fn portal(ttl: Duration) -> (FakePortal, Home) {
    logged_in_to(
        FakeOrg::generated(8, 4),
        FakeOptions {
            credential_ttl: ttl,
            ..FakeOptions::default()
        },
    )
    .await
}

/// Resolves credentials with botocore twice, `pause` apart, in one process
/// (as a long Terraform or boto3 run would), and checks what an SDK must
/// never get from the environment.
const RESOLVE_TWICE: &str = r#"
import os, sys, time, json, urllib.request, urllib.error
import botocore.session
assert "AWS_ACCESS_KEY_ID" not in os.environ, "static keys leaked into the child"
s = botocore.session.get_session()
c = s.get_credentials()
first = c.get_frozen_credentials().access_key
time.sleep(float(sys.argv[1]))
second = c.get_frozen_credentials().access_key
uri = os.environ["AWS_CONTAINER_CREDENTIALS_FULL_URI"]
codes = []
for auth in [None, "wrong"]:
    req = urllib.request.Request(uri)
    if auth:
        req.add_header("Authorization", auth)
    try:
        urllib.request.urlopen(req)
        codes.append(200)
    except urllib.error.HTTPError as e:
        codes.append(e.code)
print(json.dumps({"method": c.method, "first": first, "second": second, "codes": codes}))
"#;

fn resolve(home: &Home, portal: &FakePortal, pause: &str) -> serde_json::Value {
    let a = &portal.org().accounts[2];
    let o = home
        .cmd(Some(portal.url()))
        .args([
            "exec",
            "--account",
            &a.account_id,
            "--role",
            &a.roles[0],
            "--",
        ])
        .args(["python3", "-c", RESOLVE_TWICE, pause])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    serde_json::from_str(stdout(&o).trim()).unwrap_or_else(|e| panic!("{e}: {}", stdout(&o)))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_child_outlives_its_credentials() {
    if !botocore() {
        return;
    }
    // Credentials for 6 s: renewed in the background after 3 s, and
    // botocore (whose refresh window is 15 minutes) asks again each time.
    let (portal, home) = portal(Duration::from_secs(6)).await;
    let v = tokio::task::block_in_place(|| resolve(&home, &portal, "4.5"));
    assert_eq!(v["method"], "container-role", "{v}");
    assert_ne!(v["first"], v["second"], "rotated without a restart: {v}");
    // Both are keys the portal issued (renewal goes on in the background,
    // so the newest issued may already be a third).
    for k in ["first", "second"] {
        assert!(v[k].as_str().is_some_and(|s| s.starts_with("ASIA")), "{v}");
    }
    assert!(portal.stats().get_credentials >= 2, "{:?}", portal.stats());
    // No token, or a wrong one: no credentials.
    assert_eq!(v["codes"], serde_json::json!([401, 403]), "{v}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_picked_role_wins_over_a_default_profile() {
    if !botocore() {
        return;
    }
    let (portal, home) = portal(Duration::from_hours(1)).await;
    // [default] in the config (SSO, another account) and static keys in the
    // credentials file: either would win over the endpoint in every SDK.
    let mut cfg = std::fs::read_to_string(home.config_path()).unwrap();
    cfg.push_str(
        "\n[default]\nsso_session = corp\nsso_account_id = 999999999999\nsso_role_name = Other\nregion = eu-west-1\n",
    );
    home.write_config(&cfg);
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[default] ; old keys\naws_access_key_id = AKIASTATICDEFAULT\naws_secret_access_key = nope\n",
    )
    .unwrap();
    let v = tokio::task::block_in_place(|| resolve(&home, &portal, "0"));
    assert_eq!(v["method"], "container-role", "{v}");
    assert_eq!(
        v["first"],
        portal.last_issued().unwrap().access_key_id.as_str(),
        "{v}"
    );
    // The user's files are untouched; the per-run copy is gone.
    assert!(
        std::fs::read_to_string(home.config_path())
            .unwrap()
            .ends_with("region = eu-west-1\n")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shell_says_where_its_credentials_come_from() {
    let (portal, home) = portal(Duration::from_hours(1)).await;
    let a = &portal.org().accounts[2];
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        script.path(),
        "echo \"${AWS_ACCESS_KEY_ID-none}|${AWS_CONTAINER_CREDENTIALS_FULL_URI%%:*}|$SSOPICK_SHELL\"; exit 3\n",
    )
    .unwrap();
    let o = home
        .cmd(Some(portal.url()))
        .env("SHELL", "/bin/sh")
        .args(["shell", "--account", &a.account_id, "--role", &a.roles[0]])
        .stdin(std::fs::File::open(script.path()).unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "none|http|1");
    assert!(
        stderr(&o).contains("local endpoint, renewed until you leave"),
        "{}",
        stderr(&o)
    );
}

/// `serve`: export lines on stdout, the endpoint until a signal, and a
/// second process (botocore) resolving the role through it.
#[tokio::test(flavor = "multi_thread")]
async fn serve_answers_other_processes_until_stopped() {
    if !botocore() {
        return;
    }
    use std::io::BufRead;
    let (portal, home) = portal(Duration::from_hours(1)).await;
    let a = &portal.org().accounts[2];
    let mut child = home
        .cmd(Some(portal.url()))
        .args(["serve", "--account", &a.account_id, "--role", &a.roles[0]])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut vars = Vec::new();
    tokio::task::block_in_place(|| {
        while !vars.iter().any(|(k, _)| k == "AWS_DEFAULT_REGION") {
            let l = lines.next().unwrap().unwrap();
            if let Some((k, v)) = l.strip_prefix("export ").and_then(|l| l.split_once('=')) {
                vars.push((k.to_string(), v.trim_matches('\'').to_string()));
            }
        }
    });
    assert_eq!(vars[0].0, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    assert!(vars[0].1.starts_with("http://127.0.0.1:"), "{vars:?}");
    let o = tokio::task::block_in_place(|| {
        Command::new("python3")
            .args([
                "-c",
                "import botocore.session as s; c = s.get_session().get_credentials(); print(c.method, c.access_key)",
            ])
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .envs(vars.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .output()
            .unwrap()
    });
    assert_eq!(
        stdout(&o).trim(),
        format!(
            "container-role {}",
            portal.last_issued().unwrap().access_key_id
        ),
        "{}",
        stderr(&o)
    );
    // SIGTERM stops it cleanly.
    // SAFETY: a signal to the child this test spawned.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = tokio::task::block_in_place(|| child.wait().unwrap());
    assert_eq!(status.code(), Some(0));
}

/// Where `.ci/run` installs the AWS SDK for JavaScript v3's credential
/// providers (`npm install --prefix target/js-sdk @aws-sdk/credential-providers@3`).
pub(crate) fn js_sdk() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("SSOPICK_TEST_JS_SDK").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/js-sdk/node_modules"),
        std::path::PathBuf::from,
    );
    let ok = dir.join("@aws-sdk/credential-providers").is_dir()
        && Command::new("node").arg("--version").output().is_ok();
    if !ok {
        skip_or_fail("node with @aws-sdk/credential-providers (target/js-sdk)");
    }
    ok.then_some(dir)
}

const JS_RESOLVE: &str = r#"
const { fromNodeProviderChain } = require("@aws-sdk/credential-providers");
fromNodeProviderChain()().then(
  (c) => console.log(c.accessKeyId),
  (e) => { console.error(String(e)); process.exit(1); }
);
"#;

/// A second SDK: the JS SDK v3's default chain resolves the picked role
/// through `exec`'s endpoint, despite `[default]` static keys.
#[tokio::test(flavor = "multi_thread")]
async fn the_js_sdk_resolves_through_the_endpoint() {
    let Some(modules) = js_sdk() else { return };
    let (portal, home) = portal(Duration::from_hours(1)).await;
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[default]\naws_access_key_id = AKIASTATICDEFAULT\naws_secret_access_key = nope\n",
    )
    .unwrap();
    let a = &portal.org().accounts[2];
    let o = tokio::task::block_in_place(|| {
        home.cmd(Some(portal.url()))
            .env("NODE_PATH", &modules)
            .args([
                "exec",
                "--account",
                &a.account_id,
                "--role",
                &a.roles[0],
                "--",
            ])
            .args(["node", "-e", JS_RESOLVE])
            .output()
            .unwrap()
    });
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        portal.last_issued().unwrap().access_key_id,
        "{}",
        stderr(&o)
    );
}

/// botocore inside `shell` resolves the picked role through the endpoint;
/// a `--static` shell whose keys ran out says so on leaving.
#[tokio::test(flavor = "multi_thread")]
async fn shells_are_honest_about_their_credentials() {
    if !botocore() {
        return;
    }
    let (portal, home) = portal(Duration::from_secs(2)).await;
    let a = &portal.org().accounts[2];
    let script = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        script.path(),
        "python3 -c 'import botocore.session as s; c = s.get_session().get_credentials(); print(c.method, c.access_key)'\nsleep 3\n",
    )
    .unwrap();
    let run_shell = |extra: &[&str]| {
        home.cmd(Some(portal.url()))
            .env("SHELL", "/bin/sh")
            .arg("shell")
            .args(extra)
            .args(["--account", &a.account_id, "--role", &a.roles[0]])
            .stdin(std::fs::File::open(script.path()).unwrap())
            .output()
            .unwrap()
    };
    let o = tokio::task::block_in_place(|| run_shell(&[]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("container-role ASIA"),
        "{}",
        stdout(&o)
    );
    assert!(!stderr(&o).contains("expired"), "{}", stderr(&o));
    let o = tokio::task::block_in_place(|| run_shell(&["--static"]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("env ASIA"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("its keys expired") && stderr(&o).contains("while it was open"),
        "{}",
        stderr(&o)
    );
}

/// `serve` for real shells: in a HOME with `[default]` profiles in both
/// files, and a stale `AWS_PROFILE` and keys in the shell that sources
/// serve's lines, botocore and the JS SDK resolve the picked role, and
/// botocore finds a region.
#[tokio::test(flavor = "multi_thread")]
async fn serve_wins_over_default_profiles_in_a_real_shell() {
    if !botocore() {
        return;
    }
    let (portal, home) = portal(Duration::from_hours(1)).await;
    let mut cfg = std::fs::read_to_string(home.config_path()).unwrap();
    cfg.push_str(
        "\n[default]\nsso_session = corp\nsso_account_id = 999999999999\nsso_role_name = Other\n",
    );
    home.write_config(&cfg);
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[default]\naws_access_key_id = AKIASTATICDEFAULT\naws_secret_access_key = nope\n",
    )
    .unwrap();
    let a = &portal.org().accounts[2];
    let file = home.path().join("serve-env");
    let mut child = Killed(
        home.cmd(Some(portal.url()))
            .args(["serve", "--account", &a.account_id, "--role", &a.roles[0]])
            .args(["--env-file", file.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let text =
        tokio::task::block_in_place(|| wait_file_until(&file, |t| t.contains("AWS_PROFILE")));
    assert!(
        text.contains("export AWS_DEFAULT_REGION='us-east-1'"),
        "{text}"
    );
    assert!(text.contains("export AWS_CONFIG_FILE="), "{text}");
    let want = portal.last_issued().unwrap().access_key_id;
    // A shell with the user's stale profile and keys sources the lines.
    let shell = |program: &str, code: &str| {
        Command::new("sh")
            .args([
                "-c",
                &format!(". '{}' && exec {program} -c \"$0\"", file.display()),
                code,
            ])
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AWS_PROFILE", "stale")
            .env("AWS_ACCESS_KEY_ID", "AKIASTALEKEYS")
            .env("AWS_SECRET_ACCESS_KEY", "stale")
            .output()
            .unwrap()
    };
    let o = tokio::task::block_in_place(|| {
        shell(
            "python3",
            "import botocore.session as s\nx = s.get_session()\nc = x.get_credentials()\nprint(c.method, c.access_key, x.get_config_variable('region'))",
        )
    });
    assert_eq!(
        stdout(&o).trim(),
        format!("container-role {want} us-east-1"),
        "{}",
        stderr(&o)
    );
    if let Some(modules) = js_sdk() {
        let o = tokio::task::block_in_place(|| {
            Command::new("sh")
                .args([
                    "-c",
                    &format!(". '{}' && exec node -e \"$0\"", file.display()),
                    JS_RESOLVE,
                ])
                .env_clear()
                .env("HOME", home.path())
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("NODE_PATH", &modules)
                .env("AWS_PROFILE", "stale")
                .output()
                .unwrap()
        });
        assert_eq!(stdout(&o).trim(), want, "{}", stderr(&o));
    }
    // The AWS SDKs for Go, v1 and v2 (the default chain, shared config on).
    if let Some((v1, v2)) = crate::go_sdk::resolvers() {
        for program in [v1, v2] {
            let o = tokio::task::block_in_place(|| {
                Command::new("sh")
                    .args(["-c", &format!(". '{}' && exec \"$0\"", file.display())])
                    .arg(&program)
                    .env_clear()
                    .env("HOME", home.path())
                    .env("PATH", std::env::var("PATH").unwrap_or_default())
                    .env("AWS_PROFILE", "stale")
                    .env("AWS_ACCESS_KEY_ID", "AKIASTALEKEYS")
                    .env("AWS_SECRET_ACCESS_KEY", "stale")
                    .output()
                    .unwrap()
            });
            let out = stdout(&o);
            assert!(
                out.split_whitespace().nth(1) == Some(want.as_str()),
                "{}: {out} {}",
                program.display(),
                stderr(&o)
            );
        }
    }
    // SAFETY: a signal to the child this test spawned.
    unsafe { libc::kill(child.0.id() as i32, libc::SIGTERM) };
    tokio::task::block_in_place(|| child.0.wait().unwrap());
    assert!(!file.exists());
}

/// A child killed when the test ends, however it ends.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
