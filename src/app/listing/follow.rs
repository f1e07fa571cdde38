//! Two runs on one session: the one that holds the session's listing lock
//! lists; another shows the progress the first one saves (re-reading the
//! snapshot as it grows) and takes the lock, to list what is left, only
//! once it is free. No second full listing.

use crate::core::catalog::Catalog;
use crate::core::listing::{FetchEvent, Progress};
use crate::edge::snapshot::{self, ListingLock};
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;
use tokio::sync::mpsc;

/// How often a waiting run looks at the lock and the snapshot.
const LOOK_EVERY: Duration = Duration::from_millis(500);

/// What of another run's saved progress was passed on already.
#[derive(Default)]
pub(crate) struct Seen {
    accounts: HashSet<String>,
    with_roles: HashSet<String>,
}

impl Seen {
    /// The events that bring a follower from what it has seen to `c`.
    pub(crate) fn events(&mut self, c: &Catalog) -> Vec<FetchEvent> {
        let new: Vec<_> = c
            .accounts
            .iter()
            .filter(|a| !self.accounts.contains(&a.account.account_id))
            .map(|a| a.account.clone())
            .collect();
        let mut out = Vec::new();
        if !new.is_empty() {
            self.accounts
                .extend(new.iter().map(|a| a.account_id.clone()));
            out.push(FetchEvent::Accounts(new));
        }
        for a in &c.accounts {
            if let Some(roles) = &a.roles
                && self.with_roles.insert(a.account.account_id.clone())
            {
                out.push(FetchEvent::Roles {
                    account_id: a.account.account_id.clone(),
                    roles: roles.clone(),
                });
            }
        }
        out.push(FetchEvent::Progress(Progress {
            accounts: c.accounts.len(),
            roles_done: self.with_roles.len(),
            accounts_complete: c.complete,
            ..Progress::default()
        }));
        out
    }
}

/// The listing lock, once had, and whether another run saved the snapshot
/// while this one waited for it.
pub(crate) struct Followed {
    /// `None` when the lock cannot be taken at all (a read-only cache):
    /// the caller lists without it.
    pub lock: Option<ListingLock>,
    /// Another run held the lock and the snapshot changed meanwhile.
    pub others_saved: bool,
}

/// Waits for the session's listing lock, passing on the progress another
/// run saves meanwhile (to `forward` and `on_progress`).
pub(crate) async fn lock_or_follow(
    path: &Path,
    start_url: &str,
    seen: &mut Seen,
    forward: &mut Option<mpsc::UnboundedSender<FetchEvent>>,
    on_progress: &mut Option<&mut dyn FnMut(&Progress)>,
) -> Followed {
    let first = snapshot::stamp(path);
    let mut stamp = first;
    let mut waited = false;
    loop {
        let lock = match snapshot::try_lock_listing(path) {
            Ok(Some(lock)) => Some(lock),
            Ok(None) => None,
            Err(_) => {
                return Followed {
                    lock: None,
                    others_saved: false,
                };
            }
        };
        if lock.is_some() {
            return Followed {
                lock,
                others_saved: waited && snapshot::stamp(path) != first,
            };
        }
        if !waited || snapshot::stamp(path) != stamp {
            stamp = snapshot::stamp(path);
            if let Some(c) = snapshot::load(path, start_url) {
                pass_on(seen.events(&c), forward, on_progress);
            }
        }
        waited = true;
        tokio::time::sleep(LOOK_EVERY).await;
    }
}

/// Sends `events` on; a closed `forward` is forgotten.
pub(crate) fn pass_on(
    events: Vec<FetchEvent>,
    forward: &mut Option<mpsc::UnboundedSender<FetchEvent>>,
    on_progress: &mut Option<&mut dyn FnMut(&Progress)>,
) {
    for ev in events {
        if let (FetchEvent::Progress(p), Some(f)) = (&ev, on_progress.as_mut()) {
            f(p);
        }
        if let Some(f) = forward.as_ref()
            && f.send(ev).is_err()
        {
            *forward = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::Account;
    use crate::core::time::UtcTime;

    #[test]
    fn a_follower_gets_each_account_and_each_accounts_roles_once() {
        let mut c = Catalog::new("s", "u", "us-east-1", UtcTime(0));
        c.upsert_accounts([
            Account::new("111111111111", "one", ""),
            Account::new("222222222222", "two", ""),
        ]);
        c.set_roles("111111111111", vec!["A".into()]);
        let mut seen = Seen::default();
        let first = seen.events(&c);
        assert!(matches!(&first[0], FetchEvent::Accounts(a) if a.len() == 2));
        assert!(
            matches!(&first[1], FetchEvent::Roles { account_id, .. } if account_id == "111111111111")
        );
        assert!(
            matches!(&first[2], FetchEvent::Progress(p) if p.accounts == 2 && p.roles_done == 1)
        );
        // The snapshot grows: only what is new is passed on.
        c.upsert_accounts([Account::new("333333333333", "three", "")]);
        c.set_roles("222222222222", vec!["B".into()]);
        let next = seen.events(&c);
        assert_eq!(next.len(), 3);
        assert!(matches!(&next[0], FetchEvent::Accounts(a) if a.len() == 1));
        assert!(
            matches!(&next[1], FetchEvent::Roles { account_id, .. } if account_id == "222222222222")
        );
        assert!(
            matches!(&next[2], FetchEvent::Progress(p) if p.accounts == 3 && p.roles_done == 2)
        );
    }
}
