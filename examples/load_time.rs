// Where the picker's first frame goes at 100,000 entries (temporary).
mod common;
fn main() {
    let (home, cache, cat) = common::bench_snapshot(25_000, 7);
    let path = ssopick::edge::snapshot::path(&cache.join("ssopick"), common::BENCH_URL);
    let bytes = std::fs::read(&path).unwrap();
    println!(
        "snapshot {} MB, {} roles",
        bytes.len() / 1_000_000,
        cat.role_count()
    );
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let c: ssopick::core::catalog::Catalog = serde_json::from_slice(&bytes).unwrap();
        let a = t.elapsed();
        let t = std::time::Instant::now();
        let c2 = ssopick::edge::snapshot::load(&path, common::BENCH_URL).unwrap();
        let b = t.elapsed();
        let t = std::time::Instant::now();
        let mut p = ssopick::picker::Picker::new(
            "bench",
            Some(&c2),
            ssopick::core::history::History::default(),
            common::now(),
            "",
        );
        let d = t.elapsed();
        let t = std::time::Instant::now();
        p.match_now();
        let e = t.elapsed();
        println!("serde {a:?}, snapshot::load {b:?}, Picker::new {d:?}, first match {e:?}");
        std::hint::black_box((c, p));
    }
    drop(home);
}
