//! Where credentials are used all day without a person at the keyboard:
//! agents (Claude Code's `awsCredentialExport` shape), prompts and status
//! bars (`status`).

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
use std::process::Command;

struct Fx {
    portal: FakePortal,
    home: Home,
    account: String,
    role: String,
}

async fn setup() -> Fx {
    let portal = FakePortal::start(FakeOrg::generated(6, 34), FakeOptions::default())
        .await
        .unwrap();
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", portal.token(), 3600);
    let a = &portal.org().accounts[2];
    let (account, role) = (a.account_id.clone(), a.roles[0].clone());
    Fx {
        portal,
        home,
        account,
        role,
    }
}

impl Fx {
    fn cmd(&self) -> Command {
        self.home.cmd(Some(self.portal.url()))
    }
}

/// `export --format claude` prints exactly Claude Code's documented
/// shape, answers from the credential cache once warm (the portal is not
/// asked again), never prompts, and ends with exit 3 and the login command
/// when the session has ended.
#[tokio::test(flavor = "multi_thread")]
async fn claude_export_has_the_documented_shape_and_uses_the_cache() {
    let fx = setup().await;
    let args = [
        "export",
        "--format",
        "claude",
        "--session",
        "corp",
        "--account",
        &fx.account,
        "--role",
        &fx.role,
    ];
    let o = run(fx.cmd().args(args)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let issued = fx.portal.last_issued().unwrap();
    let c = j["Credentials"].as_object().unwrap();
    let mut keys: Vec<&str> = c.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "AccessKeyId",
            "Expiration",
            "SecretAccessKey",
            "SessionToken"
        ]
    );
    assert_eq!(j.as_object().unwrap().len(), 1, "{j}");
    assert_eq!(c["AccessKeyId"], issued.access_key_id);
    let exp = c["Expiration"].as_str().unwrap();
    assert!(
        exp.len() == 20 && exp.ends_with('Z') && exp.as_bytes()[10] == b'T',
        "{exp}"
    );
    let calls = fx.portal.stats().get_credentials;
    let again = run(fx.cmd().args(args)).await;
    assert_eq!(stdout(&again), stdout(&o), "served from the cache");
    assert_eq!(fx.portal.stats().get_credentials, calls);

    // The same shape for a query that names one role.
    let o = run(fx
        .cmd()
        .args(["export", "--format", "claude", "--session", "corp"])
        .arg(&fx.account)
        .arg(&fx.role))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(j["Credentials"]["SessionToken"].is_string(), "{j}");

    // An ended session: exit 3, the command on stderr, no question asked.
    std::fs::remove_dir_all(fx.home.cache().join("credentials")).unwrap();
    fx.home.write_token("corp", fx.portal.token(), -60);
    let o = run(fx.cmd().args(args)).await;
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    assert!(stderr(&o).contains("login"), "{}", stderr(&o));
}
