//! Issue 35's budgets for "every profile is a row", in one run: the release
//! binary grows by at most 1.5 MB, and a warm `credential-process` for an
//! SSO row stays under 5 ms and within 10 % of the binary before (whole
//! processes, the two binaries interleaved on the same warm cache). Also
//! times `credential-process --profile` for a static profile.
//!
//!   git worktree add /tmp/base <commit before> && (cd /tmp/base && cargo build --release --bin ssopick) && cp /tmp/base/target/release/ssopick /tmp/ssopick-base
//!   cargo build --release --bin ssopick --example bench_budgets && ./target/release/examples/bench_budgets /tmp/ssopick-base

use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;
use common::{bench_home, ssopick_exe, write_bench_token};

const ROUNDS: usize = 7;
const RUNS: usize = 21;

fn run_once(exe: &Path, home: &Path, portal: &str, args: &[String]) -> f64 {
    let t0 = Instant::now();
    let out = std::process::Command::new(exe)
        .args(args)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("AWS_ENDPOINT_URL_SSO", portal)
        .output()
        .expect("run ssopick");
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    assert!(
        out.status.success(),
        "{}: {}",
        exe.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    ms
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn verdict(ok: bool) -> &'static str {
    if ok { "within budget" } else { "OVER BUDGET" }
}

#[tokio::main]
async fn main() {
    let Some(exe) = ssopick_exe() else {
        println!("build the ssopick binary first (cargo build --release --bin ssopick)");
        return;
    };
    let Some(base) = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("SSOPICK_BENCH_BASELINE").ok())
        .map(PathBuf::from)
    else {
        println!("usage: bench_budgets BASELINE_BINARY (the release binary from before)");
        return;
    };
    let size = |p: &Path| std::fs::metadata(p).expect("binary").len() as f64 / 1e6;
    let (new_mb, base_mb) = (size(&exe), size(&base));
    println!(
        "release binary: {new_mb:.2} MB, before {base_mb:.2} MB: +{:.2} MB (budget +1.5 MB: {})",
        new_mb - base_mb,
        verdict(new_mb - base_mb <= 1.5)
    );

    let fake = FakePortal::start(FakeOrg::generated(5, 1), FakeOptions::default())
        .await
        .expect("fake portal");
    let (home, url) = bench_home();
    write_bench_token(home.path(), url, fake.token());
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[static]\naws_access_key_id = AKIABENCHSTATIC00001\naws_secret_access_key = benchSecretKey0000000000000000000000001\n",
    )
    .expect("credentials");
    let a = &fake.org().accounts[0];
    let sso: Vec<String> = [
        "credential-process",
        "--session",
        "bench",
        "--account",
        &a.account_id,
        "--role",
        &a.roles[0],
    ]
    .iter()
    .map(|s| (*s).to_string())
    .collect();
    let portal = fake.url().to_string();
    // Warm both (the first call fills the credential cache).
    run_once(&exe, home.path(), &portal, &sso);
    run_once(&base, home.path(), &portal, &sso);
    if std::env::var_os("SSOPICK_BENCH_KEEP").is_some() {
        println!(
            "kept: HOME={} XDG_CACHE_HOME={0}/cache ssopick {}",
            home.path().display(),
            sso.join(" ")
        );
        std::mem::forget(home);
        return;
    }
    let (mut new_t, mut base_t) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        for _ in 0..RUNS {
            new_t.push(run_once(&exe, home.path(), &portal, &sso));
            base_t.push(run_once(&base, home.path(), &portal, &sso));
        }
    }
    let (n, b) = (median(new_t), median(base_t));
    println!(
        "credential-process, SSO row, warm, whole process, {} runs each interleaved: median {n:.2} ms, before {b:.2} ms, ratio {:.3} (budget < 5 ms: {}; within 10 %: {}); {} portal call in all",
        ROUNDS * RUNS,
        n / b,
        verdict(n < 5.0),
        verdict(n / b <= 1.10),
        fake.stats().get_credentials
    );
    let profile: Vec<String> = ["credential-process", "--profile", "static"]
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    let t: Vec<f64> = (0..RUNS)
        .map(|_| run_once(&exe, home.path(), &portal, &profile))
        .collect();
    println!(
        "credential-process --profile static (aws-config's provider), whole process, {RUNS} runs: median {:.2} ms",
        median(t)
    );
}
