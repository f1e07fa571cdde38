//! Loopback fakes of the AWS endpoints ssopick talks to, over real HTTP.
pub mod http;
pub mod org;
pub mod portal;

pub use org::{FakeAccount, FakeOrg};
pub use portal::{FakeOptions, FakePortal, FakeStats, Fault, IssuedCredentials};
