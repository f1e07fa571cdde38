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
use super::{CallError, PortalClient, retry_call};
use ssopick_core::bounds::{AccountPages, RolePages};
use ssopick_core::catalog::Account;
use ssopick_core::listing::{FetchEvent, FetchOptions, Progress};
use std::collections::HashSet;

use std::sync::Arc;
use std::time::Instant;
use tokio::sync::mpsc;

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
///
/// One loop over named steps: the focus's phase, the calls the limit and
/// the pacer admit, then whichever comes first of a page of accounts, the
/// end of the account listing, a finished role call, a turn at the pacer,
/// a backed-off account due again, or a new priority.
pub async fn fetch_focused(
    client: Arc<PortalClient>,
    opts: FetchOptions,
    events: mpsc::UnboundedSender<FetchEvent>,
    mut priority: Option<mpsc::UnboundedReceiver<Vec<String>>>,
    focus: Option<Focus>,
) -> Result<Progress, CallError> {
    let (page_tx, mut page_rx) = mpsc::unbounded_channel();
    let gate = Arc::new(Gate::new(opts.remembered_rate));
    // Owned: however this listing ends, its ListAccounts pages end with it
    // (and the role calls with `run.running`).
    let mut lister =
        crate::task::Owned::spawn(list_accounts(client.clone(), gate.clone(), page_tx));
    let mut run = Run::new(client, gate, opts, events, focus);
    loop {
        run.focus_step().await;
        let turn = run.start_calls();
        if run.finished() {
            return Ok(run.complete());
        }
        let next_due = run.next_due();
        tokio::select! {
            page = page_rx.recv(), if run.pages_open => run.on_page(page),
            done = &mut lister, if !run.lister_done => run.on_lister_end(done)?,
            Some(joined) = run.running.join_next(), if !run.running.is_empty() => {
                run.on_role_call(joined)?;
            },
            () = tokio::time::sleep_until(turn.unwrap_or_else(Instant::now).into()), if turn.is_some() => {},
            () = tokio::time::sleep_until(next_due.unwrap_or_else(Instant::now).into()), if next_due.is_some() => {
                run.release_due();
            },
            ids = async { priority.as_mut()?.recv().await }, if priority.is_some() => match ids {
                Some(ids) => run.put_first(&ids),
                None => priority = None,
            },
        }
    }
}

mod run;
use run::Run;
