//! The catalog snapshot: one JSON file per start URL in
//! `$XDG_CACHE_HOME/ssopick/catalog/` (0600, atomic). No token, no keys.

use crate::fs::{open_checked, read_capped, read_prefix, write_atomic_then};
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
    save_encoded(path, &encode(catalog)?)
}

/// The snapshot's bytes, as `save` writes them.
pub fn encode(catalog: &Catalog) -> std::io::Result<Vec<u8>> {
    serde_json::to_vec(&Stored::of(catalog)).map_err(std::io::Error::other)
}

/// Writes bytes from `encode`: a private file, replaced atomically.
pub fn save_encoded(path: &Path, json: &[u8]) -> std::io::Result<()> {
    write_atomic_then(path, json, 0o600, test_pause)
}

/// Debug builds: while the file `SSOPICK_TEST_SAVE_PAUSE` names exists, a
/// save waits with its new file written and not yet renamed over the old
/// one (tests kill the process mid-save).
fn test_pause() {
    #[cfg(debug_assertions)]
    if let Some(marker) = std::env::var_os("SSOPICK_TEST_SAVE_PAUSE") {
        let marker = PathBuf::from(marker);
        let saving = marker.with_extension("saving");
        let _ = std::fs::write(&saving, b"");
        for _ in 0..600 {
            if !marker.exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        let _ = std::fs::remove_file(saving);
    }
}

/// When the snapshot file last changed (length, modification time): a
/// run following another's listing re-reads it only when this moves.
pub fn stamp(path: &Path) -> Option<(u64, std::time::SystemTime)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// The session's listing lock, held while a run lists it (released when
/// dropped, or when the process dies).
pub struct ListingLock(#[allow(dead_code)] std::fs::File);

/// Takes the listing lock of the snapshot at `path` if no other run holds
/// it: `Ok(None)` while one does.
pub fn try_lock_listing(path: &Path) -> std::io::Result<Option<ListingLock>> {
    // `<cache>/locks/<key>.listing`, beside the sessions' refresh locks.
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let dir = path
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."))
        .join("locks");
    crate::fs::create_private_dir(&dir)?;
    let lock_path = dir.join(format!("{stem}.listing"));
    let f = crate::fs::open_lock_file(&lock_path)?;
    match f.try_lock() {
        Ok(()) => Ok(Some(ListingLock(f))),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Where the rate a portal held is remembered, beside its snapshot.
fn rate_path(snapshot: &Path) -> PathBuf {
    snapshot.with_extension("rate")
}

/// The rate (req/s) this portal last held for 30 s without a 429, if
/// remembered and sane.
pub fn remembered_rate(snapshot: &Path) -> Option<f64> {
    let bytes = read_capped(&rate_path(snapshot), 256).ok()??;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v["held_rate"]
        .as_f64()
        .filter(|r| r.is_finite() && (0.1..=100_000.0).contains(r))
}

/// Remembers the rate a listing held (best effort: a pacer without it
/// starts gently).
pub fn remember_rate(snapshot: &Path, rate: f64) {
    if !rate.is_finite() || rate <= 0.0 {
        return;
    }
    let body = serde_json::json!({ "held_rate": (rate * 1000.0).round() / 1000.0 });
    let _ = crate::fs::write_atomic(&rate_path(snapshot), body.to_string().as_bytes(), 0o600);
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
