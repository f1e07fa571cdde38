//! ssopick: pick an AWS IAM Identity Center account and role, get credentials.
//!
//! Layers (arrows point inward only; ARCHITECTURE.md draws them):
//! - `core`: pure data and rules (catalog, matching, formats, config parsing,
//!   listing events, deliveries). No I/O, no clock, no edge.
//! - `picker`: the interactive picker, a leaf over the core. Generic over the
//!   terminal backend; it performs no effect itself.
//! - `edge`: one module per outside resource (portal, OIDC, token cache,
//!   snapshot, the user's AWS files, terminal, clipboard, processes, ...).
//! - `fake`: a loopback portal, OIDC and sign-in (tests, benchmarks, `--demo`).
//! - `app`: one run's set-up (session, token source, catalog source), the
//!   selection rule and carrying out a delivery; `commands`: one file per
//!   subcommand; `cli`: arguments, dispatch and exit codes.

pub mod app;
pub mod cli;
pub(crate) mod commands;
pub(crate) mod values;
pub use ssopick_core as core;
pub use ssopick_edge as edge;
#[cfg(feature = "demo")]
pub use ssopick_fake as fake;
pub use ssopick_picker as picker;

/// What `ssopick --version` says: the version, the commit and the build
/// date (`build.rs`; "unknown commit" when neither git nor cargo knew it).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("SSOPICK_COMMIT"),
    ", built ",
    env!("SSOPICK_BUILD_DATE"),
    ")"
);
