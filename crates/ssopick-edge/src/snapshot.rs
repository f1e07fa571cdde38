//! The catalog snapshot: one JSON file per start URL in
//! `$XDG_CACHE_HOME/ssopick/catalog/` (0600, atomic). No token, no keys.

use crate::fs::{open_checked, read_capped, read_prefix, write_atomic};
use ssopick_core::catalog::{Catalog, SNAPSHOT_VERSION};
use ssopick_core::snapshot_stream::{self, Chunks, Head, Loaded, RoleNames, Stored};
use ssopick_core::sso::token::cache_key;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A snapshot larger than this is not ours; it is ignored.
const MAX_SNAPSHOT: u64 = 256 << 20;

pub fn path(cache_dir: &Path, start_url: &str) -> PathBuf {
    let norm = start_url
        .trim()
        .trim_end_matches(['/', '#'])
        .to_ascii_lowercase();
    cache_dir
        .join("catalog")
        .join(format!("{}.json", cache_key(&norm)))
}

/// The stored catalog, or `None` when there is none or it is unreadable, of
/// another format version, or of another start URL.
pub fn load(path: &Path, start_url: &str) -> Option<Catalog> {
    let bytes = read_capped(path, MAX_SNAPSHOT).ok()??;
    let mut c: Catalog = serde_json::from_slice(&bytes).ok()?;
    if c.version != SNAPSHOT_VERSION || c.start_url != start_url {
        return None;
    }
    // The file may not be ours: it is read as untrusted as the portal is.
    c.keep_valid();
    Some(c)
}

/// The bytes a snapshot's head must fit in (it comes first in the file).
const HEAD_BYTES: u64 = 64 << 10;

/// The stored snapshot's head, from the start of the file only. `None`:
/// there is none, or it cannot be read that way (another format, another
/// start URL, a head that is not first): `load` it whole.
pub fn head(path: &Path, start_url: &str) -> Option<Head> {
    let bytes = read_prefix(path, HEAD_BYTES, MAX_SNAPSHOT).ok()??;
    snapshot_stream::head(&bytes).filter(|h| h.start_url == start_url)
}

/// Reads the stored snapshot on a thread of its own, sending its accounts
/// in chunks as they parse, then how the reading ended. Dropping the
/// receiver stops the reading.
pub fn stream(path: PathBuf, start_url: String) -> tokio::sync::mpsc::UnboundedReceiver<Loaded> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let read = move || {
        let mut names = RoleNames::default();
        let end = match open_checked(&path, MAX_SNAPSHOT) {
            Ok(Some((file, _))) => {
                let bytes = std::io::BufReader::with_capacity(64 << 10, file.take(MAX_SNAPSHOT));
                snapshot_stream::stream(bytes, &start_url, Chunks::default(), &mut |c| {
                    let shared = c.into_iter().map(|a| names.share_account(a)).collect();
                    tx.send(Loaded::Accounts(shared)).is_ok()
                })
                .map(|_| ())
            }
            Ok(None) => Err(snapshot_stream::StreamError::Damaged("it is gone".into())),
            Err(e) => Err(snapshot_stream::StreamError::Damaged(e.to_string())),
        };
        let _ = tx.send(Loaded::End(end));
    };
    if let Err(e) = std::thread::Builder::new()
        .name("snapshot".into())
        .spawn(read)
    {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let _ = tx.send(Loaded::End(Err(snapshot_stream::StreamError::Damaged(
            e.to_string(),
        ))));
        return rx;
    }
    rx
}

/// Every stored catalog of the current format (for completion), each
/// checked as `load` checks one.
pub fn load_all(cache_dir: &Path) -> Vec<Catalog> {
    let Ok(dir) = std::fs::read_dir(cache_dir.join("catalog")) else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .take(64)
        .filter_map(|p| {
            let bytes = read_capped(&p, MAX_SNAPSHOT).ok()??;
            let mut c: Catalog = serde_json::from_slice(&bytes).ok()?;
            (c.version == SNAPSHOT_VERSION && p == path(cache_dir, &c.start_url)).then(|| {
                c.keep_valid();
                c
            })
        })
        .collect()
}

pub fn save(path: &Path, catalog: &Catalog) -> std::io::Result<()> {
    let json = serde_json::to_vec(&Stored::of(catalog)).map_err(std::io::Error::other)?;
    write_atomic(path, &json, 0o600)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ssopick_core::time::UtcTime;

    #[test]
    fn snapshot_round_trip_and_rejections() {
        let d = tempfile::tempdir().unwrap();
        let url = "https://x.awsapps.com/start";
        let p = path(d.path(), url);
        assert_eq!(p, path(d.path(), "https://X.awsapps.com/start/"));
        assert!(load(&p, url).is_none());
        let c = Catalog::new("s", url, "us-east-1", UtcTime(5));
        save(&p, &c).unwrap();
        assert_eq!(load(&p, url), Some(c));
        assert!(load(&p, "https://other/start").is_none());
        std::fs::write(&p, b"{garbage").unwrap();
        assert!(load(&p, url).is_none());
    }
}
