//! The AWS files' other profiles for one run: the settings with their
//! rows (read on first use, kept for a large config while the files stay
//! the same), and how a profile row's credentials are resolved.

use super::Setup;
use crate::core::settings::Settings;
use crate::edge::profile_creds::ProfileOptions;
use crate::edge::{aws_files, config_profiles, config_sessions};
use std::time::Duration;

/// How long a profile's credentials may take (its `credential_process`,
/// STS, the sign-in service): long enough for a process that opens a
/// browser.
const PROFILE_DEADLINE: Duration = Duration::from_mins(2);

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
            // An unreadable file hides its profiles: said, not silent.
            let read = |p: &std::path::Path| {
                aws_files::read_text(p).unwrap_or_else(|e| {
                    eprintln!("ssopick: {}: {e}; its profiles are not shown", p.display());
                    String::new()
                })
            };
            // A large config's rows are kept while neither file changes.
            let stamps =
                config_profiles::stamps(&self.paths.aws_config, &self.paths.aws_credentials);
            let large = stamps
                .0
                .as_ref()
                .is_some_and(|s| s.file_size() >= config_sessions::WORTH_CACHING);
            let kept = large
                .then(|| config_profiles::load(&self.paths.cache, &stamps))
                .flatten();
            let found = kept.unwrap_or_else(|| {
                let found = crate::core::profile_rows::scan(
                    &read(&self.paths.aws_config),
                    &read(&self.paths.aws_credentials),
                );
                if large {
                    config_profiles::save(&self.paths.cache, &stamps, &found);
                }
                found
            });
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
        }
    }
}
