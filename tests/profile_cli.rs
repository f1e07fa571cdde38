//! `ssopick profile`: golden blocks per style, byte-exact merges into real-
//! looking config files through the built binary, and a real SDK (botocore)
//! resolving the written profiles against the fake portal.

mod common;
use common::*;
use ssopick::fake::{FakeAccount, FakeOptions, FakeOrg, FakePortal};
use std::process::Command;

fn org() -> FakeOrg {
    let acct = |id: &str, name: &str, roles: &[&str]| FakeAccount {
        account_id: id.into(),
        account_name: name.into(),
        email_address: format!("{name}@example.com"),
        roles: roles.iter().map(|r| r.to_string()).collect(),
    };
    FakeOrg {
        accounts: vec![
            acct(
                "111111111111",
                "payments-prod",
                &["AdministratorAccess", "ReadOnlyAccess"],
            ),
            acct("222222222222", "Search Prod [EU]", &["PowerUserAccess"]),
        ],
    }
}

async fn setup(org: FakeOrg) -> (FakePortal, Home) {
    let portal = FakePortal::start(org, FakeOptions::default())
        .await
        .unwrap();
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    (portal, home)
}

const PICK: [&str; 4] = ["--account", "111111111111", "--role", "AdministratorAccess"];

fn redact(text: &str, portal: &FakePortal) -> String {
    let mut t = text.replace(env!("CARGO_BIN_EXE_ssopick"), "<SSOPICK>");
    if let Some(c) = portal.last_issued() {
        t = t
            .replace(&c.access_key_id, "<KEY>")
            .replace(&c.secret_access_key, "<SECRET>")
            .replace(&c.session_token, "<TOKEN>");
    }
    let mut out = String::new();
    for line in t.lines() {
        out.push_str(if line.starts_with("# expires ") {
            "# expires <TIME>"
        } else {
            line
        });
        out.push('\n');
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn golden_blocks_per_style() {
    let (portal, home) = setup(org()).await;
    for style in ["sso", "process", "static"] {
        let o = run(home
            .cmd(Some(portal.url()))
            .arg("profile")
            .args(PICK)
            .args(["--style", style, "--region", "eu-west-1"]))
        .await;
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        insta::assert_snapshot!(format!("profile_{style}"), redact(&stdout(&o), &portal));
    }
    // A name template, sanitised; a legacy (start URL) session.
    let o = run(home.cmd(Some(portal.url())).args([
        "profile",
        "--account",
        "222222222222",
        "--role",
        "PowerUserAccess",
        "--name",
        "{session}:{account_name}.{role_name}",
    ]))
    .await;
    insta::assert_snapshot!("profile_template", stdout(&o));
    let legacy = Home::new();
    legacy.write_config(&format!(
        "[profile old]\nsso_start_url = {URL}\nsso_region = us-east-1\n"
    ));
    legacy.write_token(URL, portal.token(), 3600);
    let o = run(legacy.cmd(Some(portal.url())).arg("profile").args(PICK)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    insta::assert_snapshot!("profile_legacy", stdout(&o));
}

/// Real-looking configs: each holds the session plus something odd.
const CORPUS: &[&str] = &[
    "# my aws config\n\n[default]\nregion = eu-west-1\noutput = json\n",
    "[profile a]\r\nregion = x\r\n\r\n; windows user\r\n[profile b]\r\nregion=y\r\n",
    "[profile no-newline]\nregion = x",
    "[profile dev]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style = path\nregion   =   us-east-2   \n# trailing note\n",
    "[default]\nregion = a\n[profile default]\nregion = b\n[profile dup]\nk = 1\n[profile dup]\nk = 2\n",
    "[profile ünïcödé]\nregion = ap-south-1\n# ça va\n[services my-services]\ns3 =\n  endpoint_url = http://localhost:4566\n",
];

fn session_text(nl: &str) -> String {
    format!("[sso-session corp]{nl}sso_start_url = {URL}{nl}sso_region = us-east-1{nl}")
}

#[tokio::test(flavor = "multi_thread")]
async fn write_changes_only_the_profile_section() {
    let (portal, home) = setup(org()).await;
    for extra in CORPUS {
        let nl = if extra.contains("\r\n") { "\r\n" } else { "\n" };
        let old = format!("{}{nl}{extra}", session_text(nl));
        home.write_config(&old);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(home.config_path(), std::fs::Permissions::from_mode(0o640))
                .unwrap();
        }
        let o = run(home
            .cmd(Some(portal.url()))
            .arg("profile")
            .args(PICK)
            .args(["--write", "--region", "eu-west-1"]))
        .await;
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let new = std::fs::read_to_string(home.config_path()).unwrap();
        let sep = if old.ends_with('\n') {
            nl.to_string()
        } else {
            format!("{nl}{nl}")
        };
        let added = format!(
            "[profile payments-prod/AdministratorAccess]{nl}# generated by ssopick for payments-prod (111111111111) AdministratorAccess{nl}\
             sso_session = corp{nl}sso_account_id = 111111111111{nl}sso_role_name = AdministratorAccess{nl}region = eu-west-1{nl}"
        );
        assert_eq!(
            new,
            format!("{old}{sep}{added}"),
            "only the new section was added to {extra:?}"
        );
        assert_eq!(
            std::fs::read_to_string(home.path().join(".aws/config.bak")).unwrap(),
            old
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(home.config_path())
                    .unwrap()
                    .permissions()
                    .mode()
                    & 0o777,
                0o640,
                "mode kept"
            );
        }
        // Again with another region: exactly one line changes.
        let o = run(home
            .cmd(Some(portal.url()))
            .arg("profile")
            .args(PICK)
            .args(["--write", "--region", "us-west-2"]))
        .await;
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let again = std::fs::read_to_string(home.config_path()).unwrap();
        let at = new.rfind("region = eu-west-1").unwrap();
        let expect = format!(
            "{}region = us-west-2{}",
            &new[..at],
            &new[at + "region = eu-west-1".len()..]
        );
        assert_eq!(again, expect);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn refuses_foreign_sections_dry_run_and_symlinks() {
    let (portal, home) = setup(org()).await;
    let mine = format!(
        "{}\n[profile payments-prod/AdministratorAccess]\nregion = hand-written\n",
        session_text("\n")
    );
    home.write_config(&mine);
    let o = run(home
        .cmd(Some(portal.url()))
        .arg("profile")
        .args(PICK)
        .arg("--write"))
    .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(home.config_path()).unwrap(),
        mine,
        "untouched"
    );
    assert!(!home.path().join(".aws/config.bak").exists());

    let o = run(home
        .cmd(Some(portal.url()))
        .arg("profile")
        .args(PICK)
        .args(["--write", "--force", "--dry-run"]))
    .await;
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("-region = hand-written"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(home.config_path()).unwrap(),
        mine,
        "dry run writes nothing"
    );

    // A config that is a symlink (dotfiles): written through the link.
    let real = home.path().join("dotfiles-config");
    std::fs::rename(home.config_path(), &real).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&real, home.config_path()).unwrap();
    let o = run(home
        .cmd(Some(portal.url()))
        .arg("profile")
        .args(PICK)
        .args(["--write", "--force"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        std::fs::symlink_metadata(home.config_path())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("sso_session = corp")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn static_keys_go_to_a_private_credentials_file() {
    let (portal, home) = setup(org()).await;
    let o = run(home
        .cmd(Some(portal.url()))
        .arg("profile")
        .args(PICK)
        .args(["--style", "static", "--write"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = home.path().join(".aws/credentials");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(&format!(
        "aws_secret_access_key = {}",
        portal.last_issued().unwrap().secret_access_key
    )));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["profile", "--all", "--style", "static"]))
    .await;
    assert_eq!(o.status.code(), Some(2));
}

#[tokio::test(flavor = "multi_thread")]
async fn all_writes_a_managed_block_and_prunes_on_request() {
    let (portal, home) = setup(org()).await;
    let user = format!(
        "# keep me\n{}\n[profile mine]\nregion = x\n",
        session_text("\n")
    );
    home.write_config(&user);
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["profile", "--all", "--write"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first = std::fs::read_to_string(home.config_path()).unwrap();
    assert!(first.starts_with(&user));
    for p in [
        "payments-prod/AdministratorAccess",
        "payments-prod/ReadOnlyAccess",
        "Search-Prod-EU/PowerUserAccess",
    ] {
        assert!(first.contains(&format!("[profile {p}]")), "{p}\n{first}");
    }
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["profile", "--all", "--write"]))
    .await;
    assert!(
        stderr(&o).contains("up to date"),
        "a second run changes nothing: {}",
        stderr(&o)
    );

    // A role goes away.
    let mut smaller = org();
    smaller.accounts[0].roles.retain(|r| r != "ReadOnlyAccess");
    let portal2 = FakePortal::start(
        smaller,
        FakeOptions {
            token: portal.token().into(),
            ..FakeOptions::default()
        },
    )
    .await
    .unwrap();
    let o = run(home
        .cmd(Some(portal2.url()))
        .args(["profile", "--all", "--write", "--refresh"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("kept 1"), "{}", stderr(&o));
    assert!(
        std::fs::read_to_string(home.config_path())
            .unwrap()
            .contains("[profile payments-prod/ReadOnlyAccess]")
    );
    let o = run(home
        .cmd(Some(portal2.url()))
        .args(["profile", "--all", "--write", "--prune"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pruned = std::fs::read_to_string(home.config_path()).unwrap();
    assert!(!pruned.contains("ReadOnlyAccess"));
    assert!(pruned.starts_with(&user), "the user's part is untouched");
    assert_eq!(pruned.matches("# BEGIN ssopick").count(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn botocore_resolves_written_sso_and_process_profiles() {
    if !Command::new("python3")
        .args(["-c", "import botocore"])
        .output()
        .is_ok_and(|o| o.status.success())
    {
        skip_or_fail("python3 with botocore is not available");
        return;
    }
    let (portal, home) = setup(org()).await;
    home.write_config(&format!(
        "{}\n[profile mine]\nregion = x\n",
        session_text("\n")
    ));
    for (style, name) in [("sso", "sso-{role_name}"), ("process", "proc-{role_name}")] {
        let o = run(home
            .cmd(Some(portal.url()))
            .arg("profile")
            .args(PICK)
            .args(["--write", "--style", style, "--name", name]))
        .await;
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    for profile in ["sso-AdministratorAccess", "proc-AdministratorAccess"] {
        let py = format!(
            "import botocore.session\nc = botocore.session.Session(profile='{profile}').get_credentials().get_frozen_credentials()\nprint(c.access_key)"
        );
        let base = home.cmd(Some(portal.url()));
        let mut cmd = Command::new("python3");
        cmd.env_clear()
            .args(["-c", &py])
            .env("PATH", std::env::var("PATH").unwrap_or_default());
        for (k, v) in base.get_envs() {
            if let Some(v) = v {
                cmd.env(k, v);
            }
        }
        cmd.env("AWS_CONFIG_FILE", home.config_path());
        let o = run(&mut cmd).await;
        assert!(o.status.success(), "{profile}: {}", stderr(&o));
        assert_eq!(
            stdout(&o).trim(),
            portal.last_issued().unwrap().access_key_id,
            "{profile}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_sessions_with_the_same_names_get_session_suffixes() {
    let (portal, home) = setup(org()).await;
    home.write_config(&format!(
        "[sso-session corp]\nsso_start_url = {URL}\nsso_region = us-east-1\n\n\
         [sso-session other]\nsso_start_url = https://other.awsapps.com/start\nsso_region = us-east-1\n"
    ));
    home.write_token("other", portal.token(), 3600);
    for session in ["corp", "other", "corp", "other"] {
        let o = run(home.cmd(Some(portal.url())).args([
            "profile",
            "--all",
            "--write",
            "--session",
            session,
        ]))
        .await;
        assert_eq!(o.status.code(), Some(0), "{session}: {}", stderr(&o));
    }
    let text = std::fs::read_to_string(home.config_path()).unwrap();
    assert_eq!(
        text.matches("[profile payments-prod/AdministratorAccess]")
            .count(),
        1,
        "{text}"
    );
    assert_eq!(
        text.matches("[profile payments-prod/AdministratorAccess-other]")
            .count(),
        1,
        "{text}"
    );
    assert_eq!(text.matches("# BEGIN ssopick").count(), 2);
    let parsed = ssopick::sso::config::parse(&text);
    assert_eq!(
        parsed
            .profile("payments-prod/AdministratorAccess-other")
            .unwrap()
            .sso_session
            .as_deref(),
        Some("other")
    );
}
