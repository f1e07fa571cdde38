//! The right role, or a clear no, end to end: an exact account name with a
//! role it lacks exits 6 naming its roles (every account of a 300-account
//! organisation), and on a first run a query that names an account exactly
//! is answered after the ListAccounts pages and that account's roles, not
//! after the whole listing (the fake's request log).

use crate::common::*;
use ssopick::fake::{FakeAccount, FakeOptions, FakeOrg, FakePortal};

const ROLES: [&str; 8] = [
    "AdministratorAccess",
    "ReadOnlyAccess",
    "NetworkAdministrator",
    "DatabaseAdministrator",
    "SecurityAudit",
    "BillingAccess",
    "PowerUserAccess",
    "ViewOnlyAccess",
];

fn lacking(a: &FakeAccount) -> &'static str {
    ROLES
        .iter()
        .find(|r| !a.roles.iter().any(|x| x == *r))
        .expect("no account has every role")
}

#[tokio::test(flavor = "multi_thread")]
async fn every_account_named_with_a_role_it_lacks_exits_6_with_its_roles() {
    let (portal, home) = logged_in_to(FakeOrg::numbered(300, 5), FakeOptions::default()).await;
    home.take_snapshot(portal.url()).await;
    let before = portal.stats().get_credentials;
    for a in &portal.org().accounts {
        let role = lacking(a);
        let o = run(home
            .cmd(Some(portal.url()))
            .args(["export", &a.account_name, role]))
        .await;
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(6), "{} {role}: {err}", a.account_name);
        assert!(
            err.contains(&format!(
                "account {} ({}) has no role matching {role:?}; its roles: {}",
                a.account_name,
                a.account_id,
                a.roles.join(", ")
            )),
            "{err}"
        );
        assert!(stdout(&o).is_empty(), "no keys printed");
    }
    assert_eq!(portal.stats().get_credentials, before, "no keys fetched");
    // And with the role it has: exactly that account's keys.
    for a in portal.org().accounts.iter().step_by(7) {
        let o = run(home
            .cmd(Some(portal.url()))
            .args(["export", &a.account_name, &a.roles[0]]))
        .await;
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let issued = portal.last_issued().unwrap();
        assert_eq!(
            (issued.account_id.as_str(), issued.role.as_str()),
            (a.account_id.as_str(), a.roles[0].as_str())
        );
    }
}

/// The request log up to the first GetRoleCredentials: (ListAccounts
/// calls, ListAccountRoles calls), and the account the credentials were for.
/// The calls before the keys were fetched or, with the listing that goes
/// on behind a child (issue 31), before that listing began its own pass:
/// (ListAccounts, ListAccountRoles, the account of the keys).
fn before_credentials(portal: &FakePortal) -> (usize, usize, Option<String>) {
    let calls = portal.calls();
    let first = calls
        .iter()
        .position(|c| c.op == "GetRoleCredentials")
        .expect("credentials were fetched");
    let pages = 700usize.div_ceil(ssopick::edge::portal::PAGE_SIZE as usize);
    let second_pass = calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.op == "ListAccounts")
        .nth(pages)
        .map_or(calls.len(), |(i, _)| i);
    let end = first.min(second_pass);
    let count = |op: &str| calls[..end].iter().filter(|c| c.op == op).count();
    (
        count("ListAccounts"),
        count("ListAccountRoles"),
        calls[first].account_id.clone(),
    )
}

async fn first_run() -> (FakePortal, Home, FakeAccount, usize) {
    let (portal, home) = logged_in_to(FakeOrg::numbered(700, 9), FakeOptions::default()).await;
    // An account late in the listing, whose name starts others' (x-6,
    // x-60..x-69).
    let a = portal
        .org()
        .accounts
        .iter()
        .find(|a| a.account_name == "mobile-dev-ap-6")
        .unwrap()
        .clone();
    let pages = 700usize.div_ceil(ssopick::edge::portal::PAGE_SIZE as usize);
    (portal, home, a, pages)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_run_answers_an_exact_name_before_the_rest_of_the_listing() {
    // export, no snapshot.
    let (portal, home, a, pages) = first_run().await;
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["export", &a.account_name, &a.roles[0]]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (lists, roles, id) = before_credentials(&portal);
    assert_eq!(lists, pages, "every ListAccounts page first");
    assert!(roles <= 2, "{roles} ListAccountRoles calls before the keys");
    assert_eq!(id.as_deref(), Some(a.account_id.as_str()));
    // exec, off a terminal.
    let (portal, home, a, pages) = first_run().await;
    let o = run(home.cmd(Some(portal.url())).args([
        "exec",
        &a.account_name,
        &a.roles[0],
        "--",
        "true",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (lists, roles, id) = before_credentials(&portal);
    assert_eq!(lists, pages);
    assert!(roles <= 2, "{roles} ListAccountRoles calls before the keys");
    assert_eq!(id.as_deref(), Some(a.account_id.as_str()));
    // A role it lacks: exit 6 as soon as its roles are in.
    let (portal, home, a, _) = first_run().await;
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["export", &a.account_name, lacking(&a)]))
    .await;
    assert_eq!(o.status.code(), Some(6), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("has no role matching"),
        "{}",
        stderr(&o)
    );
    assert!(portal.stats().list_roles <= 2, "{:?}", portal.stats());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_first_run_in_a_terminal_goes_straight_in_too() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home, a, pages) = first_run().await;
    let out = home.path().join("ran.txt");
    let script = home.script(
        Some(portal.url()),
        &format!(
            "{} exec {} {} -- sh -c 'echo \"$AWS_CONTAINER_CREDENTIALS_FULL_URI\" > {}'\nsleep 30\n",
            env!("CARGO_BIN_EXE_ssopick"),
            a.account_name,
            a.roles[0],
            out.display()
        ),
    );
    let _tmux = Tmux::start(&script, 120, 30);
    let ran = wait_file(&out);
    assert!(ran.starts_with("http://127.0.0.1:"), "{ran}");
    let (lists, roles, id) = before_credentials(&portal);
    assert_eq!(lists, pages);
    assert!(roles <= 2, "{roles} ListAccountRoles calls before the keys");
    assert_eq!(id.as_deref(), Some(a.account_id.as_str()));
}
