//! One session's catalog: the snapshot on disk, or a listing of the portal
//! that streams events and ends by saving a new snapshot stamped with the
//! time it finished. Its progress is saved as it goes (`keeper`); a run
//! that finds another listing the session follows it (`follow`); an
//! unfinished listing is resumed.

use crate::app::listing::follow::{Seen, lock_or_follow, pass_on};
use crate::app::listing::keeper::Keeper;
use crate::core::bounds::Cut;
use crate::core::catalog::Catalog;
use crate::core::listing::{FetchEvent, FetchOptions, Progress};
use crate::core::settings::SnapshotAges;
use crate::core::snapshot_stream::{Head, Loaded};
use crate::core::sso::session::Session;
use crate::core::time::Clock;
use crate::edge::portal::listing::{Focus, fetch_focused};
use crate::edge::portal::{CallError, PortalClient};
use crate::edge::snapshot;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::mpsc;

/// An unfinished listing younger than this is resumed (its complete
/// accounts' roles kept); an older one is listed anew.
const RESUME_WITHIN: i64 = 24 * 3600;

pub(crate) struct CatalogSource {
    session: Session,
    path: PathBuf,
    clock: Arc<dyn Clock>,
    ages: SnapshotAges,
    /// `--offline`: never list.
    pub offline: bool,
    /// `--refresh`: list even with a fresh snapshot.
    pub refresh: bool,
    /// The snapshot as read once (a 100,000-entry one takes ~25 ms to
    /// parse and check); forgotten when a listing saves a new one.
    memo: std::sync::Mutex<Memo>,
    /// What the last listing's bounds cut short (`core::bounds`).
    cut: std::sync::Mutex<Cut>,
    /// Accounts the last listing skipped because the portal refused their
    /// roles: (account id, the portal's message).
    refused: std::sync::Mutex<Vec<(String, String)>>,
}

/// The snapshot as read from disk, once read: its head alone (`Head`:
/// one that does not come first is `None`), or all of it.
enum Memo {
    Unread,
    Head(Option<Head>),
    Read(Option<Arc<Catalog>>),
}

/// What a focused listing asks once every account and the focused
/// accounts' roles are in: `true` ends the listing there.
pub(crate) type Decide<'a> = &'a mut dyn FnMut(&Catalog) -> bool;

/// Where a listing's events go besides the catalog being built.
#[derive(Default)]
pub(crate) struct Observers<'a> {
    pub on_progress: Option<&'a mut dyn FnMut(&Progress)>,
    pub forward: Option<mpsc::UnboundedSender<FetchEvent>>,
    pub priority: Option<mpsc::UnboundedReceiver<Vec<String>>>,
    /// A focused listing (`Focus`: some accounts' roles first), and what
    /// to ask once every account and those roles are in: `true` ends the
    /// listing there (the catalog so far is returned, incomplete).
    pub focus: Option<(Focus, Decide<'a>)>,
}

impl CatalogSource {
    pub(crate) fn new(
        session: Session,
        cache_dir: &std::path::Path,
        clock: Arc<dyn Clock>,
        ages: SnapshotAges,
        offline: bool,
        refresh: bool,
    ) -> CatalogSource {
        CatalogSource {
            path: snapshot::path(cache_dir, &session.start_url),
            session,
            clock,
            ages,
            offline,
            refresh,
            memo: std::sync::Mutex::new(Memo::Unread),
            cut: std::sync::Mutex::new(Cut::default()),
            refused: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// A source that never lists and holds `c` as its snapshot (the
    /// empty, complete catalog of a target with no SSO session).
    pub(crate) fn held(mut self, c: Catalog) -> CatalogSource {
        self.offline = true;
        self.refresh = false;
        *self.memo() = Memo::Read(Some(Arc::new(c)));
        self
    }

    /// The stored snapshot, read from disk once per run.
    pub(crate) fn snapshot_ref(&self) -> Option<Arc<Catalog>> {
        let mut memo = self.memo();
        if let Memo::Read(c) = &*memo {
            return c.clone();
        }
        let c = snapshot::load(&self.path, &self.session.start_url).map(Arc::new);
        *memo = Memo::Read(c.clone());
        c
    }

    /// What the stored snapshot says of itself (age, completeness, counts),
    /// from the start of its file when it has not been read whole: a
    /// command decides with it, and the picker then streams the accounts.
    pub(crate) fn head(&self) -> Option<Head> {
        if let Some(h) = self.first_head() {
            return Some(h);
        }
        self.snapshot_ref().map(|c| Head::of(&c))
    }

    /// The head from the start of the file, read once per run; `None` when
    /// the snapshot was read whole, or its head is not first.
    fn first_head(&self) -> Option<Head> {
        let mut memo = self.memo();
        match &*memo {
            Memo::Read(_) => None,
            Memo::Head(h) => h.clone(),
            Memo::Unread => {
                let h = snapshot::head(&self.path, &self.session.start_url);
                *memo = Memo::Head(h.clone());
                h
            }
        }
    }

    /// The stored snapshot's accounts, read on a thread and sent in chunks
    /// (`Loaded`), when it has not been read whole yet and its head comes
    /// first; else `None` (use `snapshot_ref`).
    pub(crate) fn stream(&self) -> Option<(Head, tokio::sync::mpsc::UnboundedReceiver<Loaded>)> {
        let head = self.first_head()?;
        Some((
            head,
            snapshot::stream(self.path.clone(), self.session.start_url.clone()),
        ))
    }

    fn memo(&self) -> std::sync::MutexGuard<'_, Memo> {
        self.memo
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The stored snapshot, owned.
    pub(crate) fn snapshot(&self) -> Option<Catalog> {
        self.snapshot_ref().map(Arc::unwrap_or_clone)
    }

    /// What the last listing of this run cut short (empty: nothing).
    pub(crate) fn cut(&self) -> Cut {
        *self
            .cut
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// What the last listing cut short, for a message: what, and the
    /// accounts the portal refused, named.
    pub(crate) fn cut_text(&self) -> String {
        let refused = self
            .refused
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        crate::core::bounds::with_refused(&self.cut().describe(), &refused)
    }

    /// A snapshot commands may use without listing (complete, young enough,
    /// and no `--refresh`).
    pub(crate) fn usable_without_listing(&self, c: &Head) -> bool {
        !self.refresh && c.complete && c.taken_at.secs_until(self.clock.now()) < self.ages.max_age
    }

    /// The picker lists in the background when this is true.
    pub(crate) fn picker_should_list(&self, snap: Option<&Head>) -> bool {
        !self.offline
            && (self.refresh
                || snap.is_none_or(|s| {
                    !s.complete
                        || s.taken_at.secs_until(self.clock.now()) > self.ages.picker_refresh_after
                }))
    }

    /// Lists the whole catalog and saves it, resuming an unfinished
    /// listing younger than a day; while another run lists this session,
    /// passes its saved progress on and waits. Progress is saved as it
    /// goes and however the listing ends (`Keeper`); a complete snapshot
    /// stays until a listing completes.
    pub(crate) async fn list(
        &self,
        client: PortalClient,
        mut obs: Observers<'_>,
    ) -> Result<Catalog, CallError> {
        let s = &self.session;
        let started = self.clock.now();
        let mut seen = Seen::default();
        let followed = lock_or_follow(
            &self.path,
            &s.start_url,
            &mut seen,
            &mut obs.forward,
            &mut obs.on_progress,
        )
        .await;
        *self.memo() = Memo::Unread;
        let on_disk = self.snapshot();
        // Another run finished this listing while this one waited.
        if let Some(c) = on_disk
            .as_ref()
            .filter(|c| followed.others_saved && c.complete)
        {
            pass_on(seen.events(c), &mut obs.forward, &mut obs.on_progress);
            return Ok(c.clone());
        }
        let resumed = on_disk.as_ref().filter(|c| {
            !c.complete && !self.refresh && c.taken_at.secs_until(started) < RESUME_WITHIN
        });
        // Its roles are as old as the listing it resumes.
        let oldest = resumed.map(|c| c.taken_at);
        let known = resumed
            .map(|c| {
                c.accounts
                    .iter()
                    .filter_map(|a| Some((a.account.account_id.clone(), a.roles.clone()?)))
                    .collect()
            })
            .unwrap_or_default();
        let fresh = Catalog::new(s.id(), &s.start_url, &s.region, started);
        let mut keep = Keeper::new(self.path.clone(), fresh, on_disk, followed.lock);
        let (tx, mut rx) = mpsc::unbounded_channel();
        let (focus, mut decide) = match obs.focus.take() {
            Some((f, d)) => (Some(f), Some(d)),
            None => (None, None),
        };
        let go_on = focus.as_ref().map(|f| f.go_on.clone());
        let run = crate::edge::task::Owned::spawn(fetch_focused(
            Arc::new(client),
            FetchOptions {
                known: Arc::new(known),
                remembered_rate: snapshot::remembered_rate(&self.path),
                ..FetchOptions::default()
            },
            tx,
            obs.priority.take(),
            focus,
        ));
        let mut held = HeldRate {
            snapshot: &self.path,
            milli: 0,
        };
        while let Some(ev) = rx.recv().await {
            let focused = ev == FetchEvent::Focused;
            if let FetchEvent::Progress(p) = &ev {
                held.milli = held.milli.max(p.held_rate_milli);
            }
            if let FetchEvent::Refused {
                account_id,
                message,
            } = &ev
            {
                self.refused
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push((account_id.clone(), message.clone()));
            }
            pass_on(vec![ev.clone()], &mut obs.forward, &mut obs.on_progress);
            keep.apply(&ev);
            if keep.tick() {
                *self.memo() = Memo::Unread;
            }
            if focused {
                if decide.as_mut().is_some_and(|d| d(&keep.fresh)) {
                    // Answered early: what was listed is kept (on drop).
                    run.abort();
                    *self.memo() = Memo::Unread;
                    return Ok(keep.fresh.clone());
                }
                if let Some(g) = &go_on {
                    g.notify_one();
                }
            }
        }
        let outcome = run
            .await
            .unwrap_or_else(|e| Err(CallError::Fatal(format!("listing stopped: {e}"))));
        *self.memo() = Memo::Unread;
        let p = outcome?;
        let mut c = keep.fresh.clone();
        // Stamped when the listing finished, not when it started; a resumed
        // one when the listing it resumed started (its oldest roles).
        c.taken_at = oldest.unwrap_or_else(|| self.clock.now());
        // What a bound cut short leaves the catalog incomplete.
        c.complete = p.cut.is_empty();
        *self
            .cut
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = p.cut;
        c.sort();
        keep.finish(&c);
        Ok(c)
    }
}

/// The highest rate a listing held for 30 s without a 429, remembered
/// beside the snapshot however the listing ends: the next one starts at
/// 80 % of it (`core::pace`).
struct HeldRate<'a> {
    snapshot: &'a std::path::Path,
    milli: u64,
}

impl Drop for HeldRate<'_> {
    fn drop(&mut self) {
        if self.milli > 0 {
            snapshot::remember_rate(self.snapshot, self.milli as f64 / 1000.0);
        }
    }
}
