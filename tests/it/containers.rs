//! `serve --listen` on an address a container reaches (this machine's own
//! non-loopback address stands in for a Docker bridge's): the token is
//! still required, any Host is accepted, the SDKs refuse plain HTTP to
//! that address (botocore says so), and the README's recipe, a forward
//! from the container's own 127.0.0.1, gets botocore its credentials.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg};
use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::process::Command;

/// A non-loopback IPv4 address of this machine (the one its default
/// route leaves from; no packet is sent).
fn own_address() -> Option<IpAddr> {
    let routed = || {
        let s = std::net::UdpSocket::bind("0.0.0.0:0").ok()?;
        s.connect("192.0.2.1:9").ok()?;
        Some(s.local_addr().ok()?.ip())
    };
    // No default route: any address `hostname -I` lists.
    let listed = || {
        let o = Command::new("hostname").arg("-I").output().ok()?;
        String::from_utf8_lossy(&o.stdout)
            .split_whitespace()
            .filter_map(|w| w.parse::<IpAddr>().ok())
            .find(IpAddr::is_ipv4)
    };
    let usable = |ip: &IpAddr| !ip.is_loopback() && !ip.is_unspecified();
    routed().filter(usable).or_else(|| listed().filter(usable))
}

/// `socat TCP-LISTEN:...,bind=127.0.0.1,fork TCP:to`: a loopback port
/// forwarding each connection to `to`.
fn forward(to: std::net::SocketAddr) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming().flatten() {
            let Ok(up) = TcpStream::connect(to) else {
                continue;
            };
            let (mut a, mut b) = (c.try_clone().unwrap(), up.try_clone().unwrap());
            let (mut c, mut up) = (c, up);
            std::thread::spawn(move || std::io::copy(&mut a, &mut up));
            std::thread::spawn(move || std::io::copy(&mut b, &mut c));
        }
    });
    port
}

fn ask(to: std::net::SocketAddr, host: &str, token: Option<&str>) -> String {
    let mut s = TcpStream::connect(to).unwrap();
    let auth = token.map_or(String::new(), |t| format!("Authorization: {t}\r\n"));
    write!(
        s,
        "GET /ssopick/credentials HTTP/1.1\r\nHost: {host}\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.lines().next().unwrap_or("").to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_on_a_bridge_address_needs_its_token_and_a_loopback_forward_for_the_sdks() {
    if !crate::endpoint::botocore() {
        return;
    }
    let Some(ip) = own_address() else {
        return skip_or_fail("a non-loopback address on this machine");
    };
    let (portal, home) = logged_in_to(FakeOrg::generated(4, 3), FakeOptions::default()).await;
    let listen = format!("{ip}:0");
    let (mut child, url, token) = serve_for(
        &home,
        portal.url(),
        &portal.org().accounts[1],
        &["--listen", &listen],
    );
    let port: u16 = url
        .trim_start_matches(&format!("http://{ip}:"))
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let at = std::net::SocketAddr::new(ip, port);
    let (ok, anon) = tokio::task::block_in_place(|| {
        (
            ask(at, "host.docker.internal:1234", Some(&token)),
            ask(at, &format!("{ip}:{port}"), None),
        )
    });
    assert!(ok.contains(" 200 "), "any Host off loopback: {ok}");
    assert!(
        anon.contains(" 401 "),
        "the token is still required: {anon}"
    );
    let botocore = |uri: &str| {
        Command::new("python3")
            .args([
                "-c",
                "import botocore.session as s\ntry:\n c = s.get_session().get_credentials(); print(c.method, c.access_key)\nexcept Exception as e: print('refused', e)",
            ])
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("AWS_CONTAINER_CREDENTIALS_FULL_URI", uri)
            .env("AWS_CONTAINER_AUTHORIZATION_TOKEN", &token)
            .output()
            .unwrap()
    };
    let direct = tokio::task::block_in_place(|| botocore(&url));
    assert!(
        stdout(&direct).starts_with("refused"),
        "botocore took plain HTTP to {ip}: {}",
        stdout(&direct)
    );
    let local = forward(at);
    let via = tokio::task::block_in_place(|| {
        botocore(&format!("http://127.0.0.1:{local}/ssopick/credentials"))
    });
    assert_eq!(
        stdout(&via).trim(),
        format!(
            "container-role {}",
            portal.last_issued().unwrap().access_key_id
        ),
        "{}",
        stderr(&via)
    );
    // SAFETY: a signal to the child this test spawned.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    let _ = child.wait();
    assert!(
        err.contains("socat TCP-LISTEN:"),
        "the recipe is said: {err}"
    );
}
