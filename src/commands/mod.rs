//! One module per subcommand, as cargo has them: each has its `Args` (clap)
//! and one `run` that takes them and the run's `Setup`. No command calls
//! another's module; what they share is in `app` below them.
pub(crate) mod complete;
pub(crate) mod completions;
pub(crate) mod configure;
pub(crate) mod console;
pub(crate) mod copy;
pub(crate) mod credential_process;
pub(crate) mod default;
pub(crate) mod doctor;
pub(crate) mod eks_token;
pub(crate) mod exec;
pub(crate) mod export;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod kubeconfig;
pub(crate) mod list;
pub(crate) mod login;
pub(crate) mod logout;
pub(crate) mod man;
pub(crate) mod pick;
pub(crate) mod profile;
pub(crate) mod serve;
pub(crate) mod shell;
pub(crate) mod status;
