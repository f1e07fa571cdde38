//! The listing's request pacer shared by its tasks: the core's `Pacer`
//! behind a lock, with the waiting done here (the only clock reads).

use super::CallError;
use ssopick_core::pace::Pacer;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The pacer, and whether a call that goes first (a ListAccounts page,
/// which the role calls wait for) is waiting for its turn.
#[derive(Debug)]
pub struct Gate(Mutex<Pacer>, AtomicBool);

impl Gate {
    /// A gate for a portal that last held `remembered` req/s, if known
    /// (`Pacer::new`).
    pub fn new(remembered: Option<f64>) -> Self {
        Gate(
            Mutex::new(Pacer::new(Instant::now(), remembered)),
            AtomicBool::new(false),
        )
    }

    /// The rate held 30 s without a 429, if any (`Pacer::held_rate`).
    pub fn held_rate(&self) -> Option<f64> {
        self.pacer().held_rate()
    }

    fn pacer(&self) -> std::sync::MutexGuard<'_, Pacer> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// May a request leave now? If not, when to ask again. A call waiting
    /// in `admit` goes first.
    pub fn try_admit(&self) -> Result<(), Instant> {
        let now = Instant::now();
        if self.1.load(Ordering::Acquire) {
            return Err(now + Duration::from_millis(5));
        }
        self.pacer().admit(now)
    }

    /// Waits for the request's turn, ahead of `try_admit`'s callers;
    /// returns when it was sent.
    pub async fn admit(&self) -> Instant {
        loop {
            let now = Instant::now();
            let turn = self.pacer().admit(now);
            match turn {
                Ok(()) => {
                    self.1.store(false, Ordering::Release);
                    return now;
                }
                Err(at) => {
                    self.1.store(true, Ordering::Release);
                    tokio::time::sleep_until(at.into()).await;
                }
            }
        }
    }

    pub fn is_paced(&self) -> bool {
        self.pacer().is_paced()
    }

    /// Tells the pacer how a request sent at `sent` was answered.
    pub fn report<T>(&self, sent: Instant, result: &Result<T, CallError>) {
        let now = Instant::now();
        match result {
            Err(CallError::Throttled) => self.pacer().throttled(sent, now),
            // Failures that are not about the rate say nothing about it.
            Err(CallError::Transient(_) | CallError::Unauthorized | CallError::Fatal(_)) => {}
            Ok(_) | Err(CallError::NotFound(_)) => self.pacer().accepted(sent, now),
        }
    }
}
