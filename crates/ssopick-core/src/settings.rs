//! The optional config file, `$XDG_CONFIG_HOME/ssopick/config.toml` (or
//! `SSOPICK_CONFIG`). Everything in it is optional:
//!
//! ```toml
//! default_action = "shell"        # what `ssopick` alone does: shell, export, copy, profile, console
//! export_format = "bash"          # default --format of export and copy
//! profile_name = "{account_name}/{role_name}"
//! child_credentials = "endpoint"  # shell/exec: a renewing local endpoint, or "static" keys
//! default_session = "corp"        # else several logged-in sessions: the picker shows all
//! color = "auto"                  # auto (honours NO_COLOR), always, never
//!
//! [production]
//! patterns = ["*prod*", "123456789012"]   # account names (glob, any case) or ids
//!
//! [snapshot]
//! max_age = "24h"               # commands use a complete snapshot this young without listing
//! picker_refresh_after = "1h"   # the picker lists anew in the background past this age
//!
//! [[account]]                 # per account: by id, or a glob on the name (core::account_meta)
//! match = "*-prod*"
//! alias = "pay"
//! tags = ["prod", "payments"]   # searchable: tag:prod, or prod
//! color = "red"
//! region = "eu-west-1"          # every delivery's region unless --region
//!
//! [[chain]]                   # an IAM role assumed from an SSO role (core::chain)
//! name = "deploy-prod"
//! role_arn = "arn:aws:iam::123456789012:role/Deployer"
//! via = { account = "111111111111", role = "AdministratorAccess" }
//!
//! [console]                   # how `console` opens it (core::console_open)
//! browser = "firefox"           # firefox, chrome, chromium, brave, edge, safari, or a path
//! browser_profile = "work"      # Chrome's profile directory, Firefox's profile
//! firefox_containers = true     # one container per account
//! portal_link = false           # the access portal's link (the console's multi-session mode)
//! keep_session = false          # do not log out of another account's console first
//! duration = "4h"               # the console session (15m to 12h)
//!
//! [login]
//! redirect_port = 8400          # fixed callback port for the browser login (SSH -L forwarding)
//! use_device_code = false       # always log in with a device code instead
//! wait = 50                     # seconds `credential-process --login` waits for the browser
//! ```
//!
//! Production accounts show in red in the picker, and `shell`/`exec` there
//! ask for confirmation first (`--yes` answers it in scripts).

use crate::catalog::Account;
use crate::export::Format;
pub use crate::names::glob;
pub use crate::time::parse_age;
use serde::Deserialize;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DefaultAction {
    #[default]
    Shell,
    Export,
    Copy,
    Profile,
    Console,
}

/// How a child (`shell`, `exec`) gets its credentials.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChildCredentials {
    /// A local credential endpoint the SDKs read, renewed in the background:
    /// the credentials never go stale while the child runs.
    #[default]
    Endpoint,
    /// Static keys in the environment (they expire; for tools that read
    /// only `AWS_ACCESS_KEY_ID` and friends).
    Static,
}

impl ChildCredentials {
    /// `--static` when given, else the configured mode.
    pub fn or_static(self, static_flag: bool) -> ChildCredentials {
        if static_flag {
            ChildCredentials::Static
        } else {
            self
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorMode {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Production {
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// How long a catalog snapshot is trusted. Ages are written `90s`, `15m`,
/// `1h`, `2d` (or a number of seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotAges {
    /// Commands (`list`, `exec`, ...) use a complete snapshot younger than
    /// this without calling the portal.
    #[serde(default = "default_max_age", deserialize_with = "crate::time::age")]
    pub max_age: i64,
    /// The picker opens on the snapshot and lists anew in the background
    /// when it is incomplete or older than this.
    #[serde(
        default = "default_picker_refresh",
        deserialize_with = "crate::time::age"
    )]
    pub picker_refresh_after: i64,
}

fn default_max_age() -> i64 {
    24 * 3600
}

fn default_picker_refresh() -> i64 {
    3600
}

impl Default for SnapshotAges {
    fn default() -> Self {
        SnapshotAges {
            max_age: default_max_age(),
            picker_refresh_after: default_picker_refresh(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub default_action: DefaultAction,
    pub export_format: Option<Format>,
    pub profile_name: Option<String>,
    /// How `shell` and `exec` hand credentials to the child.
    #[serde(default)]
    pub child_credentials: ChildCredentials,
    /// The session used when `--session` and `AWS_PROFILE` name none (else
    /// several logged-in sessions open the picker over all of them).
    pub default_session: Option<String>,
    #[serde(default)]
    pub color: ColorMode,
    #[serde(default)]
    pub production: Production,
    #[serde(default)]
    pub snapshot: SnapshotAges,
    #[serde(default)]
    pub login: LoginSettings,
    /// `[[account]]`: aliases, tags, colours and regions (`core::account_meta`).
    #[serde(default, rename = "account")]
    pub accounts: Vec<crate::account_meta::AccountEntry>,
    /// `[console]`: how `console` opens the AWS console.
    #[serde(default)]
    pub console: crate::console_open::ConsoleOptions,
    /// `[[chain]]`: IAM roles assumed from an SSO role (`core::chain`).
    #[serde(default, rename = "chain", deserialize_with = "chains")]
    pub chains: Vec<std::sync::Arc<crate::chain::Chain>>,
    /// `[picker]`: which rows the picker shows.
    #[serde(default)]
    pub picker: PickerSettings,
    /// The AWS files' other profiles as rows (`core::profile_rows`), set
    /// by the run when it builds rows; never read from config.toml.
    #[serde(skip)]
    pub profiles: Vec<std::sync::Arc<crate::profile_rows::ProfileRow>>,
    /// Account id -> the name of its one SSO (or granted) profile, an
    /// alias below config.toml's own (`core::profile_rows`).
    #[serde(skip)]
    pub profile_aliases: std::collections::HashMap<String, String>,
}

/// `[picker]`: which rows the picker shows.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PickerSettings {
    /// The AWS files' other profiles (static keys, assume-role, process,
    /// login, web identity) as rows beside the portal's (default true).
    #[serde(default = "yes")]
    pub profiles: bool,
}

fn yes() -> bool {
    true
}

impl Default for PickerSettings {
    fn default() -> PickerSettings {
        PickerSettings { profiles: true }
    }
}

/// `[login]`: how `ssopick login` logs in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginSettings {
    /// The loopback port the browser is redirected to (default: any free one).
    pub redirect_port: Option<u16>,
    /// Use the device-code flow even for `[sso-session]` sessions.
    #[serde(default)]
    pub use_device_code: bool,
    /// Seconds `credential-process --login` waits for the browser login
    /// (`WAIT_DEFAULT`: under the Go SDKs' one-minute limit).
    pub wait: Option<u64>,
}

impl LoginSettings {
    pub const WAIT_DEFAULT: u64 = 50;

    /// How long a GUI caller waits for its login, in seconds.
    pub fn wait_secs(&self) -> u64 {
        self.wait.unwrap_or(Self::WAIT_DEFAULT)
    }
}

impl Settings {
    /// What this config.toml adds to catalogs (chains, account metadata).
    pub fn additions(&self) -> crate::config_rows::Additions<'_> {
        crate::config_rows::Additions {
            chains: &self.chains,
            accounts: &self.accounts,
            profiles: &self.profiles,
            aliases: &self.profile_aliases,
        }
    }

    /// `additions` without the chains: for catalogs no session lists
    /// (no chain can start there, each starts from a portal role), or a
    /// quick look at whether words are a query.
    pub fn additions_without_chains(&self) -> crate::config_rows::Additions<'_> {
        crate::config_rows::Additions {
            chains: &[],
            ..self.additions()
        }
    }

    pub fn parse(text: &str) -> Result<Settings, String> {
        let s: Settings = toml::from_str(text).map_err(|e| e.to_string())?;
        if s.login.redirect_port == Some(0) {
            return Err("[login] redirect_port must be a port number from 1 to 65535".into());
        }
        if s.login.wait.is_some_and(|w| !(1..=3600).contains(&w)) {
            return Err("[login] wait must be from 1 to 3600 seconds".into());
        }
        if let Some(d) = s.console.duration {
            crate::console_open::check_duration(d)
                .map_err(|e| format!("[console] duration: {e}"))?;
        }
        for (n, a) in s.accounts.iter().enumerate() {
            a.check(n + 1)?;
        }
        let mut names = std::collections::HashSet::new();
        for c in &s.chains {
            c.check()?;
            if !names.insert(c.name.as_str()) {
                return Err(format!("[[chain]] name {:?} is declared twice", c.name));
            }
        }
        Ok(s)
    }

    pub fn is_production(&self, a: &Account) -> bool {
        self.production
            .patterns
            .iter()
            // The name as it looks: `payments-pro\u{200b}d` is production
            // when `*-prod` is.
            .any(|p| {
                p == &a.account_id
                    || glob(
                        &p.to_lowercase(),
                        &crate::visible::stripped(&a.account_name).to_lowercase(),
                    )
            })
    }

    /// Colours on? In auto mode `NO_COLOR` (any value) and a terminal that
    /// cannot show them (`TERM=dumb`) turn them off.
    pub fn color(&self, no_color_set: bool, term: Option<&str>) -> bool {
        match self.color {
            ColorMode::Always => true,
            ColorMode::Never => false,
            ColorMode::Auto => !no_color_set && term != Some("dumb"),
        }
    }
}

fn chains<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<std::sync::Arc<crate::chain::Chain>>, D::Error> {
    let v = Vec::<crate::chain::Chain>::deserialize(d)?;
    Ok(v.into_iter().map(std::sync::Arc::new).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_defaults() {
        assert_eq!(Settings::parse("").unwrap(), Settings::default());
        let s = Settings::parse(
            "default_action = \"export\"\nexport_format = \"fish\"\nprofile_name = \"{account_id}\"\ncolor = \"never\"\n[production]\npatterns = [\"*PROD*\", \"111111111111\"]\n",
        )
        .unwrap();
        assert_eq!(s.default_action, DefaultAction::Export);
        assert_eq!(s.export_format, Some(Format::Fish));
        assert!(!s.color(false, None));
        let auto = Settings::default();
        assert!(auto.color(false, Some("xterm-256color")));
        assert!(!auto.color(true, Some("xterm-256color")));
        assert!(!auto.color(false, Some("dumb")));
        let always = Settings::parse("color = \"always\"\n").unwrap();
        assert!(always.color(true, Some("dumb")));
        let acct = |id: &str, name: &str| Account::new(id, name, "");
        assert!(s.is_production(&acct("1", "payments-prod-eu")));
        assert!(s.is_production(&acct("111111111111", "x")));
        assert!(!s.is_production(&acct("2", "payments-dev")));
        assert!(
            Settings::parse("colour = \"never\"")
                .unwrap_err()
                .contains("colour"),
            "unknown keys are errors"
        );
        assert!(Settings::parse("default_action = \"dance\"").is_err());
    }

    #[test]
    fn snapshot_ages() {
        assert_eq!(
            Settings::parse("").unwrap().snapshot,
            SnapshotAges::default()
        );
        let s = Settings::parse("[snapshot]\nmax_age = \"2d\"\npicker_refresh_after = \"15m\"\n")
            .unwrap();
        assert_eq!(s.snapshot.max_age, 2 * 86_400);
        assert_eq!(s.snapshot.picker_refresh_after, 15 * 60);
        let s = Settings::parse("[snapshot]\nmax_age = 0\n").unwrap();
        assert_eq!(s.snapshot.max_age, 0);
        assert_eq!(s.snapshot.picker_refresh_after, 3600);
        for bad in ["\"1w\"", "\"-5m\"", "\"soon\"", "-1", "\"\""] {
            let e = Settings::parse(&format!("[snapshot]\nmax_age = {bad}\n")).unwrap_err();
            assert!(e.contains("is not an age"), "{bad}: {e}");
        }
        assert!(Settings::parse("[snapshot]\nmaxage = \"1h\"\n").is_err());
        assert_eq!(parse_age(" 90 "), Some(90));
        assert_eq!(parse_age("90s"), Some(90));
        assert_eq!(parse_age("99999999999999999d"), None);
    }

    #[test]
    fn globs() {
        assert!(glob("*prod*", "payments-prod"));
        assert!(glob("pay?ents-*", "payments-dev"));
        assert!(!glob("*prod", "production"));
        assert!(glob("*", ""));
        assert!(!glob("a", ""));
    }
}
