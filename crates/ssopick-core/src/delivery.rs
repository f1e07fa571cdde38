//! What to do with a chosen role: one `Delivery`, resolved once from the
//! command line and config.toml. The commands, the picker's Enter, its Tab
//! menu, Ctrl-Y and `default_action` all go through `Delivery::with`, so a
//! setting such as `export_format` or `profile_name` reaches every path.

use crate::console_open::ConsoleOptions;
use crate::export::Format;
use crate::profile::Style;
pub use crate::settings::ChildCredentials;
use crate::settings::{DefaultAction, Settings};

/// How long copied credentials stay on the clipboard by default (seconds).
pub const CLIPBOARD_CLEAR_SECS: u64 = 45;

/// What the picker's Enter, menu or Ctrl-Y asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// What the command that opened the picker does (`ssopick` alone:
    /// config.toml's `default_action`).
    Default,
    Shell,
    PrintExports,
    CopyExports,
    PrintProfile,
    CopyProfile,
    Console,
    /// The account id (or ids, of marked rows) on the clipboard.
    CopyAccountId,
    /// The role's ARN (for an SSO role, read from STS) on the clipboard.
    CopyRoleArn,
    /// The `ssopick eks-token` command line for the role on the clipboard
    /// (the cluster's name left to fill in).
    CopyEksToken,
}

impl Action {
    /// Acts on every marked row (the others act on one).
    pub fn takes_several(self) -> bool {
        matches!(
            self,
            Action::PrintProfile | Action::Console | Action::CopyAccountId | Action::CopyRoleArn
        )
    }

    /// Stays in the picker (a copy), rather than ending it.
    pub fn is_copy(self) -> bool {
        matches!(
            self,
            Action::CopyExports
                | Action::CopyProfile
                | Action::CopyAccountId
                | Action::CopyRoleArn
                | Action::CopyEksToken
        )
    }
}

/// The options of `ssopick profile` (also what the picker's profile actions
/// use, with config.toml's `profile_name`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileOptions {
    /// sso: sso_session profile (SDKs get credentials themselves); process: credential_process = ssopick ...;
    /// static: keys for the credentials file
    pub style: Style,
    /// Profile name template (default: profile_name of config.toml, else {account_name}/{role_name})
    pub name: Option<String>,
    /// Merge into AWS_CONFIG_FILE (static: AWS_SHARED_CREDENTIALS_FILE) instead of printing
    pub write: bool,
    /// One profile per account/role of the catalog (QUERY words narrow it), in a block ssopick manages
    pub all: bool,
    /// With --all: remove profiles of roles that are no longer listed
    pub prune: bool,
    /// Replace sections ssopick did not write
    pub force: bool,
    /// With --write: show the change as a unified diff and write nothing
    pub dry_run: bool,
    /// process: the line ends with `--login`
    pub login: bool,
}

impl ProfileOptions {
    /// A printed block of `style`, named by `name` (a template).
    pub fn print(style: Style, name: Option<String>) -> ProfileOptions {
        ProfileOptions {
            style,
            name,
            write: false,
            all: false,
            login: false,
            prune: false,
            force: false,
            dry_run: false,
        }
    }

    /// `--name`, else config.toml's `profile_name`.
    #[must_use]
    pub fn with_defaults(mut self, d: &Defaults) -> ProfileOptions {
        self.name = self.name.or_else(|| d.profile_name.clone());
        self
    }
}

/// The config.toml settings a delivery falls back on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Defaults {
    pub action: DefaultAction,
    pub child_credentials: ChildCredentials,
    pub export_format: Format,
    pub profile_name: Option<String>,
    /// config.toml's `[console]`.
    pub console: ConsoleOptions,
}

impl Defaults {
    pub fn from_settings(s: &Settings) -> Defaults {
        Defaults {
            action: s.default_action,
            child_credentials: s.child_credentials,
            export_format: s.export_format.unwrap_or(Format::Bash),
            profile_name: s.profile_name.clone(),
            console: s.console.clone(),
        }
    }

    /// `--format` when given, else config.toml's `export_format`, else bash.
    pub fn format(&self, given: Option<Format>) -> Format {
        given.unwrap_or(self.export_format)
    }
}

/// What a command does with the chosen role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    Shell {
        nest: bool,
        keys: ChildCredentials,
    },
    Exec {
        command: Vec<String>,
        keys: ChildCredentials,
    },
    Export(Format),
    Copy {
        format: Format,
        clear_after: u64,
    },
    Profile(ProfileOptions),
    CopyProfile(ProfileOptions),
    Console(ConsoleOptions),
    /// `eks-token`: Kubernetes' ExecCredential for an EKS cluster.
    EksToken {
        cluster: String,
        /// `--region` or `AWS_REGION`; else the role's region.
        region: Option<String>,
        api_version: &'static str,
    },
    /// `kubeconfig`: a kubectl user running `ssopick eks-token` for the
    /// role, and the cluster's contexts pointed at it.
    Kubeconfig {
        cluster: String,
        region: Option<String>,
    },
    /// `serve`: the local credential endpoint, in the foreground.
    Serve {
        listen: std::net::SocketAddr,
        /// `--env-file`: the export lines go to this new private file,
        /// removed when serve stops; `force` replaces one that is there.
        env_file: Option<std::path::PathBuf>,
        force: bool,
    },
}

impl Delivery {
    /// What `ssopick` alone does: config.toml's `default_action`.
    pub fn default_action(d: &Defaults) -> Delivery {
        match d.action {
            DefaultAction::Shell => Delivery::Shell {
                nest: false,
                keys: d.child_credentials,
            },
            DefaultAction::Export => Delivery::Export(d.export_format),
            DefaultAction::Copy => Delivery::Copy {
                format: d.export_format,
                clear_after: CLIPBOARD_CLEAR_SECS,
            },
            DefaultAction::Profile => {
                Delivery::Profile(ProfileOptions::print(Style::Sso, d.profile_name.clone()))
            }
            DefaultAction::Console => Delivery::Console(d.console.clone()),
        }
    }

    /// The command's own action takes several rows (marked in the picker):
    /// profile blocks (not `--all`) and consoles.
    pub fn takes_several(&self) -> bool {
        match self {
            Delivery::Profile(o) => !o.all,
            Delivery::Console(_) => true,
            _ => false,
        }
    }

    /// The picker's Enter label.
    pub fn label(&self) -> &'static str {
        match self {
            Delivery::Shell { .. } => "shell",
            Delivery::Exec { .. } => "run",
            Delivery::Export(_) => "print exports",
            Delivery::Copy { .. } => "copy",
            Delivery::Profile(_) => "profile block",
            Delivery::CopyProfile(_) => "copy profile",
            Delivery::Console(_) => "console",
            Delivery::Serve { .. } => "serve",
            Delivery::EksToken { .. } => "eks token",
            Delivery::Kubeconfig { .. } => "kubeconfig",
        }
    }

    /// The picker's choice replaces the command's own action; the defaults
    /// fill in what the menu does not say.
    #[must_use]
    pub fn with(self, action: Action, d: &Defaults) -> Delivery {
        let nest = matches!(self, Delivery::Shell { nest: true, .. });
        match action {
            Action::Default => self,
            Action::Shell => Delivery::Shell {
                nest,
                keys: d.child_credentials,
            },
            Action::PrintExports => Delivery::Export(d.export_format),
            Action::CopyExports => Delivery::Copy {
                format: d.export_format,
                clear_after: CLIPBOARD_CLEAR_SECS,
            },
            Action::PrintProfile => {
                Delivery::Profile(ProfileOptions::print(Style::Sso, d.profile_name.clone()))
            }
            Action::CopyProfile => {
                Delivery::CopyProfile(ProfileOptions::print(Style::Sso, d.profile_name.clone()))
            }
            Action::Console => Delivery::Console(d.console.clone()),
            // Copies the picker carries out itself; they never end it.
            Action::CopyAccountId | Action::CopyRoleArn | Action::CopyEksToken => self,
        }
    }

    /// Ctrl-Y in the picker: export lines on the clipboard, in the
    /// configured format.
    pub fn quick_copy(d: &Defaults) -> Delivery {
        Delivery::Copy {
            format: d.export_format,
            clear_after: CLIPBOARD_CLEAR_SECS,
        }
    }

    /// Shell and exec in a production account ask first.
    pub fn needs_confirmation(&self) -> Option<&'static str> {
        match self {
            Delivery::Shell { .. } => Some("Open a shell"),
            Delivery::Exec { .. } => Some("Run the command"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn configured() -> Defaults {
        Defaults::from_settings(
            &Settings::parse(
                "default_action = \"profile\"\nexport_format = \"fish\"\nprofile_name = \"{account_id}.{role_name}\"\n",
            )
            .unwrap(),
        )
    }

    #[test]
    fn config_reaches_every_path() {
        let d = configured();
        let named = Some("{account_id}.{role_name}".to_string());
        // `ssopick` alone with default_action = "profile": the configured name.
        assert_eq!(
            Delivery::default_action(&d),
            Delivery::Profile(ProfileOptions::print(Style::Sso, named.clone()))
        );
        let shell = Delivery::Shell {
            nest: false,
            keys: ChildCredentials::Endpoint,
        };
        assert_eq!(
            shell.clone().with(Action::PrintExports, &d),
            Delivery::Export(Format::Fish)
        );
        assert_eq!(
            shell.clone().with(Action::CopyExports, &d),
            Delivery::Copy {
                format: Format::Fish,
                clear_after: CLIPBOARD_CLEAR_SECS
            }
        );
        assert_eq!(
            shell.clone().with(Action::PrintProfile, &d),
            Delivery::Profile(ProfileOptions::print(Style::Sso, named.clone()))
        );
        assert_eq!(
            shell.clone().with(Action::CopyProfile, &d),
            Delivery::CopyProfile(ProfileOptions::print(Style::Sso, named))
        );
        assert_eq!(
            Delivery::quick_copy(&d),
            Delivery::Copy {
                format: Format::Fish,
                clear_after: CLIPBOARD_CLEAR_SECS
            }
        );
        assert_eq!(shell.clone().with(Action::Default, &d), shell);
        let nested = Delivery::Shell {
            nest: true,
            keys: ChildCredentials::Endpoint,
        };
        assert_eq!(nested.clone().with(Action::Shell, &d), nested);
    }

    #[test]
    fn flags_win_over_config() {
        let d = configured();
        assert_eq!(d.format(Some(Format::Json)), Format::Json);
        assert_eq!(d.format(None), Format::Fish);
        let given = ProfileOptions::print(Style::Process, Some("x".into())).with_defaults(&d);
        assert_eq!(given.name.as_deref(), Some("x"));
        let plain = ProfileOptions::print(Style::Sso, None).with_defaults(&d);
        assert_eq!(plain.name.as_deref(), Some("{account_id}.{role_name}"));
        let none = Defaults::from_settings(&Settings::default());
        assert_eq!(none.format(None), Format::Bash);
        assert_eq!(
            Delivery::default_action(&none),
            Delivery::Shell {
                nest: false,
                keys: ChildCredentials::Endpoint
            }
        );
    }
}
