//! A process profile's `credential_process`, run as the SDKs run it (`sh
//! -c`, `cmd.exe /C`; no stdin) but bounded: what it prints is capped, and
//! a run that exceeds the cap or the deadline is killed, not left behind.
//! Its JSON is read as aws-config reads it (`Version` 1, the key pair, an
//! optional `SessionToken` and `Expiration`).

use super::{LONG_TERM_RECHECK_SECS, ProfileError};
use ssopick_core::catalog::clean_lines;
use ssopick_core::credentials::RoleCredentials;
use ssopick_core::secret::Secret;
use ssopick_core::time::UtcTime;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt};

/// Most a process may print on stdout (its JSON is a few hundred bytes).
const MAX_STDOUT: usize = 64 * 1024;
/// Most of its stderr kept for the message (the rest is read and dropped,
/// so a chatty process never blocks on a full pipe).
const MAX_STDERR: usize = 2 * 1024;

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Output {
    version: Option<i64>,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiration: Option<String>,
}

fn shell(command: &str) -> tokio::process::Command {
    #[cfg(windows)]
    let cmd = {
        use std::os::windows::process::CommandExt;
        let mut c = std::process::Command::new("cmd.exe");
        c.arg("/C");
        c.raw_arg(format!("\"{command}\""));
        c
    };
    #[cfg(not(windows))]
    let cmd = {
        let mut c = std::process::Command::new("sh");
        c.args(["-c", command]);
        c
    };
    tokio::process::Command::from(cmd)
}

/// Reads `r` to its end, keeping at most `cap` bytes; `None` when
/// `strict` and there was more.
async fn read_capped(mut r: impl AsyncRead + Unpin, cap: usize, strict: bool) -> Option<Vec<u8>> {
    let mut kept = Vec::new();
    let mut buf = vec![0u8; 8192];
    loop {
        let n = r.read(&mut buf).await.unwrap_or(0);
        if n == 0 {
            return Some(kept);
        }
        let room = cap.saturating_sub(kept.len());
        if n > room && strict {
            return None;
        }
        kept.extend_from_slice(&buf[..n.min(room)]);
    }
}

/// Runs `command` and reads its credentials, within `deadline`.
pub(super) async fn run(
    command: &str,
    deadline: Duration,
    now: UtcTime,
) -> Result<RoleCredentials, ProfileError> {
    let mut child = shell(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            ProfileError::Failed(format!("its credential_process could not start: {e}"))
        })?;
    let (Some(out), Some(err)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(ProfileError::Failed(
            "its credential_process has no output".into(),
        ));
    };
    let pid = child.id();
    let ran = async {
        let (out, err) = tokio::join!(
            read_capped(out, MAX_STDOUT, true),
            read_capped(err, MAX_STDERR, false)
        );
        let Some(out) = out else {
            return Err(ProfileError::Failed(format!(
                "its credential_process printed more than {} KiB; it was stopped",
                MAX_STDOUT / 1024
            )));
        };
        let status = child
            .wait()
            .await
            .map_err(|e| ProfileError::Failed(format!("its credential_process: {e}")))?;
        Ok((status, out, err.unwrap_or_default()))
    };
    // On either failure the child is killed with what it started (its
    // handle's drop alone would leave those running).
    let result = tokio::time::timeout(deadline, ran).await;
    if !matches!(result, Ok(Ok(_)))
        && let Some(pid) = pid
    {
        crate::process::kill_tree(pid);
    }
    let (status, out, err) = result.map_err(|_| {
        ProfileError::Transient(format!(
            "its credential_process gave no credentials within {} s; it was stopped",
            deadline.as_secs()
        ))
    })??;
    if !status.success() {
        let said = super::cut(clean_lines(String::from_utf8_lossy(&err).trim()));
        return Err(ProfileError::Failed(format!(
            "its credential_process exited with {status}{}{said}",
            if said.is_empty() { "" } else { ": " }
        )));
    }
    parse(&out, now)
}

/// The credentials in a process's JSON, as aws-config reads them.
fn parse(out: &[u8], now: UtcTime) -> Result<RoleCredentials, ProfileError> {
    let bad = |why: &str| {
        ProfileError::Malformed(format!(
            "its credential_process printed no credentials the SDKs accept: {why}"
        ))
    };
    // serde's message names the field or the position, never a value.
    let o: Output = serde_json::from_slice(out).map_err(|e| bad(&e.to_string()))?;
    if o.version != Some(1) {
        return Err(bad("`Version` must be 1"));
    }
    let expiration = match o.expiration.as_deref() {
        Some(t) => Some(UtcTime::parse(t).ok_or_else(|| bad("`Expiration` is no RFC 3339 time"))?),
        None => None,
    };
    Ok(RoleCredentials {
        access_key_id: Secret::new(o.access_key_id),
        secret_access_key: Secret::new(o.secret_access_key),
        session_token: Secret::new(o.session_token.unwrap_or_default()),
        expiration: expiration.unwrap_or(now.plus_secs(LONG_TERM_RECHECK_SECS)),
        expiry_stated: expiration.is_some(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_read_as_the_sdks_read_it() {
        let now = UtcTime(1_000);
        let ok = parse(
            br#"{"Version":1,"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"s","SessionToken":"t","Expiration":"1970-01-01T01:00:00Z","AccountId":"1"}"#,
            now,
        )
        .unwrap();
        assert_eq!(ok.expiration, UtcTime(3600));
        assert!(ok.expiry_stated);
        let keys = parse(
            br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"s"}"#,
            now,
        )
        .unwrap();
        assert!(keys.long_term() && !keys.expiry_stated);
        for bad in [
            &br#"{"AccessKeyId":"A","SecretAccessKey":"s"}"#[..],
            br#"{"Version":2,"AccessKeyId":"A","SecretAccessKey":"s"}"#,
            br#"{"Version":1,"AccessKeyId":"A"}"#,
            br#"{"Version":1,"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"soon"}"#,
            b"not json",
        ] {
            assert!(parse(bad, now).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_process_is_bounded_and_stopped() {
        let now = UtcTime(1_000);
        let long = Duration::from_secs(20);
        // Endless output: stopped at the cap.
        let e = run("yes", long, now).await.unwrap_err();
        assert!(e.to_string().contains("more than 64 KiB"), "{e}");
        // A hung process: stopped at the deadline, with what it started.
        let t0 = std::time::Instant::now();
        let e = run("sleep 31.25; true", Duration::from_millis(300), now)
            .await
            .unwrap_err();
        assert!(matches!(e, ProfileError::Transient(_)), "{e}");
        assert!(t0.elapsed() < Duration::from_secs(5));
        #[cfg(target_os = "linux")]
        {
            std::thread::sleep(Duration::from_millis(200));
            let left = std::fs::read_dir("/proc")
                .unwrap()
                .flatten()
                .filter_map(|e| std::fs::read(e.path().join("cmdline")).ok())
                .any(|c| String::from_utf8_lossy(&c).contains("31.25"));
            assert!(!left, "the sleep it started is still running");
        }
        // A failure says its exit and its stderr, cleaned and cut short.
        let e = run(
            "printf 'no\\033]0;x\\007pe' >&2; yes oops | head -c 100000 >&2; exit 3",
            long,
            now,
        )
        .await
        .unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("exit status: 3") && m.starts_with("its credential_process exited"),
            "{m}"
        );
        assert!(!m.contains('\u{1b}') && m.len() < 700, "{}", m.len());
        let ok = run(
            r#"printf '{"Version":1,"AccessKeyId":"AKIAEXAMPLE","SecretAccessKey":"s"}'"#,
            long,
            now,
        )
        .await
        .unwrap();
        assert_eq!(ok.access_key_id.expose(), "AKIAEXAMPLE");
    }
}
