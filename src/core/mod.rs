//! The pure core: data, parsing, matching, formatting and rules. Nothing here
//! reads a file, the network, the terminal, the environment or the clock.
pub mod catalog;
pub mod credentials;
pub mod export;
pub mod filter;
pub mod history;
pub mod inifile;
pub mod listing;
pub mod profile;
pub mod secret;
pub mod select;
pub mod settings;
pub mod sso;
pub mod time;
