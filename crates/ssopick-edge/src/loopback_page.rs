//! For a confined browser (snap, flatpak) that cannot read ssopick's
//! private folder: a one-time loopback URL instead of the `file://` page.
//! Its path is random (256 bits), it is answered once, and only to a TCP
//! peer of this user: the peer socket's uid comes from `/proc/net/tcp` and
//! `/proc/net/tcp6` (Linux). Where that cannot be checked, there is no
//! such URL: the caller prints the link instead of passing it.

use crate::peer_uid::{checkable as peer_uid_checkable, my_uid, peer_uid};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// How long the one-time URL waits for the browser.
pub const WAIT: Duration = Duration::from_mins(1);

/// A one-time URL being served.
pub struct OneTime {
    pub url: String,
    task: tokio::task::JoinHandle<bool>,
}

impl OneTime {
    /// Waits until the browser fetched it (true) or `WAIT` passed.
    pub async fn served(mut self) -> bool {
        tokio::time::timeout(WAIT, &mut self.task)
            .await
            .is_ok_and(|r| r.unwrap_or(false))
    }
}

impl Drop for OneTime {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves a page that sends the browser to `target`, once, to this user;
/// `None` where a peer's uid cannot be known.
pub async fn serve_once(target: String) -> Option<OneTime> {
    if !peer_uid_checkable() {
        return None;
    }
    let listener = TcpListener::bind("127.0.0.1:0").await.ok()?;
    let addr = listener.local_addr().ok()?;
    let path = format!("/{}", crate::cred_server::random_token().expose());
    let url = format!("http://{addr}{path}");
    let task = tokio::spawn(async move {
        loop {
            let Ok((mut s, peer)) = listener.accept().await else {
                return false;
            };
            if peer_uid(peer, addr) != Some(my_uid()) {
                continue;
            }
            let mut buf = vec![0u8; 4096];
            let Ok(Ok(n)) = tokio::time::timeout(Duration::from_secs(2), s.read(&mut buf)).await
            else {
                continue;
            };
            let head = String::from_utf8_lossy(&buf[..n]);
            let asked = head.split_whitespace().nth(1).unwrap_or_default();
            if asked != path {
                let _ = s
                    .write_all(
                        b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                    )
                    .await;
                continue;
            }
            let answer = format!(
                "HTTP/1.1 302 Found\r\nlocation: {target}\r\ncache-control: no-store\r\nreferrer-policy: no-referrer\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = s.write_all(answer.as_bytes()).await;
            let _ = s.shutdown().await;
            return true;
        }
    });
    Some(OneTime { url, task })
}
