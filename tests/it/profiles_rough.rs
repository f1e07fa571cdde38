//! AWS profiles in the set-ups real users have (issue 35): a logged-out
//! session, no SSO session at all, no credentials file, keys pasted with
//! no expiry, odd inputs; and the profiles ssopick writes for them, and
//! the endpoint that renews their keys.

use crate::common::*;
use crate::profiles::{STATIC_KEY, add_config, process_profile, setup, var, write_client};
use std::process::Command;

/// The run ended with `code` and said `text` on stderr.
fn says(o: &std::process::Output, code: i32, text: &str) {
    assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
    assert!(stderr(o).contains(text), "{}", stderr(o));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_with_no_stated_expiry_is_exported_without_one() {
    let (portal, home) = setup("").await;
    // Temporary keys pasted into the credentials file: no expiry known.
    let creds = home.path().join(".aws/credentials");
    let mut text = std::fs::read_to_string(&creds).unwrap();
    text.push_str("[pasted]\naws_access_key_id = ASIAPASTEDKEYS000001\naws_secret_access_key = pastedSecretKey000000000000000000000001\naws_session_token = pastedSessionToken0000000001\n");
    std::fs::write(&creds, text).unwrap();
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["export", "--account", "pasted"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_CREDENTIAL_EXPIRATION\n"),
        "{out}"
    );
    let v = exports(&out);
    assert_eq!(
        var(&v, "AWS_SESSION_TOKEN"),
        Some("pastedSessionToken0000000001")
    );
    assert_eq!(
        var(&v, "AWS_CREDENTIAL_EXPIRATION"),
        None,
        "no expiry made up"
    );
    // botocore reads them as they are, whatever expiry the shell had.
    let probe = "import botocore.session\nc = botocore.session.get_session().get_credentials().get_frozen_credentials()\nprint(c.access_key, c.token)";
    let o = run(Command::new("sh")
        .args([
            "-c",
            "export AWS_CREDENTIAL_EXPIRATION=2001-01-01T00:00:00Z; eval \"$OUT\"; python3 -c \"$PROBE\"",
        ])
        .env("OUT", &out)
        .env("PROBE", probe)
        .env("HOME", home.path()))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "ASIAPASTEDKEYS000001 pastedSessionToken0000000001"
    );
    // The process document states none either.
    let o = run(home
        .cmd(None)
        .args(["credential-process", "--profile", "pasted"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["SessionToken"], "pastedSessionToken0000000001");
    assert!(doc.get("Expiration").is_none(), "{doc}");
}

#[tokio::test(flavor = "multi_thread")]
async fn profile_style_process_writes_a_profile_that_runs_credential_process_profile() {
    let (portal, home) = setup("").await;
    let o = run(home.cmd(Some(portal.url())).args([
        "profile",
        "--account",
        "client",
        "--style",
        "process",
        "--name",
        "client-via-ssopick",
        "--write",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(home.config_path()).unwrap();
    assert!(
        text.contains("credential-process --profile=client\n"),
        "{text}"
    );
    // botocore runs it and gets the static keys.
    let o = Command::new("python3")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home.path())
        .env("XDG_CACHE_HOME", home.path().join("xdg-cache"))
        .env("AWS_PROFILE", "client-via-ssopick")
        .args(["-c", "import botocore.session\nprint(botocore.session.get_session().get_credentials().get_frozen_credentials().access_key)"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), STATIC_KEY);
    // ssopick's own profile is not a row, and never resolved by --profile.
    let o = run(home
        .cmd(None)
        .args(["credential-process", "--profile", "client-via-ssopick"]))
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("would loop"), "{}", stderr(&o));
    // A profile that would run itself is refused.
    let o = run(home.cmd(Some(portal.url())).args([
        "profile",
        "--account",
        "client",
        "--style",
        "process",
        "--name",
        "client",
        "--write",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_named_profile_is_delivered_with_the_session_logged_out() {
    let (portal, home) = setup("").await;
    std::fs::remove_dir_all(home.sso_cache()).unwrap();
    let o = run(home.cmd(Some(portal.url())).args([
        "exec",
        "--account",
        "client",
        "--",
        "sh",
        "-c",
        "echo $AWS_ACCESS_KEY_ID",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), STATIC_KEY);
    assert!(
        stderr(&o).contains("needs no SSO session"),
        "{}",
        stderr(&o)
    );
    // A portal row still needs the login (exit 3).
    let o = run(home.cmd(Some(portal.url())).args(["export", "app"])).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // `list` lists the rows that need no login, and still exits 3.
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stdout(&o).contains("client"), "{}", stdout(&o));
    assert!(!stdout(&o).contains("app"), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("not logged in")
            && stderr(&o).contains("only the AWS files' other profiles are listed"),
        "{}",
        stderr(&o)
    );
    let o = run(home.cmd(Some(portal.url())).args(["list", "--sso-only"])).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stdout(&o).is_empty(), "{}", stdout(&o));
    // On a terminal too: no picker and no login first.
    if !Tmux::available() {
        skip_or_fail("tmux is not available");
        return;
    }
    let out = home.path().join("out.txt");
    let script = home.script(
        Some(portal.url()),
        &format!(
            "'{}' export client > '{}' 2>&1; echo done >> '{}'\nsleep 30\n",
            env!("CARGO_BIN_EXE_ssopick"),
            out.display(),
            out.display()
        ),
    );
    let _t = Tmux::start(&script, 100, 30);
    let text = wait_file_until(&out, |t| t.contains("done"));
    assert!(
        text.contains(&format!("AWS_ACCESS_KEY_ID='{STATIC_KEY}'")),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_endpoint_renews_a_profiles_keys_through_the_provider() {
    let (portal, home) = setup("").await;
    // Each run of the process gives new keys that last 20 seconds.
    let script = home.path().join("short.sh");
    let counter = home.path().join("runs");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nn=$(( $(cat '{c}' 2>/dev/null || echo 0) + 1 ))\necho $n > '{c}'\nexp=$(date -u -d '+20 seconds' +%Y-%m-%dT%H:%M:%SZ)\nprintf '{{\"Version\":1,\"AccessKeyId\":\"ASIARENEWEDKEY%06d\",\"SecretAccessKey\":\"renewSecretKey000000000000000000000000001\",\"SessionToken\":\"renewSessionToken0000000001\",\"Expiration\":\"%s\"}}\\n' $n $exp\n",
            c = counter.display()
        ),
    )
    .unwrap();
    add_config(
        &home,
        &format!(
            "[profile short]\ncredential_process = sh {}\n",
            script.display()
        ),
    );
    let probe = "import botocore.session\nprint(botocore.session.get_session().get_credentials().get_frozen_credentials().access_key)";
    let body = format!("python3 -c '{probe}'; sleep 13; python3 -c '{probe}'");
    let o = run(home.cmd(Some(portal.url())).args([
        "exec",
        "--account",
        "short",
        "--",
        "sh",
        "-c",
        &body,
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let keys: Vec<&str> = out.lines().map(str::trim).collect();
    assert_eq!(keys.first(), Some(&"ASIARENEWEDKEY000001"), "{out}");
    assert_ne!(keys.get(1), Some(&"ASIARENEWEDKEY000001"), "renewed: {out}");
    assert!(keys[1].starts_with("ASIARENEWEDKEY"), "{out}");
}

#[tokio::test(flavor = "multi_thread")]
async fn rough_inputs_from_real_setups_are_handled() {
    let (portal, home) = setup(
        "[profile local]\naws_access_key_id = test\naws_secret_access_key = test\n\n\
         [profile from-sso]\nrole_arn = arn:aws:iam::123456789012:role/Ops\nsource_profile = dev\n\n\
         [profile has space]\ncredential_process = sh -c 'touch /tmp/never'\n",
    )
    .await;
    add_config(&home, &process_profile(&home));
    // A local S3's keys are what the SDKs take: delivered.
    let o = run(home.cmd(Some(portal.url())).args([
        "export",
        "--account",
        "local",
        "--format",
        "json",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The portal unreachable: a profile named exactly still works.
    let o = run(home
        .cmd(Some("http://127.0.0.1:1"))
        .args(["export", "--account", "client"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // list: a `-` for no account id; a name the SDKs cannot resolve is no row.
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.split_whitespace().take(3).collect::<Vec<_>>() == ["tool", "-", "process"]),
        "{out}"
    );
    assert!(!out.contains("has space"), "{out}");
    // pick prints what --account takes for a profile's row.
    let o = run(home.cmd(Some(portal.url())).args(["pick", "tool"])).await;
    assert_eq!(stdout(&o).trim(), "tool process", "{}", stderr(&o));
    // An assume-role whose SSO source profile is logged out: exit 3 and how
    // to log in.
    std::fs::remove_dir_all(home.sso_cache()).unwrap();
    let o = run(home
        .cmd(None)
        .args(["credential-process", "--profile", "from-sso"]))
    .await;
    says(&o, 3, "aws sso login --profile dev");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_delivers_without_a_credentials_file() {
    let (portal, home) = setup("").await;
    std::fs::remove_file(home.path().join(".aws/credentials")).unwrap();
    add_config(&home, &process_profile(&home));
    let o =
        run(home
            .cmd(Some(portal.url()))
            .args(["export", "--account", "tool", "--format", "json"]))
        .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("ASIAPROCESSPROFILE01"),
        "{}",
        stdout(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn with_no_sso_session_at_all_the_profiles_are_the_rows() {
    let home = Home::new();
    std::fs::create_dir_all(home.path().join(".aws")).unwrap();
    write_client(&home);
    home.write_config(
        "[profile sandbox]\nsource_profile = client\nrole_arn = arn:aws:iam::123456789012:role/Sandbox\n",
    );
    let o = run(home.cmd(None).args([
        "exec",
        "client",
        "--",
        "sh",
        "-c",
        "echo \"$AWS_ACCESS_KEY_ID [${SSOPICK_SESSION-unset}]\"",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // No session to name: SSOPICK_SESSION is empty.
    assert_eq!(stdout(&o).trim(), format!("{STATIC_KEY} []"));
    assert!(!stderr(&o).contains("not logged in"), "{}", stderr(&o));
    // `list` lists them, and nothing is asked of a session.
    let o = run(home.cmd(None).args(["list", "--json"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let rows: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["accountName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["client", "sandbox"], "{}", stdout(&o));
    // The rule over them: part of a name is enough for one row.
    let o = run(home.cmd(None).args(["pick", "sandb"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "sandbox Sandbox");
    let o = run(home.cmd(None).args(["pick", "cli"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "client static");
    // No match says why there are only profiles (exit 6); a portal row
    // named by id still asks for a session to be set up (exit 3).
    let o = run(home.cmd(None).args(["export", "elsewhere"])).await;
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(stderr(&o).contains("`ssopick configure`"), "{}", stderr(&o));
    let o = run(home
        .cmd(None)
        .args(["export", "--account", "123456789012", "--role", "Admin"]))
    .await;
    says(&o, 3, "no AWS SSO session is configured");
    // The picker shows them, says there is no session, and delivers.
    if !Tmux::available() {
        skip_or_fail("tmux is not available");
        return;
    }
    let out = home.path().join("out.txt");
    let script = home.script(
        None,
        &format!(
            "'{}' export > '{}' 2>&1; echo done >> '{}'\nsleep 30\n",
            env!("CARGO_BIN_EXE_ssopick"),
            out.display(),
            out.display()
        ),
    );
    let t = Tmux::start(&script, 100, 20);
    t.wait_for("the profiles' rows", |s| {
        s.contains("sandbox") && s.contains("no SSO session")
    });
    t.keys(&["C-l"]);
    t.wait_for("what Ctrl-L says", |s| {
        s.contains("`ssopick configure` adds one")
    });
    t.literal("client");
    t.keys(&["Enter"]);
    let text = wait_file_until(&out, |t| t.contains("done"));
    assert!(
        text.contains(&format!("AWS_ACCESS_KEY_ID='{STATIC_KEY}'")),
        "{text}"
    );
}

/// A profile whose `credential_process` runs ssopick for itself: the
/// nesting ends a few runs deep, with an error, instead of forking
/// without end.
#[tokio::test(flavor = "multi_thread")]
async fn a_profile_whose_process_runs_itself_ends() {
    let (_portal, home) = setup("").await;
    add_config(
        &home,
        &format!(
            "[profile loop]\ncredential_process = '{}' credential-process --profile loop\n",
            env!("CARGO_BIN_EXE_ssopick")
        ),
    );
    let t0 = std::time::Instant::now();
    let o = run(home
        .cmd(None)
        .args(["credential-process", "--profile", "loop"]))
    .await;
    assert!(t0.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("ssopick runs deep")
            && stderr(&o).contains("(profile loop, or one it leads to)")
            && stderr(&o).len() < 400,
        "{}",
        stderr(&o)
    );
    // One level deeper than allowed says why.
    let o = run(home
        .cmd(None)
        .args(["credential-process", "--profile", "loop"])
        .env("SSOPICK_PROFILE_DEPTH", "4"))
    .await;
    says(&o, 2, "more than 4 ssopick runs deep");
}

/// An `mfa_serial` that is no serial number (here an escape sequence that
/// would retitle the terminal and write its clipboard) is refused before
/// any prompt shows it.
#[tokio::test(flavor = "multi_thread")]
async fn a_hostile_mfa_serial_is_refused_before_the_prompt() {
    let (_portal, home) = setup("").await;
    add_config(
        &home,
        "[profile guarded]\nsource_profile = client\nrole_arn = arn:aws:iam::123456789012:role/X\nmfa_serial = arn:aws:iam::1:mfa/x\u{1b}]0;PWNED\u{7}\u{1b}]52;c;ZWNobwo=\u{7}y\n",
    );
    let o = run(home.cmd(None).args(["export", "--account", "guarded"])).await;
    says(&o, 2, "is not an MFA device's ARN or serial number");
    assert!(!stderr(&o).contains('\u{1b}'), "{:?}", stderr(&o));
}

/// Logged in, but the portal takes every connection and never answers: a
/// profile named exactly needs no listing, so it does not wait for one.
#[tokio::test(flavor = "multi_thread")]
async fn a_profile_named_exactly_does_not_wait_for_a_silent_portal() {
    let (_portal, home) = setup("").await;
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", silent.local_addr().unwrap());
    let t0 = std::time::Instant::now();
    let o = run(home
        .cmd(Some(&url))
        .args(["export", "--account", "client"])
        .env("SSOPICK_HTTP_TIMEOUT", "20"))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(STATIC_KEY), "{}", stdout(&o));
    assert!(
        t0.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        t0.elapsed()
    );
    drop(silent);
}

/// Two SSO sessions, neither logged in (so none can be chosen): the AWS
/// files' other profiles still list and deliver; anything else says to
/// log in (exit 3).
#[tokio::test(flavor = "multi_thread")]
async fn with_two_sessions_logged_out_the_profiles_still_work() {
    let home = Home::new();
    home.write_config(
        "[sso-session corp]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-west-1\n\n[sso-session lab]\nsso_start_url = https://d-0987654321.awsapps.com/start\nsso_region = eu-west-1\n",
    );
    write_client(&home);
    let o = run(home.cmd(None).arg("list")).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("client "), "{}", stdout(&o));
    assert!(
        stderr(&o).contains("no SSO session has a valid token"),
        "{}",
        stderr(&o)
    );
    let o = run(home.cmd(None).args(["export", "client"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains(STATIC_KEY), "{}", stdout(&o));
    for other in [
        &["export", "prod"][..],
        &["export", "--account", "123456789012", "--role", "Admin"],
    ] {
        let o = run(home.cmd(None).args(other)).await;
        assert_eq!(o.status.code(), Some(3), "{other:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("Log in to one of them"),
            "{}",
            stderr(&o)
        );
    }
}

/// A profile's `region` that is no region's name is said, not silently
/// replaced, and never reaches the terminal raw.
#[tokio::test(flavor = "multi_thread")]
async fn a_bad_profile_region_is_said() {
    let home = Home::new();
    home.write_config(&format!(
        "[profile k]\nregion = eu-west-1\u{1b}[2J\naws_access_key_id = {STATIC_KEY}\naws_secret_access_key = secretsecretsecretsecret\n"
    ));
    let o = run(home.cmd(None).args(["export", "k"])).await;
    says(&o, 0, "ignoring the region from AWS profile k");
    assert!(!stderr(&o).contains('\u{1b}'), "{:?}", stderr(&o));
    assert!(!stdout(&o).contains("eu-west-1"), "{}", stdout(&o));
}
