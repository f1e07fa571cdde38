//! Keys while a listing's events arrive: refreshes, arrivals, marks and
//! an expired session.

use super::*;

#[test]
fn a_second_refresh_drops_accounts_that_never_showed_roles() {
    let mut p = picker();
    let acct = |id: &str, name: &str| Account::new(id, name, "");
    let names = |p: &mut Picker| {
        p.match_now();
        let mut v: Vec<String> = p
            .accounts
            .iter()
            .map(|a| a.account.account_name.clone())
            .collect();
        v.dedup();
        v
    };
    // First refresh: two new accounts, neither gets roles.
    p.start_refresh();
    p.apply_fetch(FetchEvent::Accounts(vec![
        acct("555555555555", "zz-new-a"),
        acct("666666666666", "aa-new-b"),
    ]));
    assert_eq!(names(&mut p).len(), 6);
    // Second refresh lists only one of them again (before a rebuild).
    p.start_refresh();
    p.apply_fetch(FetchEvent::Accounts(vec![acct("666666666666", "aa-new-b")]));
    p.apply_fetch(FetchEvent::Roles {
        account_id: "666666666666".into(),
        roles: vec!["Dev".into()],
    });
    assert_eq!(
        names(&mut p),
        vec![
            "aa-new-b",
            "eu-payroll",
            "payments-dev",
            "payments-prod",
            "search-prod"
        ]
    );
    typed(&mut p, "aa-new");
    assert_eq!(selected(&p), "aa-new-b Dev");
}

#[test]
fn typing_is_matched_on_current_rows_while_arrivals_wait() {
    let mut p = picker();
    p.start_refresh();
    p.apply_fetch(FetchEvent::Accounts(vec![Account::new(
        "555555555555",
        "payments-new",
        "",
    )]));
    for c in "paym".chars() {
        handle_key(&mut p, key(KeyCode::Char(c)));
    }
    let req = p
        .take_match_request_if(false)
        .expect("the query is matched");
    assert!(p.needs_rebuild(), "the arrival still waits");
    let r = crate::matching::run_match(&ssopick_core::filter::Matcher::default(), &req);
    assert!(p.apply_matches(r));
    assert_eq!(
        p.found.matches.len(),
        3,
        "the old rows: payments-prod x2, payments-dev"
    );
    // The rebuild, when due, brings the new account in.
    p.match_now();
    assert!(!p.needs_rebuild());
    assert_eq!(p.found.matches.len(), 4);
}

#[test]
fn live_arrivals_keep_the_selection_and_mark_changes() {
    let mut p = picker();
    typed(&mut p, "prod");
    handle_key(&mut p, key(KeyCode::Down));
    let before = selected(&p);
    p.start_refresh();
    p.apply_fetch(FetchEvent::Accounts(vec![
        Account::new("000000000000", "a-new-prod", ""),
        Account::new("111111111111", "payments-prod", ""),
        Account::new("333333333333", "search-prod", ""),
    ]));
    p.match_now();
    assert_eq!(selected(&p), before, "selection stays on the same entry");
    let loading = p.loading_matches();
    assert_eq!(loading, vec!["000000000000".to_string()]);
    assert_eq!(handle_key(&mut p, key(KeyCode::Home)), Outcome::Redraw);
    assert_eq!(p.selected_row().unwrap().role, None);
    assert_eq!(
        p.accept(Action::Default),
        Outcome::Redraw,
        "a loading row cannot be picked"
    );
    p.apply_fetch(FetchEvent::Roles {
        account_id: "000000000000".into(),
        roles: vec!["Dev".into()],
    });
    p.apply_fetch(FetchEvent::Roles {
        account_id: "111111111111".into(),
        roles: vec!["AdministratorAccess".into()],
    });
    p.apply_fetch(FetchEvent::Progress(Progress {
        accounts: 3,
        accounts_complete: true,
        ..Progress::default()
    }));
    p.match_now();
    let mark_of = |p: &Picker, name: &str, role: &str| {
        p.rows
            .iter()
            .find(|r| p.account_of(r).account_name == name && r.role.as_deref() == Some(role))
            .map(|r| r.mark)
    };
    assert_eq!(mark_of(&p, "a-new-prod", "Dev"), Some(Mark::New));
    assert_eq!(
        mark_of(&p, "payments-prod", "ReadOnlyAccess"),
        Some(Mark::Removed)
    );
    assert_eq!(
        mark_of(&p, "payments-prod", "AdministratorAccess"),
        Some(Mark::None)
    );
    assert_eq!(
        mark_of(&p, "payments-dev", "AdministratorAccess"),
        Some(Mark::Removed),
        "account gone"
    );
    assert_eq!(
        mark_of(&p, "search-prod", "ReadOnlyAccess"),
        Some(Mark::None),
        "not re-fetched: kept"
    );
}

#[test]
fn expired_session_keeps_browsing_but_refuses_to_pick() {
    let mut p = picker();
    p.status.expired = Some("run aws sso login --sso-session corp".into());
    typed(&mut p, "search");
    assert_eq!(handle_key(&mut p, key(KeyCode::Enter)), Outcome::Redraw);
    assert!(
        p.status
            .message
            .as_deref()
            .unwrap()
            .contains("aws sso login")
    );
}

/// A first listing: the highlight follows the best match while the user
/// has not moved it, and a loading row the user chose becomes its first
/// role when the roles arrive (never another account's row).
#[test]
fn the_highlight_never_jumps_to_another_account_while_roles_arrive() {
    let acct = |id: &str, name: &str| Account::new(id, name, "");
    let mut p = Picker::new("corp", None, History::default(), UtcTime(0), "pay prod");
    p.start_refresh();
    p.apply_fetch(FetchEvent::Accounts(vec![
        acct("111111111111", "payments-eu-prod"),
        acct("222222222222", "payments-prod"),
        acct("333333333333", "payments-dev"),
        acct("444444444444", "billing-prod"),
    ]));
    p.match_now();
    let roles = |p: &mut Picker, id: &str, r: &[&str]| {
        p.apply_fetch(FetchEvent::Roles {
            account_id: id.into(),
            roles: r.iter().map(std::string::ToString::to_string).collect(),
        });
        p.match_now();
    };
    roles(
        &mut p,
        "222222222222",
        &["AdministratorAccess", "ReadOnlyAccess"],
    );
    roles(
        &mut p,
        "111111111111",
        &["PowerUserAccess", "ViewOnlyAccess"],
    );
    // Untouched: the best match is highlighted.
    assert_eq!(p.list.selected, 0);
    let best = selected(&p);
    // The user moves onto a loading row and presses Enter...
    roles(&mut p, "444444444444", &[]);
    let mut p2 = Picker::new("corp", None, History::default(), UtcTime(0), "");
    p2.start_refresh();
    p2.apply_fetch(FetchEvent::Accounts(vec![
        acct("111111111111", "alpha"),
        acct("222222222222", "beta"),
        acct("333333333333", "gamma"),
    ]));
    p2.match_now();
    roles(&mut p2, "111111111111", &["A1", "A2"]);
    handle_key(&mut p2, key(KeyCode::Down));
    handle_key(&mut p2, key(KeyCode::Down));
    assert!(
        p2.selected_row().unwrap().role.is_none(),
        "on beta, loading"
    );
    assert_eq!(handle_key(&mut p2, key(KeyCode::Enter)), Outcome::Redraw);
    assert_eq!(p2.take_wanted_first().as_deref(), Some("222222222222"));
    roles(&mut p2, "222222222222", &["B1", "B2"]);
    assert_eq!(selected(&p2), "beta B1");
    assert_eq!(p2.status.message, None, "the 'listing first' note is gone");
    assert!(best.starts_with("payments-"), "{best}");
}
