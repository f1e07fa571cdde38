//! The AWS files' other profiles for one run: the settings with their
//! rows (read on first use, kept for a large config while the files stay
//! the same), and how a profile row's credentials are resolved.

use super::Setup;
use crate::core::profile_rows::Found;
use crate::core::settings::Settings;
use crate::edge::paths::Paths;
use crate::edge::profile_creds::ProfileOptions;
use crate::edge::{aws_files, config_profiles, config_sessions};
use std::time::Duration;

/// How long a profile's credentials may take (its `credential_process`,
/// STS, the sign-in service): long enough for a process that opens a
/// browser.
const PROFILE_DEADLINE: Duration = Duration::from_mins(2);

/// The AWS files' other profiles as rows, and their SSO profiles' names as
/// aliases; a large config's are kept while neither file changes (a Tab
/// press reads them too). `say`: an unreadable file is said on stderr
/// (it hides its profiles).
pub(crate) fn profiles_found(paths: &Paths, say: bool) -> Found {
    let read = |p: &std::path::Path| {
        aws_files::read_text(p).unwrap_or_else(|e| {
            if say {
                eprintln!("ssopick: {}: {e}; its profiles are not shown", p.display());
            }
            String::new()
        })
    };
    let stamps = config_profiles::stamps(&paths.aws_config, &paths.aws_credentials);
    let large = stamps
        .0
        .as_ref()
        .is_some_and(|s| s.file_size() >= config_sessions::WORTH_CACHING);
    if let Some(kept) = large
        .then(|| config_profiles::load(&paths.cache, &stamps))
        .flatten()
    {
        return kept;
    }
    let found =
        crate::core::profile_rows::scan(&read(&paths.aws_config), &read(&paths.aws_credentials));
    if large {
        config_profiles::save(&paths.cache, &stamps, &found);
    }
    found
}

impl Setup {
    /// config.toml's settings with the AWS files' other profiles as rows
    /// and their SSO profiles' names as aliases (`core::profile_rows`),
    /// read on first use: only a run that builds rows reads them, and
    /// `--sso-only` or `[picker] profiles = false` never does.
    pub(crate) fn row_settings(&self) -> &Settings {
        self.rows.get_or_init(|| {
            let mut s = self.settings.clone();
            if self.globals.sso_only || !s.picker.profiles {
                return s;
            }
            let found = profiles_found(&self.paths, true);
            s.profiles = found.rows;
            s.profile_aliases = found.aliases;
            s
        })
    }

    /// How a profile row's credentials are resolved: this run's AWS files
    /// and network, STS and sign-in called in `region`.
    pub(crate) fn profile_options(&self, region: String) -> ProfileOptions {
        ProfileOptions {
            config: self.paths.aws_config.clone(),
            credentials: self.paths.aws_credentials.clone(),
            region,
            http: self.sdk_http(),
            timeout: self.http_timeout(),
            deadline: PROFILE_DEADLINE,
            depth: self
                .env
                .get(crate::core::env_vars::SSOPICK_PROFILE_DEPTH)
                .and_then(|v| v.parse().ok())
                .unwrap_or(1),
        }
    }
}
