//! Setting an SSO session up in `~/.aws/config` without the AWS CLI
//! (`login --start-url`, `configure`): the `[sso-session]` block, written
//! with the same safe, byte-preserving, backed-up write as profiles.

use crate::app::error::Error;
use crate::app::setup::Setup;
use crate::core::inifile::{self, FileKind};
use crate::core::sso::session::same_url;
use crate::core::sso::setup::{check_region, check_start_url, session_block, session_name_for};

/// A name that is safe in a section header and a file name.
/// (`all` is refused: `--session all` means every session.)
pub(crate) fn valid_session_name(n: &str) -> bool {
    n != "all"
        && !n.is_empty()
        && n.len() <= 64
        && n.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
}

/// Adds `[sso-session NAME]` for `url` unless a session already has it;
/// returns the session's name.
pub(crate) fn set_up(
    setup: &Setup,
    url: &str,
    region: &str,
    name: Option<&str>,
) -> Result<String, Error> {
    let url = check_start_url(url).map_err(Error::Usage)?;
    let region = check_region(region).map_err(Error::Usage)?;
    if let Some(s) = setup
        .aws()
        .sso_sessions
        .iter()
        .find(|s| s.start_url.as_deref().is_some_and(|u| same_url(u, &url)))
    {
        let other = s.region.as_deref().filter(|r| *r != region);
        eprintln!(
            "ssopick: {} already has [sso-session {}] for {url}; using it{}.",
            setup.paths.aws_config.display(),
            s.name,
            other.map_or_else(String::new, |r| format!(
                " (its region is {r}, not {region}: edit sso_region there if {region} is right)"
            ))
        );
        return Ok(s.name.clone());
    }
    let name = name
        .filter(|n| !n.contains("://"))
        .map_or_else(|| session_name_for(&url), str::to_string);
    if !valid_session_name(&name) {
        return Err(Error::Usage(format!(
            "{name:?} is not a session name (letters, digits, _ . - only; not `all`)"
        )));
    }
    let path = &setup.paths.aws_config;
    let written = crate::app::deliver::profiles::update_aws_file(path, false, |old| {
        inifile::upsert(
            old,
            FileKind::Config,
            &format!("sso-session {name}"),
            &session_block(&name, &url, &region),
            false,
        )
        .map_err(|_| {
            Error::Usage(format!(
                "{} already has a [sso-session {name}] for another start URL; choose another name with --session NAME",
                path.display()
            ))
        })
    })?;
    let backup = written.backup;
    eprintln!(
        "ssopick: added [sso-session {name}] to {}{}.",
        path.display(),
        backup
            .map(|b| format!(" (previous version in {})", b.display()))
            .unwrap_or_default()
    );
    Ok(name)
}
