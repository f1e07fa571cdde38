//! One run: the set-up (`setup`), the session it works on (`target`, with
//! its `tokens` and `catalog_source`), choosing a role (`choose`, `pick`),
//! carrying out a delivery (`deliver`, `profiles`), logging in (`login`),
//! and the errors with their exit codes (`error`).
pub mod catalog_source;
pub mod child;
pub mod choose;
pub mod console;
pub mod deliver;
pub mod demo;
pub mod error;
pub mod feed;
pub mod login;
pub mod login_pkce;
pub mod login_shared;
pub mod output;
pub mod pick;
mod pick_effects;
pub mod profiles;
pub mod profiles_all;
pub mod refusals;
pub mod renewer;
pub mod rows;
pub mod serve;
pub mod session_setup;
pub mod setup;
pub mod straight;
pub mod target;
pub mod tokens;

/// When the process started, for the first-frame figure.
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
