//! No core dumps of a process that holds secrets: the SSO access and
//! refresh tokens, the client secret and role keys would all be in one.
//! The *soft* RLIMIT_CORE goes to 0 (the hard limit stays, so the user's
//! own limit can be given back to children), and on Linux the process is
//! made non-dumpable (`PR_SET_DUMPABLE` 0: no core, and no ptrace or
//! `/proc/PID/mem` by other processes of the same user). Children of
//! `shell`/`exec` get the original soft limit back (Linux: `prlimit` on the
//! child right after spawn; elsewhere they inherit 0, as documented).
//! Windows keeps its own crash-dump settings: an accepted risk (SECURITY.md).

use std::sync::OnceLock;

/// The soft limit this process started with (`None`: unlimited), once
/// `forbid` has run.
static ORIGINAL_SOFT: OnceLock<Option<u64>> = OnceLock::new();

/// Turns core dumps off for this process (idempotent, best effort: a
/// failure leaves the process as it was and is reported to the caller).
pub fn forbid() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let now = getrlimit(Resource::Core);
        let _ = ORIGINAL_SOFT.set(now.current);
        setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: now.maximum,
            },
        )?;
        #[cfg(target_os = "linux")]
        rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)?;
    }
    Ok(())
}

/// Gives child `pid` the soft core limit this process started with (Linux;
/// nothing when `forbid` never ran).
pub fn restore_for_child(pid: u32) {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{Pid, Resource, Rlimit, getrlimit, prlimit};
        let Some(original) = ORIGINAL_SOFT.get() else {
            return;
        };
        let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
            return;
        };
        let _ = prlimit(
            Some(pid),
            Resource::Core,
            Rlimit {
                current: *original,
                maximum: getrlimit(Resource::Core).maximum,
            },
        );
    }
    #[cfg(not(target_os = "linux"))]
    let _ = pid;
}
