//! An exact account name on a first run: `ssopick export NAME ROLE` with no
//! snapshot, against a 2,000-account fake portal throttled at 20 req/s
//! (burst 20) with 40 ms per request, the whole process timed. The
//! listing's ListAccounts pages come first, then the named account's roles,
//! then the keys; the rest of the listing is not waited for. Target: 10 s.
//! For scale, the full listing (`ssopick list`) in the same conditions.
//!
//!   cargo build --release && cargo run --release --example bench_straight -- [--runs N]

mod common;

use common::{BENCH_URL, bench_home, in_bench_home, ssopick_exe};
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
use std::time::{Duration, Instant};

const ACCOUNTS: usize = 2000;
const TARGET_SECS: f64 = 10.0;

fn write_token(home: &std::path::Path, token: &str) {
    let dir = home.join(".aws/sso/cache");
    std::fs::create_dir_all(&dir).expect("mkdir");
    let exp = common::now().plus_secs(3600).to_rfc3339();
    let key = ssopick::core::sso::token::cache_key("bench");
    std::fs::write(
        dir.join(format!("{key}.json")),
        format!(
            r#"{{"startUrl":"{BENCH_URL}","region":"us-east-1","accessToken":"{token}","expiresAt":"{exp}"}}"#
        ),
    )
    .expect("token");
}

/// One run in a fresh HOME against a fresh fake: (seconds, exit code,
/// portal calls).
async fn once(exe: &std::path::Path, args: &[&str]) -> (f64, Option<i32>, u64) {
    let opts = FakeOptions {
        latency: Duration::from_millis(40),
        throttle: Some((20.0, 20.0)),
        ..FakeOptions::default()
    };
    let fake = FakePortal::start(FakeOrg::numbered(ACCOUNTS, 3), opts)
        .await
        .expect("fake portal");
    let (home, _) = bench_home();
    write_token(home.path(), fake.token());
    let cache = home.path().join("cache");
    let mut cmd = in_bench_home(exe, home.path(), &cache);
    cmd.env("AWS_ENDPOINT_URL_SSO", fake.url())
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let t0 = Instant::now();
    let status = tokio::task::spawn_blocking(move || cmd.status())
        .await
        .expect("joined")
        .expect("ran");
    (
        t0.elapsed().as_secs_f64(),
        status.code(),
        fake.stats().requests,
    )
}

#[tokio::main]
async fn main() {
    let runs: usize = std::env::args()
        .skip_while(|a| a != "--runs")
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let Some(exe) = ssopick_exe() else {
        eprintln!("build the release binary first: cargo build --release");
        std::process::exit(1);
    };
    let org = FakeOrg::numbered(ACCOUNTS, 3);
    println!(
        "first run, no snapshot: {ACCOUNTS} accounts, 20 req/s (burst 20), 40 ms per request; target <= {TARGET_SECS} s"
    );
    let mut worst: f64 = 0.0;
    for pick in [0, ACCOUNTS / 2, ACCOUNTS - 1] {
        let a = &org.accounts[pick];
        let mut times = Vec::new();
        let mut calls = 0;
        for _ in 0..runs {
            let (t, code, n) = once(&exe, &["export", &a.account_name, &a.roles[0]]).await;
            assert_eq!(code, Some(0), "export {} {}", a.account_name, a.roles[0]);
            times.push(t);
            calls = n;
        }
        times.sort_by(f64::total_cmp);
        worst = worst.max(times[times.len() - 1]);
        println!(
            "  export {:<22} {:<22} min {:.2} s  median {:.2} s  max {:.2} s  ({calls} portal calls)",
            a.account_name,
            a.roles[0],
            times[0],
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
    let (full, code, n) = once(&exe, &["list"]).await;
    println!("  for scale, the whole listing (list): {full:.1} s, exit {code:?}, {n} portal calls");
    println!(
        "  verdict: {} (worst {worst:.2} s against {TARGET_SECS} s)",
        if worst <= TARGET_SECS {
            "met"
        } else {
            "NOT met"
        }
    );
}
