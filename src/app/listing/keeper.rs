//! A listing's progress, never lost: saved as an incomplete snapshot at
//! most every five seconds while it runs (written off the async threads),
//! and once more however the listing ends: finished, stopped early, failed,
//! or dropped (the picker closed, the child exited, a signal). A complete
//! snapshot stays complete (and keeps its age) while an unfinished refresh
//! updates the accounts whose roles it fetched.
//!
//! The catalog to save is kept up to date event by event and sorted in
//! place (new accounts are a short unsorted tail), and handed to the
//! writer by reference count: a save of 50,000 accounts costs its JSON and
//! the write, not a merge or a copy (`bench_phases save`).

use crate::core::catalog::{Account, Catalog};
use crate::core::listing::{Applier, FetchEvent};
use crate::edge::snapshot::{self, ListingLock};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Least time between two saves of a listing's progress.
pub(crate) const SAVE_EVERY: Duration = Duration::from_secs(5);

/// Writes snapshots in order: a slow save started earlier never replaces a
/// later one.
#[derive(Clone)]
struct Writer {
    path: PathBuf,
    /// The sequence number of the newest save written.
    written: Arc<Mutex<u64>>,
}

impl Writer {
    /// True while a save started earlier has not been written.
    fn behind(&self, seq: u64) -> bool {
        *self
            .written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            < seq
    }

    /// Writes save `seq` (a catalog's bytes from `snapshot::encode`)
    /// unless a later one was written.
    fn write(&self, seq: u64, json: std::io::Result<Vec<u8>>) {
        let mut written = self
            .written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if seq <= *written {
            return;
        }
        // A full or read-only disk costs the progress, never the run.
        if let Ok(json) = json {
            let _ = snapshot::save_encoded(&self.path, &json);
        }
        *written = seq;
    }
}

pub(crate) struct Keeper {
    writer: Writer,
    /// What this listing has learned.
    pub(crate) fresh: Catalog,
    fresh_index: Applier,
    /// What a save writes: the snapshot on disk with this listing's
    /// progress (its accounts stay until this listing has seen them; a
    /// complete one stays complete), or the progress alone.
    to_save: Arc<Catalog>,
    save_index: Applier,
    /// Refreshing a complete snapshot: accounts listed whose roles have
    /// not come yet (they join it with their roles).
    waiting: HashMap<String, Account>,
    last_save: Instant,
    changed: bool,
    seq: u64,
    finished: bool,
    /// The session's listing lock, held until the last save is written.
    _lock: Option<ListingLock>,
}

impl Keeper {
    pub(crate) fn new(
        path: PathBuf,
        fresh: Catalog,
        on_disk: Option<Catalog>,
        lock: Option<ListingLock>,
    ) -> Keeper {
        let to_save = on_disk.unwrap_or_else(|| fresh.clone());
        Keeper {
            writer: Writer {
                path,
                written: Arc::default(),
            },
            fresh,
            fresh_index: Applier::default(),
            to_save: Arc::new(to_save),
            save_index: Applier::default(),
            waiting: HashMap::new(),
            last_save: Instant::now(),
            changed: false,
            seq: 0,
            finished: false,
            _lock: lock,
        }
    }

    /// What the listing learned, into `fresh` and the catalog to save.
    pub(crate) fn apply(&mut self, ev: &FetchEvent) {
        if !matches!(ev, FetchEvent::Accounts(_) | FetchEvent::Roles { .. }) {
            return;
        }
        self.fresh_index.apply(&mut self.fresh, ev.clone());
        let to_save = Arc::make_mut(&mut self.to_save);
        if !to_save.complete {
            self.save_index.apply(to_save, ev.clone());
        } else if let FetchEvent::Accounts(list) = ev {
            let ids = list.iter().map(|a| (a.account_id.clone(), a.clone()));
            self.waiting.extend(ids);
        } else if let FetchEvent::Roles { account_id, .. } = ev {
            // A refresh adds to a complete snapshot only accounts with roles.
            if let Some(a) = self.waiting.remove(account_id) {
                self.save_index
                    .apply(to_save, FetchEvent::Accounts(vec![a]));
            }
            self.save_index.apply(to_save, ev.clone());
        }
        self.changed = true;
    }

    /// Saves the progress on a blocking thread when the last save is
    /// `SAVE_EVERY` old; true when it did.
    pub(crate) fn tick(&mut self) -> bool {
        if !self.worth_saving() || self.last_save.elapsed() < SAVE_EVERY {
            return false;
        }
        let (seq, catalog) = self.next_save();
        let writer = self.writer.clone();
        drop(tokio::task::spawn_blocking(move || {
            let json = snapshot::encode(&catalog);
            // Let go once encoded: the listing goes on changing it uncopied.
            drop(catalog);
            writer.write(seq, json);
        }));
        true
    }

    /// The finished listing's catalog, saved (complete or, when a bound
    /// cut it short, not).
    pub(crate) fn finish(mut self, catalog: &Catalog) {
        self.seq += 1;
        self.writer.write(self.seq, snapshot::encode(catalog));
        self.finished = true;
    }

    fn worth_saving(&self) -> bool {
        self.changed && !self.to_save.accounts.is_empty()
    }

    /// The progress to save now, sorted, shared with the writer.
    fn next_save(&mut self) -> (u64, Arc<Catalog>) {
        self.seq += 1;
        self.changed = false;
        self.last_save = Instant::now();
        Arc::make_mut(&mut self.to_save).sort();
        (self.seq, Arc::clone(&self.to_save))
    }
}

impl Drop for Keeper {
    /// However the listing ends, what it learned since the last save is
    /// written before the lock goes.
    fn drop(&mut self) {
        // A save still on its thread when the run exits would be cut off:
        // the newest progress is written here, and that one is skipped.
        let pending = self.writer.behind(self.seq);
        if !self.finished && (self.worth_saving() || pending) {
            let (seq, catalog) = self.next_save();
            self.writer.write(seq, snapshot::encode(&catalog));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::time::UtcTime;

    fn complete(taken_at: i64) -> Catalog {
        let mut c = Catalog::from_rows(
            "s",
            [
                ("111111111111", "one", vec!["Old"]),
                ("222222222222", "two", vec!["Old"]),
            ],
            |n| format!("{n}@example.com"),
        );
        c.taken_at = UtcTime(taken_at);
        c
    }

    fn new_listing() -> Catalog {
        Catalog::new("s", "u", "us-east-1", UtcTime(5_000))
    }

    /// Accounts `ids` listed, and roles `roles` for some of them.
    fn listed(k: &mut Keeper, ids: &[&str], roles: &[(&str, &str)]) {
        let accounts = ids
            .iter()
            .map(|id| Account::new(*id, format!("n{id}"), "e@example.com"))
            .collect();
        k.apply(&FetchEvent::Accounts(accounts));
        for (id, role) in roles {
            k.apply(&FetchEvent::Roles {
                account_id: (*id).to_string(),
                roles: vec![(*role).to_string()],
            });
        }
    }

    fn load(path: &std::path::Path) -> Catalog {
        crate::edge::snapshot::load(path, "u").unwrap()
    }

    fn roles(c: &Catalog, id: &str) -> Option<Vec<String>> {
        c.accounts
            .iter()
            .find(|a| a.account.account_id == id)
            .and_then(|a| a.roles.clone())
    }

    #[test]
    fn an_unfinished_refresh_keeps_the_snapshot_complete_and_its_age() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let mut k = Keeper::new(path.clone(), new_listing(), Some(complete(1_000)), None);
        listed(
            &mut k,
            &["222222222222", "333333333333", "444444444444"],
            &[("222222222222", "New"), ("333333333333", "Added")],
        );
        drop(k);
        let c = load(&path);
        assert!(c.complete);
        assert_eq!(c.taken_at, UtcTime(1_000));
        assert_eq!(roles(&c, "111111111111"), Some(vec!["Old".to_string()]));
        assert_eq!(roles(&c, "222222222222"), Some(vec!["New".to_string()]));
        assert_eq!(roles(&c, "333333333333"), Some(vec!["Added".to_string()]));
        assert_eq!(c.accounts.len(), 3, "no account without roles joins it");
    }

    #[test]
    fn a_first_listing_is_saved_unfinished_and_nothing_when_nothing_came() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        drop(Keeper::new(path.clone(), new_listing(), None, None));
        assert!(!path.exists(), "no accounts, no file");
        let mut k = Keeper::new(path.clone(), new_listing(), None, None);
        listed(
            &mut k,
            &["111111111111", "444444444444"],
            &[("111111111111", "A")],
        );
        drop(k);
        let c = load(&path);
        assert!(!c.complete);
        assert_eq!(c.accounts.len(), 2);
        assert_eq!(c.taken_at, UtcTime(5_000), "when the listing started");
        let names: Vec<_> = c
            .accounts
            .iter()
            .map(|a| a.account.account_name.as_str())
            .collect();
        assert_eq!(names, ["n111111111111", "n444444444444"], "sorted");
    }

    #[test]
    fn resumed_progress_keeps_the_accounts_not_seen_again_yet() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let mut base = complete(1_000);
        base.complete = false;
        let mut k = Keeper::new(path.clone(), new_listing(), Some(base), None);
        listed(&mut k, &["333333333333"], &[("333333333333", "C")]);
        drop(k);
        let c = load(&path);
        assert!(!c.complete);
        assert_eq!(c.accounts.len(), 3);
        assert_eq!(
            c.taken_at,
            UtcTime(1_000),
            "when the resumed listing started"
        );
    }

    #[test]
    fn finish_writes_the_finished_catalog_and_drop_adds_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.json");
        let mut k = Keeper::new(path.clone(), new_listing(), Some(complete(1_000)), None);
        listed(&mut k, &["333333333333"], &[("333333333333", "C")]);
        let mut done = k.fresh.clone();
        done.complete = true;
        k.finish(&done);
        let c = load(&path);
        assert!(c.complete);
        assert_eq!(c.accounts.len(), 1);
    }
}
