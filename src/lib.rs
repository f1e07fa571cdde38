//! ssopick: pick an AWS IAM Identity Center account and role, get credentials.
//!
//! Pure core: `time`, `secret`, `sso` (config, token cache, sessions),
//! `catalog`. Edges: `portal` (the AWS SDK), `fetch` (concurrent listing),
//! `store` (files ssopick writes), `fake` (a loopback portal for tests and
//! `--demo`), `cli` (commands, stdout, exit codes).

pub mod catalog;
pub mod cli;
pub mod clipboard;
pub mod commands;
pub mod context;
pub mod credcache;
pub mod credentials;
pub mod error;
pub mod export;
pub mod fake;
pub mod fetch;
pub mod filter;
pub mod history;
pub mod inifile;
pub mod login;
pub mod oidc;
pub mod paths;
pub mod picker;
pub mod portal;
pub mod profile;
pub mod prompt;
pub mod secret;
pub mod select;
pub mod settings;
pub mod sso;
pub mod store;
pub mod time;
