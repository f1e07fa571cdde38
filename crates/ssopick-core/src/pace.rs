//! The request-rate pacer of a listing, without doing any of it: which
//! moment the next request may leave, learned from the portal's answers.
//!
//! A gentle start: a portal that last held a rate for 30 s (`note_held`,
//! remembered beside its snapshot) is paced from the first request at 80 %
//! of it. Otherwise, until the first 429, requests leave at 20 req/s (the
//! portal's published budget), which doubles every round trip without a
//! 429 (each accepted answer adds ln 2 / its round trip), while the
//! concurrency limit starts at 8 and doubles too. From the first 429 on,
//! requests leave one every `1 / rate` seconds, so even one request in
//! flight cannot outrun a 5 req/s portal. The rate is measured, not
//! guessed: a 429 says the portal's bucket is empty, so between two 429s
//! it accepted what it refilled, less whatever overflowed while it was
//! full: never more. The pacer sends 3 % above the rate so measured (from a
//! 429 at least 2 s back): that keeps the bucket empty, which keeps the
//! next measurement exact and the wall time at the floor, for a few 429s
//! per hundred accepted calls. Since every measure is a floor, a 429 lowers
//! the rate by 3 % at most, except in a storm: when most answers of the
//! last second were 429s the limit fell, and that second alone sets the
//! rate. After a quiet time without a 429 (20 requests' worth, 1 to 4 s)
//! the limit may have risen: the rate doubles every half second until one
//! comes, and a probe that doubled twice sets the rate to the best it got
//! accepted at. Simulated against token buckets in `pace/tests.rs`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The rate is set this much above the measured rate...
const OVER: f64 = 1.03;
/// ...and requests leave at this share of it: just under the portal's
/// rate, so its bucket keeps a token or two for requests that arrive
/// bunched (a saturated bucket turns every millisecond of jitter into a
/// 429), at about 1 % over the floor's wall time.
const SEND: f64 = 0.96;
/// A measurement spans at least this long between two 429s.
const MIN_SPAN: Duration = Duration::from_secs(2);
/// Answers are remembered this long.
const HISTORY: Duration = Duration::from_secs(5);
/// When most answers of this last while were 429s, it alone sets the rate.
const STORM_WINDOW: Duration = Duration::from_secs(1);
/// With no 429 for this long (and for this many requests, up to 4 s: each
/// probe costs a 429 or two), probe upwards, doubling every `DOUBLING`.
const QUIET: Duration = Duration::from_secs(2);
const QUIET_REQUESTS: f64 = 40.0;
const DOUBLING: Duration = Duration::from_millis(500);
/// Turns missed by a late wake-up within this long are caught up.
const CATCH_UP: Duration = Duration::from_millis(10);
const MIN_RATE: f64 = 0.2;
const MAX_RATE: f64 = 10_000.0;
/// The first listing of a portal starts here (its published budget).
pub const START_RATE: f64 = 20.0;
/// A remembered rate is started at this share of it.
pub const REMEMBERED_SHARE: f64 = 0.8;
/// A rate is remembered once held this long...
pub const HELD_SPAN: Duration = Duration::from_secs(30);
/// ...with at most one 429 per this many accepted calls. (Not none: a
/// pacer that keeps a throttled portal's bucket empty to measure its limit
/// meets a 429 every few seconds, so no throttled listing would ever hold
/// a rate 30 s without one.)
pub const HELD_CALLS_PER_429: usize = 20;
/// Answers kept for `HELD_SPAN` (bounds memory at any rate).
const MAX_HELD_ANSWERS: usize = 100_000;

#[derive(Debug)]
pub struct Pacer {
    /// None until the first 429: not paced.
    base: Option<f64>,
    last_send: Instant,
    /// Answers of the last `HISTORY`: (when, accepted).
    answers: VecDeque<(Instant, bool)>,
    last_429: Instant,
    /// The highest rate a probe's request left at and was accepted.
    probe_best: f64,
    /// When a 429 last changed the rate.
    acted: Instant,
    /// Whether a measurement has been made (until then, no quiet time).
    settled: bool,
    started: Instant,
    /// The slow start's rate, until the first 429.
    slow: f64,
    /// The answers of the last `HELD_SPAN`: (when, accepted).
    recent: VecDeque<(Instant, bool)>,
    /// Of `recent`: [429s, accepted].
    recent_counts: [usize; 2],
    /// The highest rate held over `HELD_SPAN` (`note_held`).
    held: Option<f64>,
}

impl Pacer {
    /// A pacer for a portal that last held `remembered` req/s (if known):
    /// paced from the first request at 80 % of it, probing upwards after
    /// the quiet time as after any 429; with nothing remembered, a slow
    /// start from `START_RATE` that doubles every round trip.
    pub fn new(now: Instant, remembered: Option<f64>) -> Self {
        let start = Self::start_rate(remembered);
        let mut p = Self::slow_start(now, start);
        if remembered.is_some_and(|r| r.is_finite() && r > 0.0) {
            p.base = Some(start / SEND);
            p.settled = true;
        }
        p
    }

    /// A pacer whose slow start begins at `start` req/s.
    pub fn slow_start(now: Instant, start: f64) -> Self {
        let slow = start.clamp(MIN_RATE, MAX_RATE);
        Pacer {
            slow,
            recent: VecDeque::new(),
            recent_counts: [0, 0],
            held: None,
            base: None,
            // The first request leaves at once.
            last_send: now
                .checked_sub(Duration::from_secs_f64(1.0 / slow))
                .unwrap_or(now),
            answers: VecDeque::new(),
            last_429: now,
            probe_best: 0.0,
            acted: now,
            settled: false,
            started: now,
        }
    }

    /// The rate requests leave at now, or None while not paced.
    pub fn rate(&self, now: Instant) -> Option<f64> {
        let base = self.base?;
        let still = now.saturating_duration_since(self.last_429);
        let quiet = self.quiet(base);
        if still <= quiet {
            return Some(base * SEND);
        }
        let doublings = still.saturating_sub(quiet).as_secs_f64() / DOUBLING.as_secs_f64();
        Some((base * SEND * doublings.min(20.0).exp2()).min(MAX_RATE))
    }

    /// The start rate for a portal whose held rate was `remembered`.
    pub fn start_rate(remembered: Option<f64>) -> f64 {
        remembered
            .filter(|r| r.is_finite() && *r > 0.0)
            .map_or(START_RATE, |r| {
                (r * REMEMBERED_SHARE).clamp(MIN_RATE, MAX_RATE)
            })
    }

    /// The highest rate held over 30 s (`note_held`), if any: what the
    /// next listing of this portal starts from.
    pub fn held_rate(&self) -> Option<f64> {
        self.held
    }

    /// May a request leave now? If not, when to ask again.
    pub fn admit(&mut self, now: Instant) -> Result<(), Instant> {
        let rate = self.rate(now).unwrap_or(self.slow);
        let gap = Duration::from_secs_f64(1.0 / rate);
        let due = self.last_send + gap;
        if now < due {
            // Asked again at least every 100 ms: a probe shortens the gap.
            return Err(due.min(now + Duration::from_millis(100)));
        }
        // Keep to the grid when the wake-up came a little late: at high
        // rates a gap is shorter than a timer tick, and the requests whose
        // turn passed within `CATCH_UP` still leave, one after another.
        self.last_send = if now - due < gap.max(CATCH_UP) {
            due
        } else {
            now
        };
        Ok(())
    }

    /// A request sent at `sent` was answered at `now`, not with a 429.
    pub fn accepted(&mut self, sent: Instant, now: Instant) {
        self.remember(now, true);
        self.note_held(now, true);
        if self.base.is_none() {
            // Slow start: doubles every round trip without a 429.
            let rtt = now.saturating_duration_since(sent).as_secs_f64().max(0.001);
            self.slow = (self.slow + std::f64::consts::LN_2 / rtt).min(MAX_RATE);
        }
        // Until a measurement is made, the first round's answers that come
        // in after the first 429 still give the scale.
        if let (false, Some(base)) = (self.settled, self.base) {
            let ok = f64::from(self.count(now, STORM_WINDOW).0);
            self.base = Some(base.max(ok * OVER / 2.0));
        }
        if let (Some(base), Some(left_at)) = (self.base, self.rate(sent))
            && left_at > base
        {
            self.probe_best = self.probe_best.max(left_at);
        }
    }

    /// A request sent at `sent` was answered at `now` with a 429.
    pub fn throttled(&mut self, sent: Instant, now: Instant) {
        self.remember(now, false);
        self.note_held(now, false);
        // Once per round: a request sent before the last 429 was answered
        // to a rate already acted on.
        if self.base.is_some() && sent < self.acted {
            return;
        }
        self.acted = now;
        let Some(base) = self.base else {
            // What was accepted so far (a burst included) gives the scale:
            // start at half of it (the answers to the first round may come
            // after this 429), and probe until a measurement is made.
            let ok = self.answers.iter().filter(|a| a.1).count() as f64;
            let span = now
                .duration_since(self.started)
                .max(Duration::from_millis(250));
            let base = (ok / span.as_secs_f64() / 2.0).clamp(2.0, MAX_RATE);
            self.base = Some(base);
            self.last_429 = now;
            self.last_send = now
                .checked_sub(Duration::from_secs_f64(1.0 / base))
                .unwrap_or(now);
            return;
        };
        // A probe that doubled twice without a 429 found room: the best
        // rate it got accepted at is the new base, at most four times the
        // old (a burst saved while the limit rose is drained at rates the
        // portal will not keep up), and the next measurement corrects it.
        // A shorter probe may only have spent tokens saved up under the
        // base: it proves nothing.
        let probing = now.saturating_duration_since(self.last_429 + self.quiet(base));
        let best = std::mem::take(&mut self.probe_best);
        let probed = if probing >= DOUBLING * 2 {
            best.min(base * 4.0)
        } else {
            0.0
        };
        let recent = self.count(now, STORM_WINDOW);
        let storm = recent.1 > recent.0 && recent.0 + recent.1 >= 4;
        // A base held for a quiet second without a 429 is at or under the
        // limit: the probe that ends now starts the next one a step above.
        let held = if now.duration_since(self.last_429) > self.quiet(base) {
            base * 1.03
        } else {
            0.0
        };
        // One answer in ten a 429 over the measurement's span: the bucket
        // was empty throughout, and the measurement is exact.
        let span = self.count(now, MIN_SPAN);
        let saturated = span.1 * 10 >= span.0 + span.1;
        let measured = self.measured(now).map(|m| m * OVER);
        self.settled |= measured.is_some();
        let rate = if storm {
            f64::from(recent.0) / STORM_WINDOW.as_secs_f64() * OVER
        } else if let (true, Some(measured)) = (saturated, measured) {
            measured
        } else {
            // Otherwise every measure here is a floor (a bucket that
            // overflowed while the rate was under it hides the overflow),
            // so none of them lowers the rate by more than 3 %.
            measured
                .unwrap_or(0.0)
                .max(probed)
                .max(held)
                .max(base * 0.97)
        };
        self.base = Some(rate.clamp(MIN_RATE, MAX_RATE));
        self.last_429 = now;
    }

    /// How long without a 429 before probing: half a second until a
    /// measurement has been made (the first seconds after the first 429).
    fn quiet(&self, base: f64) -> Duration {
        if self.settled { quiet(base) } else { DOUBLING }
    }

    pub fn is_paced(&self) -> bool {
        self.base.is_some()
    }

    /// Counts an answer towards a rate held over `HELD_SPAN`: the
    /// accepted rate of a full span with at most one 429 per
    /// `HELD_CALLS_PER_429` accepted calls.
    fn note_held(&mut self, now: Instant, accepted: bool) {
        if self.recent.len() >= MAX_HELD_ANSWERS {
            self.recent_drop_front();
        }
        self.recent.push_back((now, accepted));
        self.recent_counts[usize::from(accepted)] += 1;
        while self
            .recent
            .front()
            .is_some_and(|a| now.duration_since(a.0) > HELD_SPAN)
        {
            self.recent_drop_front();
        }
        if now.saturating_duration_since(self.started) < HELD_SPAN {
            return;
        }
        let [throttled, ok] = self.recent_counts;
        if throttled * HELD_CALLS_PER_429 <= ok {
            let rate = ok as f64 / HELD_SPAN.as_secs_f64();
            self.held = Some(self.held.map_or(rate, |h| h.max(rate)));
        }
    }

    fn recent_drop_front(&mut self) {
        if let Some((_, accepted)) = self.recent.pop_front() {
            self.recent_counts[usize::from(accepted)] -= 1;
        }
    }

    fn remember(&mut self, now: Instant, accepted: bool) {
        self.answers.push_back((now, accepted));
        while self
            .answers
            .front()
            .is_some_and(|a| now.duration_since(a.0) > HISTORY)
        {
            self.answers.pop_front();
        }
    }

    /// (accepted, 429s) among the answers of the last `window`.
    fn count(&self, now: Instant, window: Duration) -> (u32, u32) {
        self.answers
            .iter()
            .rev()
            .take_while(|a| now.duration_since(a.0) <= window)
            .fold(
                (0, 0),
                |(ok, no), a| if a.1 { (ok + 1, no) } else { (ok, no + 1) },
            )
    }

    /// Accepted per second from the latest 429 at least `MIN_SPAN` back to
    /// now (a 429): empty bucket to empty bucket.
    fn measured(&self, now: Instant) -> Option<f64> {
        let mut accepted = 0u32;
        for a in self.answers.iter().rev().skip(1) {
            if a.1 {
                accepted += 1;
            } else if now.duration_since(a.0) >= MIN_SPAN {
                return Some(f64::from(accepted) / now.duration_since(a.0).as_secs_f64());
            }
        }
        None
    }
}

fn quiet(base: f64) -> Duration {
    QUIET.max(Duration::from_secs_f64((QUIET_REQUESTS / base).min(4.0)))
}

#[cfg(test)]
#[path = "pace/tests.rs"]
mod tests;
