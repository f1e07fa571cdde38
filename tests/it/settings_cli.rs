//! The optional config file through the built binary.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakePortal};

async fn setup(config: &str) -> (FakePortal, Home, Vec<String>) {
    let (portal, home) = logged_in(6, 8, FakeOptions::default()).await;
    std::fs::create_dir_all(home.path().join("xdg-config/ssopick")).unwrap();
    std::fs::write(home.path().join("xdg-config/ssopick/config.toml"), config).unwrap();
    let prod = portal
        .org()
        .accounts
        .iter()
        .find(|a| a.account_name.contains("prod"))
        .unwrap();
    let pick = vec![
        "--account".into(),
        prod.account_id.clone(),
        "--role".into(),
        prod.roles[0].clone(),
    ];
    (portal, home, pick)
}

#[tokio::test(flavor = "multi_thread")]
async fn defaults_come_from_the_config_file() {
    let (portal, home, pick) =
        setup("export_format = \"fish\"\nprofile_name = \"x.{account_id}.{role_name}\"\n").await;
    let o = run(home.cmd(Some(portal.url())).arg("export").args(&pick)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("set -gx AWS_ACCESS_KEY_ID '"),
        "{}",
        stdout(&o)
    );
    let o = run(home
        .cmd(Some(portal.url()))
        .arg("export")
        .args(&pick)
        .args(["--format", "dotenv"]))
    .await;
    assert!(
        stdout(&o).starts_with("AWS_ACCESS_KEY_ID="),
        "--format wins: {}",
        stdout(&o)
    );
    let o = run(home.cmd(Some(portal.url())).arg("profile").args(&pick)).await;
    assert!(
        stdout(&o).contains(&format!("[profile x.{}.{}]", pick[1], pick[3])),
        "{}",
        stdout(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn production_accounts_need_confirmation() {
    let (portal, home, pick) = setup("[production]\npatterns = [\"*prod*\"]\n").await;
    let o = run(home
        .cmd(Some(portal.url()))
        .arg("exec")
        .args(&pick)
        .args(["--", "true"]))
    .await;
    assert_eq!(o.status.code(), Some(2), "no terminal to ask on: refused");
    assert!(
        stderr(&o).contains("production account") && stderr(&o).contains("--yes"),
        "{}",
        stderr(&o)
    );
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["exec", "--yes"])
        .args(&pick)
        .args(["--", "true"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Exports are not guarded: they start nothing.
    let o = run(home.cmd(Some(portal.url())).arg("export").args(&pick)).await;
    assert_eq!(o.status.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broken_config_file_is_a_clear_usage_error() {
    let (portal, home, _) = setup("colour = \"never\"\n").await;
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("config.toml") && err.contains("colour"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshot_max_age_decides_when_list_asks_the_portal() {
    // Default (24 h): the second `list` uses the snapshot the first saved.
    let (portal, home, _) = setup("").await;
    let first = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let listed = portal.stats().list_accounts;
    assert!(listed > 0);
    let again = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(stdout(&again), stdout(&first));
    assert_eq!(
        portal.stats().list_accounts,
        listed,
        "served from the snapshot"
    );

    // max_age = "0s": every `list` lists anew.
    let (portal, home, _) = setup("[snapshot]\nmax_age = \"0s\"\n").await;
    for _ in 0..2 {
        let o = run(home.cmd(Some(portal.url())).arg("list")).await;
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let s = portal.stats();
    assert!(
        s.list_accounts >= 2,
        "both runs asked the portal: {}",
        s.list_accounts
    );

    // A bad age is a usage error that names the file's problem.
    let (portal, home, _) = setup("[snapshot]\nmax_age = \"a week\"\n").await;
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not an age"), "{}", stderr(&o));
}
