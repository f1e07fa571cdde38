//! A portal that sends hostile names (through an endpoint override): rows
//! AWS would never send are skipped with a warning, names are cleaned, and
//! nothing reaches the terminal, the config file or a shell as code.

use crate::common::*;
use ssopick::fake::{FakeAccount, FakeOptions, FakeOrg};
use std::process::Command;

fn hostile_org() -> FakeOrg {
    let acct = |id: &str, name: &str, roles: &[&str]| FakeAccount {
        account_id: id.into(),
        account_name: name.into(),
        email_address: "x\u{1b}]52;c;cHduZWQ=\u{7}@example.com".to_string(),
        roles: roles.iter().map(std::string::ToString::to_string).collect(),
    };
    FakeOrg {
        accounts: vec![
            acct(
                "111111111111",
                "prod\n[default]\ncredential_process = sh -c 'touch /tmp/ssopick-pwned'",
                &[
                    "ReadOnlyAccess",
                    "Admin\"$(touch /tmp/ssopick-pwned)\"",
                    "Ops`id`",
                ],
            ),
            acct("22222222222x", "bad-id", &["ReadOnlyAccess"]),
            acct(
                "333333333333",
                "title\u{1b}]0;pwned\u{7}\r\u{202e}",
                &["Dev"],
            ),
        ],
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_portal_data_stays_data() {
    let (portal, home) = logged_in_to(hostile_org(), FakeOptions::default()).await;
    // Rows AWS would never send are skipped: the catalog is incomplete.
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(7), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        !out.contains('\u{1b}') && !out.contains('\r') && !out.contains('\u{202e}'),
        "{out:?}"
    );
    assert!(
        !out.contains("22222222222x") && !out.contains("$(touch"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 2, "ReadOnlyAccess and Dev only: {out}");
    assert!(
        stderr(&o).contains("rows AWS would never send"),
        "{}",
        stderr(&o)
    );
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["profile", "--all", "--write", "--style", "process"]))
    .await;
    assert_eq!(o.status.code(), Some(7), "partial: {}", stderr(&o));
    let cfg = std::fs::read_to_string(home.config_path()).unwrap();
    // The name's text stays in a comment: no line is a [default] section.
    assert!(
        !cfg.lines().any(|l| l.trim_start().starts_with("[default]")),
        "{cfg}"
    );
    assert!(!cfg.contains('\r') && !cfg.contains('\u{1b}'), "{cfg:?}");
    let parsed = ssopick::core::sso::config::parse(&cfg);
    assert!(parsed.profile("default").is_none());
    assert!(
        parsed
            .profiles
            .iter()
            .all(|p| p.name == "corp" || !p.name.contains('\n')),
        "{cfg}"
    );
    assert!(!std::path::Path::new("/tmp/ssopick-pwned").exists());
}

/// A portal that repeats its `nextToken` forever: the listing stops at once
/// with an error, after a handful of requests (`list` then shows what it
/// got, marked incomplete).
#[tokio::test(flavor = "multi_thread")]
async fn a_repeated_page_token_ends_the_listing() {
    let (portal, home) = logged_in(
        3,
        1,
        FakeOptions {
            repeat_page_token: true,
            ..FakeOptions::default()
        },
    )
    .await;
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert!(stderr(&o).contains("incomplete"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("repeated a page token"),
        "{}",
        stderr(&o)
    );
    assert!(portal.stats().list_accounts <= 3, "{:?}", portal.stats());
}

/// The `credential_process` line holds when ssopick's own path has a space
/// and a quote: written by a copy of ssopick installed at such a path, it
/// is resolved by botocore and by the JS SDK v3 (both run it), giving the
/// picked role's keys.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn process_lines_survive_a_path_with_a_space_and_a_quote() {
    use std::os::unix::fs::PermissionsExt;
    let (portal, home) = logged_in(3, 41, FakeOptions::default()).await;
    // A quote, and whitespace right before `#` and `;` (which the Go, JS
    // and Rust INI parsers take as a comment, inside quotes too).
    let dir = home.path().join("dir with space/it's #1 ;v2");
    std::fs::create_dir_all(&dir).unwrap();
    let exe = dir.join("ssopick");
    std::fs::copy(env!("CARGO_BIN_EXE_ssopick"), &exe).unwrap();
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    let base = home.cmd(Some(portal.url()));
    let envs: Vec<(std::ffi::OsString, std::ffi::OsString)> = base
        .get_envs()
        .filter_map(|(k, v)| Some((k.to_os_string(), v?.to_os_string())))
        .collect();
    let a = &portal.org().accounts[1];
    let mut write = Command::new(&exe);
    write
        .envs(envs.clone())
        .args([
            "profile", "--style", "process", "--write", "--name", "odd-path",
        ])
        .args(pick_args(a));
    let o = run(&mut write).await;
    assert!(o.status.success(), "{}", stderr(&o));
    let cfg = std::fs::read_to_string(home.config_path()).unwrap();
    assert!(
        cfg.contains("dir with space/it'\\''s '\\#'1 '\\;'v2/ssopick' credential-process"),
        "{cfg}"
    );
    // No whitespace is ever followed by `#` or `;` on the line.
    let line = cfg
        .lines()
        .find(|l| l.starts_with("credential_process"))
        .unwrap();
    assert!(
        !line.contains(" #") && !line.contains(" ;") && !line.contains("\t#"),
        "{line}"
    );

    let mut resolved = 0;
    if Command::new("python3")
        .args(["-c", "import botocore"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        let mut py = Command::new("python3");
        py.env_clear().env("PATH", std::env::var("PATH").unwrap_or_default()).envs(envs.clone()).args([
            "-c",
            "import botocore.session\nprint(botocore.session.Session(profile='odd-path').get_credentials().get_frozen_credentials().access_key)",
        ]).env("AWS_CONFIG_FILE", home.config_path());
        let o = run(&mut py).await;
        assert!(o.status.success(), "botocore: {}", stderr(&o));
        assert_eq!(
            stdout(&o).trim(),
            portal.last_issued().unwrap().access_key_id
        );
        resolved += 1;
    } else {
        skip_or_fail("python3 with botocore");
    }
    if let Some((v1, v2)) = crate::go_sdk::resolvers() {
        for program in [v1, v2] {
            let mut go = Command::new(&program);
            go.env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .envs(envs.clone())
                .env("AWS_CONFIG_FILE", home.config_path())
                .env("GO_PROFILE", "odd-path");
            let o = run(&mut go).await;
            assert!(o.status.success(), "{}: {}", program.display(), stderr(&o));
            assert_eq!(
                stdout(&o).split_whitespace().nth(1),
                Some(portal.last_issued().unwrap().access_key_id.as_str()),
                "{}",
                stdout(&o)
            );
            resolved += 1;
        }
    }
    if let Some(modules) = crate::endpoint::js_sdk() {
        let mut node = Command::new("node");
        node.envs(envs).env("NODE_PATH", &modules).env("AWS_CONFIG_FILE", home.config_path()).args([
            "-e",
            r#"require("@aws-sdk/credential-providers").fromIni({ profile: "odd-path" })().then((c) => console.log(c.accessKeyId), (e) => { console.error(String(e)); process.exit(1); });"#,
        ]);
        let o = run(&mut node).await;
        assert!(o.status.success(), "JS SDK: {}", stderr(&o));
        assert_eq!(
            stdout(&o).trim(),
            portal.last_issued().unwrap().access_key_id
        );
        resolved += 1;
    }
    eprintln!("resolved by {resolved} SDK(s)");
}

/// Escape sequences in the user's own files (a start URL, a token file's
/// startUrl, config.toml) never reach the terminal raw: such sessions are
/// not sessions, and every error is cleaned.
#[tokio::test(flavor = "multi_thread")]
async fn escapes_in_config_and_token_files_never_reach_the_terminal() {
    let home = Home::new();
    home.write_config(
        "[sso-session ok]\nsso_start_url = https://d-1234567890.awsapps.com/start\x1b]0;pwned\x07\nsso_region = us-east-1\n\n\
         [profile legacy]\nsso_start_url = https://x.awsapps.com/start\x1b[2J\nsso_region = us-east-1\n",
    );
    std::fs::create_dir_all(home.sso_cache()).unwrap();
    std::fs::write(
        home.sso_cache().join("0123456789012345678901234567890123456789.json"),
        "{\"startUrl\":\"https://t.awsapps.com/start\\u001b]52;c;cHduZWQ=\\u0007\",\"region\":\"us-east-1\",\"accessToken\":\"t\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}",
    )
    .unwrap();
    let cfg = home.path().join("bad.toml");
    std::fs::write(&cfg, "color = \"\x1b]0;pwned\x07\"\n").unwrap();
    for (args, env) in [
        (&["list"][..], None),
        (&["--session", "nosuch", "list"][..], None),
        (&["logout"][..], None),
        (
            &[
                "credential-process",
                "--account",
                "123456789012",
                "--role",
                "R",
            ][..],
            None,
        ),
        (&["--demo", "list"][..], Some(&cfg)),
    ] {
        let mut c = home.cmd(None);
        c.args(args);
        if let Some(cfg) = env {
            c.env("SSOPICK_CONFIG", cfg);
        }
        let o = run(&mut c).await;
        let out = [o.stdout.as_slice(), o.stderr.as_slice()].concat();
        assert!(
            !out.contains(&0x1b) && !out.contains(&0x07),
            "{args:?}: {}",
            String::from_utf8_lossy(&out)
        );
        assert_ne!(o.status.code(), Some(0), "{args:?}");
    }
}
