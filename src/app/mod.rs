//! One run, by feature: the set-up (`setup`), the session it works on
//! (`session`: the target, its token source, the portal's errors and the
//! `[sso-session]` block), its catalog (`listing`), choosing a role
//! (`pick`), carrying it out (`deliver`), logging in (`login`), and the
//! errors with their exit codes (`error`).
pub(crate) mod deliver;
pub(crate) mod demo;
pub mod error;
pub(crate) mod import;
pub(crate) mod listing;
pub(crate) mod login;
pub(crate) mod output;
pub(crate) mod pick;
pub(crate) mod session;
pub(crate) mod setup;
pub(crate) mod status;

/// When the process started, for the first-frame figure.
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
