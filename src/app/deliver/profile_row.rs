//! `credential-process --profile P`: another profile of the AWS files
//! (static keys, assume-role, a process, `aws login`, web identity),
//! answered with the JSON the SDKs read. Never interactive; an SSO profile
//! or one ssopick wrote is refused (it would run ssopick again).

use crate::app::deliver::feed;
use crate::app::error::Error;
use crate::app::setup::Setup;
use crate::core::profile_rows::{self, NotRow, ProfileRow};
use crate::edge::aws_files;
use std::sync::Arc;
use std::time::Duration;

/// The row of profile `name`, or why it is not one.
pub(crate) fn find(setup: &Setup, name: &str) -> Result<Arc<ProfileRow>, Error> {
    let read = |p: &std::path::Path| aws_files::read_text(p).map_err(|e| Error::file("read", p, e));
    let (config, credentials) = (
        read(&setup.paths.aws_config)?,
        read(&setup.paths.aws_credentials)?,
    );
    let found = profile_rows::scan(&config, &credentials);
    if let Some(r) = found.rows.iter().find(|r| r.name == name) {
        return Ok(Arc::clone(r));
    }
    let why = why_not(&config, &credentials, name);
    Err(Error::ProfileConfig {
        name: name.to_string(),
        message: format!(
            "{why} ({} and {})",
            setup.paths.aws_config.display(),
            setup.paths.aws_credentials.display()
        ),
    })
}

/// Why profile `name` of these files is not a row.
fn why_not(config: &str, credentials: &str, name: &str) -> &'static str {
    if !profile_rows::name_ok(name) {
        return "is not a name the SDKs resolve (letters, digits and _-/.%@:+ only)";
    }
    match profile_rows::not_a_row(config, credentials, name) {
        Some(NotRow::Sso) => {
            "is an SSO profile: name its role with --account and --role (and --session)"
        }
        Some(NotRow::Ours) => {
            "was written by ssopick and runs ssopick itself (it would loop): name what it names instead (--profile NAME for an AWS profile's block, --account and --role for a portal role's)"
        }
        Some(NotRow::Empty) => {
            "has no credentials of its own (no key pair, role_arn, credential_process, login_session or web identity)"
        }
        None => "is in neither the config nor the credentials file",
    }
}

/// Why `name`, when a profile section of the AWS files has that name, is
/// not a row (a query that names it gets this as well as "no match").
pub(crate) fn not_a_row_line(setup: &Setup, name: &str) -> Option<String> {
    let read = |p: &std::path::Path| aws_files::read_text(p).unwrap_or_default();
    let (config, credentials) = (
        read(&setup.paths.aws_config),
        read(&setup.paths.aws_credentials),
    );
    profile_rows::not_a_row(&config, &credentials, name).map(|_| {
        format!(
            "AWS profile {} {}.",
            crate::core::visible::shown(name),
            why_not(&config, &credentials, name)
        )
    })
}

/// The `credential_process` JSON for profile `name`, within `timeout_secs`.
pub(crate) async fn process_json(
    setup: &Setup,
    name: &str,
    timeout_secs: u64,
) -> Result<String, Error> {
    let row = find(setup, name)?;
    let region = setup
        .globals
        .region
        .clone()
        .or_else(|| row.region.clone())
        .or_else(|| setup.region_override())
        .unwrap_or_else(|| crate::app::setup::default_region(&setup.env));
    let mut opts = setup.profile_options(region);
    opts.deadline = Duration::from_secs(timeout_secs);
    let c = feed::unprompted(&row, &opts, setup.clock.now()).await?;
    Ok(format!("{}\n", crate::core::export::process_json(&c)))
}
