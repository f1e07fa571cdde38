//! Which local user a TCP peer on loopback is (Linux: the socket's uid in
//! `/proc/net/tcp`): the one-time browser link is served to this user
//! only, and the credential endpoint sheds strangers' connections first.

use std::collections::HashMap;
use std::net::SocketAddr;

pub fn my_uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Whether peers' uids can be read here.
pub fn checkable() -> bool {
    cfg!(target_os = "linux") && std::fs::metadata("/proc/net/tcp").is_ok()
}

/// The uid owning the socket at `peer` connected to `ours`, from
/// `/proc/net/tcp` (IPv4 loopback).
pub fn peer_uid(peer: SocketAddr, ours: SocketAddr) -> Option<u32> {
    let (SocketAddr::V4(p), SocketAddr::V4(o)) = (peer, ours) else {
        return None;
    };
    let text = std::fs::read_to_string("/proc/net/tcp").ok()?;
    uid_in_table(
        &text,
        &v4_hex(p.ip().octets(), p.port()),
        &v4_hex(o.ip().octets(), o.port()),
    )
}

/// Every IPv4 peer connected to `ours`, by address, with its uid: one
/// reading of the table for many connections.
pub fn peers_of(ours: SocketAddr) -> HashMap<SocketAddr, u32> {
    let SocketAddr::V4(o) = ours else {
        return HashMap::new();
    };
    let Ok(text) = std::fs::read_to_string("/proc/net/tcp") else {
        return HashMap::new();
    };
    let ours = v4_hex(o.ip().octets(), o.port());
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            if cols.get(2) != Some(&ours.as_str()) {
                return None;
            }
            Some((from_hex(cols.get(1)?)?, cols.get(7)?.parse().ok()?))
        })
        .collect()
}

/// `127.0.0.1:8080` as `/proc/net/tcp` writes it: `0100007F:1F90`.
fn v4_hex(ip: [u8; 4], port: u16) -> String {
    format!("{:08X}:{port:04X}", u32::from_le_bytes(ip))
}

fn from_hex(s: &str) -> Option<SocketAddr> {
    let (ip, port) = s.split_once(':')?;
    let ip = u32::from_str_radix(ip, 16).ok()?.to_le_bytes();
    Some(SocketAddr::from((ip, u16::from_str_radix(port, 16).ok()?)))
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
        assert_eq!(
            from_hex("0100007F:D431"),
            Some(SocketAddr::from(([127, 0, 0, 1], 0xD431)))
        );
    }
}
