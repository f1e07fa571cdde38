//! Whether a folder or file may hold secrets or be run: its owner, its
//! mode, and the folders above it (another local user must not be able to
//! swap what lies below them).

use super::create_private_dir;
#[cfg(unix)]
use super::euid;
use std::path::{Path, PathBuf};

/// The private folder for a run's files (console pages, config copies):
/// `$XDG_RUNTIME_DIR/ssopick` when `$XDG_RUNTIME_DIR` and that folder are
/// the user's own (owned by the euid, no symlink, not writable by group or
/// others), else `fallback` (ssopick's cache `run` folder), checked the same
/// way. Also returns why `$XDG_RUNTIME_DIR` was passed over, if it was.
pub fn private_run_dir(
    xdg_runtime: Option<&Path>,
    fallback: &Path,
) -> std::io::Result<(PathBuf, Option<String>)> {
    let checked = |dir: &Path| -> Result<(), String> {
        if let Some(why) = untrusted_dir(dir) {
            return Err(why);
        }
        create_private_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        match untrusted_dir(dir) {
            Some(why) => Err(why),
            None => Ok(()),
        }
    };
    let why = match xdg_runtime.filter(|d| d.is_absolute()) {
        None => None,
        Some(x) if !x.is_dir() => Some(format!("{} is not a folder", x.display())),
        Some(x) => match checked(x).and_then(|()| {
            let ours = x.join("ssopick");
            checked(&ours).map(|()| ours)
        }) {
            Ok(ours) => return Ok((ours, None)),
            Err(why) => Some(why),
        },
    };
    checked(fallback).map_err(std::io::Error::other)?;
    Ok((fallback.to_path_buf(), why))
}

/// A file just created for a secret, checked through its descriptor
/// (`fstat`): a regular file of the euid's, one link, no permission for
/// group or others.
pub fn is_private_file(f: &std::fs::File) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(m) = f.metadata() else { return false };
        let me = euid();
        // No bit for group or others: the low six bits are zero.
        m.is_file() && m.uid() == me && m.nlink() == 1 && m.mode().trailing_zeros() >= 6
    }
    #[cfg(not(unix))]
    {
        let _ = f;
        true
    }
}

/// Why another local user could replace `exe` (a binary that config files
/// will run): it, or a folder above it, is owned by someone other than
/// the euid or root, or writable by group or others (a folder with the
/// sticky bit, like /tmp, only lets owners rename, and what lies in it is
/// judged by its own owner).
pub fn replaceable_by_others(exe: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = euid();
        let mut at = Some(exe);
        while let Some(p) = at {
            if let Ok(m) = std::fs::metadata(p) {
                if m.uid() != me && m.uid() != 0 {
                    return Some(format!(
                        "{} is owned by another user (uid {})",
                        p.display(),
                        m.uid()
                    ));
                }
                let open = m.mode() & 0o022 != 0;
                let sticky = m.is_dir() && m.mode() & 0o1000 != 0;
                if open && !sticky {
                    return Some(format!(
                        "{} is writable by {} (mode {:o})",
                        p.display(),
                        if m.mode() & 0o002 != 0 {
                            "every user"
                        } else {
                            "its group"
                        },
                        m.mode() & 0o7777
                    ));
                }
            }
            at = p.parent().filter(|q| !q.as_os_str().is_empty());
        }
    }
    #[cfg(not(unix))]
    let _ = exe;
    None
}

/// Why a folder above a private one lets another user swap what lies
/// below it: owned by someone other than the euid or root, or writable by
/// every user without the sticky bit (as /tmp has). Links on the way are
/// followed (macOS's /var). `None` when none does.
fn untrusted_ancestor(dir: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let me = euid();
        for a in dir
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
        {
            let Ok(m) = std::fs::metadata(a) else {
                continue;
            };
            if m.uid() != me && m.uid() != 0 {
                return Some(format!(
                    "{} (above {}) is owned by another user (uid {})",
                    a.display(),
                    dir.display(),
                    m.uid()
                ));
            }
            if m.mode() & 0o002 != 0 && m.mode() & 0o1000 == 0 {
                return Some(format!(
                    "{} (above {}) is writable by every user (mode {:o})",
                    a.display(),
                    dir.display(),
                    m.mode() & 0o7777
                ));
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    None
}

/// Why a folder ssopick keeps private data in must not be trusted: owned by
/// someone else, or writable by others (as ssh judges `~/.ssh`), or below a
/// folder another user controls (`untrusted_ancestor`). `None` when it is
/// fine or does not exist yet (and nothing above it is wrong).
pub fn untrusted_dir(dir: &Path) -> Option<String> {
    if let Some(why) = untrusted_ancestor(dir) {
        return Some(why);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::symlink_metadata(dir).ok()?;
        let me = euid();
        if m.file_type().is_symlink() {
            return Some(format!("{} is a symlink", dir.display()));
        }
        if m.uid() != me {
            return Some(format!(
                "{} is owned by another user (uid {})",
                dir.display(),
                m.uid()
            ));
        }
        if m.mode() & 0o022 != 0 {
            return Some(format!(
                "{} is writable by others (mode {:o})",
                dir.display(),
                m.mode() & 0o777
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    None
}

#[cfg(test)]
#[cfg(unix)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn chmod(p: &Path, mode: u32) {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    fn root() -> bool {
        rustix::process::geteuid().is_root()
    }

    /// A private folder below a folder every user may write (no sticky
    /// bit) or another user owns is refused, and the run folder falls back.
    #[test]
    fn folders_above_a_private_one_are_judged_too() {
        let d = tempfile::tempdir().unwrap();
        let open = d.path().join("open");
        let private = open.join("ssopick");
        create_private_dir(&private).unwrap();
        assert_eq!(untrusted_dir(&private), None);
        chmod(&open, 0o777);
        assert!(untrusted_dir(&private).unwrap().contains("every user"));
        chmod(&open, 0o1777);
        assert_eq!(untrusted_dir(&private), None, "a sticky folder is fine");
        let fallback = d.path().join("fallback");
        chmod(&open, 0o777);
        let (dir, why) = private_run_dir(Some(&open), &fallback).unwrap();
        assert_eq!(dir, fallback);
        assert!(why.is_some());
        if root() {
            chmod(&open, 0o755);
            std::os::unix::fs::chown(&open, Some(65534), Some(65534)).unwrap();
            assert!(untrusted_dir(&private).unwrap().contains("another user"));
        }
    }

    #[test]
    fn a_binary_another_user_owns_or_can_replace_is_named() {
        let d = tempfile::tempdir().unwrap();
        let bin = d.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        chmod(&bin, 0o755);
        let exe = bin.join("ssopick");
        std::fs::write(&exe, "").unwrap();
        chmod(&exe, 0o755);
        assert_eq!(replaceable_by_others(&exe), None);
        chmod(&bin, 0o777);
        assert!(replaceable_by_others(&exe).unwrap().contains("every user"));
        chmod(&bin, 0o755);
        if root() {
            std::os::unix::fs::chown(&exe, Some(65534), None).unwrap();
            assert!(
                replaceable_by_others(&exe)
                    .unwrap()
                    .contains("another user")
            );
        }
    }
}
