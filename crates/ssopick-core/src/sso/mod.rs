//! Everything about the user's SSO set-up: config, token cache, sessions.
pub mod config;
pub mod endpoints;
pub mod flow;
pub mod pkce;
pub mod session;
pub mod setup;
pub mod start_url;
pub mod token;
