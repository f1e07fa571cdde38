//! The pure core: data, parsing, matching, formatting and rules. Nothing here
//! reads a file, the network, the terminal, the environment or the clock.
pub mod catalog;
pub mod chain;
pub mod chain_rows;
pub mod completion;
pub mod console;
pub mod credentials;
pub mod delivery;
pub mod doctor;
pub mod env_vars;
pub mod export;
pub mod filter;
pub mod history;
pub mod inifile;
pub mod listing;
pub mod manual;
pub mod names;
pub mod pace;
pub mod pick_format;
pub mod profile;
pub mod secret;
pub mod select;
pub mod settings;
pub mod shell_init;
pub mod sso;
pub mod table;
pub mod time;
