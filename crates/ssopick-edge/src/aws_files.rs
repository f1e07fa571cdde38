//! The user's own AWS files (`~/.aws/config`, `~/.aws/credentials`): read
//! as text (capped; FIFOs, sockets and folders refused), and changed only
//! through `update`: under an advisory lock on a sibling lock file, re-read
//! and edited under the lock, checked unchanged just before the atomic
//! rename (else edited again), written through a symlink (a dangling one
//! too, never replaced), with the exact bytes it replaced kept as
//! `NAME.bak`.

use crate::fs::{read_capped, write_atomic};
use std::path::{Path, PathBuf};

/// The largest AWS file ssopick reads (an 80,000-profile config is ~16 MB).
pub const MAX_AWS_FILE: u64 = 128 << 20;
/// Edits of a file that keeps changing under ssopick give up after this many.
const MAX_TRIES: usize = 5;

fn invalid(what: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.into())
}

fn text_of(bytes: Vec<u8>) -> std::io::Result<String> {
    String::from_utf8(bytes).map_err(|_| invalid("not UTF-8 text; ssopick will not rewrite it"))
}

/// The file's text; a missing file is empty. Not UTF-8 is an error, so
/// ssopick never rewrites a file it cannot read exactly.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    text_of(read_capped(path, MAX_AWS_FILE)?.unwrap_or_default())
}

/// The file a write must go to: the path itself, or the end of its chain
/// of symlinks, existing or not (a dangling link is written through).
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let link = std::fs::read_link(&p)?;
                p = match p.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            Ok(_) => return Ok(p),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let dir_ok = p
                    .parent()
                    .is_none_or(|d| d.as_os_str().is_empty() || d.is_dir());
                if p != path && !dir_ok {
                    return Err(invalid(format!(
                        "{} is a symlink to {}, whose folder does not exist; create it or fix the link",
                        path.display(),
                        p.display()
                    )));
                }
                return Ok(p);
            }
            Err(e) => return Err(e),
        }
    }
    Err(invalid(format!("{}: too many symlinks", path.display())))
}

/// Holds the advisory lock on `NAME.ssopick-lock` beside the file: 0600,
/// never through a symlink. Released when dropped.
pub struct FileLock(#[allow(dead_code)] std::fs::File);

pub fn lock_beside(target: &Path) -> std::io::Result<FileLock> {
    let mut name = std::ffi::OsString::from(".");
    name.push(target.file_name().unwrap_or_default());
    name.push(".ssopick-lock");
    let lock_path = target.with_file_name(name);
    if let Some(dir) = lock_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::fs::create_private_dir(dir)?;
    }
    let mut o = std::fs::OpenOptions::new();
    o.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let f = o.open(&lock_path).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!(
                "lock file {}: {e} (a symlink there is refused)",
                lock_path.display()
            ),
        )
    })?;
    f.lock()?;
    Ok(FileLock(f))
}

/// What `update` did.
#[derive(Debug, Default)]
pub struct Updated {
    /// The text as it was when the edit that was written was made.
    pub old: String,
    pub changed: bool,
    pub backup: Option<PathBuf>,
}

/// Debug builds: wait between the edit and the write while the file named
/// by `SSOPICK_TEST_WRITE_PAUSE` exists (tests change the file meanwhile).
fn test_pause(_path: &Path) {
    #[cfg(debug_assertions)]
    if let Some(marker) = std::env::var_os("SSOPICK_TEST_WRITE_PAUSE") {
        let marker = PathBuf::from(marker);
        let ready = marker.with_extension("ready");
        let _ = std::fs::write(&ready, b"");
        let end = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while marker.exists() && std::time::Instant::now() < end {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let _ = std::fs::remove_file(&ready);
    }
}

/// Why `update` wrote nothing: the file could not be read, locked or
/// written, or the edit itself refused.
#[derive(Debug)]
pub enum UpdateError<E> {
    Io(std::io::Error),
    Edit(E),
}

impl<E> From<std::io::Error> for UpdateError<E> {
    fn from(e: std::io::Error) -> Self {
        UpdateError::Io(e)
    }
}

/// Changes the file by `edit` (old text to new text), under the lock; the
/// edit runs again if the file changed between reading and writing (a
/// writer that does not take ssopick's lock, such as `aws configure set`).
/// `private`: the file holds secrets (static keys), so it and its backup
/// are made readable by the owner only, whatever their mode was.
pub fn update<E>(
    path: &Path,
    private: bool,
    mut edit: impl FnMut(&str) -> Result<String, E>,
) -> Result<Updated, UpdateError<E>> {
    let target = resolve(path)?;
    // Reads treat /dev/null as an empty file; a write must never replace a
    // device (or a FIFO, a socket, a folder) with a regular file.
    if let Ok(m) = std::fs::metadata(&target)
        && !m.is_file()
    {
        return Err(invalid(format!(
            "{} is not a regular file; ssopick writes only regular files (point AWS_CONFIG_FILE at one)",
            target.display()
        ))
        .into());
    }
    let _lock = lock_beside(&target)?;
    for _ in 0..MAX_TRIES {
        let before = read_capped(&target, MAX_AWS_FILE)?;
        let old = text_of(before.clone().unwrap_or_default())?;
        let new = edit(&old).map_err(UpdateError::Edit)?;
        if new == old {
            return Ok(Updated {
                old,
                changed: false,
                backup: None,
            });
        }
        test_pause(&target);
        if read_capped(&target, MAX_AWS_FILE)? != before {
            continue;
        }
        let mut updated = Updated {
            old,
            changed: true,
            backup: None,
        };
        let mode = match std::fs::metadata(&target) {
            Ok(meta) => {
                #[cfg(unix)]
                let mode = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o7777;
                #[cfg(not(unix))]
                let mode = {
                    let _ = meta;
                    0o600
                };
                let mode = if private { mode & 0o700 | 0o600 } else { mode };
                let mut name = target.file_name().unwrap_or_default().to_os_string();
                name.push(".bak");
                let bak = target.with_file_name(name);
                write_atomic(&bak, before.as_deref().unwrap_or_default(), mode)?;
                updated.backup = Some(bak);
                mode
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => 0o600,
            Err(e) => return Err(e.into()),
        };
        write_atomic(&target, new.as_bytes(), mode)?;
        return Ok(updated);
    }
    Err(std::io::Error::other(format!(
        "{} kept changing while ssopick wrote it; nothing was written, try again",
        path.display()
    ))
    .into())
}
