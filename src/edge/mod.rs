//! The edges: each module is the only place that touches its resource.
pub mod clipboard;
pub mod credcache;
pub mod oidc;
pub mod paths;
pub mod portal;
pub mod prompt;
pub mod store;
