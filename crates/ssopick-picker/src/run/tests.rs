//! The real picker loop on a `TestBackend`, driven by scripted input and
//! fake effects: what the user sees while an effect is under way, the live
//! clock, and how the picker ends.

#![allow(clippy::unnecessary_wraps)]
use super::*;
use crate::view::Theme;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ssopick_core::catalog::Catalog;
use ssopick_core::history::History;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

const T0: i64 = 1_800_000_000;

/// A clock the test moves.
struct StepClock(AtomicI64);
impl Clock for StepClock {
    fn now(&self) -> UtcTime {
        UtcTime(self.0.load(Ordering::SeqCst))
    }
}

/// Input the test sends.
struct Keys(mpsc::UnboundedReceiver<std::io::Result<Event>>);
impl Stream for Keys {
    type Item = std::io::Result<Event>;
    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx)
    }
}

fn key(code: KeyCode) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn ctrl(c: char) -> std::io::Result<Event> {
    Ok(Event::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )))
}

fn catalog() -> Catalog {
    let mut c = Catalog::from_rows(
        "corp",
        [
            ("437459504728", "payments-prod", vec!["AdministratorAccess"]),
            ("570435156322", "payments-dev", vec!["DeveloperAccess"]),
            ("561760235452", "search-prod", vec!["ReadOnlyAccess"]),
        ],
        |name| format!("{name}@example.com"),
    );
    c.taken_at = UtcTime(T0 - 60);
    c
}

/// Copy waits for the test to say what it did; refresh is refused offline.
struct FakeEffects {
    copy_done: Mutex<Option<oneshot::Receiver<String>>>,
    copied: Arc<Mutex<Vec<Chosen>>>,
}

impl<'a> Effects<'a> for FakeEffects {
    fn copy(&self, rows: Vec<Chosen>, _what: Action) -> LocalFuture<'a, String> {
        self.copied.lock().unwrap().extend(rows);
        let rx = self.copy_done.lock().unwrap().take();
        Box::pin(async move {
            match rx {
                Some(rx) => rx.await.unwrap_or_default(),
                None => "copied".into(),
            }
        })
    }
    fn refresh(&self) -> Result<Listing<'a>, String> {
        Err("offline (--offline): not listing".into())
    }
}

struct Harness {
    keys: mpsc::UnboundedSender<std::io::Result<Event>>,
    screens: Arc<Mutex<Vec<String>>>,
    clock: &'static StepClock,
}

impl Harness {
    /// Waits (a generous 10 s) for a frame that shows `text`.
    async fn wait_for(&self, text: &str) -> String {
        let end = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if let Some(s) = self.screens.lock().unwrap().last()
                && s.contains(text)
            {
                return s.clone();
            }
            let last = self
                .screens
                .lock()
                .unwrap()
                .last()
                .cloned()
                .unwrap_or_default();
            assert!(
                tokio::time::Instant::now() < end,
                "no frame shows {text:?}; last:\n{last}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }
    fn send(&self, ev: std::io::Result<Event>) {
        self.keys.send(ev).unwrap();
    }
    fn typed(&self, text: &str) {
        for c in text.chars() {
            self.send(key(KeyCode::Char(c)));
        }
    }
}

fn screen(b: &TestBackend) -> String {
    let buf = b.buffer();
    let mut s = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            s.push_str(buf[(x, y)].symbol());
        }
        s.push('\n');
    }
    s
}

/// Runs the picker beside `script`, which drives it through the harness.
async fn with_picker<F, Fut>(
    expired: Option<&str>,
    effects: FakeEffects,
    script: F,
) -> Result<PickerExit, PickerError>
where
    F: FnOnce(Harness) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut picker = Picker::new(
        "corp",
        Some(&catalog()),
        History::default(),
        UtcTime(T0),
        "",
    );
    picker.status.expired = expired.map(str::to_string);
    run_picker(picker, None, None, effects, script).await
}

/// The real loop on a 100x20 `TestBackend`, beside `script`.
async fn run_picker<F, Fut>(
    picker: Picker,
    listing: Option<Listing<'static>>,
    snapshot: Option<mpsc::UnboundedReceiver<Loaded>>,
    effects: FakeEffects,
    script: F,
) -> Result<PickerExit, PickerError>
where
    F: FnOnce(Harness) -> Fut,
    Fut: Future<Output = ()>,
{
    let clock: &'static StepClock = Box::leak(Box::new(StepClock(AtomicI64::new(T0))));
    let (tx, rx) = mpsc::unbounded_channel();
    let screens = Arc::new(Mutex::new(Vec::new()));
    let input = PickerInput {
        snapshot,
        picker,
        view: ViewConfig {
            enter_label: "shell",
            theme: Theme { color: false },
        },
        listing,
        effects,
        clock,
        no_login: None,
        settle: false,
    };
    let mut term = Terminal::new(TestBackend::new(100, 20)).unwrap();
    let mut keys = Keys(rx);
    let seen = screens.clone();
    let harness = Harness {
        keys: tx,
        screens: screens.clone(),
        clock,
    };
    let run = run(
        input,
        &mut term,
        &mut keys,
        std::future::pending(),
        move |b, _| {
            seen.lock().unwrap().push(screen(b));
        },
    );
    let (exit, ()) = tokio::join!(run, script(harness));
    exit
}

fn effects() -> (
    FakeEffects,
    oneshot::Sender<String>,
    Arc<Mutex<Vec<Chosen>>>,
) {
    let (tx, rx) = oneshot::channel();
    let copied = Arc::new(Mutex::new(Vec::new()));
    (
        FakeEffects {
            copy_done: Mutex::new(Some(rx)),
            copied: copied.clone(),
        },
        tx,
        copied,
    )
}

#[tokio::test]
async fn typing_goes_on_while_ctrl_y_gets_credentials() {
    let (fx, done, copied) = effects();
    let done = Mutex::new(Some(done));
    let exit = with_picker(None, fx, |h| async move {
        h.wait_for("3/3").await;
        h.send(ctrl('y'));
        h.wait_for("getting credentials for payments-dev DeveloperAccess…")
            .await;
        // The copy has not finished, and the picker still takes keys.
        h.typed("search");
        let s = h.wait_for("> search").await;
        assert!(s.contains("1/3"), "{s}");
        assert!(s.contains("getting credentials"), "{s}");
        let tx = done.lock().unwrap().take().unwrap();
        tx.send("copied credentials for payments-dev".into())
            .unwrap();
        h.wait_for("copied credentials for payments-dev").await;
        h.send(key(KeyCode::Esc));
    })
    .await;
    assert_eq!(exit.unwrap(), PickerExit::Cancelled);
    let copied = copied.lock().unwrap();
    assert_eq!(copied.len(), 1);
    assert_eq!(copied[0].account.account_name, "payments-dev");
}

#[tokio::test]
async fn the_snapshot_age_ticks_with_the_clock() {
    let (fx, _, _) = effects();
    let exit = with_picker(None, fx, |h| async move {
        h.wait_for("snapshot 1m old").await;
        h.clock.0.fetch_add(3 * 3600, Ordering::SeqCst);
        // Any redraw shows the time that has passed.
        h.send(key(KeyCode::Down));
        h.wait_for("snapshot 3h 01m old").await;
        h.send(key(KeyCode::Esc));
    })
    .await;
    assert_eq!(exit.unwrap(), PickerExit::Cancelled);
}

#[tokio::test]
async fn ctrl_l_ends_with_the_query_and_row_to_come_back_to() {
    let (fx, _, _) = effects();
    let exit = with_picker(
        Some("Ctrl-L logs in: session corp expired"),
        fx,
        |h| async move {
            h.typed("prod");
            h.wait_for("2/3").await;
            h.send(key(KeyCode::Down));
            h.send(ctrl('l'));
        },
    )
    .await
    .unwrap();
    let PickerExit::Login { query, selected } = exit else {
        panic!("{exit:?}")
    };
    assert_eq!(query, "prod");
    assert_eq!(selected.unwrap().account.account_name, "search-prod");
}

#[tokio::test]
async fn ctrl_r_says_why_it_does_not_list() {
    let (fx, _, _) = effects();
    let exit = with_picker(None, fx, |h| async move {
        h.wait_for("3/3").await;
        h.send(ctrl('r'));
        h.wait_for("offline (--offline): not listing").await;
        h.send(key(KeyCode::Enter));
    })
    .await
    .unwrap();
    let PickerExit::Chosen { chosen, action, .. } = exit else {
        panic!("{exit:?}")
    };
    assert_eq!(action, Action::Default);
    assert_eq!(chosen.account.account_name, "payments-dev");
}

#[tokio::test]
async fn a_pasted_burst_is_one_frame() {
    let (fx, _, _) = effects();
    let exit = with_picker(None, fx, |h| async move {
        h.wait_for("3/3").await;
        let before = h.screens.lock().unwrap().len();
        h.typed("search");
        h.wait_for("> search").await;
        // Six keys, one frame for them (and at most one for the matches).
        let frames = h.screens.lock().unwrap().len() - before;
        assert!(frames <= 3, "{frames} frames for one burst");
        h.send(key(KeyCode::Esc));
    })
    .await;
    assert_eq!(exit.unwrap(), PickerExit::Cancelled);
}

/// A listing whose end arrives before its last events were taken: the
/// events still count (rows are never left "loading").
/// A listing that sends `late-arrival` (role `LateRole`) in the same poll
/// that ends it, so the loop sees the end first.
fn late_arrival_listing() -> Listing<'static> {
    use ssopick_core::catalog::Account;
    let (ev_tx, ev_rx) = mpsc::unbounded_channel();
    let (pr_tx, _pr_rx) = mpsc::unbounded_channel();
    Listing {
        session: "corp".into(),
        events: ev_rx,
        priority: pr_tx,
        done: Box::pin(async move {
            ev_tx
                .send(FetchEvent::Accounts(vec![Account::new(
                    "999999999999",
                    "late-arrival",
                    "",
                )]))
                .unwrap();
            ev_tx
                .send(FetchEvent::Roles {
                    account_id: "999999999999".into(),
                    roles: vec!["LateRole".into()],
                })
                .unwrap();
            ListingEnd::Finished {
                taken_at: UtcTime(T0),
            }
        }),
    }
}

#[tokio::test]
async fn a_listing_that_ends_first_still_delivers_its_events() {
    let listing = late_arrival_listing();
    let (fx, _, _) = effects();
    let picker = Picker::new("corp", None, History::default(), UtcTime(T0), "");
    let exit = run_picker(picker, Some(listing), None, fx, |h| async move {
        let s = h.wait_for("LateRole").await;
        assert!(!s.contains("loading"), "{s}");
        h.send(key(KeyCode::Esc));
    })
    .await;
    assert_eq!(exit.unwrap(), PickerExit::Cancelled);
}

mod stream;
