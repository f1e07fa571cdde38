//! Files ssopick writes: always a temp file in the same folder, fsync, then
//! rename, so a reader sees the old file or the new one, never half of one.
//! New files are 0600, new folders 0700.

use crate::core::catalog::{Catalog, SNAPSHOT_VERSION};
use crate::core::sso::token::cache_key;
use std::io::Write;
use std::path::{Path, PathBuf};

/// A snapshot larger than this is not ours; it is ignored.
const MAX_SNAPSHOT: u64 = 256 << 20;

pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Writes `bytes` to `path` atomically with permission `mode` (unix).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".ssopick-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Reads a file of at most `max` bytes; `Ok(None)` when it does not exist.
pub fn read_capped(path: &Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !meta.is_file() || meta.len() > max {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not a regular file of sane size",
        ));
    }
    std::fs::read(path).map(Some)
}

pub fn snapshot_path(cache_dir: &Path, start_url: &str) -> PathBuf {
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
pub fn load_snapshot(path: &Path, start_url: &str) -> Option<Catalog> {
    let bytes = read_capped(path, MAX_SNAPSHOT).ok()??;
    let c: Catalog = serde_json::from_slice(&bytes).ok()?;
    (c.version == SNAPSHOT_VERSION && c.start_url == start_url).then_some(c)
}

pub fn save_snapshot(path: &Path, catalog: &Catalog) -> std::io::Result<()> {
    let json = serde_json::to_vec(catalog).map_err(std::io::Error::other)?;
    write_atomic(path, &json, 0o600)
}

/// Writes a file the user owns (their AWS config or credentials): through a
/// symlink to its target, atomically, keeping its permissions (0600 when
/// new), after copying the old content to `NAME.bak`. Returns the backup.
pub fn write_user_file(path: &Path, text: &str) -> std::io::Result<Option<PathBuf>> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let (mode, backup) = match std::fs::metadata(&target) {
        Ok(meta) => {
            #[cfg(unix)]
            let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o7777;
            #[cfg(not(unix))]
            let mode = 0o600;
            let mut name = target.file_name().unwrap_or_default().to_os_string();
            name.push(".bak");
            let bak = target.with_file_name(name);
            let old = std::fs::read(&target)?;
            write_atomic(&bak, &old, mode)?;
            (mode, Some(bak))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (0o600, None),
        Err(e) => return Err(e),
    };
    write_atomic(&target, text.as_bytes(), mode)?;
    Ok(backup)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::time::UtcTime;

    #[test]
    fn atomic_write_is_private_and_replaces() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("a/b/file.json");
        write_atomic(&p, b"one", 0o600).unwrap();
        write_atomic(&p, b"two", 0o600).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
                0o600
            );
            assert_eq!(
                std::fs::metadata(p.parent().unwrap())
                    .unwrap()
                    .permissions()
                    .mode()
                    & 0o777,
                0o700
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file left behind");
    }

    #[test]
    fn snapshot_round_trip_and_rejections() {
        let d = tempfile::tempdir().unwrap();
        let url = "https://x.awsapps.com/start";
        let p = snapshot_path(d.path(), url);
        assert_eq!(p, snapshot_path(d.path(), "https://X.awsapps.com/start/"));
        assert!(load_snapshot(&p, url).is_none());
        let c = Catalog::new("s", url, "us-east-1", UtcTime(5));
        save_snapshot(&p, &c).unwrap();
        assert_eq!(load_snapshot(&p, url), Some(c));
        assert!(load_snapshot(&p, "https://other/start").is_none());
        std::fs::write(&p, b"{garbage").unwrap();
        assert!(load_snapshot(&p, url).is_none());
    }
}
