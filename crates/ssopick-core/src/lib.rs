//! The pure core: data, parsing, matching, formatting and rules. Nothing here
//! reads a file, the network, the terminal, the environment or the clock.
/// A simple enum given by name on a command line or in a file: `NAMES`
/// (each name with its help line), `as_str` and `FromStr`. The command
/// line parser builds its value parser from these (the core depends on no
/// parser).
#[macro_export]
macro_rules! named_enum {
    ($ty:ident { $($variant:ident = $text:literal : $help:literal),* $(,)? }) => {
        impl $ty {
            /// Every name, with its help line.
            pub const NAMES: &'static [(&'static str, &'static str)] = &[$(($text, $help)),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text),*
                }
            }
        }

        impl std::str::FromStr for $ty {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok(Self::$variant),)*
                    _ => Err(format!(
                        "{s:?} is not one of {}",
                        Self::NAMES.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub mod account_meta;
pub mod bounds;
pub mod catalog;
pub mod chain;
pub mod completion;
pub mod config_rows;
pub mod console;
pub mod console_open;
pub mod credentials;
pub mod delivery;
pub mod desktop_entry;
pub mod doctor;
pub mod eks;
pub mod env_vars;
pub mod export;
pub mod filter;
pub mod fold;
pub mod history;
pub mod import;
pub mod inifile;
pub mod listing;
pub mod manual;
pub mod names;
pub mod pace;
pub mod partition;
pub mod pick_format;
pub mod profile;
pub mod profile_rows;
pub mod regions;
pub mod secret;
pub mod select;
pub mod settings;
pub mod shell_init;
pub mod snapshot_stream;
pub mod sso;
pub mod status;
pub mod table;
pub mod time;
pub mod url;
pub mod visible;
