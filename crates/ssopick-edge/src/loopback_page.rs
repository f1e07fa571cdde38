//! For a confined browser (snap, flatpak) that cannot read ssopick's
//! private folder: a one-time loopback URL instead of the `file://` page.
//! Its path is random (256 bits), it is answered once, and only to a TCP
//! peer of this user: the peer socket's uid comes from `/proc/net/tcp` and
//! `/proc/net/tcp6` (Linux). Where that cannot be checked, there is no
//! such URL: the caller prints the link instead of passing it.

use std::net::SocketAddr;
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

fn my_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

fn peer_uid_checkable() -> bool {
    cfg!(target_os = "linux") && std::fs::metadata("/proc/net/tcp").is_ok()
}

/// The uid owning the socket at `peer` connected to `ours`, from
/// `/proc/net/tcp{,6}`.
fn peer_uid(peer: SocketAddr, ours: SocketAddr) -> Option<u32> {
    let (file, local, remote) = match (peer, ours) {
        (SocketAddr::V4(p), SocketAddr::V4(o)) => (
            "/proc/net/tcp",
            v4_hex(p.ip().octets(), p.port()),
            v4_hex(o.ip().octets(), o.port()),
        ),
        _ => return None,
    };
    let text = std::fs::read_to_string(file).ok()?;
    uid_in_table(&text, &local, &remote)
}

/// `127.0.0.1:8080` as `/proc/net/tcp` writes it: `0100007F:1F90`.
fn v4_hex(ip: [u8; 4], port: u16) -> String {
    format!("{:08X}:{port:04X}", u32::from_le_bytes(ip))
}

/// The uid column of the row whose local and remote addresses are these.
fn uid_in_table(text: &str, local: &str, remote: &str) -> Option<u32> {
    text.lines().skip(1).find_map(|l| {
        let cols: Vec<&str> = l.split_whitespace().collect();
        (cols.get(1) == Some(&local) && cols.get(2) == Some(&remote))
            .then(|| cols.get(7)?.parse().ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_net_tcp_rows_give_the_uid() {
        assert_eq!(v4_hex([127, 0, 0, 1], 8080), "0100007F:1F90");
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
   0: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1000        0 1 1 0\n\
   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 65534        0 2 1 0\n";
        assert_eq!(
            uid_in_table(table, "0100007F:D431", "0100007F:1F90"),
            Some(65534)
        );
        assert_eq!(
            uid_in_table(table, "0100007F:1F90", "0100007F:D431"),
            Some(1000)
        );
        assert_eq!(uid_in_table(table, "0100007F:0001", "0100007F:1F90"), None);
    }
}
