//! A deliberately small HTTP/1.1 server on loopback, for the fakes and the
//! credential endpoint: keep-alive,
//! Content-Length bodies, and hooks to misbehave (reset, truncate, hang).

use ssopick_core::url::decode_form;
use std::future::Future;
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 1 << 20;

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The announced body length (0 when absent; `usize::MAX` when it
    /// cannot be read, or the body is chunked: never accepted).
    pub fn content_length(&self) -> usize {
        if self.header("transfer-encoding").is_some() {
            return usize::MAX;
        }
        self.header("content-length")
            .map_or(0, |v| v.parse().unwrap_or(usize::MAX))
    }
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// What an answer puts on the connection.
#[derive(Debug)]
pub enum Wire {
    /// These bytes, and the connection closed after them when `close`.
    Send { bytes: Vec<u8>, close: bool },
    /// The connection closed without an answer.
    Close,
}

/// Anything a handler answers with: a `Response`, or (the tests' fakes) a
/// misbehaving one.
pub trait Answer: Send + 'static {
    fn into_wire(self) -> Wire;
}

impl Answer for Response {
    fn into_wire(self) -> Wire {
        let Response {
            status,
            headers,
            body,
        } = self;
        let mut close = false;
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\n",
            reason(status),
            body.len()
        );
        for (k, v) in &headers {
            close |= k.eq_ignore_ascii_case("connection") && v.eq_ignore_ascii_case("close");
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&body);
        Wire::Send { bytes, close }
    }
}

impl Response {
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Response {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }
}

fn parse_target(target: &str) -> (String, Vec<(String, String)>) {
    // The absolute form (`https://host/path`), which a server must accept
    // (RFC 9112 §3.2.2; clients send it through some proxies): its path.
    let target = match target.split_once("://") {
        Some((scheme, rest)) if !scheme.contains('/') => rest.find('/').map_or("/", |i| &rest[i..]),
        _ => target,
    };
    let (path, q) = target.split_once('?').unwrap_or((target, ""));
    let query = q
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode_form(k), decode_form(v))
        })
        .collect();
    (decode_form(path), query)
}

/// One line of at most `left` bytes (the head's remaining budget); `None`
/// when the peer closed, or sent more than the budget without a newline.
async fn bounded_line(
    r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    left: usize,
) -> Option<String> {
    let mut buf = Vec::new();
    let n = (&mut *r)
        .take(left as u64 + 1)
        .read_until(b'\n', &mut buf)
        .await
        .ok()?;
    if n == 0 || n > left || !buf.ends_with(b"\n") {
        return None;
    }
    String::from_utf8(buf).ok()
}

async fn read_request(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<Request> {
    let mut req = read_head(r, MAX_HEAD).await?;
    let len = req.content_length();
    if len > MAX_BODY {
        return None;
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).await.ok()?;
    req.body = body;
    Some(req)
}

/// A request's head (its body left unread and empty), at most `max_head`
/// bytes in all: a peer sending bytes without a newline cannot grow memory.
pub(crate) async fn read_head(
    r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    max_head: usize,
) -> Option<Request> {
    let line = bounded_line(r, max_head).await?;
    let mut total = line.len();
    let mut parts = line.split_whitespace();
    let (method, target) = (parts.next()?.to_string(), parts.next()?.to_string());
    let mut headers = Vec::new();
    loop {
        let h = bounded_line(r, max_head.checked_sub(total)?).await?;
        total += h.len();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let (path, query) = parse_target(&target);
    Some(Request {
        method,
        path,
        query,
        headers,
        body: Vec::new(),
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

async fn serve_conn<H, F, A>(stream: TcpStream, handler: Arc<H>)
where
    H: Fn(Request) -> F + Send + Sync + 'static,
    F: Future<Output = A> + Send,
    A: Answer,
{
    let _ = stream.set_nodelay(true);
    let (rd, mut wr) = stream.into_split();
    let mut rd = BufReader::new(rd);
    while let Some(req) = read_request(&mut rd).await {
        let asked_close = req
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let Wire::Send { bytes, close } = handler(req).await.into_wire() else {
            return;
        };
        if wr.write_all(&bytes).await.is_err() || close || asked_close {
            let _ = wr.shutdown().await;
            return;
        }
    }
}

/// Serves `handler` on the listener until the task is aborted.
pub async fn serve<H, F, A>(listener: TcpListener, handler: H)
where
    H: Fn(Request) -> F + Send + Sync + 'static,
    F: Future<Output = A> + Send + 'static,
    A: Answer,
{
    let handler = Arc::new(handler);
    // Connections are this task's: when it is aborted, they end too.
    let mut conns = tokio::task::JoinSet::new();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            Some(_) = conns.join_next(), if !conns.is_empty() => continue,
        };
        let Ok((stream, _)) = accepted else {
            // Out of descriptors, say: wait instead of spinning.
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            continue;
        };
        conns.spawn(serve_conn(stream, handler.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_decode() {
        let (p, q) =
            parse_target("/assignment/roles?account_id=0123&max_result=100&next_token=a%2Fb%3D");
        assert_eq!(
            parse_target("https://portal.sso.us-east-1.amazonaws.com/assignment/roles?a=1"),
            ("/assignment/roles".into(), vec![("a".into(), "1".into())])
        );
        assert_eq!(p, "/assignment/roles");
        assert_eq!(q[0], ("account_id".into(), "0123".into()));
        assert_eq!(q[2], ("next_token".into(), "a/b=".into()));
    }

    /// A head without a newline is cut at MAX_HEAD: the connection closes
    /// instead of memory growing.
    #[tokio::test]
    async fn an_endless_request_line_is_cut_off() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(serve(listener, |_req| async {
            Response::json(200, &serde_json::json!({}))
        }));
        let mut c = tokio::net::TcpStream::connect(addr).await.unwrap();
        let chunk = vec![b'a'; 16 * 1024];
        for _ in 0..8 {
            if c.write_all(&chunk).await.is_err() {
                break;
            }
        }
        let mut buf = [0u8; 64];
        let n = tokio::time::timeout(std::time::Duration::from_secs(10), c.read(&mut buf))
            .await
            .expect("the server closes the connection")
            .unwrap_or(0);
        assert_eq!(n, 0, "no answer to a head that never ends");
        task.abort();
    }
}
