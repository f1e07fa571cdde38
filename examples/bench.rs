//! Benchmarks that print figures (never timed in unit tests).
//!
//!   cargo build --release --bin ssopick --example bench && ./target/release/examples/bench [SCENARIO...]
//!
//! Scenarios: `listing` (1,000 accounts, 1-7 roles, 40 ms per request),
//! `throttled` (the same behind a 20 req/s token bucket), `offline`
//! (`ssopick list --offline` over a 2,000-account snapshot, whole process),
//! `credential-process` (warm cache, whole process), `keystrokes` (picker
//! matching per keystroke at 10,000 and 100,000 entries), `picker` (first
//! frame and peak memory of the real binary in tmux), `huge-config` (the
//! warm `credential-process` and `list --offline` with 5,000 profiles in
//! the AWS config), `json` (`list --offline` against `--json` on 50,000
//! accounts: time and peak memory), `size` (the release binary).
//! With no argument, all of them.

use ssopick::core::catalog::Catalog;
use ssopick::core::listing::{Applier, FetchOptions};
use ssopick::core::secret::Secret;
use ssopick::core::time::UtcTime;
use ssopick::edge::portal::listing::fetch_all;
use ssopick::edge::portal::{PortalClient, PortalOptions};
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod common;
use common::{
    bench_home, bench_snapshot, catalog_of, in_bench_home, now, pad_config, ssopick_exe,
    write_bench_token,
};

async fn listing(name: &str, accounts: usize, throttle: Option<(f64, f64)>) {
    let org = FakeOrg::generated(accounts, 42);
    let opts = FakeOptions {
        latency: Duration::from_millis(40),
        throttle,
        ..FakeOptions::default()
    };
    let fake = FakePortal::start(org.clone(), opts)
        .await
        .expect("fake portal");
    let popts = PortalOptions {
        region: "us-east-1".into(),
        endpoint: Some(fake.url().into()),
        attempt_timeout: Duration::from_secs(10),
        http: None,
        variant: ssopick::core::sso::endpoints::Variant::default(),
    };
    let client = Arc::new(PortalClient::new(&popts, Secret::new(fake.token())));
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let t0 = Instant::now();
    let run = tokio::spawn(fetch_all(client, FetchOptions::default(), tx, None));
    let mut cat = Catalog::new("bench", "u", "r", UtcTime(0));
    let mut applier = Applier::default();
    while let Some(ev) = rx.recv().await {
        applier.apply(&mut cat, ev);
    }
    let p = run.await.expect("join").expect("fetch");
    let wall = t0.elapsed().as_secs_f64();
    let s = fake.stats();
    let lost = org.accounts.iter().filter(|a| {
        cat.accounts
            .iter()
            .find(|x| x.account.account_id == a.account_id)
            .and_then(|x| x.roles.as_ref())
            != Some(&a.roles)
    });
    println!(
        "{name}: {accounts} accounts, {} roles, 40 ms/request",
        org.role_count()
    );
    println!("  wall time        {wall:.2} s");
    println!(
        "  requests         {} ({} ok, {} throttled), client retries {}",
        s.requests, s.ok, s.throttled, p.retries
    );
    println!("  peak in flight   {}", s.peak_in_flight);
    println!("  accounts lost    {}", lost.count());
    if let Some((rate, burst)) = throttle {
        let floor = s.ok as f64 / rate;
        println!(
            "  throttle         {rate} req/s, burst {burst}; floor = ok requests / rate = {floor:.2} s"
        );
        println!("  over the floor   {:+.1} %", (wall / floor - 1.0) * 100.0);
    }
}

/// A finished child's wall time (ms) and peak memory (MB, its maxrss).
/// `wait4` reaps the child (clippy cannot see it).
#[allow(unsafe_code, clippy::zombie_processes)]
fn time_and_peak(mut cmd: std::process::Command) -> (f64, f64) {
    use std::process::Stdio;
    let t0 = Instant::now();
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = i32::try_from(child.id()).expect("pid");
    // SAFETY: waits for the child spawned above, once.
    let rc = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut ru) };
    assert_eq!(rc, pid, "wait4");
    (
        t0.elapsed().as_secs_f64() * 1000.0,
        ru.ru_maxrss as f64 / 1024.0,
    )
}

/// `list --offline` against `list --offline --json` on a large snapshot:
/// time and peak memory (the issue's figure, without a target).
fn json(accounts: usize, runs: usize) {
    let Some(exe) = ssopick_exe() else {
        println!("json: build the ssopick binary first (cargo build --release --bin ssopick)");
        return;
    };
    let (home, cache, cat) = bench_snapshot(accounts, 7);
    let (mut table, mut json) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let mut c = in_bench_home(&exe, home.path(), &cache);
        c.args(["list", "--offline"]);
        table.push(time_and_peak(c));
        let mut c = in_bench_home(&exe, home.path(), &cache);
        c.args(["list", "--offline", "--json"]);
        json.push(time_and_peak(c));
    }
    let med = |v: &[(f64, f64)], k: fn(&(f64, f64)) -> f64| {
        let mut x: Vec<f64> = v.iter().map(k).collect();
        x.sort_by(f64::total_cmp);
        x[x.len() / 2]
    };
    let (tt, tm) = (med(&table, |p| p.0), med(&table, |p| p.1));
    let (jt, jm) = (med(&json, |p| p.0), med(&json, |p| p.1));
    println!(
        "json: {accounts} accounts / {} rows, whole process, {runs} runs each, interleaved (no target; the issue's figure: 190 MB peak, 2.7x the table's time)",
        cat.role_count()
    );
    println!("  table: median {tt:.1} ms, peak {tm:.1} MB");
    println!(
        "  --json: median {jt:.1} ms, peak {jm:.1} MB ({:.2}x the table's time)",
        jt / tt
    );
}

fn offline(accounts: usize, runs: usize, profiles: usize) {
    let Some(exe) = ssopick_exe() else {
        println!("offline: build the ssopick binary first (cargo build --release --bin ssopick)");
        return;
    };
    let (home, cache, cat) = bench_snapshot(accounts, 7);
    pad_config(home.path(), profiles);
    if std::env::var_os("SSOPICK_BENCH_KEEP").is_some() {
        // For a profiler: the HOME and cache stay, and nothing is timed.
        println!(
            "kept: HOME={} XDG_CACHE_HOME={}",
            home.path().display(),
            cache.display()
        );
        std::mem::forget(home);
        return;
    }
    let mut times = Vec::new();
    for _ in 0..runs {
        let t0 = Instant::now();
        let out = in_bench_home(&exe, home.path(), &cache)
            .args(["list", "--offline"])
            .output()
            .expect("run ssopick");
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "offline: `ssopick list --offline`, {accounts} accounts / {} rows, {profiles} extra profiles in the config, whole process, {runs} runs",
        cat.role_count()
    );
    println!(
        "  median {:.1} ms, min {:.1} ms, max {:.1} ms (target < {} ms)",
        times[runs / 2],
        times[0],
        times[runs - 1],
        if profiles > 0 { 10 } else { 30 }
    );
}

/// `ssopick __complete` (one Tab press) on a snapshot of `accounts`
/// accounts: QUERY words, account names, and one account's roles; with
/// `profiles` more profiles in the AWS config (a Tab press reads its
/// profile rows, kept for a large config).
fn complete(accounts: usize, runs: usize, profiles: usize) {
    let Some(exe) = ssopick_exe() else {
        println!("complete: build the ssopick binary first (cargo build --release --bin ssopick)");
        return;
    };
    let (home, cache, cat) = bench_snapshot(accounts, 7);
    pad_config(home.path(), profiles);
    let first = &cat.accounts[0].account;
    let prefix: String = first.account_name.chars().take(2).collect();
    let cases: [(&str, Vec<&str>); 3] = [
        ("QUERY word", vec!["__complete", "query", "--", &prefix]),
        ("--account", vec!["__complete", "account", "--", ""]),
        (
            "--role of one account",
            vec![
                "__complete",
                "role",
                "--account",
                &first.account_id,
                "--",
                "",
            ],
        ),
    ];
    println!(
        "complete: `ssopick __complete` (a Tab press), {accounts} accounts / {} rows, {profiles} extra profiles in the config, whole process, {runs} runs",
        cat.role_count()
    );
    for (what, args) in cases {
        let mut times = Vec::new();
        let mut lines = 0;
        for _ in 0..runs {
            let t0 = Instant::now();
            let out = in_bench_home(&exe, home.path(), &cache)
                .args(&args)
                .output()
                .expect("run ssopick");
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
            assert!(out.status.success());
            lines = String::from_utf8_lossy(&out.stdout).lines().count();
        }
        let (med, min, max) = median_ms(times);
        println!(
            "  {what}: {lines} candidates; median {med:.1} ms, min {min:.1} ms, max {max:.1} ms (target < 20 ms)"
        );
    }
}

fn median_ms(mut times: Vec<f64>) -> (f64, f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0], times[times.len() - 1])
}

/// Warm `ssopick credential-process`: the cache holds valid credentials.
async fn credential_process(runs: usize, profiles: usize) {
    let Some(exe) = ssopick_exe() else {
        println!(
            "credential-process: build the ssopick binary first (cargo build --release --bin ssopick)"
        );
        return;
    };
    let fake = FakePortal::start(FakeOrg::generated(5, 1), FakeOptions::default())
        .await
        .expect("fake portal");
    let (home, url) = bench_home();
    pad_config(home.path(), profiles);
    write_bench_token(home.path(), url, fake.token());
    let a = &fake.org().accounts[0];
    let role = [
        "--session",
        "bench",
        "--account",
        a.account_id.as_str(),
        a.roles[0].as_str(),
    ];
    let time = |args: Vec<String>| {
        let (exe, home, portal) = (
            exe.clone(),
            home.path().to_path_buf(),
            fake.url().to_string(),
        );
        async move {
            let mut times = Vec::new();
            for i in 0..=runs {
                let mut cmd = std::process::Command::new(&exe);
                cmd.args(&args)
                    .env("HOME", &home)
                    .env("XDG_CACHE_HOME", home.join("cache"))
                    .env("AWS_ENDPOINT_URL_SSO", &portal);
                let t0 = Instant::now();
                let out = tokio::task::spawn_blocking(move || cmd.output())
                    .await
                    .expect("join")
                    .expect("run ssopick");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
                if i > 0 {
                    times.push(t0.elapsed().as_secs_f64() * 1000.0);
                }
            }
            median_ms(times)
        }
    };
    let with_role = |head: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = head.iter().map(|s| (*s).to_string()).collect();
        v.extend(role[..4].iter().map(|s| (*s).to_string()));
        v.extend(["--role".to_string(), role[4].to_string()]);
        v
    };
    let (med, min, max) = time(with_role(&["credential-process"])).await;
    println!(
        "credential-process: warm cache, whole process, {profiles} extra profiles in the config, {runs} runs ({} portal call in all)",
        fake.stats().get_credentials
    );
    let target = if profiles > 0 { 5 } else { 10 };
    println!("  median {med:.1} ms, min {min:.1} ms, max {max:.1} ms (target < {target} ms)");
    if profiles > 0 {
        return;
    }
    for (label, args) in [
        (
            "export --format claude",
            with_role(&["export", "--format", "claude"]),
        ),
        (
            "eks-token",
            with_role(&["eks-token", "--cluster", "prod", "--region", "eu-west-1"]),
        ),
        ("status --short", vec!["status".into(), "--short".into()]),
        ("status --json", vec!["status".into(), "--json".into()]),
    ] {
        let (med, min, max) = time(args).await;
        println!(
            "{label}: warm, whole process, {runs} runs: median {med:.1} ms, min {min:.1} ms, max {max:.1} ms (target < 10 ms)"
        );
    }
}

/// A picker on `cat` with an empty query, its first matches in place.
fn matched_picker(cat: &Catalog) -> ssopick::picker::Picker {
    let mut p = ssopick::picker::Picker::new(
        "bench",
        Some(cat),
        ssopick::core::history::History::default(),
        now(),
        "",
    );
    p.match_now();
    p
}

/// Time from a keystroke to its matches being in place (what the matcher
/// thread does), typing each query one character at a time. Each query is
/// typed 5 times from scratch; a keystroke's figure is the median of its 5
/// timings, so that machine noise does not decide it.
fn keystrokes(accounts: usize) {
    use ssopick::picker::matching::run_match_staged;
    const REPEAT: usize = 5;
    let cat = catalog_of(accounts, 3, "u");
    let some_id = cat.accounts[cat.accounts.len() / 3]
        .account
        .account_id
        .clone();
    let m = ssopick::core::filter::Matcher::default();
    let mut p = matched_picker(&cat);
    println!(
        "keystrokes: {} entries ({accounts} accounts), median of {REPEAT} runs per keystroke",
        p.rows.len()
    );
    // Rebuilding rows and haystacks (what live arrivals cost the UI thread).
    let mut rebuilds = Vec::new();
    for _ in 0..REPEAT {
        let t0 = Instant::now();
        p.start_refresh();
        let _ = p.take_match_request();
        rebuilds.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    let (med, _, max) = median_ms(rebuilds);
    println!("  rebuild of all rows: median {med:.2} ms, worst {max:.2} ms");
    p.match_now();
    let mut all = Vec::new();
    for (label, query, paste) in [
        ("prodadm", "prodadm", false),
        ("pay eu", "pay eu", false),
        ("pasted account id", some_id.as_str(), true),
    ] {
        let steps: Vec<String> = if paste {
            vec![query.to_string()]
        } else {
            (1..=query.len()).map(|n| query[..n].to_string()).collect()
        };
        let mut per_step = vec![Vec::new(); steps.len()];
        let mut full_step = vec![Vec::new(); steps.len()];
        let mut matches = 0;
        for _ in 0..REPEAT {
            // A fresh picker (and matcher) each time: no scores cached
            // from the previous run of the same query.
            let mut p = matched_picker(&cat);
            let m = ssopick::core::filter::Matcher::default();
            for (k, step) in steps.iter().enumerate() {
                let t0 = Instant::now();
                let added = &step[step.len()
                    - if k == 0 {
                        step.len()
                    } else {
                        step.len() - steps[k - 1].len()
                    }..];
                let _ = p.insert(added);
                // Time to the first result the picker can show (the top rows
                // in their final order), and to the fully sorted list.
                let mut first = None;
                if let Some(req) = p.take_match_request() {
                    run_match_staged(&m, &req, |r| {
                        p.apply_matches(r);
                        first.get_or_insert_with(|| t0.elapsed().as_secs_f64() * 1000.0);
                    });
                }
                let done = t0.elapsed().as_secs_f64() * 1000.0;
                per_step[k].push(first.unwrap_or(done));
                full_step[k].push(done);
            }
            matches = p.found.matches.len();
        }
        let times: Vec<f64> = per_step.into_iter().map(|t| median_ms(t).0).collect();
        let full: Vec<f64> = full_step.into_iter().map(|t| median_ms(t).0).collect();
        let (full_med, _, full_max) = median_ms(full);
        let (med, min, max) = median_ms(times.clone());
        println!(
            "  {label:<18} {} keystrokes: median {med:.2} ms, min {min:.2} ms, worst {max:.2} ms ({matches} matches); fully sorted: median {full_med:.2} ms, worst {full_max:.2} ms",
            times.len()
        );
        if std::env::var_os("SSOPICK_BENCH_STEPS").is_some() {
            let steps_ms: Vec<String> = times.iter().map(|t| format!("{t:.1}")).collect();
            println!("    per keystroke (ms): {}", steps_ms.join(" "));
        }
        all.extend(times);
    }
    let _ = (&m, &mut p);
    let (med, _, max) = median_ms(all);
    println!("  all keystrokes: median {med:.2} ms, worst {max:.2} ms");
}

/// The picker opened on a snapshot in a real terminal (tmux): time to the
/// first frame (from main() to the frame flushed) and peak memory.
fn picker_process(accounts: usize, runs: usize) {
    let Some(exe) = ssopick_exe() else {
        println!("picker: build the ssopick binary first (cargo build --release --bin ssopick)");
        return;
    };
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_err()
    {
        println!("picker: tmux is not installed; skipped");
        return;
    }
    let (home, cache, cat) = bench_snapshot(accounts, 9);
    let mut frames = Vec::new();
    let mut peak_kb = 0u64;
    for i in 0..runs {
        let out = home.path().join(format!("frame{i}"));
        let sock = format!("ssopick-bench-{}-{i}", std::process::id());
        let cmd = format!(
            "HOME='{h}' XDG_CACHE_HOME='{c}' XDG_STATE_HOME='{h}/state' SSOPICK_FIRST_FRAME_FILE='{o}' exec '{exe}' --offline export",
            h = home.path().display(),
            c = cache.display(),
            o = out.display(),
            exe = exe.display()
        );
        let tmux = |args: &[&str]| {
            std::process::Command::new("tmux")
                .args(["-L", &sock])
                .args(args)
                .output()
                .expect("tmux")
        };
        tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "sh",
            "-c",
            &cmd,
        ]);
        let end = Instant::now() + Duration::from_secs(20);
        while !out.exists() && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(50));
        if let Ok(s) = std::fs::read_to_string(&out) {
            frames.push(s.trim().parse::<f64>().unwrap_or(f64::NAN));
        }
        // Type a query so matching and drawing have run, then read the peak.
        tmux(&["send-keys", "-l", "prodadm"]);
        std::thread::sleep(Duration::from_millis(300));
        let pid = String::from_utf8_lossy(&tmux(&["display-message", "-p", "#{pane_pid}"]).stdout)
            .trim()
            .to_string();
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            peak_kb = peak_kb.max(
                line.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0),
            );
        }
        tmux(&["kill-server"]);
    }
    let (med, min, max) = median_ms(frames);
    println!(
        "picker: `ssopick --offline export` on a {accounts}-account snapshot ({} entries), 120x40 tmux, {runs} runs",
        cat.role_count()
    );
    println!(
        "  first frame (main() to frame flushed): median {med:.1} ms, min {min:.1} ms, max {max:.1} ms"
    );
    println!(
        "  peak memory (VmHWM after typing a query): {:.1} MB",
        peak_kb as f64 / 1024.0
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let want = |s: &str| args.is_empty() || args.iter().any(|a| a == s);
    if want("listing") {
        listing("listing", 1000, None).await;
    }
    if want("throttled") {
        listing("throttled", 1000, Some((20.0, 20.0))).await;
    }
    if want("offline") {
        offline(2000, 21, 0);
    }
    if want("credential-process") {
        credential_process(21, 0).await;
    }
    if want("complete") {
        complete(2000, 21, 0);
    }
    if want("size")
        && let Some(exe) = ssopick_exe()
        && let Ok(m) = std::fs::metadata(&exe)
    {
        println!(
            "release binary: {:.2} MB (target < 9 MB)",
            m.len() as f64 / 1e6
        );
    }
    if want("json") {
        json(50_000, 3);
    }
    if want("huge-config") {
        credential_process(21, 5_000).await;
        offline(2000, 21, 5_000);
        complete(2000, 21, 5_000);
    }
    if want("keystrokes") {
        keystrokes(2_500);
        keystrokes(25_000);
    }
    if want("picker") {
        picker_process(2_000, 11);
        picker_process(2_500, 5);
    }
}
