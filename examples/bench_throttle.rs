//! The listing as a good citizen: 429s per accepted call and wall time
//! against the floor behind the fake portal's token bucket, a limit that
//! changes mid-run, and the cold start of a small organisation. Real HTTP
//! on 127.0.0.1 through aws-sdk-sso, 40 ms per request.
//!
//!   cargo run --release --example bench_throttle -- [throttle|change|cold|budget] [--runs N] [--rates 5,10]
//!
//! With no scenario, all four. `throttle` lists 1,000 accounts at 5, 10,
//! 20 and 50 req/s (burst = rate): the 5 req/s run alone takes 200 s.
//! `budget` is a first listing of 2,000 accounts behind the portal's
//! published budget (20 req/s, bursts of 5), nothing remembered.

use ssopick::core::listing::{FetchOptions, Progress};
use ssopick::core::secret::Secret;
use ssopick::edge::portal::listing::fetch_all;
use ssopick::edge::portal::{PAGE_SIZE, PortalClient, PortalOptions};
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal, FakeStats};
use std::sync::Arc;
use std::time::{Duration, Instant};

const LATENCY: Duration = Duration::from_millis(40);

async fn list(fake: &FakePortal) -> (Progress, f64) {
    let opts = PortalOptions {
        region: "us-east-1".into(),
        endpoint: Some(fake.url().into()),
        attempt_timeout: Duration::from_secs(10),
        http: None,
        variant: ssopick::core::sso::endpoints::Variant::default(),
    };
    let client = Arc::new(PortalClient::new(&opts, Secret::new(fake.token())));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let t0 = Instant::now();
    let p = fetch_all(client, FetchOptions::default(), tx, None)
        .await
        .expect("the listing completes");
    let wall = t0.elapsed().as_secs_f64();
    drain.await.expect("drained");
    (p, wall)
}

async fn fake(accounts: usize, throttle: Option<(f64, f64)>) -> FakePortal {
    let opts = FakeOptions {
        latency: LATENCY,
        throttle,
        ..FakeOptions::default()
    };
    FakePortal::start(FakeOrg::generated(accounts, 42), opts)
        .await
        .expect("fake portal")
}

fn per_call(s: &FakeStats) -> f64 {
    s.throttled as f64 / s.ok as f64
}

async fn throttle(rates: &[f64], runs: usize) {
    println!("throttle: 1,000 accounts, 40 ms/request, token bucket burst = rate");
    println!(
        "  floor = (accepted requests - burst) / rate; targets: wall <= 1.05x floor, < 0.25 429s per accepted call"
    );
    println!(
        "  {:>8} {:>4} {:>9} {:>9} {:>7} {:>8} {:>9}",
        "rate", "run", "wall s", "floor s", "ratio", "429s", "per call"
    );
    for &rate in rates {
        for run in 1..=runs {
            let f = fake(1000, Some((rate, rate))).await;
            let (_, wall) = list(&f).await;
            let s = f.stats();
            let floor = (s.ok as f64 - rate) / rate;
            println!(
                "  {:>8} {run:>4} {wall:>9.2} {floor:>9.2} {:>6.3}x {:>8} {:>9.3}",
                format!("{rate} r/s"),
                wall / floor,
                s.throttled,
                per_call(&s),
            );
        }
    }
}

/// The limit changes 10 s in; the accepted rate and the 429s over the
/// second and a half after, and the four seconds after that.
async fn change(from: f64, to: f64) {
    let f = Arc::new(fake(1000, Some((from, from))).await);
    let g = f.clone();
    let watcher = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(10)).await;
        g.set_throttle(Some((to, to)));
        let mut marks = vec![g.stats()];
        for wait in [1500, 4000] {
            tokio::time::sleep(Duration::from_millis(wait)).await;
            marks.push(g.stats());
        }
        marks
    });
    let lister = f.clone();
    let run = tokio::spawn(async move { list(&lister).await });
    let marks = watcher.await.expect("watcher");
    run.abort();
    let rate = |a: &FakeStats, b: &FakeStats, secs: f64| (b.ok - a.ok) as f64 / secs;
    println!(
        "  {from} -> {to} req/s: first 1.5 s {:.1} req/s accepted, {} 429s; next 4 s {:.1} req/s accepted (target >= {:.1}), {} 429s ({:.3} per call)",
        rate(&marks[0], &marks[1], 1.5),
        marks[1].throttled - marks[0].throttled,
        rate(&marks[1], &marks[2], 4.0),
        to * 0.85,
        marks[2].throttled - marks[1].throttled,
        (marks[2].throttled - marks[1].throttled) as f64
            / (marks[2].ok - marks[1].ok).max(1) as f64,
    );
}

async fn cold(runs: usize) {
    let accounts: usize = 400;
    let pages = accounts.div_ceil(PAGE_SIZE as usize);
    // ListAccounts pages one after another, then one role round trip.
    let floor = (pages + 1) as f64 * LATENCY.as_secs_f64();
    println!(
        "cold: {accounts} accounts, 40 ms/request; floor = {pages} ListAccounts pages + 1 role round trip = {:.0} ms; target <= 600 ms",
        floor * 1000.0
    );
    for run in 1..=runs {
        let f = fake(accounts, None).await;
        let (_, wall) = list(&f).await;
        let s = f.stats();
        println!(
            "  run {run}: {:.0} ms ({:.2}x the floor), {} requests, peak {} in flight",
            wall * 1000.0,
            wall / floor,
            s.requests,
            s.peak_in_flight
        );
    }
    for run in 1..=runs {
        let f = fake(accounts, Some((20.0, 20.0))).await;
        let (_, wall) = list(&f).await;
        let s = f.stats();
        println!(
            "  behind 20 req/s, run {run}: {wall:.2} s, {} 429s ({:.3} per call)",
            s.throttled,
            per_call(&s)
        );
    }
}

/// A first listing behind the published budget: the gentle start's cost.
async fn budget(runs: usize) {
    println!(
        "budget: 2,000 accounts, 40 ms/request, 20 req/s bursts of 5, nothing remembered; floor = (accepted - 5) / 20; targets: wall <= 1.02x, <= 0.05 429s per call"
    );
    for run in 1..=runs {
        let f = fake(2000, Some((20.0, 5.0))).await;
        let (_, wall) = list(&f).await;
        let s = f.stats();
        let floor = (s.ok as f64 - 5.0) / 20.0;
        println!(
            "  run {run}: {wall:.2} s, floor {floor:.2} s ({:.3}x), {} 429s ({:.3} per call)",
            wall / floor,
            s.throttled,
            per_call(&s)
        );
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let runs = value("--runs").and_then(|v| v.parse().ok()).unwrap_or(1);
    let rates: Vec<f64> = value("--rates").map_or(vec![5.0, 10.0, 20.0, 50.0], |v| {
        v.split(',').filter_map(|r| r.parse().ok()).collect()
    });
    let named: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| ["throttle", "change", "cold", "budget"].contains(a))
        .collect();
    let want = |s: &str| named.is_empty() || named.contains(&s);
    println!(
        "machine: {} cores; {}",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        std::env::consts::ARCH
    );
    if want("cold") {
        cold(runs.max(3)).await;
    }
    if want("budget") {
        budget(runs.max(1)).await;
    }
    if want("change") {
        println!("change: the limit changes 10 s into a 1,000-account listing (burst = rate)");
        for (from, to) in [(20.0, 5.0), (5.0, 20.0), (50.0, 10.0), (10.0, 50.0)] {
            change(from, to).await;
        }
    }
    if want("throttle") {
        throttle(&rates, runs).await;
    }
}
