//! One run: the set-up (`setup`), the session it works on (`target`, with
//! its `tokens` and `catalog_source`), choosing a role (`choose`, `pick`),
//! carrying out a delivery (`deliver`, `profiles`), logging in (`login`),
//! and the errors with their exit codes (`error`).
pub(crate) mod catalog_source;
pub(crate) mod child;
pub(crate) mod choose;
pub(crate) mod console;
pub(crate) mod deliver;
pub(crate) mod demo;
pub mod error;
pub(crate) mod feed;
pub(crate) mod login;
pub(crate) mod output;
pub(crate) mod pick;
mod pick_effects;
pub(crate) mod portal_error;
pub(crate) mod profiles;
pub(crate) mod profiles_all;
pub(crate) mod refusals;
pub(crate) mod renewer;
pub(crate) mod rows;
pub(crate) mod serve;
pub(crate) mod session_setup;
pub(crate) mod setup;
pub(crate) mod straight;
pub(crate) mod target;
pub(crate) mod tokens;

/// When the process started, for the first-frame figure.
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
