//! Loopback fakes of the AWS endpoints ssopick talks to, over real HTTP.
pub mod oidc;
pub mod org;
pub mod portal;
pub mod signin;

pub use oidc::{FakeOidc, OidcOptions};
pub use org::{FakeAccount, FakeOrg};
pub use portal::{FakeOptions, FakePortal, FakeStats, Fault, IssuedCredentials};
pub use signin::FakeSignin;
