//! The picker's event loop, generic over the ratatui backend and the input
//! stream, so tests drive it on a `TestBackend` and the product on the
//! terminal (`edge::terminal`). It performs no effect itself: copying
//! credentials (Ctrl-Y) and listing anew (Ctrl-R) are futures the caller
//! hands it through `Effects`, polled beside the input, so typing never waits
//! for the network. Matching runs on its own thread; the loop only sends
//! queries and takes results. All input that is ready is applied before one
//! frame is drawn.

use super::keys::{handle_key, handle_mouse, handle_paste};
use super::matching::{MatchRequest, MatchResult, run_match_staged};
use super::state::{Outcome, Picker};
use super::view::{ViewConfig, draw};
use crossterm::event::Event;
use futures_core::Stream;
use ratatui::Terminal;
use ratatui::backend::Backend;
use ssopick_core::delivery::Action;
use ssopick_core::export::Chosen;
use ssopick_core::filter::Matcher;
use ssopick_core::listing::FetchEvent;
use ssopick_core::snapshot_stream::Loaded;
use ssopick_core::time::{Clock, UtcTime};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use tokio::sync::mpsc;

/// Least time between two rebuilds of the rows while arrivals stream in.
const REBUILD_EVERY: std::time::Duration = std::time::Duration::from_millis(50);
/// ... while a snapshot is read: its first chunk shows at once and the
/// whole of it when read (a large one is read in well under this), so
/// rebuilds in between do not slow the reading down.
const REBUILD_WHILE_READING: std::time::Duration = std::time::Duration::from_millis(250);
/// Input events applied before a frame is drawn, at most.
const EVENTS_PER_FRAME: usize = 256;

pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// How a listing ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListingEnd {
    /// Complete, saved as the snapshot taken at this time.
    Finished { taken_at: UtcTime },
    /// The session expired: the line to show (with what to run).
    Expired(String),
    /// Anything else: one line.
    Failed(String),
    /// Stopped early: the command's own rule chose this row (the query
    /// names an account exactly and its roles are in).
    Settled(Chosen),
}

/// A listing running beside the picker.
pub struct Listing<'a> {
    /// The session it lists (the picker may show several).
    pub session: String,
    pub events: mpsc::UnboundedReceiver<FetchEvent>,
    /// Account ids the picker wants listed first (the query's matches).
    pub priority: mpsc::UnboundedSender<Vec<String>>,
    pub done: LocalFuture<'a, ListingEnd>,
}

/// What the picker asks of the outside world while it stays open.
pub trait Effects<'a> {
    /// Ctrl-Y and the menu's copy items: put the role's export lines
    /// (`Action::CopyExports`), profile block (`CopyProfile`), or the
    /// account ids or role ARNs of `rows` (the marked rows, else the
    /// highlighted one) on the clipboard; resolves to the line to show.
    fn copy(&self, rows: Vec<Chosen>, what: Action) -> LocalFuture<'a, String>;
    /// Ctrl-R: a new listing, or the reason there is none (offline, ...).
    fn refresh(&self) -> Result<Listing<'a>, String>;
    /// The listing ended and the user has not acted: the row the command's
    /// own rule chooses now, if it chooses one.
    fn settle(&self) -> Option<Chosen> {
        None
    }
    /// A listing ended: the next one to run (several sessions are listed
    /// one after another), if any.
    fn next_listing(&self) -> Option<Listing<'a>> {
        None
    }
}

pub struct PickerInput<'a, E> {
    pub picker: Picker,
    pub view: ViewConfig<'a>,
    /// A listing already under way when the picker opens; its events wait
    /// until the snapshot below has been read.
    pub listing: Option<Listing<'a>>,
    /// The snapshot being read, chunk by chunk (`Picker::stream_snapshot`).
    pub snapshot: Option<mpsc::UnboundedReceiver<Loaded>>,
    pub effects: E,
    pub clock: &'a dyn Clock,
    /// Ctrl-L ends the picker to log in when this is `None` (one session
    /// only); else it shows this message.
    pub no_login: Option<String>,
    /// When the opening listing ends before the user acts, ask
    /// `Effects::settle` whether to go straight in.
    pub settle: bool,
}

/// How the picker ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PickerExit {
    Chosen {
        chosen: Chosen,
        action: Action,
        /// The rows marked with Ctrl-T (the action takes several): the
        /// action is for each of them, in the order marked.
        marked: Vec<Chosen>,
    },
    Cancelled,
    /// Ctrl-L: log in, then reopen with this query and row.
    Login {
        query: String,
        selected: Option<Chosen>,
    },
    /// SIGTERM or SIGHUP arrived.
    Signal(i32),
}

#[derive(Debug, thiserror::Error)]
pub enum PickerError {
    #[error("cannot draw on the terminal: {0}")]
    Draw(std::io::Error),
    #[error("cannot read the terminal: {0}")]
    Input(std::io::Error),
    #[error("the terminal closed")]
    Closed,
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

/// The next input events: waits for one, then takes every other that is
/// ready now (at most `max`), so a paste or fast typing is one frame. The
/// stream is always polled with the task's own waker, so no wake-up is lost.
/// `None` inside the batch: the input ended.
async fn next_events<S: Stream + Unpin>(stream: &mut S, max: usize) -> Vec<Option<S::Item>> {
    let mut batch = Vec::new();
    std::future::poll_fn(|cx| {
        loop {
            match Pin::new(&mut *stream).poll_next(cx) {
                Poll::Ready(item) => {
                    let ended = item.is_none();
                    batch.push(item);
                    if ended || batch.len() >= max {
                        return Poll::Ready(());
                    }
                }
                Poll::Pending if batch.is_empty() => return Poll::Pending,
                Poll::Pending => return Poll::Ready(()),
            }
        }
    })
    .await;
    batch
}

fn on_input(p: &mut Picker, ev: Event) -> Outcome {
    match ev {
        Event::Key(k) => handle_key(p, k),
        Event::Mouse(m) => handle_mouse(p, m),
        Event::Paste(s) => handle_paste(p, &s),
        _ => Outcome::Redraw,
    }
}

/// What one pass of the loop decided.
enum Step {
    Go(Outcome),
    Exit(PickerExit),
    Fail(PickerError),
}

fn input_step(p: &mut Picker, ev: Option<std::io::Result<Event>>) -> Step {
    match ev {
        Some(Ok(ev)) => Step::Go(on_input(p, ev)),
        Some(Err(e)) => Step::Fail(PickerError::Input(e)),
        None => Step::Fail(PickerError::Closed),
    }
}

/// Runs the picker until the user chooses, cancels or asks to log in.
/// `on_frame` is called with the backend and the picker after every frame
/// drawn (benchmarks note the first with rows; tests read the screen).
pub async fn run<'a, B, S, E>(
    input: PickerInput<'a, E>,
    term: &mut Terminal<B>,
    events: &mut S,
    signal: impl Future<Output = i32>,
    mut on_frame: impl FnMut(&B, &Picker),
) -> Result<PickerExit, PickerError>
where
    B: Backend,
    S: Stream<Item = std::io::Result<Event>> + Unpin,
    E: Effects<'a>,
{
    let PickerInput {
        mut picker,
        view,
        listing,
        snapshot,
        effects,
        clock,
        no_login,
        settle,
    } = input;
    let p = &mut picker;
    let mut lp = Loop::new(effects, snapshot, no_login, settle);
    if let Some(l) = listing {
        lp.start(p, l, false);
    }
    tokio::pin!(signal);
    let (match_tx, mut match_rx) = spawn_matcher();
    loop {
        if let Some(req) = lp.before_frame(p) {
            let _ = match_tx.send(req);
        }
        // Ages on screen tick: the clock is read for every frame.
        p.now = clock.now();
        term.draw(|f| draw(f, p, &view))
            .map_err(|e| PickerError::Draw(std::io::Error::other(e.to_string())))?;
        on_frame(term.backend(), p);
        let step = tokio::select! {
            batch = next_events(events, EVENTS_PER_FRAME) => lp.on_input(p, batch),
            Some(r) = match_rx.recv() => lp.on_matches(p, r),
            got = async { lp.snapshot.as_mut()?.recv().await }, if lp.snapshot.is_some() => {
                lp.on_snapshot(p, got)
            },
            Some(ev) = async { lp.fetched.as_mut()?.recv().await }, if lp.fetched.is_some() && lp.snapshot.is_none() => {
                lp.on_fetched(p, ev)
            },
            end = async { lp.done.as_mut()?.as_mut().await.into() }, if lp.done.is_some() && lp.snapshot.is_none() => {
                lp.on_listing_end(p, end)
            },
            said = async { lp.copying.as_mut()?.await.into() }, if lp.copying.is_some() => {
                lp.on_copied(p, said)
            },
            () = tokio::time::sleep_until(lp.rebuild_at), if p.needs_rebuild() => Step::Go(Outcome::Redraw),
            n = &mut signal => Step::Exit(PickerExit::Signal(n)),
        };
        let outcome = match step {
            Step::Go(o) => o,
            Step::Exit(e) => return Ok(e),
            Step::Fail(e) => return Err(e),
        };
        if let Some(exit) = lp.on_outcome(p, outcome) {
            return Ok(exit);
        }
    }
}

mod world;
use world::Loop;

#[cfg(test)]
mod tests;
