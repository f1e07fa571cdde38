//! The loopback listener the browser is redirected to at the end of an
//! authorization-code login (`http://127.0.0.1:PORT/oauth/callback`). It
//! answers every request to the callback path with a page, and hands each
//! callback (checked against the login's `state`) to the waiting login.
//! Any local user can reach it, so it is served with the credential
//! endpoint's limits (`guarded_http`: head time and size, no bodies, a
//! connection cap), and a request without this login's `state` is
//! answered from its head and never handed over.

use crate::guarded_http::{self, Limits, Verdict};
use crate::http::Response;
use ssopick_core::sso::pkce::{CALLBACK_PATH, Callback, callback_page, check_callback};
use tokio::net::TcpListener;
use tokio::sync::mpsc;

pub struct CallbackListener {
    port: u16,
    results: mpsc::Receiver<Callback>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for CallbackListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn page(status: u16, body: String) -> Response {
    Response {
        status,
        headers: vec![
            ("content-type".into(), "text/html; charset=utf-8".into()),
            ("cache-control".into(), "no-store".into()),
            ("connection".into(), "close".into()),
        ],
        body: body.into_bytes(),
    }
}

/// Binds 127.0.0.1:`port` (0: any free port) and starts answering; the
/// listener is up before this returns, so the browser can be opened next.
pub async fn listen(port: u16, state: String) -> std::io::Result<CallbackListener> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await?;
    let port = listener.local_addr()?.port();
    let (tx, results) = mpsc::channel(8);
    let judge_state = state.clone();
    let judge = move |req: &crate::http::Request| {
        if req.method != "GET" || req.path != CALLBACK_PATH {
            return Verdict::Reject(page(
                404,
                callback_page(false, "this is not the login's callback"),
            ));
        }
        match check_callback(&req.query, &judge_state) {
            Callback::Code(_) => Verdict::Serve { trusted: true },
            Callback::Denied(_) => Verdict::Serve { trusted: false },
            Callback::BadState => Verdict::Reject(page(
                400,
                callback_page(false, "the request's state does not match this login"),
            )),
            Callback::NotACallback => {
                Verdict::Reject(page(400, callback_page(false, "no authorization code")))
            }
        }
    };
    let handler = move |req: crate::http::Request| {
        let got = check_callback(&req.query, &state);
        let reply = match &got {
            Callback::Code(_) => page(200, callback_page(true, "")),
            Callback::Denied(why) => page(400, callback_page(false, why)),
            _ => return page(400, callback_page(false, "no authorization code")),
        };
        let _ = tx.try_send(got);
        reply
    };
    let task = tokio::spawn(guarded_http::serve(
        listener,
        Limits::default(),
        judge,
        handler,
    ));
    Ok(CallbackListener {
        port,
        results,
        task,
    })
}

impl CallbackListener {
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops listening; with `linger`, after a quarter second in which the
    /// page answering the last callback (written after that callback was
    /// handed over) can still leave.
    pub async fn close(self, linger: bool) {
        if linger {
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
    }

    /// The next callback, or None once the listener has stopped.
    pub async fn next(&mut self) -> Option<Callback> {
        self.results.recv().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    async fn send(port: u16, text: &str) -> tokio::net::TcpStream {
        let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .unwrap();
        s.write_all(text.as_bytes()).await.unwrap();
        s
    }

    /// Strangers' bodies are never read, wrong-state callbacks never
    /// reach the login, and the real callback still does.
    #[tokio::test(flavor = "multi_thread")]
    async fn floods_and_wrong_states_never_crowd_out_the_callback() {
        let mut l = listen(0, "the-state".into()).await.unwrap();
        let port = l.port();
        let mut held = Vec::new();
        for _ in 0..100 {
            held.push(
                send(
                    port,
                    "POST /oauth/callback HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\nAAAA",
                )
                .await,
            );
        }
        for i in 0..40 {
            let mut s = send(
                port,
                &format!(
                    "GET {CALLBACK_PATH}?code=evil{i}&state=wrong HTTP/1.1\r\nHost: x\r\n\r\n"
                ),
            )
            .await;
            let mut answer = String::new();
            let _ = s.read_to_string(&mut answer).await;
            assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
        }
        let mut s = send(
            port,
            &format!("GET {CALLBACK_PATH}?code=good&state=the-state HTTP/1.1\r\nHost: x\r\n\r\n"),
        )
        .await;
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        let got = tokio::time::timeout(std::time::Duration::from_secs(5), l.next())
            .await
            .unwrap();
        assert!(matches!(got, Some(Callback::Code(c)) if c == "good"));
        drop(held);
    }
}
