//! The picker's rows as accounts and roles arrive: applying fetch events,
//! starting a refresh, and rebuilding rows and haystacks (on the UI thread,
//! so with no per-row keys or strings).

use super::{AccountState, Loading, Mark, Picker, Row};
use ssopick_core::catalog::cmp_ignoring_case;
use ssopick_core::filter::Haystacks;
use ssopick_core::listing::FetchEvent;
use ssopick_core::snapshot_stream::{Head, Shared, StreamError};
use std::collections::HashMap;
use std::sync::Arc;

/// Rank key per row: its frecency (higher first; the rows are already in
/// name order, so a stable sort keeps that order among equals).
fn rank_keys(rows: &[Row]) -> Vec<u32> {
    rows.iter().map(|r| r.frecency).collect()
}

impl Picker {
    /// Rebuilds rows and haystacks from the account states when they changed.
    /// Runs on the UI thread whenever accounts or roles arrive, so it
    /// allocates little: no per-row keys or hashing; the matches shown until
    /// the new ones arrive are carried over account by account.
    pub fn rebuild(&mut self) {
        if !self.arrivals.dirty {
            return;
        }
        self.arrivals.dirty = false;
        let selected = self.selected_key();
        let (moved, new_of_old) = self.reorder();
        self.resolve_meta();
        let (rows, first_row) = self.build_rows();
        self.index_texts(&rows);
        // Until the new matches arrive, show the old ones on the new rows.
        self.found.matches = self.carried_matches(&rows, &new_of_old, &first_row);
        self.rows = rows;
        let here = self.accounts.iter().filter(|a| self.is_live(a)).count();
        if moved || self.arrivals.by_id.len() != here {
            // Rebuilt when a listing next needs it (a snapshot read alone
            // never does).
            self.arrivals.by_id = HashMap::new();
            self.arrivals.by_id_stale = true;
        }
        self.found.matched_query = None;
        self.found.pending = true;
        self.restore_selection(selected);
    }

    /// The accounts in order (name case-insensitively, session, id); a
    /// refresh drops accounts it has no reason to keep. Whether any moved,
    /// and where each went (`usize::MAX`: dropped).
    fn reorder(&mut self) -> (bool, Vec<usize>) {
        let prune = std::mem::take(&mut self.arrivals.prune);
        let keep = |a: &AccountState| {
            !prune || a.old.is_some() || a.in_snapshot || a.listed || a.fresh.is_some()
        };
        let cmp = |a: &AccountState, b: &AccountState| {
            cmp_ignoring_case(&a.account.account_name, &b.account.account_name)
                .then_with(|| a.session.cmp(&b.session))
                .then_with(|| a.account.account_id.cmp(&b.account.account_id))
        };
        // Usually (roles arriving) every account keeps its place: nothing
        // moves, and the id index holds.
        let moved = !(self.accounts.iter().all(keep)
            && self.accounts.is_sorted_by(|a, b| cmp(a, b).is_le()));
        let mut new_of_old: Vec<usize> = (0..self.accounts.len()).collect();
        if moved {
            let mut order: Vec<(usize, AccountState)> = std::mem::take(&mut self.accounts)
                .into_iter()
                .enumerate()
                .filter(|(_, a)| keep(a))
                .collect();
            order.sort_by(|(_, a), (_, b)| cmp(a, b));
            new_of_old.fill(usize::MAX);
            for (new, (old, _)) in order.iter().enumerate() {
                new_of_old[*old] = new;
            }
            self.accounts = order.into_iter().map(|(_, a)| a).collect();
        }
        (moved, new_of_old)
    }

    /// config.toml's `[[account]]`: once per account (names can change);
    /// with several sessions, each account's session is searchable too.
    fn resolve_meta(&mut self) {
        if self.settings.accounts.is_empty()
            && self.settings.profile_aliases.is_empty()
            && !self.multi
        {
            return;
        }
        let multi = self.multi;
        let additions = self.settings.additions();
        for a in self.accounts.iter_mut().filter(|a| !a.meta_done) {
            additions.account(&mut a.account);
            let session = multi.then_some(&*a.session);
            a.search = (a.account.meta.is_some() || multi)
                .then(|| ssopick_core::config_rows::search_name(&a.account, session).into());
            a.meta_done = true;
        }
    }

    /// Every account's rows, marked and scored, and where each account's
    /// rows start (`first_row[a]..first_row[a + 1]`).
    fn build_rows(&self) -> (Vec<Row>, Vec<usize>) {
        let complete = self.status.progress.is_some_and(|p| p.accounts_complete);
        let picked: std::collections::HashSet<(&str, &str)> = self
            .history
            .picks
            .iter()
            .map(|p| (p.session.as_str(), p.account_id.as_str()))
            .collect();
        // At most this many rows (fewer only while a refresh drops roles).
        let most: usize = self
            .accounts
            .iter()
            .map(|a| {
                let n = |r: &Option<Vec<Arc<str>>>| r.as_ref().map_or(0, Vec::len);
                (n(&a.fresh) + n(&a.old)).max(1)
            })
            .sum();
        let mut rows = Vec::with_capacity(most);
        let mut first_row = Vec::with_capacity(self.accounts.len() + 1);
        for (i, a) in self.accounts.iter().enumerate() {
            first_row.push(rows.len());
            // Only the session being listed can have lost an account.
            let gone_account =
                complete && *a.session == *self.live && !a.listed && !a.account.added();
            let production = self.settings.is_production(&a.account);
            let id = a.account.history_id();
            let has_picks = picked.contains(&(&*a.session, &*id));
            let mut push = |role: Option<&Arc<str>>, mark| {
                let role = role.cloned();
                let frecency = match &role {
                    Some(r) if has_picks => self.history.score(&a.session, &id, r, self.now),
                    _ => 0,
                };
                rows.push(Row {
                    account: i,
                    role,
                    mark,
                    frecency,
                    production,
                });
            };
            self.account_rows(a, gone_account, &mut push);
        }
        first_row.push(rows.len());
        (rows, first_row)
    }

    /// One account's roles with their marks: new since the snapshot, no
    /// longer assigned, or (loading) the account alone.
    fn account_rows(
        &self,
        a: &AccountState,
        gone_account: bool,
        push: &mut impl FnMut(Option<&Arc<str>>, Mark),
    ) {
        let gone = if gone_account {
            Mark::Removed
        } else {
            Mark::None
        };
        match (&a.fresh, &a.old) {
            (Some(fresh), old) => {
                for r in fresh {
                    let is_new =
                        self.arrivals.had_snapshot && !old.as_ref().is_some_and(|o| o.contains(r));
                    push(Some(r), if is_new { Mark::New } else { Mark::None });
                }
                for r in old.iter().flatten().filter(|r| !fresh.contains(r)) {
                    push(Some(r), Mark::Removed);
                }
            }
            (None, Some(old)) => {
                for r in old {
                    push(Some(r), gone);
                }
            }
            (None, None) => push(None, gone),
        }
    }

    /// The texts the matcher reads, the rank order, and the name column's
    /// width, for `rows`.
    fn index_texts(&mut self, rows: &[Row]) {
        // Given away, so that when the accounts changed the old texts are
        // freed before the new are made (at 100,000 rows, megabytes).
        let prev = std::mem::take(&mut self.hays);
        self.hays = Arc::new(Haystacks::build_after(
            Some(prev),
            rows.iter().map(|r| {
                let s = &self.accounts[r.account];
                (
                    s.search.as_deref().unwrap_or(&s.account.account_name),
                    s.account.account_id.as_str(),
                    r.role.as_deref().unwrap_or(""),
                )
            }),
        ));
        self.order = Arc::new(rank_keys(rows));
        self.list.name_width = self
            .accounts
            .iter()
            .map(|a| {
                unicode_width::UnicodeWidthStr::width(&*ssopick_core::visible::shown(
                    &a.account.account_name,
                ))
            })
            .max()
            .unwrap_or(0);
    }

    /// The matches shown, moved onto the new rows account by account; a
    /// loading row whose roles arrived carries over as those roles.
    fn carried_matches(&self, rows: &[Row], new_of_old: &[usize], first_row: &[usize]) -> Vec<u32> {
        self.found
            .matches
            .iter()
            .flat_map(|&m| {
                let found: Vec<u32> = (|| {
                    let old = self.rows.get(m as usize)?;
                    let a = *new_of_old.get(old.account)?;
                    let range = first_row.get(a).copied()?..first_row.get(a + 1).copied()?;
                    Some(
                        range
                            .filter(|&r| old.role.is_none() || rows[r].role == old.role)
                            .take(if old.role.is_none() { usize::MAX } else { 1 })
                            .map(|r| r as u32)
                            .collect(),
                    )
                })()
                .unwrap_or_default();
                found
            })
            .collect()
    }

    pub fn apply_fetch(&mut self, ev: FetchEvent) {
        if self.arrivals.by_id_stale {
            self.index_live_session();
        }
        match ev {
            FetchEvent::Accounts(list) => {
                for a in list {
                    if let Some(i) = self.account_index(&a.account_id) {
                        self.accounts[i].account = a;
                        self.accounts[i].listed = true;
                        self.accounts[i].meta_done = false;
                    } else {
                        self.arrivals
                            .by_id
                            .insert(a.account_id.clone(), self.accounts.len());
                        self.accounts.push(AccountState {
                            account: a,
                            session: Arc::from(self.live.as_str()),
                            in_snapshot: false,
                            old: None,
                            fresh: None,
                            listed: true,
                            meta_done: false,
                            search: None,
                        });
                    }
                }
                self.arrivals.dirty = true;
            }
            FetchEvent::Roles {
                account_id,
                mut roles,
            } => {
                roles.sort();
                roles.dedup();
                if let Some(i) = self.account_index(&account_id) {
                    self.accounts[i].fresh = Some(self.role_names.share(roles));
                    self.arrivals.dirty = true;
                    // The account the user pressed Enter on is here.
                    if self.arrivals.waiting_for.as_deref() == Some(account_id.as_str()) {
                        self.arrivals.waiting_for = None;
                        self.status.message = None;
                    }
                }
            }
            FetchEvent::Refused {
                account_id,
                message,
            } => {
                // Its roles stay as the snapshot had them; a user waiting
                // for them is told why they will not come.
                if self.arrivals.waiting_for.as_deref() == Some(account_id.as_str()) {
                    self.arrivals.waiting_for = None;
                    // (The message was cleaned where the error was read.)
                    self.status.message = Some(format!(
                        "the portal refused to list the roles of {account_id}: {message}"
                    ));
                }
            }
            FetchEvent::Progress(p) => {
                if p.accounts_complete && !self.status.progress.is_some_and(|q| q.accounts_complete)
                {
                    self.arrivals.dirty = true;
                }
                self.status.progress = Some(p);
            }
            FetchEvent::Focused => {}
        }
    }

    /// The snapshot (`head`) is read in chunks while the picker is open.
    pub fn stream_snapshot(&mut self, head: &Head) {
        self.arrivals.had_snapshot = true;
        self.status.snapshot_taken = Some(head.taken_at);
        self.status.loading = Some(Loading {
            rows: 0,
            of: head.roles,
        });
        // Room for the accounts the head announces (an untrusted count,
        // capped; room never touched costs no memory), so that the list
        // never grows by copying.
        let announced = head.accounts.unwrap_or(0).min(1 << 18);
        self.accounts.reserve_exact(announced);
    }

    /// A chunk of the snapshot's accounts, moved in (never copied), in the
    /// picker's own session.
    pub fn add_snapshot_accounts(&mut self, chunk: Vec<Shared>) {
        let rows: usize = chunk
            .iter()
            .map(|a| a.roles.as_ref().map_or(1, Vec::len))
            .sum();
        if let Some(l) = &mut self.status.loading {
            l.rows += rows;
        }
        self.accounts.reserve(chunk.len());
        let session: Arc<str> = Arc::from(self.session.as_str());
        for a in chunk {
            self.accounts.push(AccountState::of_shared(&session, a));
        }
        self.arrivals.dirty = true;
    }

    /// The snapshot has been read (or could not be, past some chunks).
    pub fn snapshot_loaded(&mut self, end: Result<(), StreamError>) {
        self.status.loading = None;
        if let Err(e) = end {
            self.status.error = Some(
                match e {
                    StreamError::NotOurs => "the snapshot changed while it was read".into(),
                    e => e.to_string(),
                } + "; Ctrl-R lists anew",
            );
        }
        self.arrivals.dirty = true;
    }

    /// `by_id` anew: the live session's accounts by id.
    fn index_live_session(&mut self) {
        self.arrivals.by_id_stale = false;
        self.arrivals.by_id = self
            .accounts
            .iter()
            .enumerate()
            .filter(|(_, a)| self.is_live(a))
            .map(|(i, a)| (a.account.account_id.clone(), i))
            .collect();
    }

    /// An account of the session being listed (a chained row is not: the
    /// listing never names it, and its id is often a listed account's).
    fn is_live(&self, a: &AccountState) -> bool {
        *a.session == *self.live && !a.account.added()
    }

    /// The live session's account `id` (a listing is of one session).
    /// `by_id` is exact: rebuilt with the rows, extended on every push.
    fn account_index(&self, id: &str) -> Option<usize> {
        self.arrivals.by_id.get(id).copied().filter(|&i| {
            self.accounts
                .get(i)
                .is_some_and(|a| a.account.account_id == id && self.is_live(a))
        })
    }

    /// The listing ended: nothing is being listed "first" any more.
    pub fn listing_ended(&mut self) {
        if self.arrivals.waiting_for.take().is_some() {
            self.status.message = None;
        }
    }

    /// A listing of `session` starts (several sessions are listed one after
    /// another): its events go to that session's accounts.
    pub fn start_refresh_of(&mut self, session: &str) {
        self.live = session.to_string();
        self.arrivals.by_id_stale = true;
        self.arrivals.dirty = true;
        self.start_refresh();
    }

    /// A refresh (of the live session) starts (again): clear what the last
    /// one learned.
    pub fn start_refresh(&mut self) {
        let live = self.live.clone();
        for a in self
            .accounts
            .iter_mut()
            .filter(|a| *a.session == *live && !a.account.added())
        {
            if let Some(f) = a.fresh.take() {
                a.old = Some(f);
            }
            a.listed = false;
        }
        // Accounts with nothing to show are dropped by the next rebuild
        // (dropping here would move account indices under the rows).
        self.arrivals.prune = true;
        self.status.progress = None;
        self.status.refreshing = true;
        self.status.error = None;
        self.arrivals.dirty = true;
    }
}
