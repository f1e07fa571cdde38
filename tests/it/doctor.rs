//! `ssopick doctor`: paths, each session's state, overrides, and failures
//! with the fix on their line (exit 1).

use crate::common::*;
use ssopick::fake::FakeOptions;

#[tokio::test(flavor = "multi_thread")]
async fn doctor_reports_state_and_fails_with_fixes() {
    let (portal, home) = logged_in(5, 4, FakeOptions::default()).await;
    home.take_snapshot(portal.url()).await;
    let o = run(home.cmd(Some(portal.url())).arg("doctor")).await;
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("Session corp (https://d-abc123.awsapps.com/start, us-east-1)"),
        "{out}"
    );
    assert!(out.contains("ok   logged in until"), "{out}");
    assert!(
        out.contains(&format!(
            "snapshot: 5 accounts, {} roles",
            portal.org().role_count()
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "AWS_ENDPOINT_URL_SSO overrides the endpoint: {}",
            portal.url()
        )),
        "{out}"
    );
    assert!(
        out.contains(&home.config_path().display().to_string()),
        "{out}"
    );
    assert!(out.contains(&home.cache().display().to_string()), "{out}");

    // Broken: a bad config.toml and a cache folder others may write.
    let cfg = home.path().join("xdg-config/ssopick");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "default_action = 7\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(home.cache(), std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let o = run(home.cmd(Some(portal.url())).arg("doctor")).await;
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("FAIL settings:"), "{out}");
    #[cfg(unix)]
    assert!(
        out.contains("writable by others (mode 777) -> chmod 700"),
        "{out}"
    );
    // Not logged in: a warning with the login command.
    let o = run(Home::new().cmd(None).arg("doctor")).await;
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("FAIL no SSO session is configured -> ssopick login --start-url"));
    // Only other profiles: they work without a session, so a warning; an
    // STS override is named.
    let home = Home::new();
    home.write_config("[profile client]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = secretsecretsecretsecret\n");
    let o = run(home
        .cmd(None)
        .arg("doctor")
        .env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9"))
    .await;
    let out = stdout(&o);
    assert!(
        out.contains(
            "no SSO session is configured; the AWS files' 1 other profile(s) are the rows"
        ),
        "{out}"
    );
    assert!(!out.contains("FAIL no SSO session"), "{out}");
    assert!(
        out.contains("AWS_ENDPOINT_URL_STS overrides the endpoint: http://127.0.0.1:9"),
        "{out}"
    );
    assert!(!out.contains("no endpoint overrides"), "{out}");
    // Profiles hidden by `[picker] profiles = false` are no rows.
    let cfg = home.path().join("xdg-config/ssopick");
    std::fs::create_dir_all(&cfg).unwrap();
    std::fs::write(cfg.join("config.toml"), "[picker]\nprofiles = false\n").unwrap();
    let o = run(home.cmd(None).arg("doctor")).await;
    assert!(
        stdout(&o).contains("FAIL no SSO session is configured"),
        "{}",
        stdout(&o)
    );
    // --demo: nothing to set up; the sandbox is named.
    let o = run(Home::new().cmd(None).args(["--demo", "doctor"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("never to ~/.aws"), "{}", stdout(&o));
}
