//! The AWS files' other profiles (`core::profile_rows`) of a large
//! `~/.aws/config`, kept beside the snapshots
//! (`$XDG_CACHE_HOME/ssopick/config-profiles.json`, 0600, atomic) with both
//! files' identities (`config_sessions::Stamp`). While neither file changes,
//! the picker takes its rows from here instead of reading thousands of
//! profiles again (what `profile --all --write` leaves). No secret is kept:
//! names, kinds, role ARNs, regions.

use crate::config_sessions::Stamp;
use crate::fs::{read_capped, write_atomic};
use serde::{Deserialize, Serialize};
use ssopick_core::profile_rows::{Found, ProfileRow};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAX_CACHE: u64 = 16 << 20;
const VERSION: u32 = 1;

/// Both files' identities (a missing file has none).
pub type Stamps = (Option<Stamp>, Option<Stamp>);

pub fn path(cache_dir: &Path) -> PathBuf {
    cache_dir.join("config-profiles.json")
}

/// The identities of the config and the credentials file now.
pub fn stamps(config: &Path, credentials: &Path) -> Stamps {
    (Stamp::of(config, ""), Stamp::of(credentials, ""))
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    stamps: Stamps,
    rows: Vec<ProfileRow>,
    aliases: HashMap<String, String>,
}

/// The rows kept for exactly these versions of the files, if any (a row
/// `scan` could not have made voids the cache).
pub fn load(cache_dir: &Path, stamps: &Stamps) -> Option<Found> {
    let bytes = read_capped(&path(cache_dir), MAX_CACHE).ok()??;
    let s: Stored = serde_json::from_slice(&bytes).ok()?;
    let fits = s.version == VERSION
        && s.stamps == *stamps
        && s.rows.iter().all(ProfileRow::is_sane)
        && s.aliases
            .iter()
            .all(|(id, a)| ssopick_core::names::valid_account_id(id) && a.len() <= 64);
    fits.then(|| Found {
        rows: s.rows.into_iter().map(Arc::new).collect(),
        aliases: s.aliases,
    })
}

/// Keeps `found` for these versions of the files (best effort).
pub fn save(cache_dir: &Path, stamps: &Stamps, found: &Found) {
    #[derive(Serialize)]
    struct Out<'a> {
        version: u32,
        stamps: &'a Stamps,
        rows: Vec<&'a ProfileRow>,
        aliases: &'a HashMap<String, String>,
    }
    let out = Out {
        version: VERSION,
        stamps,
        rows: found.rows.iter().map(|r| &**r).collect(),
        aliases: &found.aliases,
    };
    if let Ok(json) = serde_json::to_vec(&out) {
        let _ = write_atomic(&path(cache_dir), &json, 0o600);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_rows_come_back_only_for_the_same_files() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config");
        std::fs::write(&config, "[profile p]\ncredential_process = x\n").unwrap();
        let credentials = dir.path().join("credentials");
        let found = ssopick_core::profile_rows::scan("[profile p]\ncredential_process = x\n", "");
        let now = stamps(&config, &credentials);
        save(dir.path(), &now, &found);
        assert_eq!(load(dir.path(), &now).unwrap(), found);
        // The credentials file appears: the kept rows are void.
        std::fs::write(&credentials, "[q]\n").unwrap();
        assert!(load(dir.path(), &stamps(&config, &credentials)).is_none());
        // A planted row no scan makes voids it too.
        let text = std::fs::read_to_string(path(dir.path())).unwrap();
        std::fs::write(path(dir.path()), text.replace("\"p\"", "\"p q\"")).unwrap();
        assert!(load(dir.path(), &now).is_none());
    }
}
