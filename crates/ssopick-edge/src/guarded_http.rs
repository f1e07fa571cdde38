//! The credential endpoint's HTTP serving, which other local users can
//! reach (loopback is shared): nobody may starve it. A request head must
//! arrive within 2 s and be at most 16 KiB; the head is judged (Host,
//! token) before any body is read, and a body is at most 4 KiB (GET and
//! HEAD carry none); an idle keep-alive connection ends after 5 s; at most
//! 64 connections, and at the cap the oldest connection that has not
//! presented the valid token is closed, never one that has.

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
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
        };
        let Ok((stream, _)) = accepted else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        live.retain(|c| !c.abort.is_finished());
        if live.len() >= limits.max_conns {
            match live.iter().position(|c| !c.trusted.load(Ordering::Acquire)) {
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
        live.push_back(Conn { trusted, abort });
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
    let mut wait = limits.head_within;
    loop {
        // The next request's first byte (an idle keep-alive ends), then its
        // whole head, each within its time.
        match tokio::time::timeout(wait, rd.fill_buf()).await {
            Ok(Ok(b)) if !b.is_empty() => {}
            _ => return,
        }
        let Ok(Some(mut req)) =
            tokio::time::timeout(limits.head_within, read_head(&mut rd, limits.max_head)).await
        else {
            return;
        };
        match judge(&req) {
            Verdict::Reject(r) => {
                send(&mut wr, r, true).await;
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
            send(&mut wr, r, true).await;
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
        if !send(&mut wr, handler(req), close).await {
            return;
        }
        wait = limits.idle;
    }
}

/// Writes the answer; false when the connection is to end.
async fn send(wr: &mut tokio::net::tcp::OwnedWriteHalf, r: Response, close: bool) -> bool {
    let Wire::Send { bytes, close: c } = r.into_wire() else {
        return false;
    };
    if wr.write_all(&bytes).await.is_err() || close || c {
        let _ = wr.shutdown().await;
        return false;
    }
    true
}
