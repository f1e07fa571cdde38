//! The fake sign-in token endpoint (`signin/fake_signin.py`) for the
//! `login_session` profile test, and where `aws login` caches its token.

use std::path::{Path, PathBuf};

pub(crate) struct FakeSignin {
    child: std::process::Child,
    pub url: String,
    log: PathBuf,
}

impl FakeSignin {
    /// Starts the fake; it writes the cached login for `session` under
    /// `home` first.
    pub(crate) fn start(home: &Path, session: &str) -> FakeSignin {
        let port_file = home.join("signin.port");
        let log = home.join("signin.log");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/signin/fake_signin.py");
        let child = std::process::Command::new("python3")
            .arg(script)
            .arg(home)
            .arg(session)
            .arg(&port_file)
            .arg(&log)
            .spawn()
            .unwrap();
        let port = crate::common::wait_file_until(&port_file, |s| !s.is_empty());
        FakeSignin {
            child,
            url: format!("http://127.0.0.1:{}", port.trim()),
            log,
        }
    }

    /// What the fake decided, one line per request.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for FakeSignin {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `~/.aws/login/cache/<sha256(login_session)>.json`.
pub(crate) fn cache_file(home: &Path, session: &str) -> PathBuf {
    use sha2::Digest;
    use std::fmt::Write;
    let hex =
        sha2::Sha256::digest(session.trim().as_bytes())
            .iter()
            .fold(String::new(), |mut s, b| {
                let _ = write!(s, "{b:02x}");
                s
            });
    home.join(".aws/login/cache").join(format!("{hex}.json"))
}
