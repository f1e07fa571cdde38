//! `ssopick import granted|aws-sso-cli [--write] [--force]`: another
//! tool's sessions into `~/.aws/config` and its account aliases, tags and
//! regions into config.toml. A dry run (the diffs) unless `--write`.

use crate::app::error::Error;
use crate::app::import::{Source, run as import};
use crate::app::setup::Setup;
use crate::core::env_vars as var;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick import aws-sso-cli            # the diffs ssopick would make\n  ssopick import aws-sso-cli --write\n  ssopick import granted --write --force\n\n\
aws-sso-cli: ~/.aws-sso/config.yaml ($AWS_SSO_CONFIG, or --file): each SSOConfig an [sso-session]; Accounts' Name, Tags and DefaultRegion as [[account]] alias, tags, region.\n\
granted: profiles with granted_sso_* keys: their start URLs as [sso-session]s; a profile name as its account's alias when it is the account's only profile."
)]
pub struct Args {
    /// Whose set-up to import
    #[arg(value_parser = ["granted", "aws-sso-cli"])]
    pub from: String,
    /// Write the changes (each file keeps its previous version as .bak)
    #[arg(long)]
    pub write: bool,
    /// Replace [[account]] fields config.toml already has
    #[arg(long)]
    pub force: bool,
    /// aws-sso-cli's config file (default: $AWS_SSO_CONFIG, else ~/.aws-sso/config.yaml)
    #[arg(long, value_name = "PATH")]
    pub file: Option<std::path::PathBuf>,
}

pub(crate) fn run(setup: &Setup, args: &Args) -> Result<i32, Error> {
    let source = if args.from == "granted" {
        Source::Granted
    } else {
        let env = &setup.env;
        let path = args.file.clone().unwrap_or_else(|| {
            env.get(var::AWS_SSO_CONFIG).map_or_else(
                || {
                    let home = env.get(var::HOME).or_else(|| env.get(var::USERPROFILE));
                    std::path::PathBuf::from(home.unwrap_or_default()).join(".aws-sso/config.yaml")
                },
                std::path::PathBuf::from,
            )
        });
        Source::AwsSsoCli(path)
    };
    import(setup, &source, args.write, args.force)
}
