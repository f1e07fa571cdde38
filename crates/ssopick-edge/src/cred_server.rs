//! The container-credentials endpoint (the protocol every AWS SDK reads from
//! `AWS_CONTAINER_CREDENTIALS_FULL_URI`): a small HTTP server on loopback
//! that answers `GET /ssopick/credentials` with the role's current keys when
//! the request carries the per-run `Authorization` token, compared in
//! constant time. It never calls the portal itself: it answers from what the
//! caller keeps fresh, so a request takes well under a millisecond. No
//! secret is ever logged.

use crate::guarded_http::{self, Limits, Verdict};
use crate::http::{Request, Response};
use ssopick_core::credentials::RoleCredentials;
use ssopick_core::secret::Secret;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

pub const PATH: &str = "/ssopick/credentials";

/// What the endpoint answers right now.
#[derive(Clone, Debug)]
pub enum Answer {
    Credentials(RoleCredentials),
    /// No usable keys: an SDK-readable error (`{"code","message"}`).
    Unavailable {
        code: String,
        message: String,
    },
}

/// A running endpoint; it stops when dropped.
pub struct Endpoint {
    pub url: String,
    pub token: Secret,
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Endpoint {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

/// A fresh random token (256 bits, hex).
pub(crate) fn random_token() -> Secret {
    use rand::RngCore;
    let mut b = [0u8; 32];
    // The thread RNG is a CSPRNG seeded from the OS.
    rand::rng().fill_bytes(&mut b);
    use std::fmt::Write;
    Secret::new(b.iter().fold(String::with_capacity(64), |mut s, x| {
        let _ = write!(s, "{x:02x}");
        s
    }))
}

fn error(status: u16, code: &str, message: &str) -> Response {
    Response::json(
        status,
        &serde_json::json!({ "code": code, "message": message }),
    )
}

/// What a request's head earns, before any body is read: a Host other
/// than this endpoint's loopback names (when it listens on loopback: a page
/// in a browser reached through DNS rebinding names another), a wrong path
/// or a missing or wrong token is answered at once.
pub fn judge(req: &Request, token: &Secret, addr: SocketAddr) -> Verdict {
    // `[::ffff:127.0.0.1]` is loopback too.
    if addr.ip().to_canonical().is_loopback() {
        let port = addr.port();
        let ok = req.header("host").is_some_and(|h| {
            [
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
            ]
            .iter()
            .any(|want| h.eq_ignore_ascii_case(want))
        });
        if !ok {
            return Verdict::Reject(error(403, "Forbidden", "unexpected Host"));
        }
    }
    if req.method != "GET" || req.path != PATH {
        return Verdict::Reject(error(404, "NotFound", "no such path"));
    }
    match req.header("authorization") {
        None => Verdict::Reject(error(
            401,
            "Unauthorized",
            "an Authorization header is required",
        )),
        Some(given) if !token.matches(given.as_bytes()) => {
            Verdict::Reject(error(403, "Forbidden", "wrong authorization token"))
        }
        Some(_) => Verdict::Serve { trusted: true },
    }
}

/// The answer to one request.
pub fn respond(req: &Request, token: &Secret, answer: &Answer) -> Response {
    let addr = SocketAddr::from(([0, 0, 0, 0], 0));
    if let Verdict::Reject(r) = judge(req, token, addr) {
        return r;
    }
    match answer {
        Answer::Credentials(c) => Response::json(
            200,
            &serde_json::json!({
                "AccessKeyId": c.access_key_id.expose(),
                "SecretAccessKey": c.secret_access_key.expose(),
                "Token": c.session_token.expose(),
                "Expiration": c.expiration.to_rfc3339(),
            }),
        ),
        Answer::Unavailable { code, message } => error(503, code, message),
    }
}

/// Serves the endpoint on `listen` (port 0: a free one) with a new token;
/// `answer` says what to answer at the time of each request.
pub async fn start(
    listen: SocketAddr,
    answer: Arc<dyn Fn() -> Answer + Send + Sync>,
) -> std::io::Result<Endpoint> {
    let listener = TcpListener::bind(listen).await?;
    let addr = listener.local_addr()?;
    let token = random_token();
    let (check, judged) = (token.clone(), token.clone());
    let task = tokio::spawn(guarded_http::serve(
        listener,
        Limits::default(),
        move |req: &Request| judge(req, &judged, addr),
        move |req: Request| respond(&req, &check, &answer()),
    ));
    Ok(Endpoint {
        url: format!("http://{addr}{PATH}"),
        token,
        addr,
        task,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ssopick_core::time::UtcTime;

    fn req(auth: Option<&str>, path: &str) -> Request {
        Request {
            method: "GET".into(),
            path: path.into(),
            query: Vec::new(),
            headers: auth
                .map(|a| vec![("Authorization".to_string(), a.to_string())])
                .unwrap_or_default(),
            body: Vec::new(),
        }
    }

    fn status(r: &Response) -> u16 {
        r.status
    }

    #[test]
    fn only_the_token_gets_keys() {
        let token = Secret::new("s3cret");
        let keys = Answer::Credentials(RoleCredentials {
            access_key_id: Secret::new("AKIA"),
            secret_access_key: Secret::new("SK"),
            session_token: Secret::new("ST"),
            expiration: UtcTime(1_800_000_000),
            expiry_stated: true,
        });
        assert_eq!(status(&respond(&req(None, PATH), &token, &keys)), 401);
        assert_eq!(
            status(&respond(&req(Some("s3creT"), PATH), &token, &keys)),
            403
        );
        assert_eq!(
            status(&respond(&req(Some("s3cre"), PATH), &token, &keys)),
            403
        );
        assert_eq!(
            status(&respond(&req(Some("s3cret"), "/other"), &token, &keys)),
            404
        );
        let ok = respond(&req(Some("s3cret"), PATH), &token, &keys);
        let Response {
            status: 200, body, ..
        } = ok
        else {
            panic!("{ok:?}")
        };
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["AccessKeyId"], "AKIA");
        assert_eq!(v["Token"], "ST");
        assert_eq!(v["Expiration"], "2027-01-15T08:00:00Z");
        let gone = Answer::Unavailable {
            code: "SessionExpired".into(),
            message: "run ssopick login".into(),
        };
        let r = respond(&req(Some("s3cret"), PATH), &token, &gone);
        let Response {
            status: 503, body, ..
        } = r
        else {
            panic!("{r:?}")
        };
        assert!(String::from_utf8_lossy(&body).contains("SessionExpired"));
    }
}
