//! The profile rewrite at scale, whole process: `ssopick --offline profile
//! --all --write` into an AWS config, first write and rewrite, at 80,000
//! and 160,000 profiles (issue: the rewrite must be linear, 80,000 in < 2 s).
//!
//!   cargo build --release --bin ssopick --example bench_profiles && ./target/release/examples/bench_profiles

use std::time::Instant;

mod common;
use common::{bench_snapshot, in_bench_home, ssopick_exe};

fn write_all(exe: &std::path::Path, home: &std::path::Path, cache: &std::path::Path) -> f64 {
    let t0 = Instant::now();
    let out = in_bench_home(exe, home, cache)
        .args(["--offline", "profile", "--all", "--write"])
        .output()
        .expect("run ssopick");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t0.elapsed().as_secs_f64()
}

fn main() {
    let Some(exe) = ssopick_exe() else {
        println!("build the ssopick binary first (cargo build --release --bin ssopick)");
        return;
    };
    for accounts in [20_000, 40_000] {
        let (home, cache, cat) = bench_snapshot(accounts, 9);
        let first = write_all(&exe, home.path(), &cache);
        let size = std::fs::metadata(home.path().join(".aws/config")).map_or(0, |m| m.len());
        let mut again: Vec<f64> = (0..3)
            .map(|_| write_all(&exe, home.path(), &cache))
            .collect();
        again.sort_by(f64::total_cmp);
        println!(
            "profile --all --write, {} profiles ({:.1} MB config): first write {first:.2} s, rewrite median {:.2} s (min {:.2}, max {:.2})",
            cat.role_count(),
            size as f64 / 1e6,
            again[1],
            again[0],
            again[2]
        );
    }
}
