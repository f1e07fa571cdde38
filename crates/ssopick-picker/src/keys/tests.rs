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
    assert_eq!(p.found.matches.len(), 5);
    typed(&mut p, "pay adm");
    assert_eq!(p.found.matches.len(), 2);
    handle_key(&mut p, ctrl('w'));
    assert_eq!(p.input.query, "pay ");
    handle_key(&mut p, key(KeyCode::Backspace));
    assert_eq!(p.input.query, "pay");
    handle_key(&mut p, key(KeyCode::Left));
    handle_key(&mut p, key(KeyCode::Char('X')));
    assert_eq!(p.input.query, "paXy");
    handle_key(&mut p, ctrl('u'));
    assert_eq!(p.input.query, "y");
    handle_paste(&mut p, " 333333333333\n");
    assert_eq!(p.input.query, "333333333333y");
    handle_key(&mut p, ctrl('e'));
    handle_key(&mut p, key(KeyCode::Backspace));
    p.match_now();
    assert_eq!(p.found.matches.len(), 1);
    assert_eq!(selected(&p), "search-prod ReadOnlyAccess");
}

#[test]
fn alt_keys_move_and_delete_by_word_and_never_type() {
    let alt = |c: KeyCode| KeyEvent::new(c, KeyModifiers::ALT);
    let mut p = picker();
    typed(&mut p, "pay-eu adm");
    handle_key(&mut p, alt(KeyCode::Char('b')));
    assert_eq!(p.input.cursor, 7);
    handle_key(&mut p, alt(KeyCode::Char('b')));
    assert_eq!(p.input.cursor, 4);
    handle_key(&mut p, alt(KeyCode::Char('f')));
    assert_eq!(p.input.cursor, 6);
    handle_key(&mut p, alt(KeyCode::Char('x')));
    handle_key(&mut p, alt(KeyCode::Char('f')));
    assert_eq!((p.input.query.as_str(), p.input.cursor), ("pay-eu adm", 10));
    handle_key(&mut p, alt(KeyCode::Backspace));
    assert_eq!(p.input.query, "pay-eu ");
}

#[test]
fn a_pasted_email_selects_its_account() {
    let mut p = picker();
    handle_paste(&mut p, "Search-Prod@Example.com\n");
    p.match_now();
    assert_eq!(p.found.matches.len(), 1);
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
    p.list.page = 2;
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
    assert_eq!(p.mode, Mode::Help(0));
    handle_key(&mut p, key(KeyCode::Down));
    handle_key(&mut p, key(KeyCode::Down));
    handle_key(&mut p, key(KeyCode::Up));
    assert_eq!(p.mode, Mode::Help(1), "up and down scroll the key list");
    handle_key(&mut p, key(KeyCode::Char('x')));
    assert_eq!(p.mode, Mode::List);
    assert_eq!(p.input.query, "", "the key that closes help is not typed");
    handle_key(&mut p, key(KeyCode::F(1)));
    assert_eq!(p.mode, Mode::Help(0));
}

#[test]
fn mouse() {
    let mut p = picker();
    p.list.page = 10;
    p.list.list_top = 1;
    let ev = |kind, row| MouseEvent {
        kind,
        column: 3,
        row,
        modifiers: KeyModifiers::NONE,
    };
    handle_mouse(&mut p, ev(MouseEventKind::ScrollDown, 5));
    assert_eq!(p.list.selected, 3);
    handle_mouse(&mut p, ev(MouseEventKind::ScrollUp, 5));
    assert_eq!(p.list.selected, 0);
    assert_eq!(
        handle_mouse(&mut p, ev(MouseEventKind::Down(MouseButton::Left), 3)),
        Outcome::Redraw
    );
    assert_eq!(p.list.selected, 2);
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
    assert_eq!(p.list.selected, 1);
    typed(&mut p, " a");
    assert_eq!(p.list.selected, 0, "typing moves the highlight to the top");
    let top = p.found.matches[0];
    assert_eq!(p.selected_row(), p.rows.get(top as usize));
}

/// Roles arriving while the user types: a listing's events.
mod live;
