//! The integration tests, one binary (so `common` is built once): the real
//! binary and the real SDK clients against the project's loopback fakes.

mod clipboard;
#[allow(dead_code)]
mod common;
mod credentials;
mod fetch;
mod list_cli;
mod login;
mod picker_tty;
mod profile_cli;
mod properties;
mod security;
mod sessions_all;
mod settings_cli;
