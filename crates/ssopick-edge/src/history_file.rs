//! The pick history file, `$XDG_STATE_HOME/ssopick/history.json` (0600,
//! written atomically). The history itself is `core::history`.

use crate::fs::{read_capped, write_atomic};
use ssopick_core::history::History;
use std::path::{Path, PathBuf};

pub fn path(state_dir: &Path) -> PathBuf {
    state_dir.join("history.json")
}

/// The stored history; a missing or unreadable file is an empty one.
pub fn load(path: &Path) -> History {
    read_capped(path, 4 << 20)
        .ok()
        .flatten()
        .map(|b| History::from_json(&b))
        .unwrap_or_default()
}

pub fn save(history: &History, path: &Path) -> std::io::Result<()> {
    write_atomic(path, &history.to_json(), 0o600)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ssopick_core::time::UtcTime;

    #[test]
    fn round_trip_and_missing() {
        let mut h = History::default();
        h.record("s", "111111111111", "a", UtcTime(5));
        let d = tempfile::tempdir().unwrap();
        let p = path(d.path());
        save(&h, &p).unwrap();
        assert_eq!(load(&p), h);
        assert_eq!(load(&d.path().join("missing")), History::default());
    }
}
