//! One network configuration for every AWS call (the SSO portal, SSO OIDC,
//! STS, federation sign-in), resolved once per run: proxies from
//! `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` (either case;
//! `user:password@` in a proxy URL is Basic auth), extra CA roots from
//! `AWS_CA_BUNDLE` or the active profile's `ca_bundle` *added* to the OS
//! store, and the timeouts. Through a proxy, HTTPS hosts are reached with
//! `CONNECT host:443`, never resolved here. A bundle is parsed and tried
//! in a root store before use: a bad one is an error naming the file.

use crate::env::Env;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore, rustls_provider::CryptoMode};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use ssopick_core::env_vars as var;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A proxy: its URL without the user part, and the Basic credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    pub url: String,
    auth: Option<(String, String)>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("url", &self.url)
            .field("auth", &self.auth.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

#[derive(Clone, Debug, Default)]
pub struct NetConfig {
    /// For HTTPS (every AWS endpoint).
    pub https_proxy: Option<Proxy>,
    /// For plain HTTP (an `AWS_ENDPOINT_URL_*` override on http://).
    pub http_proxy: Option<Proxy>,
    pub no_proxy: Option<String>,
    /// Extra CA roots: the file, checked when the run began.
    pub ca_bundle: Option<PathBuf>,
    pub connect_timeout: Duration,
    pub attempt_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum NetError {
    #[error("{var}: {url:?} is not a proxy URL (http://[user:password@]host:port)")]
    Proxy { var: &'static str, url: String },
    #[error("the CA bundle {} ({from}) cannot be used: {why}", path.display())]
    Bundle {
        path: PathBuf,
        from: &'static str,
        why: String,
    },
}

fn first(env: &Env, names: [&str; 2]) -> Option<(String, &'static str)> {
    names.into_iter().find_map(|n| {
        let v = env.get(n).filter(|v| !v.trim().is_empty())?;
        // The name as a `&'static str` for messages.
        let name = [
            var::HTTPS_PROXY,
            var::HTTP_PROXY,
            var::ALL_PROXY,
            var::NO_PROXY,
        ]
        .into_iter()
        .flatten()
        .find(|x| *x == n)?;
        Some((v, name))
    })
}

/// A proxy URL as curl and the SDKs read it: `[scheme://][user:pass@]host[:port]`.
pub fn parse_proxy(raw: &str) -> Option<Proxy> {
    let raw = raw.trim();
    let (scheme, rest) = match raw.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => ("http".to_string(), raw),
    };
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split('/').next().unwrap_or("");
    let (auth, host) = match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let (u, p) = userinfo.split_once(':').unwrap_or((userinfo, ""));
            (
                Some((ssopick_core::url::decode(u), ssopick_core::url::decode(p))),
                host,
            )
        }
        None => (None, authority),
    };
    let valid_host = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]_".contains(c));
    valid_host.then(|| Proxy {
        url: format!("{scheme}://{host}"),
        auth,
    })
}

/// Checks a PEM bundle: at least one certificate, every one of which a
/// root store takes.
pub fn check_bundle(pem: &[u8]) -> Result<usize, String> {
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;
    // One certificate at a time: a system-sized bundle (150 CAs) is checked
    // without holding its parsed form.
    let mut n = 0;
    for c in CertificateDer::pem_slice_iter(pem) {
        let c = c.map_err(|e| format!("not a PEM file of certificates ({e})"))?;
        n += 1;
        rustls::RootCertStore::empty()
            .add(c)
            .map_err(|e| format!("certificate {n} is not a usable CA ({e})"))?;
    }
    if n == 0 {
        return Err("it holds no PEM certificate".into());
    }
    Ok(n)
}

impl NetConfig {
    /// The configuration of this run: from the environment, and the
    /// active profile's `ca_bundle` (`profile_bundle`) when
    /// `AWS_CA_BUNDLE` is not set.
    pub fn resolve(
        env: &Env,
        profile_bundle: Option<&str>,
        attempt_timeout: Duration,
    ) -> Result<NetConfig, NetError> {
        let proxy = |names: [&str; 2]| -> Result<Option<Proxy>, NetError> {
            match first(env, names) {
                None => Ok(None),
                Some((url, var)) => parse_proxy(&url)
                    .map(Some)
                    .ok_or(NetError::Proxy { var, url }),
            }
        };
        let all = proxy(var::ALL_PROXY)?;
        let https_proxy = proxy(var::HTTPS_PROXY)?.or_else(|| all.clone());
        let http_proxy = proxy(var::HTTP_PROXY)?.or(all);
        let no_proxy = first(env, var::NO_PROXY).map(|(v, _)| v);
        let bundle = match env.get(var::AWS_CA_BUNDLE).filter(|v| !v.is_empty()) {
            Some(p) => Some((PathBuf::from(p), var::AWS_CA_BUNDLE)),
            None => profile_bundle.map(|p| (PathBuf::from(p), "the profile's ca_bundle")),
        };
        let ca_bundle = match bundle {
            None => None,
            Some((path, from)) => Some(read_bundle(&path, from).map(|_| path)?),
        };
        Ok(NetConfig {
            https_proxy,
            http_proxy,
            no_proxy,
            ca_bundle,
            connect_timeout: attempt_timeout.min(Duration::from_secs(5)),
            attempt_timeout,
        })
    }

    /// The proxy set-up the SDK clients take.
    fn proxy_config(&self) -> ProxyConfig {
        let with = |p: &Proxy, c: Result<ProxyConfig, _>| -> ProxyConfig {
            let Ok(mut c) = c else {
                return ProxyConfig::disabled();
            };
            // The SDK's proxy set-up puts these into a URL as they are:
            // encoded here, decoded again for the Proxy-Authorization.
            if let Some((u, pw)) = &p.auth {
                c = c.with_basic_auth(userinfo(u), userinfo(pw));
            }
            match &self.no_proxy {
                Some(n) => c.no_proxy(n),
                None => c,
            }
        };
        match (&self.https_proxy, &self.http_proxy) {
            (Some(s), Some(h)) if s == h => with(s, ProxyConfig::all(s.url.as_str())),
            (Some(s), _) => with(s, ProxyConfig::https(s.url.as_str())),
            (None, Some(h)) => with(h, ProxyConfig::http(h.url.as_str())),
            (None, None) => ProxyConfig::disabled(),
        }
    }

    /// The HTTP client every AWS SDK client of this run is built with.
    pub fn sdk_http_client(&self) -> SharedHttpClient {
        let proxy = self.proxy_config();
        let bundle = self.ca_bundle.clone();
        // The OS's roots are read when the first connection needs them, not
        // when a command that may stay offline sets up its clients.
        let tls_context = std::sync::Arc::new(std::sync::OnceLock::new());
        aws_smithy_http_client::Builder::new().build_with_connector_fn(move |settings, rc| {
            let tls_context: &TlsContext = tls_context.get_or_init(|| {
                let mut trust = TrustStore::default().with_native_roots(true);
                if let Some(pem) = bundle.as_deref().and_then(bundle_pem) {
                    trust = trust.with_pem_certificate(pem);
                }
                TlsContext::builder()
                    .with_trust_store(trust)
                    .build()
                    .unwrap_or_default()
            });
            let mut b = aws_smithy_http_client::Connector::builder()
                .proxy_config(proxy.clone())
                .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
                .tls_context(tls_context.clone());
            b.set_connector_settings(settings.cloned());
            if let Some(sleep) = rc.and_then(
                aws_smithy_runtime_api::client::runtime_components::RuntimeComponents::sleep_impl,
            ) {
                b.set_sleep_impl(Some(sleep));
            }
            b.build()
        })
    }

    /// A blocking HTTPS agent for the federation sign-in, with the same
    /// proxy and roots (the OS's and the bundle's).
    pub fn ureq_agent(&self, timeout: Duration) -> ureq::Agent {
        let mut certs: Vec<ureq::tls::Certificate<'static>> =
            rustls_native_certs::load_native_certs()
                .certs
                .into_iter()
                .map(|c| ureq::tls::Certificate::from_der(c.as_ref()).to_owned())
                .collect();
        if let Some(pem) = self.ca_bundle.as_deref().and_then(bundle_pem) {
            certs.extend(
                ureq::tls::parse_pem(&pem)
                    .filter_map(Result::ok)
                    .filter_map(|item| match item {
                        ureq::tls::PemItem::Certificate(c) => Some(c),
                        _ => None,
                    }),
            );
        }
        let tls_config = ureq::tls::TlsConfig::builder()
            .root_certs(ureq::tls::RootCerts::Specific(std::sync::Arc::new(certs)))
            .build();
        let proxy = self.https_proxy.as_ref().and_then(|p| {
            let rest = p.url.split_once("://").map_or(p.url.as_str(), |(_, r)| r);
            let (host, port) = match rest.rsplit_once(':') {
                Some((h, port)) if !h.ends_with(']') || rest.starts_with('[') => {
                    (h, port.parse().ok()?)
                }
                _ => (rest, 80),
            };
            let mut b = ureq::Proxy::builder(ureq::ProxyProtocol::Http)
                .host(host.trim_start_matches('[').trim_end_matches(']'))
                .port(port);
            if let Some((u, pw)) = &p.auth {
                b = b.username(u).password(pw);
            }
            for rule in self.no_proxy.iter().flat_map(|n| n.split(',')) {
                let rule = rule.trim();
                if !rule.is_empty() {
                    b = b.no_proxy(rule);
                }
            }
            b.build().ok()
        });
        ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .tls_config(tls_config)
            .proxy(proxy)
            .build()
            .into()
    }

    /// True when `host` is to be reached without the proxy (`NO_PROXY`).
    pub fn bypasses(&self, host: &str) -> bool {
        let Some(rules) = &self.no_proxy else {
            return false;
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        rules.split(',').map(str::trim).any(|r| {
            r == "*"
                || (!r.is_empty()
                    && (host.eq_ignore_ascii_case(r.trim_start_matches('.'))
                        || host.to_ascii_lowercase().ends_with(&format!(
                            ".{}",
                            r.trim_start_matches('.').to_ascii_lowercase()
                        ))))
        })
    }
}

/// `s` percent-encoded for the user part of a URL.
fn userinfo(s: &str) -> String {
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

/// The HTTP client of a run with no proxy and no extra roots (tests,
/// benchmarks, the demo's loopback fake).
pub fn direct() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(tls::Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// The bundle's PEM again, when a connection needs it: the bytes are not
/// held for a run that may stay offline. Checked at the start of the run;
/// should it have gone since, the OS's roots alone are trusted.
fn bundle_pem(path: &Path) -> Option<Vec<u8>> {
    crate::fs::read_capped(path, BUNDLE_MAX)
        .ok()
        .flatten()
        .filter(|pem| check_bundle(pem).is_ok())
}

const BUNDLE_MAX: u64 = 16 << 20;

fn read_bundle(path: &Path, from: &'static str) -> Result<(PathBuf, Vec<u8>), NetError> {
    let bad = |why: String| NetError::Bundle {
        path: path.to_path_buf(),
        from,
        why,
    };
    let pem = crate::fs::read_capped(path, BUNDLE_MAX)
        .map_err(|e| bad(e.to_string()))?
        .ok_or_else(|| bad("no such file".into()))?;
    check_bundle(&pem).map_err(bad)?;
    Ok((path.to_path_buf(), pem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_urls_as_curl_reads_them() {
        let p = parse_proxy("http://jo%40corp:p%3Ass@proxy.corp:3128").unwrap();
        assert_eq!(p.url, "http://proxy.corp:3128");
        assert_eq!(p.auth, Some(("jo@corp".into(), "p:ss".into())));
        assert!(!format!("{p:?}").contains("p:ss"));
        assert_eq!(parse_proxy("proxy:8080").unwrap().url, "http://proxy:8080");
        assert_eq!(parse_proxy("socks5://x:1"), None);
        assert_eq!(parse_proxy("http://"), None);
        let env = Env::from_pairs(&[
            ("HTTPS_PROXY", "http://p:1"),
            ("no_proxy", "127.0.0.1,.corp"),
        ]);
        let n = NetConfig::resolve(&env, None, Duration::from_secs(5)).unwrap();
        assert_eq!(n.https_proxy.unwrap().url, "http://p:1");
        assert!(n.http_proxy.is_none());
        let n = NetConfig::resolve(&env, None, Duration::from_secs(5)).unwrap();
        assert!(n.bypasses("127.0.0.1") && n.bypasses("a.corp") && !n.bypasses("aws.amazon.com"));
        let bad = Env::from_pairs(&[("ALL_PROXY", "socks5://x:1")]);
        assert!(matches!(
            NetConfig::resolve(&bad, None, Duration::from_secs(5)),
            Err(NetError::Proxy {
                var: "ALL_PROXY",
                ..
            })
        ));
    }

    #[test]
    fn a_bad_bundle_is_an_error_naming_the_file() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("ca.pem");
        std::fs::write(
            &p,
            "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let env = Env::from_pairs(&[("AWS_CA_BUNDLE", p.to_str().unwrap())]);
        let e = NetConfig::resolve(&env, None, Duration::from_secs(5)).unwrap_err();
        assert!(e.to_string().contains("ca.pem"), "{e}");
        std::fs::write(&p, "no certificates here").unwrap();
        assert!(NetConfig::resolve(&env, None, Duration::from_secs(5)).is_err());
        let missing = Env::from_pairs(&[("AWS_CA_BUNDLE", "/nonexistent/ca.pem")]);
        assert!(NetConfig::resolve(&missing, None, Duration::from_secs(5)).is_err());
    }
}
