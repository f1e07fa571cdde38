//! What the benchmark examples share: throwaway HOMEs with a snapshot of
//! a generated organisation, and the release binary beside the example.
#![allow(dead_code)]

use ssopick::core::catalog::Catalog;
use ssopick::core::time::UtcTime;
use ssopick::fake::FakeOrg;

pub const BENCH_URL: &str = "https://bench.awsapps.com/start";

/// A throwaway HOME whose AWS config has one sso-session, `bench`.
pub fn bench_home() -> (tempfile::TempDir, &'static str) {
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(home.path().join(".aws")).expect("mkdir");
    let config =
        format!("[sso-session bench]\nsso_start_url = {BENCH_URL}\nsso_region = us-east-1\n");
    std::fs::write(home.path().join(".aws/config"), config).expect("config");
    (home, BENCH_URL)
}

/// A bench HOME whose ssopick cache holds a complete snapshot of a
/// generated organisation: (home, XDG cache folder, the catalog).
pub fn bench_snapshot(
    accounts: usize,
    seed: u64,
) -> (tempfile::TempDir, std::path::PathBuf, Catalog) {
    let (home, url) = bench_home();
    let cat = catalog_of(accounts, seed, url);
    let cache = home.path().join("cache");
    ssopick::edge::snapshot::save(
        &ssopick::edge::snapshot::path(&cache.join("ssopick"), url),
        &cat,
    )
    .expect("snapshot");
    (home, cache, cat)
}

/// The release ssopick next to this example (`target/release/examples/bench`
/// -> `target/release/ssopick`).
pub fn ssopick_exe() -> Option<std::path::PathBuf> {
    let here = std::env::current_exe().ok()?;
    let dir = here.parent()?;
    let dir = if dir.ends_with("examples") {
        dir.parent()?
    } else {
        dir
    };
    let exe = dir.join(format!("ssopick{}", std::env::consts::EXE_SUFFIX));
    exe.exists().then_some(exe)
}

pub fn catalog_of(accounts: usize, seed: u64, url: &str) -> Catalog {
    FakeOrg::generated(accounts, seed).to_catalog("bench", url, now())
}

pub fn now() -> UtcTime {
    use ssopick::core::time::Clock;
    ssopick::edge::clock::SystemClock.now()
}
