//! The picker's screens for the README, rendered by the real view code on
//! the demo organisation with a fixed clock. Shared by `examples/screens.rs`
//! (writes them) and `tests/it/screens.rs` (compares them with the
//! committed files).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ssopick::core::catalog::Catalog;
use ssopick::core::history::History;
use ssopick::core::listing::{FetchEvent, Progress};
use ssopick::core::time::UtcTime;
use ssopick::fake::FakeOrg;
use ssopick::picker::Picker;
use ssopick::picker::keys::handle_key;
use ssopick::picker::svg::buffer_to_svg;
use ssopick::picker::view::{Theme, ViewConfig, draw};

const W: u16 = 112;
const H: u16 = 30;

fn demo_catalog(now: UtcTime) -> Catalog {
    FakeOrg::demo().to_catalog(
        "demo",
        "https://ssopick-demo.awsapps.com/start",
        UtcTime(now.0 - 1260),
    )
}

fn history(org: &FakeOrg, now: UtcTime) -> History {
    let mut h = History::default();
    for (name, n) in [
        ("payments-prod", 9),
        ("search-prod", 4),
        ("sandbox-alice", 12),
    ] {
        if let Some(a) = org.accounts.iter().find(|a| a.account_name == name) {
            for _ in 0..n {
                h.record(
                    "demo",
                    &a.account_id,
                    &a.roles[0],
                    UtcTime(now.0 - 3 * 3600),
                );
            }
        }
    }
    h
}

fn render(p: &mut Picker, title: &str) -> String {
    let mut term = Terminal::new(TestBackend::new(W, H)).expect("terminal");
    let cfg = ViewConfig {
        enter_label: "shell",
        theme: Theme { color: true },
    };
    term.draw(|f| draw(f, p, &cfg)).expect("draw");
    buffer_to_svg(term.backend().buffer(), title)
}

fn key(p: &mut Picker, k: KeyCode) {
    handle_key(p, KeyEvent::new(k, KeyModifiers::NONE));
}

/// Every screen as (file name, SVG text).
pub(crate) fn scenes() -> Vec<(String, String)> {
    // A fixed clock: the committed screenshots are compared byte for byte
    // (tests/it/screens.rs), so nothing in them may depend on today.
    let now = UtcTime(1_796_126_400); // 2026-12-01T12:00:00Z
    let org = FakeOrg::demo();
    let cat = demo_catalog(now);
    let settings =
        ssopick::core::settings::Settings::parse("[production]\npatterns = [\"*-prod\"]")
            .expect("settings");
    let picker = |q: &str| {
        let mut p = Picker::new("demo", Some(&cat), history(&org, now), now, q);
        p.set_settings(settings.clone());
        p.match_now();
        p
    };
    let mut scenes: Vec<(&str, &str, Picker)> = Vec::new();
    let mut p = picker("pay prod");
    key(&mut p, KeyCode::Down);
    scenes.push((
        "picker",
        "ssopick --demo  ·  fuzzy search, highlights, details",
        p,
    ));
    let mut p = picker("search");
    key(&mut p, KeyCode::Tab);
    key(&mut p, KeyCode::Down);
    scenes.push(("action-menu", "ssopick --demo  ·  Tab: action menu", p));
    let mut p = picker("");
    key(&mut p, KeyCode::F(1));
    scenes.push(("help", "ssopick --demo  ·  ? or F1: help", p));
    // Live: a first listing, roles still streaming in.
    let mut p = Picker::new("demo", None, History::default(), now, "");
    p.set_settings(settings.clone());
    p.start_refresh();
    p.apply_fetch(FetchEvent::Accounts(
        cat.accounts.iter().map(|a| a.account.clone()).collect(),
    ));
    for a in cat.accounts.iter().step_by(3) {
        p.apply_fetch(FetchEvent::Roles {
            account_id: a.account.account_id.clone(),
            roles: a.roles.clone().unwrap_or_default(),
        });
    }
    let done = cat.accounts.len().div_ceil(3);
    p.apply_fetch(FetchEvent::Progress(Progress {
        accounts: cat.accounts.len(),
        accounts_complete: true,
        roles_done: done,
        in_flight: 8,
        limit: 16,
        throttled: 5,
        ..Progress::default()
    }));
    p.match_now();
    scenes.push((
        "live-refresh",
        "ssopick --demo  ·  first listing: roles streaming in",
        p,
    ));
    scenes
        .into_iter()
        .map(|(name, title, mut p)| (format!("{name}.svg"), render(&mut p, title)))
        .collect()
}
