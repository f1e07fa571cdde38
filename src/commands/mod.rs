//! One module per subcommand, as cargo has them: each has its `Args` (clap)
//! and one `run` that takes them and the run's `Setup`. No command calls
//! another's module; what they share is in `app` below them.
pub mod complete;
pub mod completions;
pub mod configure;
pub mod console;
pub mod copy;
pub mod credential_process;
pub mod doctor;
pub mod exec;
pub mod export;
pub mod init;
pub mod list;
pub mod login;
pub mod logout;
pub mod man;
pub mod pick;
pub mod pick_print;
pub mod profile;
pub mod serve;
pub mod shell;
