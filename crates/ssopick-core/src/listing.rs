//! What a listing of the portal produces and how it is paced, without doing
//! any of it: the events a listing streams (accounts, roles, progress), the
//! applier that folds them into a catalog, and the AIMD concurrency limit
//! (+1 per success while ramping up, +1/limit after the first cut, halved on
//! 5xx/timeouts at most once per round; 429s go to the rate pacer,
//! `core::pace`). The edge that talks to the portal
//! (`edge::portal::listing`) drives them.

use crate::catalog::{Account, Catalog};
use std::time::{Duration, Instant};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FetchEvent {
    Accounts(Vec<Account>),
    Roles {
        account_id: String,
        roles: Vec<String>,
    },
    Progress(Progress),
    /// The portal refused to list this account's roles with an error it
    /// should never give (an unexpected 4xx): the account is skipped, and
    /// the listing is incomplete (`bounds::Cut::REFUSED`).
    Refused {
        account_id: String,
        message: String,
    },
    /// Every account is listed, and so are the roles of the accounts the
    /// listing was asked to list first (`edge::portal::listing::Focus`);
    /// the listing waits to be told to go on.
    Focused,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub accounts: usize,
    pub accounts_complete: bool,
    pub roles_done: usize,
    pub in_flight: usize,
    pub limit: usize,
    pub requests: u64,
    pub throttled: u64,
    pub retries: u64,
    /// What the listing's bounds cut short (`core::bounds`): the catalog is
    /// then incomplete.
    pub cut: crate::bounds::Cut,
    /// The highest rate held for 30 s without a 429 so far, in thousandths
    /// of a request a second (0: none yet): remembered for the next
    /// listing.
    pub held_rate_milli: u64,
}

#[derive(Clone, Debug)]
pub struct FetchOptions {
    pub initial_limit: usize,
    pub max_limit: usize,
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
    /// Retries of throttled or failing calls go on while the listing makes
    /// progress (a 2,000-account listing at 5 req/s takes ~400 s); once no
    /// call has succeeded for this long, the listing stops.
    pub stall_limit: Duration,
    /// Accounts whose roles an earlier, unfinished listing completed
    /// (resuming it): their roles are taken as they are, not asked again.
    pub known: std::sync::Arc<std::collections::HashMap<String, Vec<String>>>,
    /// The rate (req/s) this portal last held for 30 s without a 429, if
    /// remembered: the pacer starts at 80 % of it (`pace::Pacer`).
    pub remembered_rate: Option<f64>,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            initial_limit: 8,
            max_limit: 128,
            backoff_base: Duration::from_millis(100),
            backoff_cap: Duration::from_secs(2),
            stall_limit: Duration::from_mins(1),
            known: std::sync::Arc::default(),
            remembered_rate: None,
        }
    }
}

/// Additive increase, multiplicative decrease.
#[derive(Debug)]
pub struct Aimd {
    limit: f64,
    max: f64,
    slow_start: bool,
    last_cut: Instant,
}

impl Aimd {
    pub fn new(initial: usize, max: usize, now: Instant) -> Self {
        Aimd {
            limit: initial.clamp(1, max.max(1)) as f64,
            max: max.max(1) as f64,
            slow_start: true,
            last_cut: now,
        }
    }
    pub fn limit(&self) -> usize {
        self.limit as usize
    }
    pub fn success(&mut self) {
        // Slow start doubles the window each round.
        let step = if self.slow_start {
            1.0
        } else {
            1.0 / self.limit
        };
        self.limit = (self.limit + step).min(self.max);
    }
    /// A request sent at `sent` was throttled or failed: cut, unless a cut
    /// already happened after it was sent (one cut per round of requests).
    pub fn congestion(&mut self, sent: Instant, now: Instant) {
        if sent >= self.last_cut || self.slow_start {
            self.limit = (self.limit / 2.0).max(1.0);
            self.slow_start = false;
            self.last_cut = now;
        }
    }
}

/// Applies fetch events to a catalog being built, finding accounts through
/// one id index for the whole listing.
#[derive(Default)]
pub struct Applier {
    index: crate::catalog::AccountIndex,
}

impl Applier {
    pub fn apply(&mut self, catalog: &mut Catalog, ev: FetchEvent) {
        match ev {
            FetchEvent::Accounts(list) => catalog.upsert_accounts_indexed(&mut self.index, list),
            FetchEvent::Roles { account_id, roles } => {
                catalog.set_roles_indexed(&mut self.index, &account_id, roles);
            }
            FetchEvent::Progress(_) | FetchEvent::Focused | FetchEvent::Refused { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applier_updates_in_place_and_survives_a_reordered_catalog() {
        let acct = |id: &str, name: &str| Account::new(id, name, "");
        let mut cat = Catalog::new("s", "u", "r", crate::time::UtcTime(0));
        let mut ap = Applier::default();
        ap.apply(
            &mut cat,
            FetchEvent::Accounts(vec![acct("2", "zeta"), acct("1", "alpha")]),
        );
        ap.apply(
            &mut cat,
            FetchEvent::Roles {
                account_id: "2".into(),
                roles: vec!["b".into(), "a".into(), "b".into()],
            },
        );
        // Someone reorders the catalog under the index.
        cat.sort();
        ap.apply(
            &mut cat,
            FetchEvent::Roles {
                account_id: "1".into(),
                roles: vec!["x".into()],
            },
        );
        ap.apply(
            &mut cat,
            FetchEvent::Accounts(vec![acct("2", "zeta-renamed")]),
        );
        ap.apply(
            &mut cat,
            FetchEvent::Roles {
                account_id: "unknown".into(),
                roles: vec!["y".into()],
            },
        );
        let got: Vec<(&str, &str, Option<Vec<String>>)> = cat
            .accounts
            .iter()
            .map(|a| {
                (
                    a.account.account_id.as_str(),
                    a.account.account_name.as_str(),
                    a.roles.clone(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("1", "alpha", Some(vec!["x".to_string()])),
                (
                    "2",
                    "zeta-renamed",
                    Some(vec!["a".to_string(), "b".to_string()])
                ),
            ]
        );
    }

    #[test]
    fn aimd_slow_start_then_one_cut_per_round() {
        let t0 = Instant::now();
        let mut a = Aimd::new(8, 64, t0);
        for _ in 0..100 {
            a.success();
        }
        assert_eq!(a.limit(), 64);
        let t1 = t0 + Duration::from_millis(10);
        a.congestion(t0, t1);
        assert_eq!(a.limit(), 32);
        a.congestion(t0, t1 + Duration::from_millis(1)); // sent before the cut
        assert_eq!(a.limit(), 32);
        a.congestion(t1 + Duration::from_millis(2), t1 + Duration::from_millis(3));
        assert_eq!(a.limit(), 16);
        for _ in 0..20 {
            a.success();
        }
        assert_eq!(a.limit(), 17, "additive increase after the first cut");
        for i in 0..20 {
            let t = t1 + Duration::from_secs(i + 1);
            a.congestion(t, t);
        }
        assert_eq!(a.limit(), 1, "never below one");
    }
}
