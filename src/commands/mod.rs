//! One module per subcommand: each takes the run context, does its job
//! through the core and the edges, writes its result to stdout.
pub mod all;
pub mod creds;
pub mod deliver;
pub mod export;
pub mod list;
pub mod pick;
pub mod profile;
pub mod run;
pub mod session;
