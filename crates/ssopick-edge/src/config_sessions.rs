//! The sessions a large `~/.aws/config` names, kept beside the snapshots
//! (`$XDG_CACHE_HOME/ssopick/config-sessions.json`, 0600, atomic) with the
//! file's identity: size, inode, device, and change and modification
//! times to the nanosecond. While the file is the same, a run takes its
//! sessions from here instead of parsing thousands of profiles (what
//! `profile --all --write` leaves); any write to it, in place or by
//! rename, changes the identity and the config is parsed again.

use crate::fs::{read_capped, write_atomic};
use serde::{Deserialize, Serialize};
use ssopick_core::sso::session::Session;
use std::path::{Path, PathBuf};

/// Smaller configs are parsed every time (well under a millisecond).
pub const WORTH_CACHING: u64 = 128 << 10;
const MAX_CACHE: u64 = 64 << 20;
/// 3: a session without `sso_region` keeps an empty region (refused when used).
/// 4: `sso_use_device_code` kept with the endpoint keys.
const VERSION: u32 = 4;

/// What identifies one version of the config file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    path: PathBuf,
    len: u64,
    dev: u64,
    ino: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    /// The region a session without one gets (`AWS_REGION`, ...).
    default_region: String,
}

impl Stamp {
    /// The config's identity now; `None` when it cannot be had (no file).
    pub fn of(path: &Path, default_region: &str) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
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
                .modified()
                .ok()?
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?;
            let t = (t.as_secs() as i64, i64::from(t.subsec_nanos()));
            (0, 0, t, t)
        };
        Some(Stamp {
            path: path.to_path_buf(),
            len: m.len(),
            dev,
            ino,
            mtime,
            ctime,
            default_region: default_region.to_string(),
        })
    }

    pub fn file_size(&self) -> u64 {
        self.len
    }
}

#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    stamp: Stamp,
    sessions: Vec<Session>,
}

pub fn path(cache_dir: &Path) -> PathBuf {
    cache_dir.join("config-sessions.json")
}

/// The sessions kept for exactly this version of the config, if any.
pub fn load(cache_dir: &Path, stamp: &Stamp) -> Option<Vec<Session>> {
    let bytes = read_capped(&path(cache_dir), MAX_CACHE).ok()??;
    let s: Stored = serde_json::from_slice(&bytes).ok()?;
    // Read back as the config's own sessions are checked: one that fails
    // voids the cache (the config is parsed instead).
    (s.version == VERSION && s.stamp == *stamp && s.sessions.iter().all(Session::is_sane))
        .then_some(s.sessions)
}

/// Keeps `sessions` for this version of the config (best effort: a run
/// that cannot write its cache parses the config the next time too).
pub fn save(cache_dir: &Path, stamp: &Stamp, sessions: &[Session]) {
    #[derive(Serialize)]
    struct Out<'a> {
        version: u32,
        stamp: &'a Stamp,
        sessions: &'a [Session],
    }
    let out = Out {
        version: VERSION,
        stamp,
        sessions,
    };
    if let Ok(json) = serde_json::to_vec(&out) {
        let _ = write_atomic(&path(cache_dir), &json, 0o600);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ssopick_core::sso::session::SessionKind;

    fn session() -> Session {
        Session {
            kind: SessionKind::Named("corp".into()),
            start_url: "https://x.awsapps.com/start".into(),
            region: "eu-west-1".into(),
            profiles: vec!["a".into(), "b".into()],
            registration_scopes: Some("sso:account:access".into()),
            more_profiles: 0,
            endpoint_keys: ssopick_core::sso::endpoints::EndpointKeys::default(),
        }
    }

    #[test]
    fn kept_sessions_serve_only_the_same_file_and_region() {
        let d = tempfile::tempdir().unwrap();
        let config = d.path().join("config");
        std::fs::write(&config, "[sso-session corp]\n").unwrap();
        let cache = d.path().join("cache");
        std::fs::create_dir_all(&cache).unwrap();
        let stamp = Stamp::of(&config, "us-east-1").unwrap();
        assert_eq!(load(&cache, &stamp), None);
        save(&cache, &stamp, &[session()]);
        assert_eq!(load(&cache, &stamp), Some(vec![session()]));
        // Another default region, or the file written again (same size,
        // new times), or replaced by rename (new inode): not these.
        assert_eq!(
            load(&cache, &Stamp::of(&config, "eu-west-1").unwrap()),
            None
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&config, "[sso-session corq]\n").unwrap();
        let rewritten = Stamp::of(&config, "us-east-1").unwrap();
        assert_eq!(rewritten.file_size(), stamp.file_size());
        assert_eq!(load(&cache, &rewritten), None);
        let other = d.path().join("other");
        std::fs::write(&other, "[sso-session corp]\n").unwrap();
        std::fs::rename(&other, &config).unwrap();
        assert_eq!(
            load(&cache, &Stamp::of(&config, "us-east-1").unwrap()),
            None
        );
        // A damaged cache is no cache.
        std::fs::write(path(&cache), b"{not json").unwrap();
        assert_eq!(load(&cache, &stamp), None);
        assert_eq!(
            std::fs::metadata(path(&cache)).unwrap().len(),
            9,
            "never rewritten on a read"
        );
        assert_eq!(Stamp::of(&d.path().join("missing"), "r"), None);
    }

    #[test]
    fn a_poisoned_cache_is_checked_as_the_config_is() {
        let d = tempfile::tempdir().unwrap();
        let config = d.path().join("config");
        std::fs::write(&config, "[sso-session corp]\n").unwrap();
        let cache = d.path().join("cache");
        std::fs::create_dir_all(&cache).unwrap();
        let stamp = Stamp::of(&config, "us-east-1").unwrap();
        for bad in [
            Session {
                start_url: "https://x.awsapps.com/start\u{1b}]0;pwned\u{7}".into(),
                ..session()
            },
            Session {
                kind: SessionKind::Named("co\u{200b}rp".into()),
                ..session()
            },
            Session {
                region: "us-east-1\n[default]".into(),
                ..session()
            },
        ] {
            save(&cache, &stamp, &[session(), bad]);
            assert_eq!(load(&cache, &stamp), None, "the config is parsed instead");
        }
    }
}
