//! The credential endpoint's warm response time as an SDK sees it: one
//! keep-alive connection on loopback, request written to response read,
//! credentials cached (no portal call on the request path).
//!
//!   cargo run --release --example bench_endpoint

use ssopick::core::credentials::RoleCredentials;
use ssopick::core::secret::Secret;
use ssopick::core::time::UtcTime;
use ssopick::edge::cred_server::{self, Answer};
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Instant;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let creds = RoleCredentials {
        access_key_id: Secret::new("ASIABENCHBENCHBENCH1"),
        secret_access_key: Secret::new("b".repeat(40)),
        session_token: Secret::new("t".repeat(700)),
        expiration: UtcTime(4_000_000_000),
        expiry_stated: true,
    };
    let endpoint = cred_server::start(
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        Arc::new(move || Answer::Credentials(creds.clone())),
    )
    .await
    .expect("start the endpoint");
    let (addr, token) = (endpoint.addr, endpoint.token.expose().to_string());
    let times = tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(addr).expect("connect");
        s.set_nodelay(true).expect("nodelay");
        let req = format!(
            "GET {} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: {token}\r\n\r\n",
            cred_server::PATH
        );
        let mut times = Vec::new();
        let mut buf = vec![0u8; 8192];
        for i in 0..2_200 {
            let t0 = Instant::now();
            s.write_all(req.as_bytes()).expect("write");
            // Read the head, then exactly the announced body.
            let mut got = Vec::new();
            let body_len = loop {
                let n = s.read(&mut buf).expect("read");
                got.extend_from_slice(&buf[..n]);
                if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&got[..end]).to_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .expect("content-length");
                    break len - (got.len() - end - 4);
                }
            };
            let mut rest = vec![0u8; body_len];
            s.read_exact(&mut rest).expect("body");
            if i >= 200 {
                times.push(t0.elapsed().as_secs_f64() * 1e6);
            }
        }
        times
    })
    .await
    .expect("requests");
    let mut t = times;
    t.sort_by(f64::total_cmp);
    let pct = |p: f64| t[((t.len() - 1) as f64 * p) as usize];
    println!(
        "endpoint: warm request to response on loopback, {} requests (200 warm-up): median {:.0} µs, p90 {:.0} µs, p99 {:.0} µs, max {:.0} µs (target: median < 1 ms)",
        t.len(),
        pct(0.5),
        pct(0.9),
        pct(0.99),
        t[t.len() - 1]
    );
}
