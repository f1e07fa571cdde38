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
