//! `ssopick __complete KIND [--account A] -- PREFIX` (hidden): the
//! completion scripts' question. Account names and ids, role names or QUERY
//! words from every catalog snapshot and the AWS files' other profiles, one
//! per line, before any other set-up (a Tab press must not wait for a
//! listing, a login or the AWS config's sessions; a large config's profile
//! rows are kept while the files are unchanged).

use crate::app::error::Error;
use crate::app::output::print;
use crate::core::catalog::Catalog;
use crate::core::completion::{Kind, candidates};
use crate::edge::env::Env;
use crate::edge::paths::Paths;
use crate::edge::{fs, snapshot};

#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    #[arg(value_parser = crate::values::named::<Kind>(Kind::NAMES))]
    pub kind: Kind,
    /// Roles of this account only (id or name)
    #[arg(long = "account", id = "within", value_name = "ACCOUNT")]
    pub account: Option<String>,
    /// What the word starts with
    #[arg(default_value = "", allow_hyphen_values = true)]
    pub prefix: String,
}

pub(crate) fn run(env: &Env, args: &Args) -> Result<i32, Error> {
    let Ok(paths) = Paths::from_env(env) else {
        return Ok(0);
    };
    // A cache folder another user could write to is not read.
    if fs::untrusted_dir(&paths.cache).is_some() {
        return Ok(0);
    }
    let mut cats = snapshot::load_all(&paths.cache);
    // config.toml's chains and account metadata, and the AWS files' other
    // profiles (kept for a large config), as the picker shows them (a
    // broken config.toml only means fewer candidates here).
    if let Ok(mut settings) = crate::app::setup::load_settings(env, &paths) {
        if settings.picker.profiles {
            let found = crate::app::setup::profiles_found(&paths, false);
            settings.profiles = found.rows;
            settings.profile_aliases = found.aliases;
            if cats.is_empty() && !settings.profiles.is_empty() {
                // No snapshot (or no SSO session): the profiles alone.
                cats.push(Catalog::new("", "", "", crate::core::time::UtcTime(0)));
            }
        }
        settings.additions().apply(cats.iter_mut());
    }
    let refs: Vec<&Catalog> = cats.iter().collect();
    let within = args.account.as_deref().filter(|a| !a.is_empty());
    let mut out = String::new();
    for c in candidates(args.kind, &args.prefix, within, &refs) {
        out.push_str(&c);
        out.push('\n');
    }
    print(&out)
}
