//! A large snapshot in the real picker (tmux): it opens before the file is
//! read whole, takes typing meanwhile, and once read every row is there,
//! the last account included. A snapshot written before the head carried
//! its counts, or with its head after the accounts, still opens.

use crate::common::*;
use ssopick::core::catalog::Catalog;
use ssopick::fake::FakeOrg;

fn snapshot_path(home: &Home) -> std::path::PathBuf {
    ssopick::edge::snapshot::path(&home.cache(), URL)
}

/// A HOME with session `corp` (logged in; offline, so never asked) and a snapshot
/// of `accounts` generated accounts; the catalog.
fn home_with(accounts: usize) -> (Home, Catalog) {
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", "token-never-sent", 3600);
    let mut cat = FakeOrg::generated(accounts, 11).to_catalog("corp", URL, now());
    cat.sort();
    ssopick::edge::snapshot::save(&snapshot_path(&home), &cat).unwrap();
    (home, cat)
}

/// `ssopick --offline pick` in tmux (no login needed); its stdout goes to
/// `out`.
fn start(home: &Home) -> Tmux {
    let d = home.path().display();
    let body = format!(
        "'{exe}' --offline pick -f '{{account_id}} {{role_name}}' > {d}/out; echo $? > {d}/rc\nsleep 120\n",
        exe = env!("CARGO_BIN_EXE_ssopick")
    );
    Tmux::start(&home.script(None, &body), 120, 30)
}

/// Types the last account's id as soon as the picker shows rows, then
/// waits for every row and Enter; the exports name that account.
fn pick_the_last(home: &Home, cat: &Catalog) {
    let t = start(home);
    let last = &cat.accounts.last().unwrap().account;
    t.wait_for("the first rows", |s| {
        s.contains(&cat.accounts[0].account.account_id)
    });
    t.literal(&last.account_id);
    let total = cat.role_count();
    let s = t.wait_for("the whole snapshot, filtered", |s| {
        let mut l = s.lines();
        l.next().is_some_and(|q| q.contains(&last.account_id))
            && l.next().is_some_and(|r| r.contains(&last.account_id))
            && !s.contains("reading")
    });
    assert!(!s.contains(&format!("0/{total}")), "{s}");
    t.keys(&["Enter"]);
    assert_eq!(wait_file(&home.path().join("rc")).trim(), "0");
    let out = std::fs::read_to_string(home.path().join("out")).unwrap();
    let role = &cat.accounts.last().unwrap().roles.as_ref().unwrap()[0];
    assert_eq!(out.trim(), format!("{} {role}", last.account_id));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_snapshot_opens_at_once_and_the_last_account_can_be_picked() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (home, cat) = home_with(6_000);
    tokio::task::block_in_place(|| pick_the_last(&home, &cat));
}

#[tokio::test(flavor = "multi_thread")]
async fn snapshots_in_the_older_layouts_still_open() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (home, cat) = home_with(300);
    // Written as the catalog itself: no counts in the head.
    std::fs::write(snapshot_path(&home), serde_json::to_vec(&cat).unwrap()).unwrap();
    tokio::task::block_in_place(|| pick_the_last(&home, &cat));
    // The head after the accounts: read whole.
    let (home, cat) = home_with(300);
    let mut v: serde_json::Value = serde_json::to_value(&cat).unwrap();
    let accounts = v.as_object_mut().unwrap().remove("accounts").unwrap();
    let mut text = String::from("{\"accounts\":");
    text.push_str(&accounts.to_string());
    for (k, val) in v.as_object().unwrap() {
        text.push_str(&format!(",{}:{val}", serde_json::to_string(k).unwrap()));
    }
    text.push('}');
    std::fs::write(snapshot_path(&home), text).unwrap();
    tokio::task::block_in_place(|| pick_the_last(&home, &cat));
}
