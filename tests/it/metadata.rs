//! config.toml's `[[account]]`: aliases and tags are searchable in `list`
//! and the picker (tmux) and shown in its details pane, an account's
//! region reaches every delivery unless `--region` names one, and Ctrl-G
//! chooses the region for one delivery, the last used first next time.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};

fn org() -> FakeOrg {
    FakeOrg {
        accounts: vec![
            fake_account("111111111111", "payments-prod", &["Admin"]),
            fake_account("222222222222", "search-prod", &["Admin"]),
            fake_account("333333333333", "payments-dev", &["Admin"]),
        ],
    }
}

const CONFIG: &str = r#"
[[account]]
match = "*-prod"
tags = ["prod"]
region = "eu-west-1"

[[account]]
id = "111111111111"
alias = "cashier"
tags = ["payments"]
color = "purple"
region = "eu-central-1"
"#;

async fn setup() -> (FakePortal, Home) {
    let (portal, home) = logged_in_to(org(), FakeOptions::default()).await;
    let dir = home.path().join("xdg-config/ssopick");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), CONFIG).unwrap();
    home.take_snapshot(portal.url()).await;
    (portal, home)
}

fn names(out: &str) -> Vec<&str> {
    out.lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn tags_and_aliases_are_searched_and_listed() {
    let (portal, home) = setup().await;
    let list = |q: &[&str]| {
        let mut c = home.cmd(Some(portal.url()));
        c.arg("list").args(q);
        c
    };
    let o = run(&mut list(&["tag:prod"])).await;
    assert_eq!(names(&stdout(&o)), ["payments-prod", "search-prod"]);
    let o = run(&mut list(&["tag:payments"])).await;
    assert_eq!(names(&stdout(&o)), ["payments-prod"]);
    // A plain word finds the alias (and a tag) among the rest.
    let o = run(&mut list(&["cashier"])).await;
    assert_eq!(names(&stdout(&o)), ["payments-prod"]);
    let o = run(&mut list(&["!tag:prod"])).await;
    assert_eq!(names(&stdout(&o)), ["payments-dev"]);
    // A tag is exact (`tag:pro` is no tag), and anchors see the name alone.
    let o = run(&mut list(&["tag:pro"])).await;
    assert_eq!(o.status.code(), Some(6), "{}", stdout(&o));
    let o = run(&mut list(&["payments-prod$"])).await;
    assert_eq!(names(&stdout(&o)), ["payments-prod"]);
    let o = run(&mut list(&["^search"])).await;
    assert_eq!(names(&stdout(&o)), ["search-prod"]);
    let o = run(&mut list(&["--json", "cashier"])).await;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["alias"], "cashier");
    assert_eq!(v[0]["tags"], serde_json::json!(["prod", "payments"]));
    assert_eq!(v[0]["region"], "eu-central-1");
    // A bad entry is named, with the file.
    let dir = home.path().join("xdg-config/ssopick");
    std::fs::write(dir.join("config.toml"), "[[account]]\nid = \"1\"\n").unwrap();
    let o = run(&mut list(&[])).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("config.toml") && stderr(&o).contains("12-digit"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_account_region_reaches_deliveries_unless_region_is_given() {
    let (portal, home) = setup().await;
    let export = |extra: &[&str]| {
        let mut c = home.cmd(Some(portal.url()));
        // A region in the environment does not hide the account's own.
        c.env("AWS_REGION", "us-west-2").arg("export").args(extra);
        c
    };
    let region_of = |out: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix("export AWS_REGION="))
            .map(|v| v.trim_matches('\'').to_string())
    };
    let o = run(&mut export(&["cashier"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(region_of(&stdout(&o)).as_deref(), Some("eu-central-1"));
    let o = run(&mut export(&["search-prod"])).await;
    assert_eq!(region_of(&stdout(&o)).as_deref(), Some("eu-west-1"));
    let o = run(&mut export(&["payments-dev"])).await;
    assert_eq!(region_of(&stdout(&o)).as_deref(), Some("us-west-2"));
    let o = run(&mut export(&["cashier", "--region", "ap-south-1"])).await;
    assert_eq!(region_of(&stdout(&o)).as_deref(), Some("ap-south-1"));
    // `--account`/`--role` take it too, and so do profile blocks.
    let o = run(home.cmd(Some(portal.url())).args([
        "profile",
        "--account",
        "222222222222",
        "--role",
        "Admin",
    ]))
    .await;
    assert!(
        stdout(&o).contains("region = eu-west-1\n"),
        "{}",
        stdout(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_picker_filters_by_tag_shows_metadata_and_ctrl_g_picks_a_region() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = setup().await;
    let d = home.path().display();
    let body = format!(
        "'{exe}' export > {d}/out; echo $? > {d}/rc\n'{exe}' export > {d}/out2; echo $? > {d}/rc2\nsleep 120\n",
        exe = env!("CARGO_BIN_EXE_ssopick")
    );
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 120, 30);
    tokio::task::block_in_place(|| {
        t.wait_for("the picker", |s| s.contains("3/3"));
        t.literal("tag:payments");
        let s = t.wait_for("the tag's row", |s| s.contains("1/3"));
        assert!(s.contains("payments-prod"), "{s}");
        let s = t.wait_for("the details", |s| s.contains("alias cashier"));
        assert!(
            s.contains("tags prod, payments") && s.contains("region eu-central-1"),
            "{s}"
        );
        // Ctrl-G: the account's own region first, then the partition's.
        t.keys(&["C-g"]);
        t.wait_for("the region list", |s| {
            s.contains("the account's own region")
        });
        for _ in 0..3 {
            t.keys(&["Down"]);
        }
        t.keys(&["Enter"]);
        t.wait_for("the chosen region", |s| {
            s.contains("region us-west-1 for this delivery")
        });
        t.keys(&["Enter"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "0");
    let out = std::fs::read_to_string(home.path().join("out")).unwrap();
    assert!(
        out.contains("export AWS_REGION='us-west-1'")
            || out.contains("export AWS_REGION=us-west-1"),
        "{out}"
    );
    // Next time the region used last comes first.
    tokio::task::block_in_place(|| {
        t.wait_for("the picker again", |s| s.contains("3/3"));
        t.keys(&["C-g"]);
        t.wait_for("the region list", |s| {
            s.contains("the account's own region")
        });
        t.keys(&["Down", "Enter"]);
        t.wait_for("the recent region", |s| {
            s.contains("region us-west-1 for this delivery")
        });
        t.keys(&["Escape"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc2")));
    assert_eq!(rc.trim(), "130");
}
