//! The integration tests, one binary (so `common` is built once): the real
//! binary and the real SDK clients against the project's loopback fakes.

// Test code: helpers may unwrap, and a few send signals (libc::kill).
#![allow(
    clippy::unwrap_used,
    unsafe_code,
    clippy::unused_async,
    clippy::nonminimal_bool,
    clippy::match_wildcard_for_single_variants
)]

mod agents;
mod chain;
mod cli_help;
mod clipboard;
#[allow(dead_code)]
mod common;
mod completion;
mod console;
mod containers;
mod corporate;
mod credentials;
mod demo;
mod doctor;
mod endpoint;
mod fetch;
mod front_door;
mod fzf_parity;
mod go_sdk;
mod hostile;
mod huge_config;
mod import;
mod init_shells;
mod kube;
mod large_snapshot;
mod layers;
mod list_cli;
mod login;
mod login_choice;
mod login_pkce;
mod manual;
mod metadata;
mod multi;
mod netlab;
mod never_lost;
mod no_core;
mod pacing;
mod pick_cli;
mod picker_tty;
mod profile_cli;
mod profiles;
mod profiles_rough;
mod profiles_signin;
mod properties;
mod screens;
mod security;
mod sessions_all;
mod settings_cli;
mod ship;
mod starve;
mod straight_in;
mod trust;
mod user_files;
