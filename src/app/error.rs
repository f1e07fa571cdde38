//! Errors the user sees, each with the next step, and the one table of exit
//! codes (`--help`, README.md and `exit_code` all come from `EXIT_CODES`).
//! Each edge has its own error type; they convert here with `#[from]`. No
//! variant ever carries a secret.

use crate::core::sso::session::SessionError;
use crate::edge::clipboard::ClipboardError;
use crate::edge::oidc::OidcError;
use crate::edge::process::ProcessError;
use crate::edge::signin::SigninError;
use crate::edge::terminal::TerminalError;
use crate::picker::run::PickerError;
use std::path::PathBuf;
use thiserror::Error;

pub mod exit {
    pub const OK: i32 = 0;
    pub const OTHER: i32 = 1;
    pub const USAGE: i32 = 2;
    pub const NOT_LOGGED_IN: i32 = 3;
    pub const API: i32 = 4;
    pub const NO_ACCESS: i32 = 5;
    pub const NO_MATCH: i32 = 6;
    pub const PARTIAL: i32 = 7;
    pub const MALFORMED: i32 = 8;
    pub const NOT_EXECUTABLE: i32 = 126;
    pub const COMMAND_NOT_FOUND: i32 = 127;
    pub const CANCELLED: i32 = 130;
}

/// Every exit code and what it means, in the order `--help` shows them.
pub const EXIT_CODES: [(i32, &str); 12] = [
    (exit::OK, "success"),
    (exit::OTHER, "other failure (file system, terminal, ...)"),
    (
        exit::USAGE,
        "usage error (bad option, mistyped command, unknown or ambiguous --session)",
    ),
    (
        exit::NOT_LOGGED_IN,
        "not logged in, or the SSO session expired (or the portal revoked the token)",
    ),
    (
        exit::API,
        "portal or STS API failure (network, server errors)",
    ),
    (exit::NO_ACCESS, "no access to the chosen role"),
    (
        exit::NO_MATCH,
        "no single account/role matches the query (none, several, or the named account lacks the role)",
    ),
    (
        exit::PARTIAL,
        "the catalog is incomplete: the output lacks what a listing did not finish",
    ),
    (
        exit::MALFORMED,
        "the portal, STS or a profile's source returned malformed or expired credentials",
    ),
    (exit::CANCELLED, "cancelled by the user"),
    (exit::NOT_EXECUTABLE, "exec: the command is not executable"),
    (exit::COMMAND_NOT_FOUND, "exec: the command was not found"),
];

/// The examples and exit codes shown at the end of `ssopick --help`.
pub fn help_footer() -> String {
    let mut s = help_examples();
    s.push_str("\n\nExit codes:\n");
    for (code, what) in EXIT_CODES {
        s.push_str(&format!("  {code:<4} {what}\n"));
    }
    s.push_str("  exec/shell: the command's own exit code (128+N when killed by signal N)");
    s
}

/// The examples alone (the man page has its own EXIT STATUS section).
pub fn help_examples() -> String {
    "Examples:
  ssopick --demo                       try it on the built-in demo organisation
  ssopick login                        log in (in the browser); shared with the AWS CLI
  ssopick                              pick a role, get a subshell with its credentials
  eval \"$(ssopick export prod admin)\"  credentials in this shell
  ssopick profile --all --write        a profile per account/role in ~/.aws/config"
        .to_string()
}

#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Session(#[from] SessionError),
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
    /// `credential-process --login`: the login is not done (yet).
    #[error("{0}")]
    GuiLogin(String),
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
    #[error("{0}")]
    Partial(String),
    #[error(
        "the portal or STS returned malformed credentials for {what}: {why}.\nNothing was written, printed or served. If AWS_ENDPOINT_URL_SSO or AWS_ENDPOINT_URL_STS is set, check where it points."
    )]
    Malformed {
        what: String,
        why: crate::core::credentials::Malformed,
    },
    #[error("{0}")]
    UnsafeFolder(String),
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },
    #[error("AWS SSO portal: {0}")]
    Portal(String),
    #[error("STS {what}: {message}")]
    Sts { what: String, message: String },
    /// A profile of the AWS files that is not set up right (missing, a
    /// loop, an unknown source).
    #[error("AWS profile {name}: {message}")]
    ProfileConfig { name: String, message: String },
    /// A profile's source failed or refused (its process, STS, `aws login`).
    #[error("AWS profile {name}: {message}")]
    ProfileFailed { name: String, message: String },
    /// A profile's source answered with credentials ssopick refuses
    /// (malformed, expired, JSON the SDKs would not read).
    #[error("AWS profile {name}: {message}")]
    ProfileMalformed { name: String, message: String },
    /// The login a profile rests on has ended (an SSO source profile's,
    /// `aws login`'s).
    #[error("AWS profile {name}: {message}.\nLog in again: {hint}")]
    ProfileLogin {
        name: String,
        message: String,
        hint: String,
    },
    /// An `mfa_serial` profile with no terminal to type the code on.
    #[error(
        "AWS profile {name} needs MFA: its code ({serial}) can only be typed on a terminal.\nPick it in ssopick on a terminal (a shell, exec or export asks for the code)"
    )]
    NeedsMfa { name: String, serial: String },
    #[error("SSO OIDC {step}: {source}")]
    Oidc {
        step: &'static str,
        source: OidcError,
    },
    #[error("the login was denied: {0}")]
    LoginDenied(String),
    #[error("the login was not confirmed in time; run `ssopick login` again")]
    LoginTimedOut,
    #[error(
        "cannot listen for the login's redirect on 127.0.0.1:{port}: {source}.\nChoose another --redirect-port, or log in with --use-device-code."
    )]
    Callback { port: u16, source: std::io::Error },
    #[error(transparent)]
    Signin(#[from] SigninError),
    #[error(
        "no cached catalog for session {0} and --offline forbids listing.\nRun once without --offline (or with --refresh)."
    )]
    NoSnapshot(String),
    #[error(transparent)]
    Process(#[from] ProcessError),
    #[error(transparent)]
    Terminal(#[from] TerminalError),
    #[error(transparent)]
    Picker(#[from] PickerError),
    #[error(transparent)]
    Clipboard(#[from] ClipboardError),
    #[error("cannot {action} {}: {source}", path.display())]
    File {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot start the local credential endpoint: {0}")]
    Endpoint(std::io::Error),
    #[error("cannot write to stdout: {0}")]
    Stdout(std::io::Error),
    #[error("cannot start the demo portal: {0}")]
    Demo(std::io::Error),
    #[error("cannot find ssopick's own path: {0}")]
    OwnPath(std::io::Error),
    #[error("cancelled")]
    Cancelled,
    #[error("stopped by signal {0}")]
    Signal(i32),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Session(SessionError::NoSessions | SessionError::NoValidSession { .. })
            | Error::NotLoggedIn { .. }
            | Error::SessionExpired { .. }
            | Error::GuiLogin(_)
            | Error::NeedsMfa { .. }
            | Error::ProfileLogin { .. }
            | Error::LoginDenied(_)
            | Error::LoginTimedOut => exit::NOT_LOGGED_IN,
            Error::Session(
                SessionError::NoSuchSession { .. } | SessionError::AmbiguousSession { .. },
            )
            | Error::Usage(_)
            | Error::ProfileConfig { .. }
            | Error::Config { .. } => exit::USAGE,
            Error::NoAccess { .. } => exit::NO_ACCESS,
            Error::NoMatch(_) => exit::NO_MATCH,
            Error::Partial(_) => exit::PARTIAL,
            Error::Malformed { .. } | Error::ProfileMalformed { .. } => exit::MALFORMED,
            Error::Portal(_)
            | Error::Sts { .. }
            | Error::ProfileFailed { .. }
            | Error::Oidc { .. }
            | Error::Signin(_)
            | Error::NoSnapshot(_) => exit::API,
            Error::Cancelled => exit::CANCELLED,
            Error::Signal(n) => 128 + n,
            Error::Process(ProcessError::NotFound(_)) => exit::COMMAND_NOT_FOUND,
            Error::Process(ProcessError::NotExecutable(_)) => exit::NOT_EXECUTABLE,
            Error::Process(_)
            | Error::Terminal(_)
            | Error::Picker(_)
            | Error::Clipboard(_)
            | Error::File { .. }
            | Error::Stdout(_)
            | Error::Endpoint(_)
            | Error::Callback { .. }
            | Error::UnsafeFolder(_)
            | Error::Demo(_)
            | Error::OwnPath(_) => exit::OTHER,
        }
    }

    /// A file that could not be read or written.
    pub fn file(action: &'static str, path: &std::path::Path, source: std::io::Error) -> Error {
        Error::File {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// The first line, for a status line.
    /// A failure of the session's own (its login, its portal, its missing
    /// snapshot), which the AWS files' other profiles do not share.
    pub fn spares_profiles(&self) -> bool {
        matches!(
            self,
            Error::NotLoggedIn { .. }
                | Error::SessionExpired { .. }
                | Error::Portal(_)
                | Error::NoSnapshot(_)
        )
    }

    pub fn first_line(&self) -> String {
        self.to_string().lines().next().unwrap_or("").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_code_once() {
        let help = help_footer();
        for (code, what) in EXIT_CODES {
            assert_eq!(help.matches(&format!("  {code:<4} {what}")).count(), 1);
        }
    }
}
