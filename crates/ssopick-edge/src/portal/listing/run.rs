//! One listing's state and its steps: each arrival in `fetch_focused`'s
//! loop is one method here. An error return ends the listing; dropping
//! `Run` aborts the role calls still in flight.

use super::super::gate::Gate;
use super::super::{CallError, MAX_TRANSIENT_ATTEMPTS, PortalClient, backoff};
use super::{Delayed, Focus, FocusState, Job, Phase, RoleCall, api_error};
use ssopick_core::bounds::{Cut, Next, RolePages};
use ssopick_core::catalog::Account;
use ssopick_core::listing::{Aimd, FetchEvent, FetchOptions, Progress};
use std::collections::{BinaryHeap, HashSet, VecDeque};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio::task::{JoinError, JoinSet};

pub(super) struct Run {
    client: Arc<PortalClient>,
    gate: Arc<Gate>,
    opts: FetchOptions,
    events: mpsc::UnboundedSender<FetchEvent>,
    focus: Option<FocusState>,
    /// Accounts whose next role page is due, front first.
    queue: VecDeque<Job>,
    /// Accounts backing off after a failure, by when they are due.
    delayed: BinaryHeap<Delayed>,
    pub(super) running: JoinSet<RoleCall>,
    aimd: Aimd,
    p: Progress,
    last_ok: Instant,
    /// The account listing's task has ended (`lister_ok`: well).
    pub(super) lister_done: bool,
    lister_ok: bool,
    /// Pages of accounts may still arrive.
    pub(super) pages_open: bool,
    /// Accounts whose roles the portal refused (`refused`).
    refused: usize,
}

/// A rate in thousandths of a request a second (`Progress`).
fn milli(rate: Option<f64>) -> u64 {
    rate.map_or(0, |r| (r * 1000.0).round().clamp(0.0, 1e12) as u64)
}

/// Refused accounts skipped before a majority of refusals ends the listing.
const MAX_REFUSED_ALONE: usize = 8;

impl Run {
    pub(super) fn new(
        client: Arc<PortalClient>,
        gate: Arc<Gate>,
        opts: FetchOptions,
        events: mpsc::UnboundedSender<FetchEvent>,
        focus: Option<Focus>,
    ) -> Run {
        Run {
            client,
            gate,
            aimd: Aimd::new(opts.initial_limit, opts.max_limit, Instant::now()),
            opts,
            events,
            focus: focus.map(|focus| FocusState {
                focus,
                wanted: HashSet::new(),
                phase: Phase::Accounts,
            }),
            queue: VecDeque::new(),
            delayed: BinaryHeap::new(),
            running: JoinSet::new(),
            p: Progress::default(),
            last_ok: Instant::now(),
            lister_done: false,
            lister_ok: false,
            pages_open: true,
            refused: 0,
        }
    }

    fn send_progress(&self) {
        let _ = self.events.send(FetchEvent::Progress(Progress {
            in_flight: self.running.len(),
            limit: self.aimd.limit(),
            held_rate_milli: milli(self.gate.held_rate()),
            ..self.p
        }));
    }

    /// A focused listing: once every account is in, the wanted ones first;
    /// once their roles are in, a word with the caller.
    pub(super) async fn focus_step(&mut self) {
        let Some(f) = &mut self.focus else { return };
        if f.phase == Phase::Accounts && self.lister_done && !self.pages_open {
            let (front, rest): (VecDeque<Job>, VecDeque<Job>) = self
                .queue
                .drain(..)
                .partition(|j| f.wanted.contains(&j.account_id));
            self.queue = front;
            self.queue.extend(rest);
            f.phase = Phase::Wanted;
        }
        if f.phase == Phase::Wanted && self.running.is_empty() {
            let left = self.queue.iter().any(|j| f.wanted.contains(&j.account_id))
                || self
                    .delayed
                    .iter()
                    .any(|d| f.wanted.contains(&d.1.account_id));
            if !left {
                f.phase = Phase::Rest;
                if !f.wanted.is_empty() {
                    let _ = self.events.send(FetchEvent::Focused);
                    f.focus.go_on.notified().await;
                }
            }
        }
    }

    /// Starts the role calls the limit and the pacer admit now; the pacer's
    /// next turn when it said to wait.
    pub(super) fn start_calls(&mut self) -> Option<Instant> {
        // Once paced, the pacer sets the rate and concurrency only bounds it.
        let limit = if self.gate.is_paced() {
            self.opts.max_limit
        } else {
            self.aimd.limit()
        };
        while self.running.len() < limit && !self.queue.is_empty() {
            // The next job the focus admits (the front, unfocused).
            let Some(next) = (match &self.focus {
                Some(f) => self.queue.iter().position(|j| f.admits(j)),
                None => Some(0),
            }) else {
                break;
            };
            if let Err(at) = self.gate.try_admit() {
                return Some(at);
            }
            let Some(job) = self.queue.remove(next) else {
                break;
            };
            let c = self.client.clone();
            self.running.spawn(async move {
                let sent = Instant::now();
                let r = c.list_roles_page(&job.account_id, job.next.clone()).await;
                (job, sent, r)
            });
        }
        None
    }

    /// Nothing is left to list or to wait for.
    pub(super) fn finished(&self) -> bool {
        !self.pages_open
            && self.lister_done
            && self.queue.is_empty()
            && self.delayed.is_empty()
            && self.running.is_empty()
    }

    /// The listing's last progress, sent and returned.
    pub(super) fn complete(mut self) -> Progress {
        self.p.accounts_complete = true;
        self.p.held_rate_milli = milli(self.gate.held_rate());
        if self.client.skipped() > 0 {
            self.p.cut = self.p.cut.with(Cut::ROWS);
        }
        self.send_progress();
        self.p
    }

    pub(super) fn next_due(&self) -> Option<Instant> {
        self.delayed.peek().map(|d| d.0)
    }

    /// A page of accounts (`None`: the last page was sent).
    pub(super) fn on_page(&mut self, page: Option<Vec<Account>>) {
        let Some(accounts) = page else {
            self.pages_open = false;
            // Every page is in once the lister also ended well.
            if self.lister_ok {
                self.p.accounts_complete = true;
                self.send_progress();
            }
            return;
        };
        if let Some(f) = &mut self.focus {
            let wanted = accounts.iter().filter(|a| (f.focus.wanted)(a));
            f.wanted.extend(wanted.map(|a| a.account_id.clone()));
        }
        self.p.accounts += accounts.len();
        // Resuming: roles an earlier listing completed are taken as they are.
        let known = std::sync::Arc::clone(&self.opts.known);
        let (done, todo): (Vec<&Account>, Vec<&Account>) = accounts
            .iter()
            .partition(|a| known.contains_key(&a.account_id));
        self.queue.extend(todo.into_iter().map(|a| Job {
            account_id: a.account_id.clone(),
            next: None,
            roles: RolePages::default(),
            failures: 0,
            transient: 0,
        }));
        let done: Vec<String> = done.into_iter().map(|a| a.account_id.clone()).collect();
        let _ = self.events.send(FetchEvent::Accounts(accounts));
        for id in done {
            let roles = known.get(&id).cloned().unwrap_or_default();
            self.account_done(id, roles);
        }
        self.send_progress();
    }

    /// The account listing's task ended: its counts, or the listing's end.
    pub(super) fn on_lister_end(
        &mut self,
        done: Result<Result<(u64, u64, bool), CallError>, JoinError>,
    ) -> Result<(), CallError> {
        self.lister_done = true;
        let (requests, retries, cut) = match done {
            Ok(r) => r?,
            Err(e) => {
                return Err(CallError::Fatal(format!("account listing stopped: {e}")));
            }
        };
        self.p.requests += requests;
        self.p.retries += retries;
        if cut {
            self.p.cut = self.p.cut.with(Cut::ACCOUNT_PAGES);
        }
        self.lister_ok = true;
        if !self.pages_open {
            self.p.accounts_complete = true;
            self.send_progress();
        }
        Ok(())
    }

    /// A finished ListAccountRoles call.
    pub(super) fn on_role_call(
        &mut self,
        joined: Result<RoleCall, JoinError>,
    ) -> Result<(), CallError> {
        let Ok((job, sent, result)) = joined else {
            return Err(CallError::Fatal("a listing task failed".into()));
        };
        self.p.requests += 1;
        self.gate.report(sent, &result);
        match result {
            Ok((roles, next)) => self.on_roles(job, roles, next),
            Err(CallError::NotFound(_)) => {
                // The account went away between the two listings.
                self.account_done(job.account_id, Vec::new());
            }
            Err(e @ (CallError::Throttled | CallError::Transient(_))) => {
                if !self.retry(job, sent, &e)? {
                    // Paced: no progress to send beyond the retry's.
                    return Ok(());
                }
            }
            Err(CallError::Fatal(message)) => self.refused(job.account_id, message)?,
            Err(e) => return Err(api_error(e, "ListAccountRoles")),
        }
        self.send_progress();
        Ok(())
    }

    /// An unexpected 4xx for one account: that account is skipped and
    /// named, the listing goes on. When most accounts are refused, the
    /// fault is not theirs: the listing ends with the error.
    fn refused(&mut self, account_id: String, message: String) -> Result<(), CallError> {
        self.refused += 1;
        // Accounts listed well so far (the refused ones count as done too).
        let listed = self.p.roles_done.saturating_sub(self.refused - 1);
        if self.refused > MAX_REFUSED_ALONE && self.refused > listed {
            return Err(api_error(CallError::Fatal(message), "ListAccountRoles"));
        }
        self.p.cut = self.p.cut.with(Cut::REFUSED);
        self.p.roles_done += 1;
        let _ = self.events.send(FetchEvent::Refused {
            account_id,
            message,
        });
        Ok(())
    }

    /// A page of an account's roles: the next page queued first, or the
    /// account done (cut when a bound stopped its pages).
    fn on_roles(&mut self, mut job: Job, roles: Vec<String>, next: Option<String>) {
        self.aimd.success();
        self.last_ok = Instant::now();
        // Within bounds: a token seen before, endless pages or pages that
        // add nothing end this account, cut.
        match job.roles.take(roles, next) {
            Next::Page(t) => {
                job.next = Some(t);
                self.queue.push_front(job);
            }
            end => {
                if end == Next::Cut {
                    self.p.cut = self.p.cut.with(Cut::ROLE_PAGES);
                }
                let roles = std::mem::take(&mut job.roles).into_roles();
                self.account_done(job.account_id, roles);
            }
        }
    }

    fn account_done(&mut self, account_id: String, roles: Vec<String>) {
        self.p.roles_done += 1;
        let _ = self.events.send(FetchEvent::Roles { account_id, roles });
    }

    /// A throttled or failing call: retried, or the listing's end once no
    /// call has succeeded for the stall limit or one account keeps failing.
    /// `Ok(false)`: retried at the pacer's next turn (progress already sent).
    fn retry(&mut self, mut job: Job, sent: Instant, e: &CallError) -> Result<bool, CallError> {
        let now = Instant::now();
        if now.duration_since(self.last_ok) > self.opts.stall_limit {
            return Err(CallError::Transient(format!(
                "no call has succeeded for {} s ({}); stopped",
                self.opts.stall_limit.as_secs(),
                if *e == CallError::Throttled {
                    "throttled".to_string()
                } else {
                    e.to_string()
                }
            )));
        }
        self.p.retries += 1;
        if *e == CallError::Throttled && self.gate.is_paced() {
            // The pacer spaces the retry: no backoff, and the concurrency
            // stays.
            self.p.throttled += 1;
            self.queue.push_front(job);
            self.send_progress();
            return Ok(false);
        }
        self.aimd.congestion(sent, now);
        if let CallError::Transient(m) = e {
            job.transient += 1;
            if job.transient >= MAX_TRANSIENT_ATTEMPTS {
                return Err(CallError::Transient(format!(
                    "ListAccountRoles for account {}: {m} (gave up after {} attempts)",
                    job.account_id, job.transient
                )));
            }
        } else {
            self.p.throttled += 1;
        }
        job.failures += 1;
        let wait = backoff(job.failures, self.opts.backoff_base, self.opts.backoff_cap);
        self.delayed.push(Delayed(now + wait, job));
        Ok(true)
    }

    /// Backed-off accounts whose time has come go to the back of the queue.
    pub(super) fn release_due(&mut self) {
        let now = Instant::now();
        while self.delayed.peek().is_some_and(|d| d.0 <= now) {
            if let Some(Delayed(_, job)) = self.delayed.pop() {
                self.queue.push_back(job);
            }
        }
    }

    /// These accounts' roles next (the picker's matches).
    pub(super) fn put_first(&mut self, ids: &[String]) {
        let ids: HashSet<&String> = ids.iter().collect();
        let (mut front, rest): (VecDeque<Job>, VecDeque<Job>) = self
            .queue
            .drain(..)
            .partition(|j| ids.contains(&j.account_id));
        front.extend(rest);
        self.queue = front;
    }
}
