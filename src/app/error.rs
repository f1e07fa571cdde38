//! Errors the user sees, each with the next step and a distinct exit code.
//! No variant ever carries a secret.

use thiserror::Error;

pub mod exit {
    pub const OK: i32 = 0;
    pub const OTHER: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const NOT_LOGGED_IN: i32 = 3;
    pub const API: i32 = 4;
    pub const NO_ACCESS: i32 = 5;
    pub const NO_MATCH: i32 = 6;
    pub const COMMAND_NOT_FOUND: i32 = 127;
    pub const CANCELLED: i32 = 130;
}

/// Shown in `--help` and README.
pub const EXIT_CODES_HELP: &str = "\
Examples:
  ssopick --demo                       try it on the built-in demo organisation
  ssopick login                        log in (device code); shared with the AWS CLI
  ssopick                              pick a role, get a subshell with its credentials
  eval \"$(ssopick export prod admin)\"  credentials in this shell
  ssopick profile --all --write        a profile per account/role in ~/.aws/config

Exit codes:
  0    success
  1    other failure (file system, terminal, ...)
  2    usage error (bad option, unknown or ambiguous --session)
  3    not logged in, or the SSO session expired
  4    portal API failure (network, server errors)
  5    no access to the chosen role
  6    no account/role matches the query
  130  cancelled by the user
  127  exec: the command was not found
  exec/shell: the command's own exit code (128+N when killed by signal N)";

#[derive(Debug, Error)]
pub enum Error {
    #[error(
        "no AWS SSO session is configured.\nRun `aws configure sso` (or `ssopick --demo` to try ssopick without AWS)."
    )]
    NoSessions,
    #[error("no SSO session matches --session {wanted:?}. Known sessions:\n{choices}")]
    NoSuchSession { wanted: String, choices: String },
    #[error(
        "several SSO sessions are logged in; choose one with --session (or AWS_PROFILE):\n{choices}"
    )]
    AmbiguousSession { choices: String },
    #[error("no SSO session has a valid token. Log in to one of them:\n{choices}")]
    NoValidSession { choices: String },
    #[error("not logged in to SSO session {session} ({start_url}).\nRun: {login}")]
    NotLoggedIn {
        session: String,
        start_url: String,
        login: String,
    },
    #[error("the SSO session {session} expired {when}.\nRun: {login}")]
    SessionExpired {
        session: String,
        when: String,
        login: String,
    },
    #[error("no access to role {role} in account {account}: {detail}")]
    NoAccess {
        account: String,
        role: String,
        detail: String,
    },
    #[error("{0}")]
    NoMatch(String),
    #[error("{0}")]
    Usage(String),
    #[error("AWS SSO portal: {0}")]
    Api(String),
    #[error(
        "no cached catalog for session {0} and --offline forbids listing.\nRun once without --offline (or with --refresh)."
    )]
    NoSnapshot(String),
    #[error("{0}: command not found")]
    CommandNotFound(String),
    #[error("cancelled")]
    Cancelled,
    #[error("a login was asked for")]
    LoginRequested,
    #[error("stopped by signal {0}")]
    Signal(i32),
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::NoSessions
            | Error::NotLoggedIn { .. }
            | Error::SessionExpired { .. }
            | Error::NoValidSession { .. } => exit::NOT_LOGGED_IN,
            Error::NoSuchSession { .. } | Error::AmbiguousSession { .. } | Error::Usage(_) => {
                exit::USAGE
            }
            Error::NoAccess { .. } => exit::NO_ACCESS,
            Error::NoMatch(_) => exit::NO_MATCH,
            Error::Api(_) | Error::NoSnapshot(_) => exit::API,
            Error::Cancelled => exit::CANCELLED,
            Error::LoginRequested => exit::NOT_LOGGED_IN,
            Error::Signal(n) => 128 + n,
            Error::CommandNotFound(_) => exit::COMMAND_NOT_FOUND,
            Error::Other(_) => exit::OTHER,
        }
    }

    pub fn other(context: &str, e: impl std::fmt::Display) -> Self {
        Error::Other(format!("{context}: {e}"))
    }
}
