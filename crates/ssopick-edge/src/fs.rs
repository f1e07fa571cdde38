//! Files ssopick writes for itself: always a temp file in the same folder,
//! fsync, then rename, so a reader sees the old file or the new one, never
//! half of one. New files are 0600, new folders 0700. Reads are capped.

use std::io::Write;
use std::path::Path;

mod trust;
pub use trust::{is_private_file, private_run_dir, replaceable_by_others, untrusted_dir};

/// The effective uid (files and folders must be its own).
#[cfg(unix)]
fn euid() -> u32 {
    crate::peer_uid::my_uid()
}

pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(dir)
}

/// Writes `bytes` to `path` atomically with permission `mode` (unix).
pub fn write_atomic(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    write_atomic_then(path, bytes, mode, || {})
}

/// `write_atomic`, calling `before_rename` once the new bytes are on disk
/// beside `path` and before they replace it.
pub fn write_atomic_then(
    path: &Path,
    bytes: &[u8],
    mode: u32,
    before_rename: impl FnOnce(),
) -> std::io::Result<()> {
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
    before_rename();
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Reads a file of at most `max` bytes; `Ok(None)` when it does not exist.
/// Directories, FIFOs and sockets are refused without being opened (a
/// FIFO would block forever); character devices are read up to the cap,
/// so `/dev/null` is an empty file and `/dev/zero` is too large.
pub fn read_capped(path: &Path, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    let Some(out) = read_first(path, max, max + 1)? else {
        return Ok(None);
    };
    if out.len() as u64 > max {
        return Err(too_large(max));
    }
    Ok(Some(out))
}

/// The first `n` bytes of a file (all of it when shorter), checked as
/// `read_capped` checks (`max`: a file known to be larger is refused).
pub fn read_prefix(path: &Path, n: u64, max: u64) -> std::io::Result<Option<Vec<u8>>> {
    read_first(path, max, n)
}

fn too_large(max: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("is larger than {max} bytes"),
    )
}

fn read_first(path: &Path, max: u64, n: u64) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let Some((file, meta)) = open_checked(path, max)? else {
        return Ok(None);
    };
    let mut out = Vec::with_capacity(if meta.is_file() {
        meta.len().min(n) as usize
    } else {
        0
    });
    file.take(n).read_to_end(&mut out)?;
    Ok(Some(out))
}

/// A file opened for reading, checked as `read_capped` checks it (a file
/// larger than `max` is refused), with its metadata; `Ok(None)` when it
/// does not exist. The caller reads at most `max` bytes of it.
pub fn open_checked(
    path: &Path,
    max: u64,
) -> std::io::Result<Option<(std::fs::File, std::fs::Metadata)>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let bad = |what: String| Err(std::io::Error::new(std::io::ErrorKind::InvalidData, what));
    if meta.is_file() && meta.len() > max {
        return Err(too_large(max));
    }
    // Opened without blocking (a FIFO's open would wait for a writer), then
    // judged by the handle itself, so nothing can be swapped in between.
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut o, libc::O_NONBLOCK);
    let file = o.open(path)?;
    let ft = file.metadata()?.file_type();
    if ft.is_dir() {
        return bad("is a directory, not a file".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() || ft.is_socket() || ft.is_block_device() {
            return bad("is a FIFO, socket or block device, not a file".into());
        }
    }
    Ok(Some((file, meta)))
}

/// A private (0600) temporary file holding `text`, in `dir` when it is
/// given and exists, else the system's temp folder; removed when dropped.
pub fn private_temp(dir: Option<&Path>, text: &str) -> std::io::Result<tempfile::TempPath> {
    let mut b = tempfile::Builder::new();
    b.prefix("ssopick-").suffix(".config");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        b.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut f = match dir.filter(|d| d.is_dir()) {
        Some(d) => b.tempfile_in(d)?,
        None => b.tempfile()?,
    };
    if !is_private_file(f.as_file()) {
        return Err(std::io::Error::other("the new file is not private"));
    }
    f.write_all(text.as_bytes())?;
    f.as_file().sync_all()?;
    Ok(f.into_temp_path())
}

/// Writes a small note a caller asked for by path (benchmarks' figures);
/// not atomic, not private: it holds no secret.
pub fn write_note(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// Removes the temp files `write_atomic` leaves when killed mid-write
/// (`.ssopick-*.tmp`, which may hold a token), once older than a minute so
/// a write in progress elsewhere is never broken. Returns how many.
pub fn remove_stray_temps(dir: &Path) -> usize {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return 0;
    };
    rd.filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(".ssopick-")
                && name.ends_with(".tmp")
                && e.metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| t.elapsed().ok())
                    .is_some_and(|age| age.as_secs() >= 60)
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Opens (creating it 0600) a lock file, never through a symlink planted
/// where it goes.
/// A lock file another user made (in a shared folder) is refused: its
/// owner could hold it for ever.
pub fn open_lock_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let f = o.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = euid();
        let owner = f.metadata()?.uid();
        if owner != me {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!(
                    "the lock file {} belongs to another user (uid {owner}); remove it",
                    path.display()
                ),
            ));
        }
    }
    Ok(f)
}

/// Creates `path` for `bytes`, private (0600): a new file only
/// (`O_CREAT|O_EXCL`, never through a symlink), or with `replace` the file
/// there replaced atomically. Returns its identity, so that only this file
/// is removed later (`remove_if_same`).
pub fn create_private(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<FileId> {
    if replace {
        write_atomic(path, bytes, 0o600)?;
    } else {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
        }
        let mut f = o.open(path)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    file_id(path)?.ok_or_else(|| std::io::Error::other("the file vanished as it was written"))
}

/// Removes `path` when it is still the file `id` names (not one another
/// process put there since).
pub fn remove_if_same(path: &Path, id: FileId) -> bool {
    file_id(path).ok().flatten() == Some(id) && std::fs::remove_file(path).is_ok()
}

/// True when this process's stdout is a regular file others can read (a
/// redirect into a world-readable file).
pub fn stdout_readable_by_others() -> bool {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::PermissionsExt;
        let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
            return false;
        };
        std::fs::File::from(fd)
            .metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o044 != 0)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// A file's identity: device, inode, size, change and modification times.
/// A rewrite in place or a replacement by rename changes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

/// The identity of the file at `path` now: `Ok(None)` when there is none.
pub fn file_id(path: &Path) -> std::io::Result<Option<FileId>> {
    let m = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    #[cfg(unix)]
    let (dev, ino, mtime, ctime) = {
        use std::os::unix::fs::MetadataExt;
        (
            m.dev(),
            m.ino(),
            (m.mtime(), m.mtime_nsec()),
            (m.ctime(), m.ctime_nsec()),
        )
    };
    #[cfg(not(unix))]
    let (dev, ino, mtime, ctime) = {
        let t = m
            .modified()?
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let t = (t.as_secs() as i64, i64::from(t.subsec_nanos()));
        (0, 0, t, t)
    };
    Ok(Some(FileId {
        dev,
        ino,
        len: m.len(),
        mtime,
        ctime,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// A lock file another user made is refused, not waited on.
    #[cfg(unix)]
    #[test]
    fn a_lock_file_of_another_user_is_refused() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join(".lock");
        assert!(open_lock_file(&p).is_ok());
        if rustix::process::geteuid().is_root() {
            std::os::unix::fs::chown(&p, Some(65534), None).unwrap();
            let e = open_lock_file(&p).unwrap_err();
            assert!(e.to_string().contains("another user"), "{e}");
        }
    }
}
