//! A corporate network for the tests: a private CA made inside the test,
//! and a TLS-inspecting CONNECT proxy that requires Basic auth, logs every
//! CONNECT target, and terminates TLS for the real AWS host names with a
//! certificate from that CA, passing the plain HTTP on to the local fakes.
//! Nothing reaches the fakes but through it: the clients under test are
//! given no endpoint override, only `HTTPS_PROXY` and `AWS_CA_BUNDLE`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub(crate) const PROXY_USER: &str = "jo@corp";
pub(crate) const PROXY_PASSWORD: &str = "p:ss word";

pub(crate) struct NetLab {
    /// The CA's certificate (PEM): what `AWS_CA_BUNDLE` points at.
    pub ca_pem: PathBuf,
    /// `http://user:password@127.0.0.1:PORT` (percent-encoded).
    pub proxy_url: String,
    /// The proxy alone, no credentials (for curl's `--proxy-user`).
    pub proxy_addr: String,
    connects: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for NetLab {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

impl NetLab {
    /// A CA in `dir`, and the proxy: each `(host, local port)` of
    /// `routes` is served on `host:443` through it.
    pub(crate) async fn start(dir: &std::path::Path, routes: &[(&str, u16)]) -> NetLab {
        use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
        let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "Corp TLS inspection (ssopick test CA)");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_key = KeyPair::generate().unwrap();
        let ca_cert = ca.self_signed(&ca_key).unwrap();
        let hosts: Vec<String> = routes.iter().map(|(h, _)| (*h).to_string()).collect();
        let leaf = CertificateParams::new(hosts).unwrap();
        let leaf_key = KeyPair::generate().unwrap();
        let leaf_cert = leaf.signed_by(&leaf_key, &ca_cert, &ca_key).unwrap();
        let ca_pem = dir.join("corp-ca.pem");
        std::fs::write(&ca_pem, ca_cert.pem()).unwrap();

        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let tls = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![leaf_cert.der().clone()],
                tokio_rustls::rustls::pki_types::PrivateKeyDer::Pkcs8(
                    leaf_key.serialize_der().into(),
                ),
            )
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let connects = Arc::new(Mutex::new(Vec::new()));
        let routes: HashMap<String, u16> = routes
            .iter()
            .map(|(h, p)| (format!("{h}:443"), *p))
            .collect();
        let log = connects.clone();
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                let (acceptor, routes, log) = (acceptor.clone(), routes.clone(), log.clone());
                tokio::spawn(async move {
                    let _ = tunnel(conn, &acceptor, &routes, &log).await;
                });
            }
        });
        NetLab {
            ca_pem,
            proxy_url: format!(
                "http://{}:{}@{addr}",
                encode(PROXY_USER),
                encode(PROXY_PASSWORD)
            ),
            proxy_addr: format!("http://{addr}"),
            connects,
            task,
        }
    }

    /// Every CONNECT target so far (`host:port`), in order.
    pub(crate) fn connects(&self) -> Vec<String> {
        self.connects
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The environment of a corporate workstation: the proxy (the loopback
    /// kept direct) and the CA bundle; no endpoint override, no
    /// `SSL_CERT_FILE`.
    pub(crate) fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("HTTPS_PROXY", self.proxy_url.clone()),
            ("NO_PROXY", "127.0.0.1,localhost".into()),
            ("AWS_CA_BUNDLE", self.ca_pem.display().to_string()),
        ]
    }
}

/// One client: the CONNECT request (Basic auth required), then TLS as the
/// host it asked for, then the plain HTTP to the fake behind that host.
async fn tunnel(
    mut conn: TcpStream,
    acceptor: &tokio_rustls::TlsAcceptor,
    routes: &HashMap<String, u16>,
    log: &Mutex<Vec<String>>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 16 * 1024 {
        if conn.read(&mut b).await? == 0 {
            return Ok(());
        }
        head.push(b[0]);
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let parts: Vec<&str> = first.split(' ').collect();
    let ["CONNECT", target, _] = parts.as_slice() else {
        conn.write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n")
            .await?;
        return Ok(());
    };
    let target = (*target).to_string();
    use base64::Engine;
    let want = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{PROXY_USER}:{PROXY_PASSWORD}"))
    );
    let authorized = lines.any(|l| {
        l.split_once(':')
            .is_some_and(|(k, v)| k.eq_ignore_ascii_case("proxy-authorization") && v.trim() == want)
    });
    log.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(if authorized {
            target.clone()
        } else {
            format!("{target} (no auth)")
        });
    if !authorized {
        conn.write_all(
            b"HTTP/1.1 407 Proxy Authentication Required\r\nproxy-authenticate: Basic realm=\"corp\"\r\ncontent-length: 0\r\n\r\n",
        )
        .await?;
        return Ok(());
    }
    let Some(&port) = routes.get(&target) else {
        conn.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n")
            .await?;
        return Ok(());
    };
    conn.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
        .await?;
    let mut tls = acceptor.accept(conn).await?;
    let mut upstream = TcpStream::connect(("127.0.0.1", port)).await?;
    let _ = tokio::io::copy_bidirectional(&mut tls, &mut upstream).await;
    Ok(())
}
