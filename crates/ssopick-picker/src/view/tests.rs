//! Snapshot tests of real picker screens (insta), at 60x15, 80x24 and
//! 120x30, plus a 250x70 render.
use super::*;
use crate::keys::handle_key;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ssopick_core::catalog::{Account, Catalog};
use ssopick_core::history::History;
use ssopick_core::listing::{FetchEvent, Progress};
use ssopick_core::time::UtcTime;

const NOW: UtcTime = UtcTime(1_800_000_000);

fn catalog() -> Catalog {
    let mut c = Catalog::from_rows(
        "corp",
        [
            (
                "437459504728",
                "payments-prod",
                vec!["AdministratorAccess", "ReadOnlyAccess", "BillingAccess"],
            ),
            ("570435156322", "payments-dev", vec!["DeveloperAccess"]),
            (
                "561760235452",
                "search-prod",
                vec!["ReadOnlyAccess", "PowerUserAccess"],
            ),
            ("427970498904", "payments-eu-prod", vec!["PowerUserAccess"]),
            ("100439717024", "artifact-registry", vec!["ReadOnlyAccess"]),
            (
                "758590515605",
                "ci-build-runners-with-a-very-long-account-name",
                vec!["ReadOnlyAccess"],
            ),
        ],
        |name| format!("aws+{name}@example-corp.com"),
    );
    c.taken_at = UtcTime(NOW.0 - 720);
    c.sort();
    c.complete = true;
    c
}

/// The screen as text, each line followed by a caret line under
/// highlighted (matched) cells when there are any.
fn render(p: &mut Picker, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    let cfg = ViewConfig {
        enter_label: "shell",
        theme: Theme { color: true },
    };
    term.draw(|f| draw(f, p, &cfg)).unwrap();
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        let mut marks = String::new();
        for x in 0..w {
            let cell = &buf[(x, y)];
            line.push_str(cell.symbol());
            marks.push(
                if cell.modifier.contains(Modifier::UNDERLINED) && cell.fg == Color::Yellow {
                    '^'
                } else {
                    ' '
                },
            );
        }
        out.push_str(line.trim_end());
        out.push('\n');
        if !marks.trim().is_empty() {
            out.push_str(marks.trim_end());
            out.push('\n');
        }
    }
    out
}

fn picker(query: &str) -> Picker {
    let mut h = History::default();
    h.record(
        "corp",
        "561760235452",
        "ReadOnlyAccess",
        UtcTime(NOW.0 - 7200),
    );
    let mut p = Picker::new("corp", Some(&catalog()), h, NOW, query);
    p.match_now();
    p
}

fn both(name: &str, mut make: impl FnMut() -> Picker) {
    insta::assert_snapshot!(format!("{name}_80x24"), render(&mut make(), 80, 24));
    insta::assert_snapshot!(format!("{name}_60x15"), render(&mut make(), 60, 15));
    insta::assert_snapshot!(format!("{name}_120x30"), render(&mut make(), 120, 30));
}

/// Wide (CJK) names keep the columns aligned: the id column starts in the
/// same terminal cell on every row, at 60, 80, 120 and 200 columns.
#[test]
fn wide_names_keep_columns_aligned() {
    let mut c = Catalog::from_rows(
        "corp",
        [
            ("111111111111", "決済-本番", vec!["ReadOnlyAccess"]),
            ("222222222222", "payments-prod", vec!["ReadOnlyAccess"]),
            (
                "333333333333",
                "検索-開発環境-東京",
                vec!["AdministratorAccess"],
            ),
        ],
        |name| format!("{name}@example.com"),
    );
    c.complete = true;
    for (w, h) in [(60, 15), (80, 24), (120, 30), (200, 60)] {
        let mut p = Picker::new("corp", Some(&c), History::default(), NOW, "");
        p.match_now();
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        let cfg = ViewConfig {
            enter_label: "shell",
            theme: Theme { color: false },
        };
        term.draw(|f| draw(f, &mut p, &cfg)).unwrap();
        let buf = term.backend().buffer().clone();
        // The cell where each row's 12-digit id starts.
        let cols: Vec<u16> = (1..4)
            .map(|y| {
                (0..w)
                    .find(|&x| {
                        (0..12).all(|k| {
                            x + k < w
                                && buf[(x + k, y)].symbol().chars().all(|c| c.is_ascii_digit())
                                && !buf[(x + k, y)].symbol().is_empty()
                        })
                    })
                    .unwrap_or(0)
            })
            .collect();
        let screen = render(&mut p, w, h);
        assert!(
            cols.windows(2).all(|x| x[0] == x[1]),
            "{w}x{h}: {cols:?}\n{screen}"
        );
        if w == 200 {
            insta::assert_snapshot!("wide_names_200x60", screen);
        }
    }
}

#[test]
fn loaded() {
    both("loaded", || picker(""));
}

#[test]
fn filtered_with_highlights() {
    both("filtered", || picker("pay prod"));
}

#[test]
fn no_match() {
    both("no_match", || picker("zzzz"));
}

#[test]
fn loading_live() {
    both("loading", || {
        let mut p = Picker::new("corp", None, History::default(), NOW, "");
        p.start_refresh();
        p.apply_fetch(FetchEvent::Accounts(vec![
            Account::new("437459504728", "payments-prod", "p@x"),
            Account::new("561760235452", "search-prod", "s@x"),
        ]));
        p.apply_fetch(FetchEvent::Roles {
            account_id: "561760235452".into(),
            roles: vec!["ReadOnlyAccess".into()],
        });
        p.apply_fetch(FetchEvent::Progress(Progress {
            accounts: 2,
            roles_done: 1,
            in_flight: 1,
            throttled: 3,
            ..Progress::default()
        }));
        p.match_now();
        p
    });
}

#[test]
fn error_and_expired() {
    both("error", || {
        let mut p = picker("");
        p.status.error = Some("AWS SSO portal: connection failed (showing the snapshot)".into());
        p
    });
    both("expired", || {
        let mut p = picker("search");
        p.status.expired =
            Some("run `aws sso login --sso-session corp`: session corp expired".into());
        p
    });
}

#[test]
fn every_size_from_60x15_to_250x70_draws() {
    for (w, h) in [(60, 15), (80, 24), (89, 15), (90, 16), (250, 70)] {
        for mode in [None, Some(KeyCode::Tab), Some(KeyCode::F(1))] {
            let mut p = picker("pay");
            if let Some(k) = mode {
                handle_key(&mut p, KeyEvent::new(k, KeyModifiers::NONE));
            }
            let screen = render(&mut p, w, h);
            match mode {
                None => {
                    assert!(screen.contains("> pay"), "{w}x{h}");
                    assert!(
                        screen.lines().any(|l| l.contains("payments-prod")),
                        "{w}x{h}\n{screen}"
                    );
                }
                Some(KeyCode::Tab) => assert!(screen.contains("action"), "{w}x{h}\n{screen}"),
                Some(_) => {
                    assert!(screen.contains(" keys · "), "{w}x{h}\n{screen}");
                    // Scrolled down, the last line of the key list shows.
                    for _ in 0..40 {
                        handle_key(&mut p, KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
                    }
                    let screen = render(&mut p, w, h);
                    assert!(screen.contains("quit (exit code 130)"), "{w}x{h}\n{screen}");
                    assert!(screen.contains("marks: + new"), "{w}x{h}\n{screen}");
                }
            }
        }
    }
}

#[test]
fn several_sessions_show_a_session_column() {
    both("multi_session", || {
        let mut p = picker("search");
        let mut other = catalog();
        other.session = "partner".into();
        p.add_session("partner", &other);
        p.expired_sessions.insert(
            "partner".into(),
            "run `ssopick login --session partner`".into(),
        );
        p.match_now();
        p
    });
}

/// The picker with `*prod*` as production, drawn `w` wide, 24 high.
fn drawn_with_production(w: u16, color: bool) -> ratatui::buffer::Buffer {
    let mut p = picker("");
    p.set_settings(
        ssopick_core::settings::Settings::parse("[production]\npatterns = [\"*prod*\"]").unwrap(),
    );
    p.match_now();
    let mut term = Terminal::new(TestBackend::new(w, 24)).unwrap();
    let cfg = ViewConfig {
        enter_label: "shell",
        theme: Theme { color },
    };
    term.draw(|f| draw(f, &mut p, &cfg)).unwrap();
    term.backend().buffer().clone()
}

fn buffer_line(buf: &ratatui::buffer::Buffer, y: u16) -> String {
    (0..buf.area.width)
        .map(|x| buf[(x, y)].symbol().to_string())
        .collect()
}

#[test]
fn production_rows_are_red() {
    let buf = drawn_with_production(80, true);
    let line = |y: u16| buffer_line(&buf, y);
    for y in 1..7 {
        let text = line(y);
        let red = buf[(2, y)].fg == Color::Red;
        assert_eq!(red, text.contains("prod"), "{text}");
    }
}

/// Without colour (NO_COLOR, TERM=dumb) production rows still stand out:
/// a `!` mark in the list and "production" in the details.
#[test]
fn production_rows_are_marked_without_colour() {
    let buf = drawn_with_production(120, false);
    let line = |y: u16| buffer_line(&buf, y);
    for y in 1..7 {
        let text = line(y);
        let name = text.split('│').next().unwrap_or("");
        assert_eq!(name.starts_with('!'), name.contains("prod"), "{text}");
        for x in 0..120 {
            assert_eq!(buf[(x, y)].fg, Color::Reset, "no colour at {x},{y}: {text}");
        }
    }
    let details: String = (1..24).map(line).collect::<Vec<_>>().join("\n");
    let screen: String = (0..24)
        .map(|y| line(y).trim_end().to_string())
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("production_no_color_120x24", screen);
    let selected_is_prod = line(1).contains("prod");
    assert_eq!(
        details.contains("! production"),
        selected_is_prod,
        "{details}"
    );
}

/// The help overlay shows every line of the key table, whole, on an
/// 80x24 terminal.
#[test]
fn help_shows_the_key_table() {
    let mut p = picker("");
    handle_key(&mut p, KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE));
    let screen = render(&mut p, 80, 24);
    for (label, what) in crate::keys::table::lines() {
        let line = screen
            .lines()
            .find(|l| l.contains(label))
            .unwrap_or_else(|| panic!("help lacks {label}:\n{screen}"));
        assert!(line.contains(what), "{label}: {line}");
    }
}

#[test]
fn help_and_menu() {
    both("help", || {
        let mut p = picker("");
        handle_key(&mut p, KeyEvent::new(KeyCode::F(1), KeyModifiers::NONE));
        p
    });
    both("menu", || {
        let mut p = picker("search");
        handle_key(&mut p, KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
        handle_key(&mut p, KeyEvent::new(KeyCode::Down, KeyModifiers::NONE));
        p
    });
}

#[test]
fn an_email_breaks_after_at_or_dot_only() {
    assert_eq!(
        wrap_at_separators("aws+artifact-registry@example-corp.com", 30),
        vec!["aws+artifact-registry@", "example-corp.com"]
    );
    assert_eq!(
        wrap_at_separators("a@b.example.com", 9),
        vec!["a@b.", "example.", "com"]
    );
    // A piece longer than a line is cut where it must be.
    assert_eq!(
        wrap_at_separators("abcdefgh@x", 4),
        vec!["abcd", "efgh", "@x"]
    );
}
