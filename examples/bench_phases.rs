//! Where the time of the warm paths goes, phase by phase, in process (the
//! whole-process figures are `bench` and `bench_e2e`; these say why they
//! are what they are).
//!
//!   cargo run --release --example bench_phases
//!
//! `picker`: the snapshot read, its JSON parse (with the checks), the
//! picker's state, and the first (empty-query) match, at about 10,000 and
//! 100,000 entries. `config`: reading and parsing a 5,000-profile
//! `~/.aws/config`, session discovery, and the profile-region index.
//! `save`: a listing's progress saved as it goes and on the way out, at
//! 50,000 accounts (target: 100 ms).
//!
//!   cargo run --release --example bench_phases -- save

use ssopick::core::history::History;
use ssopick::core::sso::{config, session};
use ssopick::edge::snapshot;
use ssopick::picker::state::Picker;
use std::time::Instant;

mod common;
use common::{BENCH_URL, bench_snapshot, now, pad_config};

/// Median milliseconds of `runs` runs of `f`.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let t0 = Instant::now();
            let kept = std::hint::black_box(f());
            let took = t0.elapsed().as_secs_f64() * 1000.0;
            drop(kept); // not timed: a process exits without freeing
            took
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[runs / 2]
}

fn picker(accounts: usize, runs: usize) {
    let (_home, cache, cat) = bench_snapshot(accounts, 7);
    let path = snapshot::path(&cache.join("ssopick"), BENCH_URL);
    let bytes = std::fs::read(&path).expect("snapshot");
    println!(
        "picker, {} entries ({} accounts; snapshot {:.1} MB JSON), median of {runs}:",
        cat.role_count(),
        accounts,
        bytes.len() as f64 / 1e6
    );
    let read = median(runs, || std::fs::read(&path).expect("read"));
    let parse = median(runs, || {
        serde_json::from_slice::<ssopick::core::catalog::Catalog>(&bytes).expect("parse")
    });
    let load = median(runs, || snapshot::load(&path, BENCH_URL).expect("load"));
    let state = median(runs, || {
        Picker::new("bench", Some(&cat), History::default(), now(), "")
    });
    let first = median(runs, || {
        let mut p = Picker::new("bench", Some(&cat), History::default(), now(), "");
        p.match_now();
        p
    });
    println!("  read the file              {read:7.2} ms");
    println!("  parse the JSON             {parse:7.2} ms");
    println!("  load (read + parse + checks) {load:5.2} ms");
    println!("  picker state from the catalog {state:4.2} ms");
    println!(
        "  state + first match (rows, haystacks, order) {first:.2} ms: {:.2} ms for rows and matching",
        first - state
    );
    println!(
        "  in all before the first frame can draw: {:.1} ms (+ process start and the draw)",
        load + first
    );
}

fn config_phases(profiles: usize, runs: usize) {
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(home.path().join(".aws")).expect("mkdir");
    std::fs::write(
        home.path().join(".aws/config"),
        format!("[sso-session bench]\nsso_start_url = {BENCH_URL}\nsso_region = us-east-1\n"),
    )
    .expect("config");
    pad_config(home.path(), profiles);
    let path = home.path().join(".aws/config");
    let text = std::fs::read_to_string(&path).expect("read");
    println!(
        "config, {profiles} profiles ({:.2} MB), median of {runs}:",
        text.len() as f64 / 1e6
    );
    let read = median(runs, || std::fs::read_to_string(&path).expect("read"));
    let parse = median(runs, || config::parse(&text));
    let aws = config::parse(&text);
    let discover = median(runs, || session::discover(&aws, &[], "us-east-1"));
    let only = median(runs, || config::sso_session_only(&text, "bench"));
    println!("  read the file              {read:7.2} ms");
    println!("  parse it all               {parse:7.2} ms");
    println!("  discover sessions          {discover:7.2} ms");
    println!("  read only [sso-session bench] (credential-process) {only:.2} ms");
}

/// What saving a listing's progress costs, step by step as the listing
/// keeper saves: the catalog to save (kept up to date event by event)
/// sorted in place, where the accounts listed since the last save are an
/// unsorted tail, then written (JSON, a private temp file, fsync, rename
/// over the old one). The writer shares the catalog; nothing is copied.
fn save(accounts: usize, runs: usize) {
    let (_home, cache, mut cat) = bench_snapshot(accounts, 7);
    let path = snapshot::path(&cache.join("ssopick"), BENCH_URL);
    cat.complete = false;
    cat.sort();
    // Five seconds at 20 requests a second: at most 100 pages of 20 new
    // accounts, arriving in the portal's order (by id), not by name.
    let tail = 2_000.min(accounts);
    let mut new: Vec<_> = cat.accounts.drain(accounts - tail..).collect();
    new.sort_by(|a, b| a.account.account_id.cmp(&b.account.account_id));
    cat.accounts.extend(new);
    println!(
        "save, {accounts} accounts ({} entries; {tail} new since the last save), median of {runs}:",
        cat.role_count()
    );
    let mut sorts = Vec::new();
    let mut writes = Vec::new();
    for _ in 0..runs {
        let mut c = cat.clone();
        let t0 = Instant::now();
        c.sort();
        sorts.push(t0.elapsed().as_secs_f64() * 1000.0);
        let t1 = Instant::now();
        snapshot::save(&path, &c).expect("save");
        writes.push(t1.elapsed().as_secs_f64() * 1000.0);
    }
    let med = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (sort, write) = (med(sorts), med(writes));
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!("  sort in place               {sort:6.2} ms");
    println!(
        "  write it ({:.1} MB: JSON, fsync, rename) {write:.2} ms",
        size as f64 / 1e6
    );
    println!(
        "  a save in all               {:6.2} ms (target 100 ms)",
        sort + write
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let want = |s: &str| args.is_empty() || args.iter().any(|a| a == s);
    if want("picker") {
        picker(2_500, 11);
        picker(25_000, 5);
    }
    if want("config") {
        config_phases(5_000, 21);
    }
    if want("save") {
        save(50_000, 11);
    }
}
