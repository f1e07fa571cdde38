//! `--demo`: the built-in fake organisation's portal and sign-in, on
//! loopback (`ssopick-fake`, feature `demo`). A build without the feature
//! has no demo and says so.

use crate::app::error::Error;

#[cfg(feature = "demo")]
pub(crate) struct Demo {
    portal: crate::fake::FakePortal,
    signin: crate::fake::FakeSignin,
}

/// No demo in this build: never made.
#[cfg(not(feature = "demo"))]
pub enum Demo {}

#[cfg(feature = "demo")]
impl Demo {
    /// The demo's portal (a little latency and a throttle, as a real one
    /// has) and sign-in page.
    pub(crate) async fn start() -> Result<Demo, Error> {
        use crate::fake::{FakeOptions, FakeOrg, FakePortal, FakeSignin};
        let signin = FakeSignin::start().await.map_err(Error::Demo)?;
        let opts = FakeOptions {
            latency: std::time::Duration::from_millis(25),
            throttle: Some((60.0, 10.0)),
            token: format!("demo-token-{}", std::process::id()),
            ..FakeOptions::default()
        };
        let portal = FakePortal::start(FakeOrg::demo(), opts)
            .await
            .map_err(Error::Demo)?;
        Ok(Demo { portal, signin })
    }

    pub(crate) fn portal_url(&self) -> &str {
        self.portal.url()
    }

    pub(crate) fn signin_url(&self) -> &str {
        self.signin.url()
    }

    pub(crate) fn token(&self) -> &str {
        self.portal.token()
    }
}

#[cfg(not(feature = "demo"))]
impl Demo {
    pub async fn start() -> Result<Demo, Error> {
        Err(Error::Usage(
            "this ssopick was built without the demo (the `demo` feature)".into(),
        ))
    }

    pub fn portal_url(&self) -> &str {
        match *self {}
    }

    pub fn signin_url(&self) -> &str {
        match *self {}
    }

    pub fn token(&self) -> &str {
        match *self {}
    }
}

/// The demo's own AWS profiles beside its portal: a static one and a
/// process one, both delivering offline (made-up keys no AWS accepts).
const DEMO_STATIC: &str = "[demo-static]\n# ssopick --demo: a static profile (made-up keys)\naws_access_key_id = AKIADEMOSTATIC000001\naws_secret_access_key = demoSecretKeyForTheStaticProfile00000001\n";

/// The process profile's command prints made-up long-term keys.
fn demo_process() -> String {
    let json = r#"{"Version":1,"AccessKeyId":"AKIADEMOPROCESS00001","SecretAccessKey":"demoSecretKeyForTheProcessProfile0000001"}"#;
    let command = if cfg!(windows) {
        format!("echo {json}")
    } else {
        format!("printf '%s\\n' '{json}'")
    };
    format!(
        "[profile demo-process]\n# ssopick --demo: a credential_process profile (made-up keys)\ncredential_process = {command}\nregion = eu-west-1\n"
    )
}

/// Adds the demo's profiles to its sandbox's AWS files where they are
/// missing (the user's own edits there stay).
pub(crate) fn write_profiles(config: &std::path::Path, credentials: &std::path::Path) {
    use crate::core::inifile::{self, FileKind};
    let add = |path: &std::path::Path, kind, key: &str, section: &str, private| {
        let _ = crate::edge::aws_files::update(path, private, |old| {
            if inifile::sections(old, kind).iter().any(|s| s.key == key) {
                return Ok::<_, inifile::MergeError>(old.to_string());
            }
            inifile::upsert(old, kind, key, section, false)
        });
    };
    add(
        credentials,
        FileKind::Credentials,
        "demo-static",
        DEMO_STATIC,
        true,
    );
    add(
        config,
        FileKind::Config,
        "profile demo-process",
        &demo_process(),
        false,
    );
}
