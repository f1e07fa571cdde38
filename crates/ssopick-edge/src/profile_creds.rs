//! The credentials of a profile of the user's AWS files that is not an SSO
//! one (static keys, assume-role, `credential_process`, `aws login`, web
//! identity), resolved by aws-config's `ProfileFileCredentialsProvider`
//! as every SDK resolves it, over the run's HTTP client (`edge::net`).
//! The one place aws-config runs.

mod process;

use aws_config::profile::ProfileFileCredentialsProvider;
use aws_config::provider_config::ProviderConfig;
use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_sdk_sts::config::Region;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use ssopick_core::catalog::clean_text;
use ssopick_core::credentials::RoleCredentials;
use ssopick_core::secret::Secret;
use ssopick_core::time::UtcTime;
use std::path::PathBuf;
use std::time::Duration;

/// Where and how to resolve.
#[derive(Clone, Debug)]
pub struct ProfileOptions {
    pub config: PathBuf,
    pub credentials: PathBuf,
    /// The region STS and the sign-in service are called in.
    pub region: String,
    /// The run's HTTP client (`edge::net`); `None`: direct.
    pub http: Option<SharedHttpClient>,
    /// Each HTTP call's limit.
    pub timeout: Duration,
    /// The whole resolution's limit (a `credential_process` included).
    pub deadline: Duration,
    /// How many ssopick runs deep this one is (`process::mark_profile_depth`).
    pub depth: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    /// The profile is missing or its set-up is wrong (a loop, a missing
    /// source profile, an unknown `credential_source`).
    #[error("{0}")]
    Config(String),
    /// The profile's source refused or failed (a process's exit, STS,
    /// an expired `aws login`).
    #[error("{0}")]
    Failed(String),
    /// Its source answered with no credentials the SDKs would read (a
    /// process's JSON).
    #[error("{0}")]
    Malformed(String),
    /// Network trouble or the deadline: worth another try.
    #[error("{0}")]
    Transient(String),
    /// The login it rests on (an SSO source profile's, `aws login`'s) has
    /// ended or was never made.
    #[error("{0}")]
    Login(String),
}

/// Long-term keys carry no expiry; ssopick looks at the files again after
/// this long (a rotated key is taken up), and never serves them.
pub const LONG_TERM_RECHECK_SECS: i64 = 3600;

const TOO_DEEP: &str = "ssopick runs deep";

/// A deeper run gave up on the loop: said once, from here.
fn deeper(e: ProfileError, name: &str) -> ProfileError {
    match e {
        ProfileError::Failed(m) if m.contains(TOO_DEEP) => too_deep(name),
        other => other,
    }
}

fn too_deep(name: &str) -> ProfileError {
    ProfileError::Config(format!(
        "its credential_process runs ssopick for a profile, which runs ssopick again, more than {} {TOO_DEEP}: a profile whose credential_process runs ssopick for itself never ends (profile {name}, or one it leads to)",
        crate::process::MAX_PROFILE_DEPTH
    ))
}

/// A regular file (through links) this process can open for reading.
fn readable_file(path: &std::path::Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file()) && std::fs::File::open(path).is_ok()
}

/// Longest failure message kept (a process's stderr can be anything).
const MAX_MESSAGE: usize = 600;

/// The error and its causes, each said once, cleaned for the terminal and
/// cut short.
fn message(e: &CredentialsError) -> String {
    let mut m = e.to_string().trim().to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        let part = s.to_string();
        let part = part.trim();
        if !part.is_empty() && !m.contains(part) {
            m.push_str(": ");
            m.push_str(part);
        }
        src = s.source();
    }
    cut(clean_text(m.trim()))
}

/// `m` cut short at `MAX_MESSAGE` bytes (a process's stderr can be
/// anything).
fn cut(mut m: String) -> String {
    if m.len() > MAX_MESSAGE {
        let at = (0..=MAX_MESSAGE)
            .rev()
            .find(|&i| m.is_char_boundary(i))
            .unwrap_or(0);
        m.truncate(at);
        m.push_str(" ...");
    }
    m
}

fn classify(e: &CredentialsError) -> ProfileError {
    let m = message(e);
    // A source profile's SSO login, or `aws login`'s, has ended.
    let login = [
        "cached SSO token",
        "SSO token",
        "login/cache",
        "reauthenticate",
    ]
    .iter()
    .any(|x| m.contains(x));
    match e {
        _ if login => ProfileError::Login(m),
        CredentialsError::CredentialsNotLoaded(_) | CredentialsError::InvalidConfiguration(_) => {
            ProfileError::Config(m)
        }
        CredentialsError::ProviderTimedOut(_) => ProfileError::Transient(m),
        _ if m.contains("dispatch failure") || m.contains("timed out") => {
            ProfileError::Transient(m)
        }
        _ => ProfileError::Failed(m),
    }
}

/// The credentials of profile `name`, as the SDKs would resolve them
/// (nothing checked yet: the caller checks them as it checks the portal's).
/// Long-term keys come with an empty session token; credentials with no
/// expiry come with `expiry_stated` false and an expiration
/// `LONG_TERM_RECHECK_SECS` from now.
pub async fn resolve(
    opts: &ProfileOptions,
    name: &str,
    now: UtcTime,
) -> Result<RoleCredentials, ProfileError> {
    if opts.depth > crate::process::MAX_PROFILE_DEPTH {
        return Err(too_deep(name));
    }
    // Each file is read once, here, and handed to aws-config as text. One
    // that cannot be read whole (missing, as no credentials file at all
    // often is; a folder; a FIFO, which would wait forever; not ours to
    // read) is left out, so the other file's profiles still resolve.
    let text = |p: &std::path::Path| {
        readable_file(p)
            .then(|| crate::aws_files::read_text(p).ok())
            .flatten()
    };
    let (config, credentials) = (text(&opts.config), text(&opts.credentials));
    // A process profile's command runs here, bounded (aws-config would
    // read whatever it prints, and leave it running past the deadline).
    if let Some(command) = ssopick_core::profile_rows::process_command(
        config.as_deref().unwrap_or_default(),
        credentials.as_deref().unwrap_or_default(),
        name,
    ) {
        return process::run(&command, opts.deadline, now)
            .await
            .map_err(|e| deeper(e, name));
    }
    let mut files = EnvConfigFiles::builder()
        .include_default_config_file(false)
        .include_default_credentials_file(false);
    for (kind, contents) in [
        (EnvConfigFileKind::Config, config),
        (EnvConfigFileKind::Credentials, credentials),
    ] {
        if let Some(c) = contents {
            files = files.with_contents(kind, c);
        }
    }
    let files = files.build();
    let http = opts.http.clone().unwrap_or_else(crate::net::direct);
    let conf = ProviderConfig::without_region()
        .with_region(Some(Region::new(opts.region.clone())))
        .with_http_client(http)
        .with_retry_config(RetryConfig::standard().with_max_attempts(3))
        .with_timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(opts.timeout.min(Duration::from_secs(5)))
                .operation_attempt_timeout(opts.timeout)
                .build(),
        );
    let provider = ProfileFileCredentialsProvider::builder()
        .configure(&conf)
        .profile_files(files)
        .profile_name(name)
        .build();
    let got = tokio::time::timeout(opts.deadline, provider.provide_credentials())
        .await
        .map_err(|_| {
            ProfileError::Transient(format!(
                "no credentials within {} s",
                opts.deadline.as_secs()
            ))
        })?
        .map_err(|e| match deeper(classify(&e), name) {
            // aws-config reads both files whole: which ones, and the
            // likely cause, since it names neither.
            ProfileError::Config(m) if m.contains("could not parse profile file") => {
                ProfileError::Config(format!(
                    "{m} ({} or {}): aws-config could not parse them, so no profile resolves; a section name with `;` or `#` is one cause",
                    opts.config.display(),
                    opts.credentials.display()
                ))
            }
            other => other,
        })?;
    let expiration = match got.expiry() {
        Some(t) => UtcTime(
            t.duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        ),
        None => now.plus_secs(LONG_TERM_RECHECK_SECS),
    };
    Ok(RoleCredentials {
        access_key_id: Secret::new(got.access_key_id()),
        secret_access_key: Secret::new(got.secret_access_key()),
        session_token: Secret::new(got.session_token().unwrap_or_default()),
        expiration,
        expiry_stated: got.expiry().is_some(),
    })
}
