//! The picker's terminal loop: the only place that touches the terminal.
//! Draws on /dev/tty (stdout stays free for results, so `$(ssopick ...)`
//! works); input comes from the terminal even when stdin is redirected.
//! One `restore()` serves the guard's Drop, the panic hook and the signal
//! path (SIGTERM, SIGHUP). Matching runs on its own thread; the loop only
//! sends queries and takes results, so typing never waits for it.

use super::keys::{handle_key, handle_mouse, handle_paste};
use super::matching::{MatchRequest, MatchResult, run_match_staged};
use super::state::{Action, Outcome, Picker};
use super::view::{Theme, ViewConfig, draw};
use crate::core::catalog::Catalog;
use crate::app::context::Context;
use crate::app::error::Error;
use crate::core::export::Chosen;
use crate::core::listing::FetchEvent;
use crate::core::filter::Matcher;
use crate::core::history::{self, History};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event,
    EventStream,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use futures_core::Stream;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::mpsc;

/// Least time between two rebuilds of the rows while arrivals stream in.
const REBUILD_EVERY: std::time::Duration = std::time::Duration::from_millis(50);

static ACTIVE: AtomicBool = AtomicBool::new(false);

fn open_tty() -> std::io::Result<Box<dyn Write + Send>> {
    #[cfg(unix)]
    {
        Ok(Box::new(
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open("/dev/tty")?,
        ))
    }
    #[cfg(not(unix))]
    {
        Ok(Box::new(std::io::stderr()))
    }
}

/// True when there is a terminal to run the picker on.
pub fn terminal_available() -> bool {
    open_tty().is_ok() && crossterm::terminal::size().is_ok_and(|(w, h)| w > 0 && h > 0)
}

/// Puts the terminal back: cooked mode, main screen, cursor shown. Safe to
/// call more than once and from a panic hook.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    if let Ok(mut tty) = open_tty() {
        let _ = execute!(
            tty,
            DisableMouseCapture,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = tty.flush();
    }
}

struct Guard;
impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

type Tty = Terminal<CrosstermBackend<Box<dyn Write + Send>>>;

fn setup() -> Result<(Tty, Guard), Error> {
    let mut tty = open_tty().map_err(|e| Error::other("cannot open the terminal (/dev/tty)", e))?;
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        prev(info);
    }));
    enable_raw_mode().map_err(|e| Error::other("cannot switch the terminal to raw mode", e))?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = Guard;
    execute!(
        tty,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
    .map_err(|e| Error::other("terminal", e))?;
    let term =
        Terminal::new(CrosstermBackend::new(tty)).map_err(|e| Error::other("terminal", e))?;
    Ok((term, guard))
}

/// Runs the matcher on its own thread; keeps only the newest request.
fn spawn_matcher() -> (
    std::sync::mpsc::Sender<MatchRequest>,
    mpsc::UnboundedReceiver<MatchResult>,
) {
    let (req_tx, req_rx) = std::sync::mpsc::channel::<MatchRequest>();
    let (res_tx, res_rx) = mpsc::unbounded_channel();
    std::thread::spawn(move || {
        let m = Matcher::default();
        while let Ok(mut req) = req_rx.recv() {
            while let Ok(newer) = req_rx.try_recv() {
                req = newer;
            }
            let mut open = true;
            run_match_staged(&m, &req, |r| open &= res_tx.send(r).is_ok());
            if !open {
                return;
            }
        }
    });
    (req_tx, res_rx)
}

type RefreshFuture<'a> = Pin<Box<dyn Future<Output = Result<Catalog, Error>> + 'a>>;

struct Live<'a> {
    future: Option<RefreshFuture<'a>>,
    events: Option<mpsc::UnboundedReceiver<FetchEvent>>,
    priority: Option<mpsc::UnboundedSender<Vec<String>>>,
}

fn start_refresh<'a>(ctx: &'a Context, p: &mut Picker) -> Live<'a> {
    p.start_refresh();
    let (ev_tx, ev_rx) = mpsc::unbounded_channel();
    let (pr_tx, pr_rx) = mpsc::unbounded_channel();
    let fut = Box::pin(ctx.refresh(|_| {}, Some(ev_tx), Some(pr_rx)));
    Live {
        future: Some(fut),
        events: Some(ev_rx),
        priority: Some(pr_tx),
    }
}

fn session_problem(ctx: &Context) -> Option<String> {
    match ctx.client() {
        Err(Error::NotLoggedIn { .. }) => Some(expired_line(ctx, "is not logged in")),
        Err(Error::SessionExpired { .. }) => Some(expired_line(ctx, "expired")),
        _ => None,
    }
}

/// The login command first, so a narrow screen still shows it.
fn expired_line(ctx: &Context, what: &str) -> String {
    format!(
        "Ctrl-L logs in (or run `{}`): session {} {what}",
        ctx.session.login_command(),
        ctx.session.id()
    )
}

async fn next_event(stream: &mut EventStream) -> Option<std::io::Result<Event>> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// Opens the picker; returns the chosen entry and action, or None when the
/// user cancelled.
pub async fn pick(
    ctx: &Context,
    query: &str,
    enter_label: &str,
) -> Result<Option<(Chosen, Action)>, Error> {
    pick_in(&[ctx], query, enter_label).await
}

/// The picker over one or several sessions' catalogs (`--session all`).
/// Live listing runs for a single session; several show their snapshots.
pub async fn pick_in(
    ctxs: &[&Context],
    query: &str,
    enter_label: &str,
) -> Result<Option<(Chosen, Action)>, Error> {
    let Some(&ctx) = ctxs.first() else {
        return Err(Error::Usage("no SSO session to pick from".into()));
    };
    let multi = ctxs.len() > 1;
    let ctx_of = |session: &str| {
        ctxs.iter()
            .copied()
            .find(|c| c.session.id() == session)
            .unwrap_or(ctx)
    };
    let snapshot = ctx.load_snapshot();
    let hist_path = history::path(&ctx.paths.state);
    let mut p = Picker::new(
        ctx.session.id(),
        snapshot.as_ref(),
        History::load(&hist_path),
        ctx.now,
        query,
    );
    p.set_settings(ctx.settings.clone());
    if multi {
        for c in ctxs {
            if c.session.id() != ctx.session.id()
                && let Some(snap) = c.load_snapshot()
            {
                p.add_session(c.session.id(), &snap);
            }
            if let Some(problem) = session_problem(c) {
                p.expired_sessions
                    .insert(c.session.id().to_string(), problem);
            }
        }
    } else {
        p.status.expired = session_problem(ctx);
    }
    let stale = snapshot.as_ref().is_none_or(|s| {
        !s.complete || s.taken_at.secs_until(ctx.now) > ctx.settings.snapshot.picker_refresh_after
    });
    let mut live = if !multi
        && p.status.expired.is_none()
        && !ctx.globals.offline
        && (ctx.globals.refresh || stale)
    {
        start_refresh(ctx, &mut p)
    } else {
        Live {
            future: None,
            events: None,
            priority: None,
        }
    };
    let cfg = ViewConfig {
        enter_label,
        theme: Theme {
            color: ctx.settings.color(ctx.env.get("NO_COLOR").is_some()),
        },
    };
    let (match_tx, mut match_rx) = spawn_matcher();
    let (mut term, guard) = setup()?;
    let mut events = EventStream::new();
    #[cfg(unix)]
    let (mut sigterm, mut sighup) = {
        use tokio::signal::unix::{SignalKind, signal};
        let s = |k| signal(k).map_err(|e| Error::other("cannot watch signals", e));
        (s(SignalKind::terminate())?, s(SignalKind::hangup())?)
    };
    let mut last_priority: Vec<String> = Vec::new();
    // Benchmarks ask where to note how long the first frame took.
    let mut first_frame = ctx.env.get("SSOPICK_FIRST_FRAME_FILE");

    // Arrivals rebuild the rows on this thread: at most one rebuild per
    // REBUILD_EVERY, or per four times the last one's cost if that is longer
    // (100,000 rows take tens of ms), so typing stays responsive while a
    // large listing streams in.
    let mut rebuild_at = tokio::time::Instant::now();
    let result: Result<Option<(Chosen, Action)>, Error> = loop {
        let rebuild = p.needs_rebuild() && tokio::time::Instant::now() >= rebuild_at;
        let t0 = tokio::time::Instant::now();
        if let Some(req) = p.take_match_request_if(rebuild) {
            let _ = match_tx.send(req);
        }
        if rebuild {
            rebuild_at = tokio::time::Instant::now() + REBUILD_EVERY.max(t0.elapsed() * 4);
        }
        if let Err(e) = term.draw(|f| draw(f, &mut p, &cfg)) {
            break Err(Error::other("cannot draw", e));
        }
        if let (Some(path), Some(t0)) = (first_frame.take(), crate::cli::STARTED.get()) {
            let _ = std::fs::write(
                path,
                format!("{:.2}\n", t0.elapsed().as_secs_f64() * 1000.0),
            );
        }
        // Tests prove the panic path restores the terminal.
        if ctx.env.get("SSOPICK_TEST_PANIC").as_deref() == Some("after-first-frame") {
            panic!("test panic requested by SSOPICK_TEST_PANIC");
        }
        #[cfg(unix)]
        let signal = async {
            tokio::select! {
                _ = sigterm.recv() => libc::SIGTERM,
                _ = sighup.recv() => libc::SIGHUP,
            }
        };
        #[cfg(not(unix))]
        let signal = std::future::pending::<i32>();
        let outcome = tokio::select! {
            ev = next_event(&mut events) => match ev {
                Some(Ok(Event::Key(k))) => handle_key(&mut p, k),
                Some(Ok(Event::Mouse(m))) => handle_mouse(&mut p, m),
                Some(Ok(Event::Paste(s))) => handle_paste(&mut p, &s),
                Some(Ok(_)) => Outcome::Redraw,
                Some(Err(e)) => break Err(Error::other("terminal input", e)),
                None => break Err(Error::Other("the terminal closed".into())),
            },
            Some(r) = match_rx.recv() => {
                let applied = p.apply_matches(r);
                if applied && live.priority.is_some() {
                    let wanted = p.loading_matches();
                    if !wanted.is_empty() && wanted != last_priority {
                        if let Some(tx) = &live.priority {
                            let _ = tx.send(wanted.clone());
                        }
                        last_priority = wanted;
                    }
                }
                if applied { p.take_deferred().unwrap_or(Outcome::Redraw) } else { Outcome::Redraw }
            },
            Some(ev) = async { live.events.as_mut()?.recv().await }, if live.events.is_some() => {
                p.apply_fetch(ev);
                while let Some(Ok(ev)) = live.events.as_mut().map(|r| r.try_recv()) {
                    p.apply_fetch(ev);
                }
                Outcome::Redraw
            },
            done = async { live.future.as_mut()?.await.into() }, if live.future.is_some() => {
                let done: Option<Result<Catalog, Error>> = done;
                live.future = None;
                live.priority = None;
                p.status.refreshing = false;
                match done {
                    Some(Ok(c)) => {
                        p.status.snapshot_taken = Some(c.taken_at);
                        p.status.error = None;
                    }
                    Some(Err(Error::SessionExpired { .. })) => p.status.expired = Some(expired_line(ctx, "expired")),
                    Some(Err(e)) => p.status.error = Some(format!("{} (showing the snapshot)", e.to_string().lines().next().unwrap_or(""))),
                    None => {}
                }
                Outcome::Redraw
            },
            _ = tokio::time::sleep_until(rebuild_at), if p.needs_rebuild() => Outcome::Redraw,
            n = signal => break Err(Error::Signal(n)),
        };
        match outcome {
            Outcome::Nothing | Outcome::Redraw => {}
            Outcome::Cancel => break Ok(None),
            Outcome::Login if !multi => break Err(Error::LoginRequested),
            Outcome::Refresh if multi => {
                p.status.message =
                    Some("Ctrl-R lists one session at a time: use --session NAME".into());
            }
            Outcome::Login => {
                p.status.message = Some("log in per session: ssopick login --session NAME".into());
            }
            Outcome::Refresh => {
                if live.future.is_some() {
                    p.status.message = Some("already listing".into());
                } else if let Some(e) = &p.status.expired {
                    p.status.message = Some(e.clone());
                } else {
                    live = start_refresh(ctx, &mut p);
                }
            }
            Outcome::Accept(action) => {
                if let Some(c) = chosen(&p) {
                    let mut h = p.history.clone();
                    h.record(&c.session, &c.account.account_id, &c.role, ctx.now);
                    let _ = h.save(&hist_path);
                    break Ok(Some((c, action)));
                }
            }
            Outcome::Copy => {
                if let Some(c) = chosen(&p) {
                    p.status.message = Some(
                        match crate::commands::deliver::copy_exports(ctx_of(&c.session), &c).await {
                            Ok(said) => said,
                            Err(e) => format!(
                                "copy failed: {}",
                                e.to_string().lines().next().unwrap_or("")
                            ),
                        },
                    );
                }
            }
        }
    };
    drop(term);
    drop(guard);
    result
}

fn chosen(p: &Picker) -> Option<Chosen> {
    let row = p.selected_row()?;
    Some(Chosen {
        account: p.account_of(row).clone(),
        role: row.role.as_deref()?.to_string(),
        session: p.accounts[row.account].session.clone(),
    })
}
