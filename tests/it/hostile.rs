//! A portal that sends hostile names (through an endpoint override): rows
//! AWS would never send are skipped with a warning, names are cleaned, and
//! nothing reaches the terminal, the config file or a shell as code.

use crate::common::*;
use ssopick::fake::{FakeAccount, FakeOptions, FakeOrg};

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
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
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
        stderr(&o).contains("such rows are skipped"),
        "{}",
        stderr(&o)
    );
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["profile", "--all", "--write", "--style", "process"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
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
