//! Test helpers: a throwaway HOME with AWS config and token cache, and the
//! built ssopick binary pointed at a fake portal by AWS_ENDPOINT_URL_SSO.
#![allow(dead_code)]

use ssopick::sso::token::cache_key;
use ssopick::time::UtcTime;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Home {
    pub dir: tempfile::TempDir,
}

pub const URL: &str = "https://d-abc123.awsapps.com/start";

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn config_path(&self) -> PathBuf {
        self.path().join(".aws/config")
    }
    pub fn sso_cache(&self) -> PathBuf {
        self.path().join(".aws/sso/cache")
    }
    pub fn cache(&self) -> PathBuf {
        self.path().join("xdg-cache/ssopick")
    }
    pub fn write_config(&self, text: &str) {
        std::fs::create_dir_all(self.path().join(".aws")).unwrap();
        std::fs::write(self.config_path(), text).unwrap();
    }
    /// A config with one `[sso-session NAME]` and one profile using it.
    pub fn with_session(&self, name: &str) {
        self.write_config(&format!(
            "[profile dev]\nsso_session = {name}\nsso_account_id = 111111111111\nsso_role_name = Dev\nregion = eu-west-1\n\n\
             [sso-session {name}]\nsso_start_url = {URL}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
        ));
    }
    /// Writes a token file named after `key_source` (a session name or URL).
    pub fn write_token(&self, key_source: &str, token: &str, expires_in_secs: i64) -> PathBuf {
        std::fs::create_dir_all(self.sso_cache()).unwrap();
        let exp = UtcTime::now().plus_secs(expires_in_secs).to_rfc3339();
        let p = self
            .sso_cache()
            .join(format!("{}.json", cache_key(key_source)));
        std::fs::write(
            &p,
            format!(r#"{{"startUrl":"{URL}","region":"us-east-1","accessToken":"{token}","expiresAt":"{exp}"}}"#),
        )
        .unwrap();
        p
    }
    pub fn cmd(&self, endpoint: Option<&str>) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_ssopick"));
        for (k, _) in std::env::vars() {
            if k.starts_with("AWS_") || k.starts_with("XDG_") || k.starts_with("SSOPICK_") {
                c.env_remove(k);
            }
        }
        c.env("HOME", self.path())
            .env("XDG_CACHE_HOME", self.path().join("xdg-cache"))
            .env("XDG_STATE_HOME", self.path().join("xdg-state"))
            .env("XDG_CONFIG_HOME", self.path().join("xdg-config"))
            .env("SSOPICK_HTTP_TIMEOUT", "3")
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::null());
        if let Some(e) = endpoint {
            c.env("AWS_ENDPOINT_URL_SSO", e);
        }
        c
    }
}

/// Runs a command while the in-process fake keeps serving on other workers
/// (tests use the multi-thread runtime).
pub async fn run(c: &mut Command) -> Output {
    tokio::task::block_in_place(|| c.output().unwrap())
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
