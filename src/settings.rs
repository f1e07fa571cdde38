//! The optional config file, `$XDG_CONFIG_HOME/ssopick/config.toml` (or
//! `SSOPICK_CONFIG`). Everything in it is optional:
//!
//! ```toml
//! default_action = "shell"        # what `ssopick` alone does: shell, export, copy, profile, console
//! export_format = "bash"          # default --format of export and copy
//! profile_name = "{account_name}/{role_name}"
//! color = "auto"                  # auto (honours NO_COLOR), always, never
//!
//! [production]
//! patterns = ["*prod*", "123456789012"]   # account names (glob, any case) or ids
//! ```
//!
//! Production accounts show in red in the picker, and `shell`/`exec` there
//! ask for confirmation first (`--yes` answers it in scripts).

use crate::catalog::Account;
use crate::export::Format;
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

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    #[serde(default)]
    pub default_action: DefaultAction,
    pub export_format: Option<Format>,
    pub profile_name: Option<String>,
    #[serde(default)]
    pub color: ColorMode,
    #[serde(default)]
    pub production: Production,
}

impl Settings {
    pub fn parse(text: &str) -> Result<Settings, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    pub fn is_production(&self, a: &Account) -> bool {
        self.production
            .patterns
            .iter()
            .any(|p| p == &a.account_id || glob(&p.to_lowercase(), &a.account_name.to_lowercase()))
    }

    /// Colours on? `NO_COLOR` (any value) turns them off in auto mode.
    pub fn color(&self, no_color_set: bool) -> bool {
        match self.color {
            ColorMode::Always => true,
            ColorMode::Never => false,
            ColorMode::Auto => !no_color_set,
        }
    }
}

/// `*` matches any run of characters, `?` one; everything else itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
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
        assert!(!s.color(false));
        let acct = |id: &str, name: &str| Account {
            account_id: id.into(),
            account_name: name.into(),
            email_address: String::new(),
        };
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
    fn globs() {
        assert!(glob("*prod*", "payments-prod"));
        assert!(glob("pay?ents-*", "payments-dev"));
        assert!(!glob("*prod", "production"));
        assert!(glob("*", ""));
        assert!(!glob("a", ""));
    }
}
