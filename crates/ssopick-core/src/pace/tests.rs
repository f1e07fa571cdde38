//! The pacer against a simulated portal: a token bucket (rate, burst) that
//! decides on arrival and answers after a fixed latency, in virtual time.

use super::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

struct Portal {
    /// The bucket's refill rate at a moment (seconds from the start).
    rate: fn(f64) -> f64,
    burst: f64,
    latency: Duration,
}

#[derive(Default, Debug)]
struct Run {
    wall: f64,
    ok: u64,
    throttled: u64,
    /// (seconds from the start, accepted)
    answers: Vec<(f64, bool)>,
    /// The rate the pacer says was held 30 s without a 429.
    held: Option<f64>,
}

impl Run {
    fn in_window(&self, from: f64, to: f64) -> (u64, u64) {
        let w = self.answers.iter().filter(|(t, _)| *t >= from && *t < to);
        let ok = w.clone().filter(|(_, a)| *a).count() as u64;
        (ok, w.count() as u64 - ok)
    }
}

fn simulate(portal: &Portal, jobs: u64, concurrency: usize) -> Run {
    simulate_from(portal, jobs, concurrency, None)
}

fn simulate_from(portal: &Portal, jobs: u64, concurrency: usize, remembered: Option<f64>) -> Run {
    let t0 = Instant::now();
    let secs = |t: Instant| t.duration_since(t0).as_secs_f64();
    let mut pacer = Pacer::new(t0, remembered);
    let (mut tokens, mut last) = (portal.burst.max(1.0), t0);
    let mut in_flight: BinaryHeap<Reverse<(Instant, Instant, bool)>> = BinaryHeap::new();
    let (mut pending, mut now) = (jobs, t0);
    let mut run = Run::default();
    while run.ok < jobs {
        let mut wake = None;
        let limit = if pacer.is_paced() { concurrency } else { 8 };
        while in_flight.len() < limit && pending > 0 {
            match pacer.admit(now) {
                Ok(()) => {
                    let cap = portal.burst.max(1.0);
                    tokens = (tokens
                        + now.duration_since(last).as_secs_f64() * (portal.rate)(secs(now)))
                    .min(cap);
                    last = now;
                    let ok = tokens >= 1.0;
                    if ok {
                        tokens -= 1.0;
                    }
                    pending -= 1;
                    in_flight.push(Reverse((now + portal.latency, now, ok)));
                }
                Err(t) => {
                    assert!(t > now, "a wait must be in the future");
                    wake = Some(t);
                    break;
                }
            }
        }
        let next = in_flight.peek().map(|r| r.0.0);
        now = match (next, wake) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => panic!("stuck with {pending} pending"),
        };
        while in_flight.peek().is_some_and(|r| r.0.0 <= now) {
            let Some(Reverse((at, sent, ok))) = in_flight.pop() else {
                break;
            };
            run.answers.push((secs(at), ok));
            if ok {
                run.ok += 1;
                pacer.accepted(sent, at);
            } else {
                run.throttled += 1;
                pending += 1;
                pacer.throttled(sent, at);
            }
        }
        assert!(secs(now) < 3600.0, "the run never ends");
    }
    run.wall = secs(now);
    run.held = pacer.held_rate();
    run
}

fn steady(rate: f64, burst: f64, jobs: u64, latency_ms: u64) -> (Run, f64) {
    // fn pointers cannot capture: pick the constant by value.
    let f: fn(f64) -> f64 = match rate as u32 {
        5 => |_| 5.0,
        10 => |_| 10.0,
        20 => |_| 20.0,
        50 => |_| 50.0,
        _ => unreachable!(),
    };
    let portal = Portal {
        rate: f,
        burst,
        latency: Duration::from_millis(latency_ms),
    };
    let run = simulate(&portal, jobs, 64);
    let floor = (run.ok as f64 - burst).max(1.0) / rate;
    (run, floor)
}

#[test]
fn under_a_quarter_429_per_call_and_within_5_percent_of_the_floor() {
    for rate in [5.0, 10.0, 20.0, 50.0] {
        for (burst, latency) in [
            (rate, 40),
            (20.0, 40),
            (rate, 150),
            (100.0, 10),
            (2.0 * rate, 40),
        ] {
            let jobs = (rate * 120.0) as u64; // two minutes' worth
            let (run, floor) = steady(rate, burst, jobs, latency);
            let per_call = run.throttled as f64 / run.ok as f64;
            let over = run.wall / floor;
            eprintln!(
                "{rate} req/s burst {burst} latency {latency} ms: {} 429s ({per_call:.3}/call), wall {:.1} s, floor {floor:.1} s ({over:.3}x)",
                run.throttled, run.wall
            );
            assert!(
                per_call < 0.25,
                "{rate} req/s, burst {burst}: {per_call:.3} 429s per call"
            );
            assert!(
                over <= 1.05,
                "{rate} req/s, burst {burst}: {over:.3}x the floor"
            );
        }
    }
}

/// How long after `change_at` the accepted rate over a sliding second
/// first reaches 85 % of `limit`, and the 429s per accepted call over the
/// five seconds after that.
fn adapted(run: &Run, change_at: f64, limit: f64) -> (f64, f64) {
    let mut t = change_at;
    while t < change_at + 60.0 {
        let (ok, _) = run.in_window(t - 1.0, t);
        if ok as f64 >= 0.85 * limit {
            let (ok, no) = run.in_window(t, t + 5.0);
            return (t - change_at, no as f64 / ok.max(1) as f64);
        }
        t += 0.05;
    }
    panic!("never adapted to {limit} req/s");
}

#[test]
fn follows_a_limit_that_drops_mid_run() {
    for (rate, to) in [
        (|t: f64| if t < 10.0 { 50.0 } else { 5.0 }) as fn(f64) -> f64,
        |t| if t < 10.0 { 20.0 } else { 5.0 },
        |t| if t < 10.0 { 50.0 } else { 20.0 },
    ]
    .into_iter()
    .zip([5.0, 5.0, 20.0])
    {
        let portal = Portal {
            rate,
            burst: to,
            latency: Duration::from_millis(40),
        };
        let run = simulate(&portal, 2000, 64);
        // A fall: the accepted rate is at the limit at once; what matters
        // is that the 429s stop.
        let (ok, no) = run.in_window(11.0, 16.0);
        let per_call = no as f64 / ok as f64;
        eprintln!("drop to {to}: from 1 s after, {per_call:.3} 429s per call");
        assert!(per_call < 0.25, "drop to {to}: {no} 429s for {ok} calls");
    }
}

#[test]
fn follows_a_limit_that_rises_mid_run() {
    // (limit before, after, seconds allowed): a rise is looked for after a
    // quiet time of 20 requests (1 to 4 s), then found by doubling.
    for (rate, to, allowed) in [
        (
            (|t: f64| if t < 10.0 { 5.0 } else { 20.0 }) as fn(f64) -> f64,
            20.0,
            5.0,
        ),
        (|t| if t < 10.0 { 5.0 } else { 50.0 }, 50.0, 6.0),
        (|t| if t < 10.0 { 20.0 } else { 50.0 }, 50.0, 3.0),
    ] {
        let portal = Portal {
            rate,
            burst: to,
            latency: Duration::from_millis(40),
        };
        let run = simulate(&portal, 3000, 64);
        let (took, per_call) = adapted(&run, 10.0, to);
        eprintln!("rise to {to}: at 85 % after {took:.2} s, then {per_call:.3} 429s per call");
        assert!(took <= allowed, "rise to {to}: took {took:.2} s");
        assert!(per_call < 0.25, "rise to {to}: {per_call:.3} 429s per call");
    }
}

#[test]
fn a_gentle_start_that_doubles_every_round_trip() {
    let t0 = Instant::now();
    let ms = |n: u64| t0 + Duration::from_millis(n);
    let mut p = Pacer::new(t0, None);
    // 20 req/s: one request, then the next 50 ms later.
    assert_eq!(p.admit(t0), Ok(()));
    let next = p.admit(t0).unwrap_err();
    assert!(next > ms(45) && next <= ms(50), "{next:?}");
    assert!(!p.is_paced());
    // Each answer after a 40 ms round trip adds ln 2 / 40 ms: twice the
    // rate per round trip's worth of answers.
    for i in 0..20 {
        p.accepted(ms(i * 50), ms(i * 50 + 40));
    }
    let gap = {
        let mut q = p;
        let now = ms(2000);
        q.admit(now).unwrap();
        q.admit(now).unwrap_err().duration_since(now).as_secs_f64()
    };
    assert!(1.0 / gap > 300.0, "{:.0} req/s after 20 answers", 1.0 / gap);
    // Remembered: 80 % of the held rate; nothing usable: 20 req/s.
    let near = |a: f64, b: f64| (a - b).abs() < 1e-9;
    assert!(near(Pacer::start_rate(Some(50.0)), 40.0));
    assert!(near(Pacer::start_rate(Some(f64::NAN)), START_RATE));
    assert!(near(Pacer::start_rate(Some(-1.0)), START_RATE));
}

#[test]
fn the_rate_held_30_s_without_a_429_is_remembered() {
    let t0 = Instant::now();
    let mut p = Pacer::slow_start(t0, 12.0);
    let at = |i: u32| t0 + Duration::from_millis(u64::from(i) * 50);
    // A 429 at 1 s: what came before it never counts.
    for i in 0..20 {
        p.accepted(at(i), at(i) + Duration::from_millis(40));
    }
    p.throttled(at(20), at(20) + Duration::from_millis(40));
    assert_eq!(p.held_rate(), None);
    // Then 20 req/s for 40 s without a 429.
    for i in 21..821 {
        p.accepted(at(i), at(i) + Duration::from_millis(40));
    }
    let held = p.held_rate().expect("held after 30 s");
    assert!((19.0..=20.5).contains(&held), "{held}");
}

#[test]
fn paced_after_the_first_429_and_waits_are_bounded() {
    let t0 = Instant::now();
    let mut p = Pacer::new(t0, None);
    assert_eq!(p.admit(t0), Ok(()));
    p.throttled(t0, t0 + Duration::from_millis(40));
    assert!(p.is_paced());
    // Paced: a request now and then, asked again at most 100 ms apart.
    let mut now = t0 + Duration::from_millis(41);
    let mut sent = Vec::new();
    while now < t0 + Duration::from_secs(1) {
        match p.admit(now) {
            Ok(()) => sent.push(now),
            Err(at) => {
                assert!(at > now && at <= now + Duration::from_millis(100));
                now = at;
            }
        }
    }
    // One a second to start with (what was accepted so far, halved), and
    // probing up from there at once.
    assert!(
        (1..=4).contains(&sent.len()),
        "{} sent in the first second",
        sent.len()
    );
}

/// The published budget (20 req/s, bursts of 5) from a cold start: 2,000
/// calls within 2 % of the floor and at most one 429 per 20 calls (at
/// 5 ms, the end-to-end fake's latency, and 40 ms, the benchmark's; at
/// 150 ms it is 0.054).
#[test]
fn a_cold_start_at_the_published_budget() {
    for latency in [5, 40] {
        let (run, floor) = steady(20.0, 5.0, 2000, latency);
        let per_call = run.throttled as f64 / run.ok as f64;
        eprintln!(
            "cold, {latency} ms: {} 429s ({per_call:.3}/call), wall {:.2} s, floor {floor:.2} s",
            run.throttled, run.wall
        );
        assert!(per_call <= 0.05, "{per_call:.3} 429s per call");
        // What the next listing starts from (80 % of it).
        let held = run.held.expect("a rate held over 30 s");
        assert!((17.0..=21.0).contains(&held), "held {held:.2} req/s");
        assert!(
            run.wall <= floor * 1.02,
            "{:.2} s against {floor:.2} s",
            run.wall
        );
    }
}

/// A portal remembered at 5 req/s is paced at 4 req/s from the start: its
/// first seconds meet a fraction of the 429s a cold start meets.
#[test]
fn a_remembered_rate_spares_the_first_429s() {
    let portal = Portal {
        rate: |_| 5.0,
        burst: 5.0,
        latency: Duration::from_millis(40),
    };
    let first = |remembered| {
        simulate_from(&portal, 100, 64, remembered)
            .in_window(0.0, 5.0)
            .1
    };
    let (cold, remembered) = (first(None), first(Some(5.0)));
    eprintln!("429s in the first 5 s: cold {cold}, remembered {remembered}");
    assert!(
        remembered * 2 < cold.max(1),
        "cold {cold}, remembered {remembered}"
    );
}
