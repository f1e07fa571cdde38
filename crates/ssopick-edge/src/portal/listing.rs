//! Lists every account and every account's roles, as fast as the portal
//! allows and without ever dropping one. ListAccounts pages run one after
//! another; ListAccountRoles calls (one per account) run concurrently under
//! the core's AIMD limit, and every call of both waits for its turn at the
//! core's rate pacer (`Gate`) once the portal has throttled. A throttled
//! account goes back to the front of the queue (the pacer spaces it); one
//! that failed otherwise is retried after a full-jitter backoff; only a 401
//! (or a server that keeps failing) ends the run. Results
//! stream out as `FetchEvent`s, so the picker can show them live.

use super::gate::Gate;
use super::{CallError, MAX_TRANSIENT_ATTEMPTS, PortalClient, backoff, retry_call};
use ssopick_core::bounds::{AccountPages, Cut, Next, RolePages};
use ssopick_core::catalog::Account;
use ssopick_core::listing::{Aimd, FetchEvent, FetchOptions, Progress};
use std::collections::{BinaryHeap, HashSet, VecDeque};

use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

#[derive(Debug)]
struct Job {
    account_id: String,
    next: Option<String>,
    /// The roles taken so far, within bounds.
    roles: RolePages,
    failures: u32,
    transient: u32,
}

/// A finished ListAccountRoles call: the job, when it was sent, the answer.
type RoleCall = (
    Job,
    Instant,
    Result<(Vec<String>, Option<String>), CallError>,
);

struct Delayed(Instant, Job);
impl PartialEq for Delayed {
    fn eq(&self, o: &Self) -> bool {
        self.0 == o.0
    }
}
impl Eq for Delayed {}
impl PartialOrd for Delayed {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Delayed {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        o.0.cmp(&self.0) // min-heap on time
    }
}

fn api_error(e: CallError, what: &str) -> CallError {
    match e {
        CallError::Transient(m) => CallError::Transient(format!("{what}: {m}")),
        CallError::Fatal(m) => CallError::Fatal(format!("{what}: {m}")),
        other => other,
    }
}

/// Lists accounts page by page and hands each page to `out`: (requests,
/// retries, and whether a bound cut the pages short).
async fn list_accounts(
    client: Arc<PortalClient>,
    gate: Arc<Gate>,
    out: mpsc::UnboundedSender<Vec<Account>>,
) -> Result<(u64, u64, bool), CallError> {
    let (mut next, mut requests, mut retries) = (None, 0u64, 0u64);
    let mut tokens = AccountPages::default();
    loop {
        let calls = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let page = retry_call(|| {
            let (client, gate, next) = (client.clone(), gate.clone(), next.clone());
            let calls = calls.clone();
            async move {
                // Once paced, a 429 is retried at the next turn, not after
                // a backoff: the role calls wait for this page.
                let started = Instant::now();
                loop {
                    let sent = gate.admit().await;
                    calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let r = client.list_accounts_page(next.clone()).await;
                    gate.report(sent, &r);
                    if r == Err(CallError::Throttled)
                        && gate.is_paced()
                        && started.elapsed() < super::MAX_THROTTLED_WAIT
                    {
                        continue;
                    }
                    return r;
                }
            }
        })
        .await
        .map_err(|e| api_error(e, "ListAccounts"))?;
        let calls = calls.load(std::sync::atomic::Ordering::Relaxed);
        requests += calls;
        retries += calls.saturating_sub(1);
        let _ = out.send(page.0);
        // A page token seen before (alternating ones too) or endless pages
        // would loop: the listing of accounts ends there, cut.
        match tokens.follow(page.1) {
            (Some(n), _) => next = Some(n),
            (None, cut) => return Ok((requests, retries, cut)),
        }
    }
}

/// Accounts whose roles a listing takes before any other's: a query that
/// names an account exactly can be answered before the listing ends.
#[derive(Clone)]
pub struct Focus {
    /// True for an account to list first.
    pub wanted: Arc<dyn Fn(&Account) -> bool + Send + Sync>,
    /// Once every account is listed and the wanted accounts' roles too,
    /// the listing sends `FetchEvent::Focused` and waits for this.
    pub go_on: Arc<tokio::sync::Notify>,
}

/// Where a focused listing is: holding role calls until every account is
/// in, listing the wanted accounts' roles, or past that.
struct FocusState {
    focus: Focus,
    wanted: HashSet<String>,
    phase: Phase,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Accounts,
    Wanted,
    Rest,
}

impl FocusState {
    /// May this job's call start now?
    fn admits(&self, job: &Job) -> bool {
        match self.phase {
            Phase::Accounts => false,
            Phase::Wanted => self.wanted.contains(&job.account_id),
            Phase::Rest => true,
        }
    }
}

/// Fetches everything, sending events as results arrive. `priority` moves
/// the named accounts to the front of the queue (the picker's matches).
pub async fn fetch_all(
    client: Arc<PortalClient>,
    opts: FetchOptions,
    events: mpsc::UnboundedSender<FetchEvent>,
    priority: Option<mpsc::UnboundedReceiver<Vec<String>>>,
) -> Result<Progress, CallError> {
    fetch_focused(client, opts, events, priority, None).await
}

/// `fetch_all`, and with `focus`: no role call before every account is
/// listed, then the wanted accounts' roles, then `FetchEvent::Focused` and
/// a wait for `Focus::go_on`, then the rest.
pub async fn fetch_focused(
    client: Arc<PortalClient>,
    opts: FetchOptions,
    events: mpsc::UnboundedSender<FetchEvent>,
    mut priority: Option<mpsc::UnboundedReceiver<Vec<String>>>,
    focus: Option<Focus>,
) -> Result<Progress, CallError> {
    let mut focus = focus.map(|focus| FocusState {
        focus,
        wanted: HashSet::new(),
        phase: Phase::Accounts,
    });
    let (page_tx, mut page_rx) = mpsc::unbounded_channel();
    let gate = Arc::new(Gate::default());
    // Owned: however this listing ends, its ListAccounts pages end with it.
    let mut lister =
        crate::task::Owned::spawn(list_accounts(client.clone(), gate.clone(), page_tx));
    let mut lister_done = false;
    let mut lister_ok = false;
    let mut pages_open = true;
    let mut queue: VecDeque<Job> = VecDeque::new();
    let mut delayed: BinaryHeap<Delayed> = BinaryHeap::new();
    let mut running: JoinSet<RoleCall> = JoinSet::new();
    let mut aimd = Aimd::new(opts.initial_limit, opts.max_limit, Instant::now());
    let mut p = Progress::default();
    let mut last_ok = Instant::now();
    let send_progress = |p: &Progress, running: usize, limit: usize| {
        let _ = events.send(FetchEvent::Progress(Progress {
            in_flight: running,
            limit,
            ..*p
        }));
    };

    loop {
        // Once paced, the pacer sets the rate and concurrency only bounds it.
        let mut turn = None;
        let limit = if gate.is_paced() {
            opts.max_limit
        } else {
            aimd.limit()
        };
        // A focused listing: once every account is in, the wanted ones
        // first; once their roles are in, a word with the caller.
        if let Some(f) = &mut focus {
            if f.phase == Phase::Accounts && lister_done && !pages_open {
                let (front, rest): (VecDeque<Job>, VecDeque<Job>) = queue
                    .drain(..)
                    .partition(|j| f.wanted.contains(&j.account_id));
                queue = front;
                queue.extend(rest);
                f.phase = Phase::Wanted;
            }
            if f.phase == Phase::Wanted && running.is_empty() {
                let left = queue.iter().any(|j| f.wanted.contains(&j.account_id))
                    || delayed.iter().any(|d| f.wanted.contains(&d.1.account_id));
                if !left {
                    f.phase = Phase::Rest;
                    if !f.wanted.is_empty() {
                        let _ = events.send(FetchEvent::Focused);
                        f.focus.go_on.notified().await;
                    }
                }
            }
        }
        while running.len() < limit && !queue.is_empty() {
            // The next job the focus admits (the front, unfocused).
            let Some(next) = (match &focus {
                Some(f) => queue.iter().position(|j| f.admits(j)),
                None => Some(0),
            }) else {
                break;
            };
            if let Err(at) = gate.try_admit() {
                turn = Some(at);
                break;
            }
            let Some(job) = queue.remove(next) else { break };
            let c = client.clone();
            running.spawn(async move {
                let sent = Instant::now();
                let r = c.list_roles_page(&job.account_id, job.next.clone()).await;
                (job, sent, r)
            });
        }
        if !pages_open
            && lister_done
            && queue.is_empty()
            && delayed.is_empty()
            && running.is_empty()
        {
            p.accounts_complete = true;
            if client.skipped() > 0 {
                p.cut = p.cut.with(Cut::ROWS);
            }
            send_progress(&p, 0, aimd.limit());
            return Ok(p);
        }
        let next_due = delayed.peek().map(|d| d.0);
        tokio::select! {
            page = page_rx.recv(), if pages_open => {
                if let Some(accounts) = page {
                    if let Some(f) = &mut focus {
                        f.wanted.extend(accounts.iter().filter(|a| (f.focus.wanted)(a)).map(|a| a.account_id.clone()));
                    }
                    p.accounts += accounts.len();
                    queue.extend(accounts.iter().map(|a| Job {
                        account_id: a.account_id.clone(), next: None, roles: RolePages::default(), failures: 0, transient: 0,
                    }));
                    let _ = events.send(FetchEvent::Accounts(accounts));
                    send_progress(&p, running.len(), aimd.limit());
                } else {
                    pages_open = false;
                    // Every page is in once the lister also ended well.
                    if lister_ok {
                        p.accounts_complete = true;
                        send_progress(&p, running.len(), aimd.limit());
                    }
                }
            },
            done = &mut lister, if !lister_done => {
                lister_done = true;
                match done {
                    Ok(Ok((req, retries, cut))) => {
                        p.requests += req;
                        p.retries += retries;
                        if cut {
                            p.cut = p.cut.with(Cut::ACCOUNT_PAGES);
                        }
                        lister_ok = true;
                        if !pages_open {
                            p.accounts_complete = true;
                            send_progress(&p, running.len(), aimd.limit());
                        }
                    }
                    Ok(Err(e)) => { running.abort_all(); return Err(e); }
                    Err(e) => { running.abort_all(); return Err(CallError::Fatal(format!("account listing stopped: {e}"))); }
                }
            },
            Some(joined) = running.join_next(), if !running.is_empty() => {
                let Ok((mut job, sent, result)) = joined else {
                    running.abort_all();
                    lister.abort();
                    return Err(CallError::Fatal("a listing task failed".into()));
                };
                p.requests += 1;
                gate.report(sent, &result);
                let now = Instant::now();
                match result {
                    Ok((roles, next)) => {
                        aimd.success();
                        last_ok = now;
                        // Within bounds: a token seen before, endless pages
                        // or pages that add nothing end this account, cut.
                        match job.roles.take(roles, next) {
                            Next::Page(t) => {
                                job.next = Some(t);
                                queue.push_front(job);
                            }
                            end => {
                                if end == Next::Cut {
                                    p.cut = p.cut.with(Cut::ROLE_PAGES);
                                }
                                p.roles_done += 1;
                                let roles = std::mem::take(&mut job.roles).into_roles();
                                let _ = events.send(FetchEvent::Roles { account_id: job.account_id, roles });
                            }
                        }
                    }
                    Err(CallError::NotFound(_)) => {
                        // The account went away between the two listings.
                        p.roles_done += 1;
                        let _ = events.send(FetchEvent::Roles { account_id: job.account_id, roles: Vec::new() });
                    }
                    Err(e @ (CallError::Throttled | CallError::Transient(_))) => {
                        if now.duration_since(last_ok) > opts.stall_limit {
                            running.abort_all();
                            lister.abort();
                            return Err(CallError::Transient(format!(
                                "no call has succeeded for {} s ({}); stopped",
                                opts.stall_limit.as_secs(),
                                if e == CallError::Throttled { "throttled".to_string() } else { e.to_string() }
                            )));
                        }
                        p.retries += 1;
                        if e == CallError::Throttled && gate.is_paced() {
                            // The pacer spaces the retry: no backoff, and
                            // the concurrency stays.
                            p.throttled += 1;
                            queue.push_front(job);
                            send_progress(&p, running.len(), aimd.limit());
                            continue;
                        }
                        aimd.congestion(sent, now);
                        if let CallError::Transient(m) = &e {
                            job.transient += 1;
                            if job.transient >= MAX_TRANSIENT_ATTEMPTS {
                                running.abort_all();
                                lister.abort();
                                return Err(CallError::Transient(format!(
                                    "ListAccountRoles for account {}: {m} (gave up after {} attempts)", job.account_id, job.transient
                                )));
                            }
                        } else {
                            p.throttled += 1;
                        }
                        job.failures += 1;
                        let wait = backoff(job.failures, opts.backoff_base, opts.backoff_cap);
                        delayed.push(Delayed(now + wait, job));
                    }
                    Err(e) => {
                        running.abort_all();
                        lister.abort();
                        return Err(api_error(e, "ListAccountRoles"));
                    }
                }
                send_progress(&p, running.len(), aimd.limit());
            },
            () = tokio::time::sleep_until(turn.unwrap_or_else(Instant::now).into()), if turn.is_some() => {},
            () = tokio::time::sleep_until(next_due.unwrap_or_else(Instant::now).into()), if next_due.is_some() => {
                let now = Instant::now();
                while delayed.peek().is_some_and(|d| d.0 <= now) {
                    if let Some(Delayed(_, job)) = delayed.pop() {
                        queue.push_back(job);
                    }
                }
            },
            ids = async { priority.as_mut()?.recv().await }, if priority.is_some() => match ids {
                Some(ids) => {
                    let ids: std::collections::HashSet<String> = ids.into_iter().collect();
                    let (mut front, rest): (VecDeque<Job>, VecDeque<Job>) =
                        queue.drain(..).partition(|j| ids.contains(&j.account_id));
                    front.extend(rest);
                    queue = front;
                }
                None => priority = None,
            },
        }
    }
}
