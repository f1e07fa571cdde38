//! The listing's rate pacer against the fake portal's token bucket, over
//! real HTTP: under a quarter of a 429 per accepted call and the wall time
//! near the floor at 5, 10, 20 and 50 req/s, and a limit that changes
//! mid-run followed both ways. (The benchmark, `bench throttle`, runs 1,000
//! accounts at each rate; these runs are ~20 s each and run side by side.)

use ssopick::core::listing::{FetchOptions, Progress};
use ssopick::core::secret::Secret;
use ssopick::edge::portal::listing::fetch_all;
use ssopick::edge::portal::{PortalClient, PortalOptions};
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal, FakeStats};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

async fn list(fake: &FakePortal) -> (Progress, f64) {
    let opts = PortalOptions {
        region: "us-east-1".into(),
        endpoint: Some(fake.url().into()),
        attempt_timeout: Duration::from_secs(10),
        http: None,
        variant: ssopick::core::sso::endpoints::Variant::default(),
    };
    let client = Arc::new(PortalClient::new(&opts, Secret::new(fake.token())));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let t0 = Instant::now();
    let p = fetch_all(client, FetchOptions::default(), tx, None)
        .await
        .expect("the listing completes");
    let wall = t0.elapsed().as_secs_f64();
    drain.await.expect("drained");
    (p, wall)
}

async fn throttled(accounts: usize, rate: f64, burst: f64) -> FakePortal {
    let opts = FakeOptions {
        latency: Duration::from_millis(40),
        throttle: Some((rate, burst)),
        ..FakeOptions::default()
    };
    FakePortal::start(FakeOrg::generated(accounts, 11), opts)
        .await
        .expect("fake portal")
}

fn per_call(s: &FakeStats) -> f64 {
    s.throttled as f64 / s.ok as f64
}

async fn at_rate(rate: f64) {
    // About 20 s of work at the limit (40 s at 5 and 10 req/s, where the
    // gentle start's first round trips still meet a few 429s).
    let accounts = (rate * if rate <= 10.0 { 40.0 } else { 20.0 }) as usize;
    let fake = throttled(accounts, rate, rate).await;
    let (p, wall) = list(&fake).await;
    let s = fake.stats();
    assert_eq!(p.roles_done, accounts);
    // The floor counts the burst: what it did not have to wait for.
    let floor = (s.ok as f64 - rate) / rate;
    eprintln!(
        "{rate} req/s: {} ok, {} 429s ({:.3} per call), wall {wall:.2} s, floor {floor:.2} s ({:.3}x)",
        s.ok,
        s.throttled,
        per_call(&s),
        wall / floor
    );
    assert!(per_call(&s) < 0.25, "{rate} req/s: {s:?}");
    // The start costs a second or so (the first 429 only gives the scale),
    // and the whole suite shares two cores with these runs: a second more.
    // The benchmark (`bench_throttle`) shows the tight long-run figure.
    assert!(
        wall <= floor * 1.05 + 2.0,
        "{rate} req/s: {wall:.2} s against a floor of {floor:.2} s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paced_at_5_req_s() {
    at_rate(5.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paced_at_10_req_s() {
    at_rate(10.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paced_at_20_req_s() {
    at_rate(20.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paced_at_50_req_s() {
    at_rate(50.0).await;
}

/// The limit changes 6 s in; from 1.5 s after the change on, the accepted
/// rate is within 15 % of the new limit, without a storm of 429s.
async fn follows_a_change(from: f64, to: f64) {
    let fake = Arc::new(throttled(((from * 6.0 + to * 10.0) as usize).max(60), from, from).await);
    let f = fake.clone();
    let changer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(6)).await;
        f.set_throttle(Some((to, to)));
        let at = f.stats();
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let a = f.stats();
        tokio::time::sleep(Duration::from_secs(4)).await;
        let b = f.stats();
        (at, a, b)
    });
    let (_, _) = list(&fake).await;
    let (_, a, b) = changer.await.expect("changer");
    let ok = (b.ok - a.ok) as f64 / 4.0;
    let no = b.throttled - a.throttled;
    eprintln!("{from} -> {to} req/s: {ok:.1} req/s accepted after the change, {no} 429s");
    assert!(ok >= to * 0.85, "{from} -> {to}: {ok:.1} req/s accepted");
    assert!(
        (no as f64) < 0.25 * (b.ok - a.ok) as f64,
        "{from} -> {to}: {no} 429s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follows_a_limit_that_drops() {
    follows_a_change(20.0, 5.0).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follows_a_limit_that_rises() {
    follows_a_change(5.0, 20.0).await;
}
