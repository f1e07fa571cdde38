//! The register of running credential endpoints (`serve`, and the
//! endpoints of `shell` and `exec`): one 0600 file per process,
//! `<run dir>/endpoints/PID.json`, removed when the endpoint stops. It
//! never holds the endpoint's token. `status` reads it; an entry whose
//! process has died (a `kill -9`) is ignored and removed.

use ssopick_core::status::EndpointEntry;
use std::path::{Path, PathBuf};

/// At most this many entries are read (and a file at most 4 KiB).
const MAX_ENTRIES: usize = 512;
const MAX_FILE: u64 = 4096;

fn folder(run_dir: &Path) -> PathBuf {
    run_dir.join("endpoints")
}

/// What the file holds: the entry, and when its process started (Linux:
/// `/proc/PID/stat`'s start time), so a pid the system gave to another
/// process since is not taken for the endpoint.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    #[serde(flatten)]
    entry: EndpointEntry,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    process_started: Option<u64>,
}

/// A process's state and start time (in clock ticks since boot), from
/// `/proc/PID/stat` (Linux; `None` elsewhere).
fn stat_of(pid: u32) -> Option<(char, u64)> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name (in parentheses, which may hold anything).
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let state = fields.first()?.chars().next()?;
    Some((state, fields.get(19)?.parse().ok()?))
}

/// This process's entry, removed when dropped.
pub struct Registered {
    path: PathBuf,
    entry: EndpointEntry,
}

impl Registered {
    /// Writes `entry` (its `pid` made this process's).
    pub fn new(run_dir: &Path, mut entry: EndpointEntry) -> std::io::Result<Registered> {
        entry.pid = std::process::id();
        let path = folder(run_dir).join(format!("{}.json", entry.pid));
        let r = Registered { path, entry };
        r.write()?;
        Ok(r)
    }

    fn write(&self) -> std::io::Result<()> {
        let stored = Stored {
            entry: self.entry.clone(),
            process_started: stat_of(self.entry.pid).map(|(_, t)| t),
        };
        let json = serde_json::to_vec(&stored).map_err(std::io::Error::other)?;
        crate::fs::write_atomic(&self.path, &json, 0o600)
    }

    /// Says whether the endpoint serves now (rewritten only on a change).
    pub fn set_serving(&mut self, serving: bool) {
        if self.entry.serving != serving {
            self.entry.serving = serving;
            let _ = self.write();
        }
    }
}

impl Drop for Registered {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// The live entries, oldest first; the files of dead processes removed.
pub fn list(run_dir: &Path) -> Vec<EndpointEntry> {
    let Ok(dir) = std::fs::read_dir(folder(run_dir)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in dir.flatten().take(MAX_ENTRIES) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_suffix(".json")
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        let stored = crate::fs::read_capped(&e.path(), MAX_FILE)
            .ok()
            .flatten()
            .and_then(|b| serde_json::from_slice::<Stored>(&b).ok());
        // Gone, a zombie, or its pid now another process's: not running.
        let stat = stat_of(pid);
        let reused = matches!(
            (&stored, stat),
            (Some(Stored { process_started: Some(was), .. }), Some((_, now))) if *was != now
        );
        if !alive(pid) || stat.is_some_and(|(state, _)| state == 'Z') || reused {
            let _ = std::fs::remove_file(e.path());
            continue;
        }
        let entry = stored
            .map(|s| s.entry)
            .and_then(EndpointEntry::checked)
            .filter(|en| en.pid == pid);
        out.extend(entry);
    }
    out.sort_by(|a, b| a.started_at.cmp(&b.started_at).then(a.pid.cmp(&b.pid)));
    out
}

/// Whether process `pid` exists (one of another user counts too).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(p) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        !matches!(
            rustix::process::test_kill_process(p),
            Err(rustix::io::Errno::SRCH)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> EndpointEntry {
        EndpointEntry {
            pid: 0,
            kind: "serve".into(),
            session: "corp".into(),
            account_id: "111111111111".into(),
            role: "Admin".into(),
            port: 4000,
            started_at: "2026-12-07T10:00:00Z".into(),
            serving: true,
        }
    }

    #[test]
    fn entries_live_while_registered_and_dead_ones_are_removed() {
        let d = tempfile::tempdir().unwrap();
        let mut r = Registered::new(d.path(), entry()).unwrap();
        let listed = list(d.path());
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].pid, std::process::id());
        r.set_serving(false);
        assert!(!list(d.path())[0].serving);
        // A dead process's file (pid far above any pid_max).
        let dead = folder(d.path()).join("2147483600.json");
        let mut e = entry();
        e.pid = 2_147_483_600;
        std::fs::write(&dead, serde_json::to_vec(&e).unwrap()).unwrap();
        assert_eq!(list(d.path()).len(), 1);
        assert!(!dead.exists());
        // This process's pid, but another start time: a reused pid.
        #[cfg(target_os = "linux")]
        {
            let me = std::process::id();
            let mut e = entry();
            e.pid = me;
            let stored = Stored {
                entry: e,
                process_started: Some(1),
            };
            let other = tempfile::tempdir().unwrap();
            let f = folder(other.path()).join(format!("{me}.json"));
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(&f, serde_json::to_vec(&stored).unwrap()).unwrap();
            assert!(list(other.path()).is_empty(), "a reused pid was listed");
            assert!(!f.exists());
        }
        drop(r);
        assert!(list(d.path()).is_empty());
        assert!(
            std::fs::read_dir(folder(d.path()))
                .unwrap()
                .next()
                .is_none()
        );
    }
}
