//! What a caller with no terminal (an IDE's `credential_process`) needs to
//! get a login done: a per-session login lock, a detached `ssopick login`
//! that holds it and outlives the caller, and a desktop notification. The
//! notification and the command line carry no secret.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Stdio};

/// The login lock, claimed: this caller starts the login.
pub struct Claimed(File);

/// Claims the login lock at `path`; `None` when a login holds it already.
pub fn claim(path: &Path) -> std::io::Result<Option<Claimed>> {
    if let Some(dir) = path.parent() {
        crate::fs::create_private_dir(dir)?;
    }
    let f = crate::fs::open_lock_file(path)?;
    match f.try_lock() {
        Ok(()) => Ok(Some(Claimed(f))),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Whether a login holds the lock at `path` now.
pub fn held(path: &Path) -> bool {
    let Ok(f) = crate::fs::open_lock_file(path) else {
        return false;
    };
    matches!(f.try_lock(), Err(std::fs::TryLockError::WouldBlock))
}

/// Starts `program args` detached (its own process group, no stdin, its
/// output in the 0600 file `log`), holding the claimed lock for as long as
/// it lives: the lock's descriptor is handed down to it.
pub fn spawn(program: &str, args: &[String], log: &Path, lock: Claimed) -> std::io::Result<u32> {
    let out = crate::fs::create_private(log, b"", true)
        .and_then(|_| std::fs::OpenOptions::new().append(true).open(log))?;
    let mut c = Command::new(program);
    c.args(args)
        .stdin(Stdio::null())
        .stdout(out.try_clone()?)
        .stderr(out);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        c.process_group(0);
        // The child keeps the lock's open file: flock holds while it lives.
        rustix::io::fcntl_setfd(&lock.0, rustix::io::FdFlags::empty())?;
    }
    let child = c.spawn()?;
    drop(lock);
    Ok(child.id())
}

/// A desktop notification (`notify-send`, `osascript`, a PowerShell
/// toast); best effort, never waited on for long.
pub fn notify(title: &str, body: &str) {
    let (program, args): (&str, Vec<String>) = if cfg!(target_os = "macos") {
        let q = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
        (
            "osascript",
            vec![
                "-e".into(),
                format!(
                    "display notification \"{}\" with title \"{}\"",
                    q(body),
                    q(title)
                ),
            ],
        )
    } else if cfg!(windows) {
        let q = |s: &str| s.replace('\'', "''");
        (
            "powershell",
            vec![
                "-NoProfile".into(),
                "-Command".into(),
                format!(
                    "[Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime] > $null; \
                     $x = [Windows.UI.Notifications.ToastNotificationManager]::GetTemplateContent(1); \
                     $t = $x.GetElementsByTagName('text'); $t.Item(0).AppendChild($x.CreateTextNode('{}')) > $null; \
                     $t.Item(1).AppendChild($x.CreateTextNode('{}')) > $null; \
                     [Windows.UI.Notifications.ToastNotificationManager]::CreateToastNotifier('ssopick').Show([Windows.UI.Notifications.ToastNotification]::new($x))",
                    q(title),
                    q(body)
                ),
            ],
        )
    } else {
        (
            "notify-send",
            vec!["--app-name=ssopick".into(), title.into(), body.into()],
        )
    };
    if let Ok(mut child) = Command::new(program)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        // Reaped in the background: a stuck notifier never holds us.
        std::thread::spawn(move || child.wait());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One claim at a time; a spawned process keeps the lock until it ends.
    #[cfg(unix)]
    #[test]
    fn the_login_lock_lives_with_the_detached_process() {
        let d = tempfile::tempdir().unwrap();
        let lock = d.path().join("locks/x.login");
        let first = claim(&lock).unwrap().expect("free at first");
        assert!(claim(&lock).unwrap().is_none(), "claimed twice");
        let pid = spawn("sleep", &["1".into()], &d.path().join("log"), first).unwrap();
        assert!(pid > 0);
        assert!(held(&lock), "the child holds the lock");
        let end = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while held(&lock) {
            assert!(
                std::time::Instant::now() < end,
                "the lock outlived the child"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(claim(&lock).unwrap().is_some());
    }
}
