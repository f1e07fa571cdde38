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
