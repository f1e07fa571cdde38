use super::*;
use crate::state::Mark;
use crossterm::event::{MouseButton, MouseEvent};
use ssopick_core::catalog::{Account, Catalog};
use ssopick_core::history::History;
use ssopick_core::listing::{FetchEvent, Progress};
use ssopick_core::time::UtcTime;

pub(super) fn catalog() -> Catalog {
    let mut c = Catalog::from_rows(
        "corp",
        [
            (
                "111111111111",
                "payments-prod",
                vec!["AdministratorAccess", "ReadOnlyAccess"],
            ),
            ("222222222222", "payments-dev", vec!["AdministratorAccess"]),
            ("333333333333", "search-prod", vec!["ReadOnlyAccess"]),
            ("444444444444", "eu-payroll", vec!["PowerUserAccess"]),
        ],
        |name| format!("{name}@example.com"),
    );
    c.sort();
    c.complete = true;
    c
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}
fn ctrl(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
}
fn typed(p: &mut Picker, s: &str) {
    for c in s.chars() {
        handle_key(p, key(KeyCode::Char(c)));
    }
    p.match_now();
}
fn selected(p: &Picker) -> String {
    let r = p.selected_row().unwrap();
    format!(
        "{} {}",
        p.account_of(r).account_name,
        r.role.clone().unwrap_or_default()
    )
}
fn picker() -> Picker {
    let mut p = Picker::new("corp", Some(&catalog()), History::default(), UtcTime(0), "");
    p.match_now();
    p
}

#[test]
fn typing_filters_and_editing_keys() {
    let mut p = picker();
    assert_eq!(p.matches.len(), 5);
    typed(&mut p, "pay adm");
    assert_eq!(p.matches.len(), 2);
    handle_key(&mut p, ctrl('w'));
    assert_eq!(p.query, "pay ");
    handle_key(&mut p, key(KeyCode::Backspace));
    assert_eq!(p.query, "pay");
    handle_key(&mut p, key(KeyCode::Left));
    handle_key(&mut p, key(KeyCode::Char('X')));
    assert_eq!(p.query, "paXy");
    handle_key(&mut p, ctrl('u'));
    assert_eq!(p.query, "y");
    handle_paste(&mut p, " 333333333333\n");
    assert_eq!(p.query, "333333333333y");
    handle_key(&mut p, ctrl('e'));
    handle_key(&mut p, key(KeyCode::Backspace));
    p.match_now();
    assert_eq!(p.matches.len(), 1);
    assert_eq!(selected(&p), "search-prod ReadOnlyAccess");
}

#[test]
fn alt_keys_move_and_delete_by_word_and_never_type() {
    let alt = |c: KeyCode| KeyEvent::new(c, KeyModifiers::ALT);
    let mut p = picker();
    typed(&mut p, "pay-eu adm");
    handle_key(&mut p, alt(KeyCode::Char('b')));
    assert_eq!(p.cursor, 7);
    handle_key(&mut p, alt(KeyCode::Char('b')));
    assert_eq!(p.cursor, 4);
    handle_key(&mut p, alt(KeyCode::Char('f')));
    assert_eq!(p.cursor, 6);
    handle_key(&mut p, alt(KeyCode::Char('x')));
    handle_key(&mut p, alt(KeyCode::Char('f')));
    assert_eq!((p.query.as_str(), p.cursor), ("pay-eu adm", 10));
    handle_key(&mut p, alt(KeyCode::Backspace));
    assert_eq!(p.query, "pay-eu ");
}

#[test]
fn a_pasted_email_selects_its_account() {
    let mut p = picker();
    handle_paste(&mut p, "Search-Prod@Example.com\n");
    p.match_now();
    assert_eq!(p.matches.len(), 1);
    assert_eq!(selected(&p), "search-prod ReadOnlyAccess");
    // And `list QUERY` agrees.
    let c = catalog();
    let q = vec!["search-prod@example.com".to_string()];
    let h = History::default();
    let rows = ssopick_core::select::rank(
        &[&c],
        &ssopick_core::select::Ask {
            account: None,
            role: None,
            query: &q,
        },
        &ssopick_core::select::Frecency {
            history: &h,
            now: UtcTime(0),
        },
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].account.account_id, "333333333333");
}

#[test]
fn navigation_and_outcomes() {
    let mut p = picker();
    p.page = 2;
    assert_eq!(selected(&p), "eu-payroll PowerUserAccess");
    for (k, want) in [
        (key(KeyCode::Down), "payments-dev AdministratorAccess"),
        (ctrl('n'), "payments-prod AdministratorAccess"),
        (ctrl('j'), "payments-prod ReadOnlyAccess"),
        (ctrl('p'), "payments-prod AdministratorAccess"),
        (ctrl('k'), "payments-dev AdministratorAccess"),
        (key(KeyCode::End), "search-prod ReadOnlyAccess"),
        (key(KeyCode::Home), "eu-payroll PowerUserAccess"),
        (key(KeyCode::PageDown), "payments-prod AdministratorAccess"),
        (key(KeyCode::PageUp), "eu-payroll PowerUserAccess"),
    ] {
        handle_key(&mut p, k);
        assert_eq!(selected(&p), want, "{k:?}");
    }
    assert_eq!(
        handle_key(&mut p, key(KeyCode::Enter)),
        Outcome::Accept(Action::Default)
    );
    assert_eq!(
        handle_key(&mut p, ctrl('y')),
        Outcome::Copy(Action::CopyExports)
    );
    assert_eq!(handle_key(&mut p, ctrl('r')), Outcome::Refresh);
    assert_eq!(handle_key(&mut p, key(KeyCode::Esc)), Outcome::Cancel);
    assert_eq!(handle_key(&mut p, ctrl('c')), Outcome::Cancel);
}

#[test]
fn many_matches_arrive_top_first_then_fully_sorted() {
    use crate::matching::{RANKED_FIRST, run_match_staged};
    let cat = ssopick_fake::FakeOrg::generated(1500, 5).to_catalog("corp", "u", UtcTime(0));
    let mut p = Picker::new("corp", Some(&cat), History::default(), UtcTime(0), "a");
    let req = p.take_match_request().unwrap();
    let mut results = Vec::new();
    run_match_staged(&ssopick_core::filter::Matcher::default(), &req, |r| {
        results.push(r.matches);
    });
    assert_eq!(
        results.len(),
        2,
        "two stages for {} matches",
        results[0].len()
    );
    let (first, last) = (&results[0], &results[1]);
    assert_eq!(
        first[..RANKED_FIRST],
        last[..RANKED_FIRST],
        "the top is final at once"
    );
    let (mut a, mut b) = (first.clone(), last.clone());
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "same set");
}

#[test]
fn enter_while_matching_waits_for_the_results() {
    let mut p = picker();
    for c in "search".chars() {
        handle_key(&mut p, key(KeyCode::Char(c)));
    }
    assert_eq!(
        handle_key(&mut p, key(KeyCode::Enter)),
        Outcome::Nothing,
        "results for 'search' not in yet"
    );
    assert_eq!(p.take_deferred(), None);
    p.match_now();
    assert_eq!(p.take_deferred(), Some(Outcome::Accept(Action::Default)));
    assert_eq!(selected(&p), "search-prod ReadOnlyAccess");
    assert_eq!(p.take_deferred(), None, "once");
}

#[test]
fn menu_and_help() {
    let mut p = picker();
    handle_key(&mut p, key(KeyCode::Tab));
    assert_eq!(p.mode, Mode::Menu(0));
    handle_key(&mut p, key(KeyCode::Down));
    assert_eq!(
        handle_key(&mut p, key(KeyCode::Enter)),
        Outcome::Accept(Action::PrintExports)
    );
    handle_key(&mut p, key(KeyCode::Tab));
    assert_eq!(
        handle_key(&mut p, key(KeyCode::Char('3'))),
        Outcome::Copy(Action::CopyExports)
    );
    handle_key(&mut p, key(KeyCode::Tab));
    assert_eq!(
        handle_key(&mut p, key(KeyCode::Char('4'))),
        Outcome::Accept(Action::PrintProfile)
    );
    handle_key(&mut p, key(KeyCode::Tab));
    assert_eq!(
        handle_key(&mut p, key(KeyCode::Char('5'))),
        // Copying stays in the picker, as Ctrl-Y does.
        Outcome::Copy(Action::CopyProfile)
    );
    handle_key(&mut p, key(KeyCode::Tab));
    assert_eq!(handle_key(&mut p, key(KeyCode::Esc)), Outcome::Redraw);
    assert_eq!(p.mode, Mode::List);
    handle_key(&mut p, key(KeyCode::Char('?')));
    assert_eq!(p.mode, Mode::Help);
    handle_key(&mut p, key(KeyCode::Char('x')));
    assert_eq!(p.mode, Mode::List);
    assert_eq!(p.query, "", "the key that closes help is not typed");
    handle_key(&mut p, key(KeyCode::F(1)));
    assert_eq!(p.mode, Mode::Help);
}

#[test]
fn mouse() {
    let mut p = picker();
    p.page = 10;
    p.list_top = 1;
    let ev = |kind, row| MouseEvent {
        kind,
        column: 3,
        row,
        modifiers: KeyModifiers::NONE,
    };
    handle_mouse(&mut p, ev(MouseEventKind::ScrollDown, 5));
    assert_eq!(p.selected, 3);
    handle_mouse(&mut p, ev(MouseEventKind::ScrollUp, 5));
    assert_eq!(p.selected, 0);
    assert_eq!(
        handle_mouse(&mut p, ev(MouseEventKind::Down(MouseButton::Left), 3)),
        Outcome::Redraw
    );
    assert_eq!(p.selected, 2);
    assert_eq!(
        handle_mouse(&mut p, ev(MouseEventKind::Down(MouseButton::Left), 3)),
        Outcome::Accept(Action::Default)
    );
    assert_eq!(
        handle_mouse(&mut p, ev(MouseEventKind::Down(MouseButton::Left), 40)),
        Outcome::Nothing
    );
}

#[test]
fn frecency_orders_empty_query_and_breaks_ties() {
    let mut h = History::default();
    h.record("corp", "333333333333", "ReadOnlyAccess", UtcTime(0));
    let mut p = Picker::new("corp", Some(&catalog()), h, UtcTime(0), "");
    p.match_now();
    assert_eq!(selected(&p), "search-prod ReadOnlyAccess");
}

#[test]
fn a_new_query_highlights_the_best_match() {
    let mut p = picker();
    typed(&mut p, "prod");
    handle_key(&mut p, key(KeyCode::Down));
    assert_eq!(p.selected, 1);
    typed(&mut p, " a");
    assert_eq!(p.selected, 0, "typing moves the highlight to the top");
    let top = p.matches[0];
    assert_eq!(p.selected_row(), p.rows.get(top as usize));
}

#[test]
fn a_second_refresh_drops_accounts_that_never_showed_roles() {
    let mut p = picker();
    let acct = |id: &str, name: &str| Account {
        account_id: id.into(),
        account_name: name.into(),
        email_address: String::new(),
        chain: None,
        meta: None,
    };
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
    p.apply_fetch(FetchEvent::Accounts(vec![Account {
        account_id: "555555555555".into(),
        account_name: "payments-new".into(),
        email_address: String::new(),
        chain: None,
        meta: None,
    }]));
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
        p.matches.len(),
        3,
        "the old rows: payments-prod x2, payments-dev"
    );
    // The rebuild, when due, brings the new account in.
    p.match_now();
    assert!(!p.needs_rebuild());
    assert_eq!(p.matches.len(), 4);
}

#[test]
fn live_arrivals_keep_the_selection_and_mark_changes() {
    let mut p = picker();
    typed(&mut p, "prod");
    handle_key(&mut p, key(KeyCode::Down));
    let before = selected(&p);
    p.start_refresh();
    p.apply_fetch(FetchEvent::Accounts(vec![
        Account {
            account_id: "000000000000".into(),
            account_name: "a-new-prod".into(),
            email_address: String::new(),
            chain: None,
            meta: None,
        },
        Account {
            account_id: "111111111111".into(),
            account_name: "payments-prod".into(),
            email_address: String::new(),
            chain: None,
            meta: None,
        },
        Account {
            account_id: "333333333333".into(),
            account_name: "search-prod".into(),
            email_address: String::new(),
            chain: None,
            meta: None,
        },
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
    let acct = |id: &str, name: &str| Account {
        account_id: id.into(),
        account_name: name.into(),
        email_address: String::new(),
        chain: None,
        meta: None,
    };
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
    assert_eq!(p.selected, 0);
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
