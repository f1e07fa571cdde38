//! What the picker's loop holds besides the picker: the listing under way,
//! the snapshot being read, a copy in progress and the rebuild pace, with
//! one method per kind of arrival and one for what a key asked for.

use super::{
    EVENTS_PER_FRAME, Effects, Listing, ListingEnd, LocalFuture, PickerExit, REBUILD_EVERY,
    REBUILD_WHILE_READING, Step, input_step,
};
use crate::matching::{MatchRequest, MatchResult};
use crate::state::{Outcome, Picker};
use crossterm::event::Event;
use ssopick_core::delivery::Action;
use ssopick_core::listing::FetchEvent;
use ssopick_core::snapshot_stream::{Loaded, StreamError};
use tokio::sync::mpsc;

pub(super) struct Loop<'a, E> {
    effects: E,
    /// Why Ctrl-L cannot log in here (`None`: it can).
    no_login: Option<String>,
    settle: bool,
    /// The listing's three parts, apart: the loop polls two of them at once.
    pub(super) fetched: Option<mpsc::UnboundedReceiver<FetchEvent>>,
    priority: Option<mpsc::UnboundedSender<Vec<String>>>,
    pub(super) done: Option<LocalFuture<'a, ListingEnd>>,
    pub(super) snapshot: Option<mpsc::UnboundedReceiver<Loaded>>,
    pub(super) copying: Option<LocalFuture<'a, String>>,
    last_priority: Vec<String>,
    /// Any input means the user is choosing: nothing goes in by itself then.
    acted: bool,
    /// Arrivals rebuild the rows on this thread: at most one rebuild per
    /// REBUILD_EVERY, or per four times the last one's cost if that is
    /// longer (100,000 rows take tens of ms), so typing stays responsive
    /// while a large listing streams in.
    pub(super) rebuild_at: tokio::time::Instant,
}

impl<'a, E: Effects<'a>> Loop<'a, E> {
    pub(super) fn new(
        effects: E,
        snapshot: Option<mpsc::UnboundedReceiver<Loaded>>,
        no_login: Option<String>,
        settle: bool,
    ) -> Self {
        Loop {
            effects,
            no_login,
            settle,
            fetched: None,
            priority: None,
            done: None,
            snapshot,
            copying: None,
            last_priority: Vec::new(),
            acted: false,
            rebuild_at: tokio::time::Instant::now(),
        }
    }

    /// A listing starts: its session's (`whole`: all of them anew).
    pub(super) fn start(&mut self, p: &mut Picker, l: Listing<'a>, whole: bool) {
        if whole {
            p.start_refresh();
        } else {
            p.start_refresh_of(&l.session);
        }
        (self.fetched, self.priority, self.done) = (Some(l.events), Some(l.priority), Some(l.done));
    }

    /// Before a frame: the rows rebuilt when due, and the matcher's next
    /// request.
    pub(super) fn before_frame(&mut self, p: &mut Picker) -> Option<MatchRequest> {
        let now = tokio::time::Instant::now();
        let rebuild = p.needs_rebuild() && now >= self.rebuild_at;
        let req = p.take_match_request_if(rebuild);
        // The first rows (a snapshot's first chunk) show at once.
        if rebuild && !p.rows.is_empty() {
            let every = if self.snapshot.is_some() {
                REBUILD_WHILE_READING
            } else {
                REBUILD_EVERY
            };
            self.rebuild_at = tokio::time::Instant::now() + every.max(now.elapsed() * 4);
        }
        req
    }

    /// Everything typed or pasted meanwhile goes into this frame; anything
    /// after a decisive key (Enter, Esc, ...) is dropped.
    pub(super) fn on_input(
        &mut self,
        p: &mut Picker,
        batch: Vec<Option<std::io::Result<Event>>>,
    ) -> Step {
        debug_assert!(batch.len() <= EVENTS_PER_FRAME);
        let mut step = Step::Go(Outcome::Nothing);
        self.acted = true;
        for ev in batch {
            step = input_step(p, ev);
            if !matches!(step, Step::Go(Outcome::Nothing | Outcome::Redraw)) {
                break;
            }
        }
        step
    }

    /// The matcher's results: shown, and the loading accounts among them
    /// listed first.
    pub(super) fn on_matches(&mut self, p: &mut Picker, r: MatchResult) -> Step {
        let applied = p.apply_matches(r);
        if applied && let Some(tx) = &self.priority {
            let wanted = p.loading_matches();
            if !wanted.is_empty() && wanted != self.last_priority {
                let _ = tx.send(wanted.clone());
                self.last_priority = wanted;
            }
        }
        Step::Go(if applied {
            p.take_deferred().unwrap_or(Outcome::Redraw)
        } else {
            Outcome::Redraw
        })
    }

    /// A chunk of the snapshot: with every chunk read meanwhile, into the
    /// next rebuild; at its end, the whole catalog at once.
    pub(super) fn on_snapshot(&mut self, p: &mut Picker, mut got: Option<Loaded>) -> Step {
        loop {
            match got.take() {
                Some(Loaded::Accounts(chunk)) => p.add_snapshot_accounts(chunk),
                end => {
                    let gone = || Err(StreamError::Damaged("its reading stopped".into()));
                    p.snapshot_loaded(match end {
                        Some(Loaded::End(r)) => r,
                        _ => gone(),
                    });
                    self.snapshot = None;
                    self.rebuild_at = tokio::time::Instant::now();
                    break;
                }
            }
            match self
                .snapshot
                .as_mut()
                .map(mpsc::UnboundedReceiver::try_recv)
            {
                Some(Ok(next)) => got = Some(next),
                _ => break,
            }
        }
        Step::Go(Outcome::Redraw)
    }

    /// A listing's event, with every other one already sent.
    pub(super) fn on_fetched(&mut self, p: &mut Picker, ev: FetchEvent) -> Step {
        p.apply_fetch(ev);
        self.drain_fetched(p);
        Step::Go(Outcome::Redraw)
    }

    fn drain_fetched(&mut self, p: &mut Picker) {
        while let Some(Ok(ev)) = self.fetched.as_mut().map(mpsc::UnboundedReceiver::try_recv) {
            p.apply_fetch(ev);
        }
    }

    /// The listing ended: what it sent still counts; then its outcome, and
    /// the next session's listing or the settling rule.
    pub(super) fn on_listing_end(&mut self, p: &mut Picker, end: Option<ListingEnd>) -> Step {
        self.drain_fetched(p);
        (self.fetched, self.priority, self.done) = (None, None, None);
        p.status.refreshing = false;
        p.listing_ended();
        match end {
            Some(ListingEnd::Finished { taken_at }) => {
                p.status.snapshot_taken = Some(taken_at);
                p.status.error = None;
            }
            Some(ListingEnd::Expired(line)) => p.status.expired = Some(line),
            Some(ListingEnd::Failed(m)) => {
                p.status.error = Some(format!("{m} (showing the snapshot)"));
            }
            Some(ListingEnd::Settled(chosen)) => {
                if self.settle && !self.acted {
                    return Step::Exit(chosen_exit(chosen));
                }
                // The user has taken over: the whole listing, anew.
                if let Ok(l) = self.effects.refresh() {
                    self.start(p, l, true);
                }
            }
            None => {}
        }
        // Several sessions: the next one's listing, else the end. (A
        // listing restarted above runs on.)
        if self.done.is_some() {
            // Nothing more to start.
        } else if let Some(l) = self.effects.next_listing() {
            self.start(p, l, false);
        } else if self.settle
            && !self.acted
            && let Some(chosen) = self.effects.settle()
        {
            return Step::Exit(chosen_exit(chosen));
        }
        Step::Go(Outcome::Redraw)
    }

    pub(super) fn on_copied(&mut self, p: &mut Picker, said: Option<String>) -> Step {
        self.copying = None;
        p.status.busy = None;
        p.status.message = said;
        Step::Go(Outcome::Redraw)
    }

    /// What the keys asked for; `Some`: the picker ends so.
    pub(super) fn on_outcome(&mut self, p: &mut Picker, outcome: Outcome) -> Option<PickerExit> {
        // Enter on an account whose roles are loading: list it first.
        if let (Some(id), Some(tx)) = (p.take_wanted_first(), &self.priority) {
            let _ = tx.send(vec![id]);
        }
        match outcome {
            Outcome::Nothing | Outcome::Redraw => {}
            Outcome::Cancel => return Some(PickerExit::Cancelled),
            Outcome::Login if self.no_login.is_none() => {
                return Some(PickerExit::Login {
                    query: p.input.query.clone(),
                    selected: p.chosen(),
                });
            }
            Outcome::Login => p.status.message.clone_from(&self.no_login),
            Outcome::Refresh => self.refresh(p),
            Outcome::Accept(action) => {
                let chosen = p.chosen()?;
                let marked = p.marked_chosen();
                return Some(PickerExit::Chosen {
                    chosen,
                    action,
                    marked,
                });
            }
            Outcome::Copy(what) => self.copy(p, what),
        }
        None
    }

    /// Ctrl-R: a new listing, unless one runs or the session expired.
    fn refresh(&mut self, p: &mut Picker) {
        if self.done.is_some() {
            p.status.message = Some("already listing".into());
        } else if let Some(e) = &p.status.expired {
            p.status.message = Some(e.clone());
        } else {
            match self.effects.refresh() {
                Ok(l) => self.start(p, l, true),
                Err(why) => p.status.message = Some(why),
            }
        }
    }

    /// Ctrl-Y and the menu's copy items: one copy at a time, off the UI
    /// path.
    fn copy(&mut self, p: &mut Picker, what: Action) {
        let rows = p.acted_on();
        if self.copying.is_some() {
            p.status.message = Some("still copying the last one…".into());
        } else if let Some(c) = rows.first() {
            let who = if rows.len() > 1 {
                format!("{} rows", rows.len())
            } else {
                format!("{} {}", c.account.account_name, c.role)
            };
            p.status.busy = Some(match what {
                Action::CopyProfile => format!("copying the profile block of {who}…"),
                Action::CopyAccountId => format!("copying the account id of {who}…"),
                Action::CopyRoleArn => format!("finding the role ARN of {who}…"),
                Action::CopyEksToken => format!("copying the eks-token command of {who}…"),
                _ => format!("getting credentials for {who}…"),
            });
            self.copying = Some(self.effects.copy(rows, what));
        }
    }
}

fn chosen_exit(chosen: ssopick_core::export::Chosen) -> PickerExit {
    PickerExit::Chosen {
        chosen,
        action: Action::Default,
        marked: Vec::new(),
    }
}
