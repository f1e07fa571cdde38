//! The credential endpoint's HTTP serving, which other local users can
//! reach (loopback is shared): nobody may starve it. A request head must
//! arrive within 2 s and be at most 16 KiB; the head is judged (Host,
//! token) before any body is read, and a body is at most 4 KiB (GET and
//! HEAD carry none); an idle keep-alive connection ends after 5 s; at most
//! 64 connections, and at the cap the oldest connection that has not
//! presented the valid token is closed, never one that has: another
//! user's first (Linux: the peer's uid from `/proc/net/tcp`), so a flood of
//! strangers cannot push out this user's client before its head is read.
//! Answers are written within the head's time too.

use crate::http::{Answer, Request, Response, Wire, read_head};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::AbortHandle;

#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub head_within: Duration,
    pub max_head: usize,
    pub max_body: usize,
    pub idle: Duration,
    pub max_conns: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            head_within: Duration::from_secs(2),
            max_head: 16 * 1024,
            max_body: 4 * 1024,
            idle: Duration::from_secs(5),
            max_conns: 64,
        }
    }
}

/// What the head of a request earns.
pub enum Verdict {
    /// Answered at once, and the connection closed (its body never read).
    Reject(Response),
    /// Served; `trusted` when it presented the valid token (its connection
    /// is then never the one closed at the cap).
    Serve { trusted: bool },
}

struct Conn {
    trusted: Arc<AtomicBool>,
    abort: AbortHandle,
    peer: std::net::SocketAddr,
}

/// The connection to close at the cap: the oldest untrusted one of
/// another user (or of no known user), else the oldest untrusted one.
fn victim(live: &VecDeque<Conn>, ours: Option<std::net::SocketAddr>) -> Option<usize> {
    let untrusted = |c: &Conn| !c.trusted.load(Ordering::Acquire);
    if let Some(ours) = ours.filter(|_| crate::peer_uid::checkable()) {
        let uids = crate::peer_uid::peers_of(ours);
        let me = crate::peer_uid::my_uid();
        if let Some(i) = live
            .iter()
            .position(|c| untrusted(c) && uids.get(&c.peer) != Some(&me))
        {
            return Some(i);
        }
    }
    live.iter().position(untrusted)
}

/// Serves on `listener` until the task is aborted: `judge` sees each head,
/// `handler` answers what it lets through.
pub async fn serve<J, H>(listener: TcpListener, limits: Limits, judge: J, handler: H)
where
    J: Fn(&Request) -> Verdict + Send + Sync + 'static,
    H: Fn(Request) -> Response + Send + Sync + 'static,
{
    let (judge, handler) = (Arc::new(judge), Arc::new(handler));
    let mut tasks = tokio::task::JoinSet::new();
    let mut live: VecDeque<Conn> = VecDeque::new();
    let ours = listener.local_addr().ok();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
        };
        let Ok((stream, peer)) = accepted else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        live.retain(|c| !c.abort.is_finished());
        if live.len() >= limits.max_conns {
            match victim(&live, ours) {
                Some(i) => {
                    if let Some(c) = live.remove(i) {
                        c.abort.abort();
                    }
                }
                // Every connection is a holder's: the newcomer waits its turn
                // by being refused (its client retries).
                None => continue,
            }
        }
        let trusted = Arc::new(AtomicBool::new(false));
        let abort = tasks.spawn(conn(
            stream,
            limits,
            trusted.clone(),
            judge.clone(),
            handler.clone(),
        ));
        live.push_back(Conn {
            trusted,
            abort,
            peer,
        });
    }
}

async fn conn<J, H>(
    stream: TcpStream,
    limits: Limits,
    trusted: Arc<AtomicBool>,
    judge: Arc<J>,
    handler: Arc<H>,
) where
    J: Fn(&Request) -> Verdict + Send + Sync + 'static,
    H: Fn(Request) -> Response + Send + Sync + 'static,
{
    let _ = stream.set_nodelay(true);
    let (rd, mut wr) = stream.into_split();
    let mut rd = BufReader::new(rd);
    let mut first = true;
    loop {
        // The first request's whole head within its time of the accept;
        // a later one's first byte within the idle time (an idle
        // keep-alive ends), then its whole head within its time of that.
        let started = tokio::time::Instant::now();
        let deadline = if first {
            started + limits.head_within
        } else {
            match tokio::time::timeout(limits.idle, rd.fill_buf()).await {
                Ok(Ok(b)) if !b.is_empty() => {}
                _ => return,
            }
            tokio::time::Instant::now() + limits.head_within
        };
        first = false;
        let Ok(Some(mut req)) =
            tokio::time::timeout_at(deadline, read_head(&mut rd, limits.max_head)).await
        else {
            return;
        };
        match judge(&req) {
            Verdict::Reject(r) => {
                send(&mut wr, r, true, limits.head_within).await;
                return;
            }
            Verdict::Serve { trusted: t } => {
                if t {
                    trusted.store(true, Ordering::Release);
                }
            }
        }
        let len = req.content_length();
        let bodiless = matches!(req.method.as_str(), "GET" | "HEAD");
        if len > limits.max_body || (bodiless && len > 0) {
            let r = Response::json(
                400,
                &serde_json::json!({"code": "BadRequest", "message": "unexpected request body"}),
            );
            send(&mut wr, r, true, limits.head_within).await;
            return;
        }
        let mut body = vec![0; len];
        if len > 0
            && !matches!(
                tokio::time::timeout(limits.head_within, rd.read_exact(&mut body)).await,
                Ok(Ok(_))
            )
        {
            return;
        }
        req.body = body;
        let close = req
            .header("connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        if !send(&mut wr, handler(req), close, limits.head_within).await {
            return;
        }
    }
}

/// Writes the answer within `within`; false when the connection is to end.
async fn send(
    wr: &mut tokio::net::tcp::OwnedWriteHalf,
    r: Response,
    close: bool,
    within: Duration,
) -> bool {
    let Wire::Send { bytes, close: c } = r.into_wire() else {
        return false;
    };
    let written = tokio::time::timeout(within, wr.write_all(&bytes)).await;
    if !matches!(written, Ok(Ok(()))) || close || c {
        let _ = wr.shutdown().await;
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    async fn server(limits: Limits) -> std::net::SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        tokio::spawn(serve(
            l,
            limits,
            |_: &Request| Verdict::Serve { trusted: false },
            |_: Request| Response::json(200, &serde_json::json!({})),
        ));
        addr
    }

    /// The whole head within its time of the accept: a first byte just in
    /// time does not buy the rest another period.
    #[tokio::test]
    async fn the_head_must_arrive_within_its_time_of_the_accept() {
        let limits = Limits {
            head_within: Duration::from_millis(300),
            ..Limits::default()
        };
        let addr = server(limits).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        let t0 = tokio::time::Instant::now();
        tokio::time::sleep(Duration::from_millis(250)).await;
        s.write_all(b"G").await.unwrap();
        for b in b"ET / HTTP/1.1\r\nHost: x\r\n" {
            tokio::time::sleep(Duration::from_millis(40)).await;
            if s.write_all(&[*b]).await.is_err() {
                break;
            }
        }
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out).await;
        assert!(out.is_empty(), "answered a head that came too late");
        assert!(
            t0.elapsed() < Duration::from_millis(500),
            "{:?}",
            t0.elapsed()
        );
    }

    #[tokio::test]
    async fn a_head_in_time_is_answered() {
        let addr = server(Limits::default()).await;
        let mut s = TcpStream::connect(addr).await.unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out).await;
        assert!(out.starts_with("HTTP/1.1 200"), "{out}");
    }
}
