//! Loopback fakes of the AWS endpoints ssopick talks to, over real HTTP.
//! Feature `demo`: the portal and the sign-in the demo runs on, and its
//! organisation. Feature `testing` (tests and benchmarks only, never the
//! shipped binary): the fake OIDC, generated organisations, fault
//! injection and the hostile modes.
#[cfg(feature = "testing")]
pub mod oidc;
pub mod org;
pub mod portal;
pub mod signin;

#[cfg(feature = "testing")]
pub use oidc::{FakeOidc, OidcOptions};
pub use org::{FakeAccount, FakeOrg};
#[cfg(feature = "testing")]
pub use portal::Fault;
pub use portal::{FakeOptions, FakePortal, FakeStats, IssuedCredentials};
pub use signin::FakeSignin;
