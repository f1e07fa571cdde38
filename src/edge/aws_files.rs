//! The user's own AWS files (`~/.aws/config`, `~/.aws/credentials`): read
//! as text, and written back whole through their symlink, atomically, with
//! the previous content kept as `NAME.bak`.

use crate::edge::fs::write_atomic;
use std::path::{Path, PathBuf};

/// The file's text; a missing file is empty. Not UTF-8 is an error, so
/// ssopick never rewrites a file it cannot read exactly.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    match std::fs::read(path) {
        Ok(b) => String::from_utf8(b).map_err(|_| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "not UTF-8 text; ssopick will not rewrite it",
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(e),
    }
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
