//! One session's catalog: the snapshot on disk, or a listing of the portal
//! that streams events and ends by saving a new snapshot stamped with the
//! time it finished. A listing that ends early keeps a complete snapshot as
//! it was and merges what it learned into an incomplete one.

use crate::core::bounds::Cut;
use crate::core::catalog::Catalog;
use crate::core::listing::{Applier, FetchEvent, FetchOptions, Progress};
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
        }
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

    fn save(&self, catalog: &Catalog) {
        let _ = snapshot::save(&self.path, catalog);
        *self.memo() = Memo::Unread;
    }

    /// What the last listing of this run cut short (empty: nothing).
    pub(crate) fn cut(&self) -> Cut {
        *self
            .cut
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
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

    /// Lists the whole catalog and saves it. On failure, what was learned is
    /// kept as described above, and the call's error returned.
    pub(crate) async fn list(
        &self,
        client: PortalClient,
        mut obs: Observers<'_>,
    ) -> Result<Catalog, CallError> {
        let s = &self.session;
        let mut fresh = Catalog::new(s.id(), &s.start_url, &s.region, self.clock.now());
        let (tx, mut rx) = mpsc::unbounded_channel();
        let mut applier = Applier::default();
        let (focus, mut decide) = match obs.focus.take() {
            Some((f, d)) => (Some(f), Some(d)),
            None => (None, None),
        };
        let go_on = focus.as_ref().map(|f| f.go_on.clone());
        let run = crate::edge::task::Owned::spawn(fetch_focused(
            Arc::new(client),
            FetchOptions::default(),
            tx,
            obs.priority.take(),
            focus,
        ));
        let mut stopped = false;
        while let Some(ev) = rx.recv().await {
            if let (FetchEvent::Progress(p), Some(f)) = (&ev, obs.on_progress.as_mut()) {
                f(p);
            }
            if let Some(f) = &obs.forward
                && f.send(ev.clone()).is_err()
            {
                obs.forward = None;
            }
            let focused = ev == FetchEvent::Focused;
            applier.apply(&mut fresh, ev);
            if focused {
                if decide.as_mut().is_some_and(|d| d(&fresh)) {
                    run.abort();
                    stopped = true;
                    break;
                }
                if let Some(g) = &go_on {
                    g.notify_one();
                }
            }
        }
        if stopped {
            self.keep_partial(fresh.clone());
            return Ok(fresh);
        }
        let outcome = run
            .await
            .unwrap_or_else(|e| Err(CallError::Fatal(format!("listing stopped: {e}"))));
        match outcome {
            Ok(p) => {
                // Stamped when the listing finished, not when it started.
                fresh.taken_at = self.clock.now();
                // What a bound cut short leaves the catalog incomplete.
                fresh.complete = p.cut.is_empty();
                *self
                    .cut
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = p.cut;
                fresh.sort();
                self.save(&fresh);
                Ok(fresh)
            }
            Err(e) => {
                self.keep_partial(fresh);
                Err(e)
            }
        }
    }

    /// What an unfinished listing learned: merged into an incomplete
    /// snapshot, or saved as one when there is none; a complete snapshot
    /// stays as it was.
    fn keep_partial(&self, mut fresh: Catalog) {
        if fresh.accounts.is_empty() {
            return;
        }
        match self.snapshot() {
            Some(old) if old.complete => {}
            Some(mut old) => {
                old.merge_partial(&fresh);
                self.save(&old);
            }
            None => {
                fresh.sort();
                self.save(&fresh);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::secret::Secret;
    use crate::core::time::UtcTime;
    use crate::edge::portal::PortalOptions;
    use crate::fake::{FakeOptions, FakeOrg, FakePortal};
    use std::sync::atomic::{AtomicI64, Ordering};

    /// Every reading is 100 s after the last: a listing takes "time".
    struct Ticking(AtomicI64);
    impl Clock for Ticking {
        fn now(&self) -> UtcTime {
            UtcTime(self.0.fetch_add(100, Ordering::SeqCst))
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_snapshot_is_stamped_when_its_listing_finished() {
        let fake = FakePortal::start(FakeOrg::generated(30, 3), FakeOptions::default())
            .await
            .unwrap();
        let session = Session {
            kind: crate::core::sso::session::SessionKind::Named("corp".into()),
            start_url: "https://corp.awsapps.com/start".into(),
            region: "us-east-1".into(),
            profiles: Vec::new(),
            registration_scopes: None,
            more_profiles: 0,
        };
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(Ticking(AtomicI64::new(1_000_000)));
        let source = CatalogSource::new(
            session,
            dir.path(),
            clock.clone(),
            SnapshotAges::default(),
            false,
            true,
        );
        let client = PortalClient::new(
            &PortalOptions {
                region: "us-east-1".into(),
                endpoint: Some(fake.url().to_string()),
                attempt_timeout: std::time::Duration::from_secs(5),
                http: None,
            },
            Secret::new(fake.token()),
        );
        let started = clock.now();
        let c = source.list(client, Observers::default()).await.unwrap();
        let finished = clock.now();
        assert!(c.complete);
        assert!(
            c.taken_at > started && c.taken_at < finished,
            "stamped at the end: {started} < {} < {finished}",
            c.taken_at
        );
        assert_eq!(source.snapshot().unwrap().taken_at, c.taken_at);
    }
}
