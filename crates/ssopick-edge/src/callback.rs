//! The loopback listener the browser is redirected to at the end of an
//! authorization-code login (`http://127.0.0.1:PORT/oauth/callback`). It
//! answers every request to the callback path with a page, and hands each
//! callback (checked against the login's `state`) to the waiting login.

use crate::http::{self, Response};
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
    let task = tokio::spawn(http::serve(listener, move |req| {
        let (tx, state) = (tx.clone(), state.clone());
        async move {
            if req.method != "GET" || req.path != CALLBACK_PATH {
                return page(
                    404,
                    callback_page(false, "this is not the login's callback"),
                );
            }
            let got = check_callback(&req.query, &state);
            let reply = match &got {
                Callback::Code(_) => page(200, callback_page(true, "")),
                Callback::Denied(why) => page(400, callback_page(false, why)),
                Callback::BadState => page(
                    400,
                    callback_page(false, "the request's state does not match this login"),
                ),
                Callback::NotACallback => {
                    return page(400, callback_page(false, "no authorization code"));
                }
            };
            let _ = tx.try_send(got);
            reply
        }
    }));
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
