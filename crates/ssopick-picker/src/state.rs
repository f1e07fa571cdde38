//! The picker's state and its reactions. Pure: keys and fetch events come
//! in, an `Outcome` goes out; the loop (`picker::run`) hands effects to its
//! caller. Matching runs elsewhere (`MatchRequest` out, `apply_matches` in)
//! so that typing never waits for it.

use ssopick_core::catalog::{Account, AccountRoles, Catalog};
pub use ssopick_core::delivery::Action;
use ssopick_core::export::Chosen;
use ssopick_core::filter::Haystacks;
use ssopick_core::history::History;
use ssopick_core::listing::Progress;
use ssopick_core::snapshot_stream::{RoleNames, Shared};
use ssopick_core::time::UtcTime;
use std::collections::HashMap;
use std::sync::Arc;

mod edit;
mod live;
mod marks;
mod matches;
mod parts;
pub use parts::{Arrivals, Choice, Found, Input, ListView};
mod region;
pub use marks::MarkKey;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    None,
    New,
    Removed,
}

/// Identity of a row across rebuilds: session, account id, role.
type RowKey = (String, String, Option<String>);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub account: usize,
    /// `None`: this account's roles are still loading.
    /// Shared: a catalog has few distinct role names and many rows.
    pub role: Option<Arc<str>>,
    pub mark: Mark,
    pub frecency: u32,
    /// A production account (config.toml): shown in red.
    pub production: bool,
}

#[derive(Clone, Debug)]
pub struct AccountState {
    pub account: Account,
    /// The SSO session the account was listed in (one allocation shared by
    /// its accounts).
    pub session: Arc<str>,
    pub in_snapshot: bool,
    pub old: Option<Vec<Arc<str>>>,
    pub fresh: Option<Vec<Arc<str>>>,
    /// Seen in this run's ListAccounts.
    pub listed: bool,
    /// config.toml's `[[account]]` metadata is on `account` (and the name
    /// the matcher sees in `search`).
    pub meta_done: bool,
    pub search: Option<Box<str>>,
}

impl AccountState {
    /// An account of a snapshot (or a chain's row), as the picker first
    /// shows it; its role names shared through `names`.
    fn of_snapshot(session: &Arc<str>, a: AccountRoles, names: &mut RoleNames) -> AccountState {
        AccountState::of_shared(session, names.share_account(a))
    }

    /// As `of_snapshot`, the role names already shared.
    fn of_shared(session: &Arc<str>, a: Shared) -> AccountState {
        AccountState {
            account: a.account,
            session: Arc::clone(session),
            in_snapshot: true,
            old: a.roles,
            fresh: None,
            listed: false,
            meta_done: false,
            search: None,
        }
    }
}

pub const MENU: [(Action, &str); 9] = [
    (Action::Shell, "Open a subshell with the credentials"),
    (Action::PrintExports, "Print export lines"),
    (Action::CopyExports, "Copy export lines to the clipboard"),
    (
        Action::PrintProfile,
        "Print a profile block (~/.aws/config)",
    ),
    (Action::CopyProfile, "Copy a profile block to the clipboard"),
    (Action::Console, "Open the AWS console"),
    (Action::CopyAccountId, "Copy the account id"),
    (Action::CopyRoleArn, "Copy the role ARN"),
    (Action::CopyEksToken, "Copy the kubectl eks-token command"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    List,
    Menu(usize),
    /// The key list, scrolled down this many lines (a small terminal).
    Help(u16),
    /// Ctrl-G: the region list, with its highlighted entry.
    Region(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Nothing,
    Redraw,
    Cancel,
    Accept(Action),
    /// Copy (export lines, or a profile block) for the highlighted row,
    /// and stay.
    Copy(Action),
    Refresh,
    /// Log in (the session expired), then come back.
    Login,
}

#[derive(Clone, Debug, Default)]
pub struct Status {
    pub progress: Option<Progress>,
    pub refreshing: bool,
    pub error: Option<String>,
    pub expired: Option<String>,
    pub message: Option<String>,
    /// An effect under way (Ctrl-Y getting credentials); typing does not
    /// clear it, its result replaces it.
    pub busy: Option<String>,
    pub snapshot_taken: Option<UtcTime>,
    /// What the status line says in place of `session NAME` (a picker
    /// with no SSO session behind it).
    pub title: Option<String>,
    /// The snapshot is still being read: its rows so far, and how many it
    /// says it holds.
    pub loading: Option<Loading>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Loading {
    pub rows: usize,
    pub of: Option<usize>,
}

/// Everything the picker shows and remembers: the accounts (from snapshots
/// and live listing), the rows built from them, the query and its matches
/// (computed elsewhere and applied here), the selection, and the status.
pub struct Picker {
    /// The query line.
    pub input: Input,
    /// The list's viewport and highlight.
    pub list: ListView,
    /// The matcher's results and what the highlight follows.
    pub found: Found,
    /// What arrivals (snapshot chunks, listing events) left to do.
    pub(crate) arrivals: Arrivals,
    /// Marks and the region: what this delivery covers.
    pub choice: Choice,
    pub session: String,
    /// The session a listing feeds now (several are listed in turn).
    pub live: String,
    pub accounts: Vec<AccountState>,
    pub rows: Vec<Row>,
    pub hays: Arc<Haystacks>,
    order: Arc<Vec<u32>>,
    pub mode: Mode,
    pub status: Status,
    pub history: History,
    pub now: UtcTime,
    settings: ssopick_core::settings::Settings,
    /// Several sessions are shown (`--session all`).
    pub multi: bool,
    /// Sessions (in a multi-session picker) whose token is not usable, with
    /// what to run.
    pub expired_sessions: HashMap<String, String>,
    role_names: RoleNames,
}

impl Picker {
    pub fn new(
        session: &str,
        snapshot: Option<&Catalog>,
        history: History,
        now: UtcTime,
        query: &str,
    ) -> Picker {
        let mut role_names = RoleNames::default();
        let shared: Arc<str> = Arc::from(session);
        let accounts = snapshot
            .map(|c| {
                c.accounts
                    .iter()
                    .map(|a| AccountState::of_snapshot(&shared, a.clone(), &mut role_names))
                    .collect()
            })
            .unwrap_or_default();
        let mut p = Picker {
            input: Input {
                query: query.into(),
                cursor: query.chars().count(),
            },
            list: ListView {
                selected: 0,
                offset: 0,
                page: 10,
                list_top: 1,
                name_width: 0,
            },
            found: Found {
                matches: Vec::new(),
                matched_query: None,
                shown_query: None,
                generation: 0,
                pending: true,
                deferred: None,
                moved: false,
                wanted: None,
            },
            arrivals: Arrivals {
                had_snapshot: snapshot.is_some(),
                dirty: true,
                prune: false,
                by_id: HashMap::new(),
                by_id_stale: true,
                wanted_first: None,
                waiting_for: None,
            },
            choice: Choice {
                marked: Vec::new(),
                multi_enter: false,
                regions: Vec::new(),
                region: None,
            },
            role_names,
            session: session.into(),
            live: session.into(),
            accounts,
            rows: Vec::new(),
            hays: Arc::new(Haystacks::default()),
            order: Arc::new(Vec::new()),
            mode: Mode::List,
            status: Status {
                snapshot_taken: snapshot.map(|c| c.taken_at),
                ..Status::default()
            },
            history,
            now,
            settings: ssopick_core::settings::Settings::default(),
            multi: false,
            expired_sessions: HashMap::new(),
        };
        p.rebuild();
        p
    }

    /// The config file's settings (production patterns).
    pub fn set_settings(&mut self, s: ssopick_core::settings::Settings) {
        self.settings = s;
        self.arrivals.dirty = true;
    }

    /// Adds another session's snapshot: the picker then shows several
    /// sessions, with a session column.
    pub fn add_session(&mut self, session: &str, snapshot: &Catalog) {
        let session: Arc<str> = Arc::from(session);
        for a in &snapshot.accounts {
            let a = AccountState::of_snapshot(&session, a.clone(), &mut self.role_names);
            self.accounts.push(a);
        }
        self.set_multi();
    }

    /// Shows several sessions: a session column, and each account's
    /// session searchable.
    pub fn set_multi(&mut self) {
        if !self.multi {
            self.multi = true;
            for a in &mut self.accounts {
                a.meta_done = false;
            }
        }
        self.arrivals.dirty = true;
    }

    /// Adds the rows of role chains (config.toml `[[chain]]`), each under
    /// the session it goes through. A listing never changes them.
    pub fn add_chains(&mut self, rows: impl IntoIterator<Item = (String, AccountRoles)>) {
        for (session, a) in rows {
            let a = AccountState::of_snapshot(&Arc::from(session), a, &mut self.role_names);
            self.accounts.push(a);
        }
        self.arrivals.dirty = true;
    }

    /// Identity of the highlighted row: session, account id, role.
    fn selected_key(&self) -> Option<RowKey> {
        let r = self
            .rows
            .get(*self.found.matches.get(self.list.selected)? as usize)?;
        let a = &self.accounts[r.account];
        Some((
            a.session.to_string(),
            a.account.account_id.clone(),
            r.role.as_deref().map(str::to_string),
        ))
    }

    /// Moves the highlight back onto the row `key` names, if it is still
    /// among the matches (compared in place: this runs over every match).
    fn restore_selection(&mut self, key: Option<RowKey>) {
        if let Some((session, id, role)) = key
            && let Some(pos) = self.found.matches.iter().position(|&i| {
                let r = &self.rows[i as usize];
                let a = &self.accounts[r.account];
                a.account.account_id == id
                    && *a.session == *session
                    && (r.role.as_deref() == role.as_deref() || role.is_none())
            })
        {
            self.list.selected = pos;
        }
        self.clamp();
    }

    /// The number of rows the list shows (set by the view); the highlighted
    /// row stays on screen when it changes.
    pub fn set_page(&mut self, page: usize) {
        if self.list.page != page {
            self.list.page = page;
            self.clamp();
        }
    }

    fn clamp(&mut self) {
        self.list.clamp(self.found.matches.len());
    }

    pub fn selected_row(&self) -> Option<&Row> {
        self.rows
            .get(*self.found.matches.get(self.list.selected)? as usize)
    }

    pub fn account_of(&self, row: &Row) -> &Account {
        &self.accounts[row.account].account
    }

    /// The highlighted row as a chosen role, if it has one.
    pub fn chosen(&self) -> Option<Chosen> {
        let row = self.selected_row()?;
        Some(
            Chosen::new(
                self.account_of(row).clone(),
                row.role.as_deref()?,
                self.accounts[row.account].session.as_ref(),
            )
            .in_region(self.choice.region.clone()),
        )
    }

    /// The account to list before all others, once (Enter on a row whose
    /// roles are still loading).
    pub fn take_wanted_first(&mut self) -> Option<String> {
        self.arrivals.wanted_first.take()
    }

    /// Highlights `c`'s row once the next matches are in: a picker reopened
    /// (after a login) keeps its place as well as its query.
    pub fn preselect(&mut self, c: &Chosen) {
        self.found.wanted = Some((
            c.session.clone(),
            c.account.account_id.clone(),
            Some(c.role.clone()),
        ));
    }

    /// Account ids whose roles are unknown and that match the query now:
    /// the fetcher lists them first.
    pub fn loading_matches(&self) -> Vec<String> {
        self.found
            .matches
            .iter()
            .filter_map(|&i| self.rows.get(i as usize))
            .filter(|r| r.role.is_none())
            .map(|r| self.accounts[r.account].account.account_id.clone())
            .collect()
    }
}
