//! `ssopick init SHELL`: the `ssopick-use` shell function (see
//! `core::shell_init`).

use crate::app::error::Error;
use crate::app::output::print;
use crate::core::shell_init::{InitShell, script};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  eval \"$(ssopick init bash)\"     # in ~/.bashrc (zsh: init zsh)\n  \
ssopick init fish | source       # in ~/.config/fish/config.fish\n  \
ssopick init powershell | Out-String | Invoke-Expression   # in $PROFILE\n\n\
Then: ssopick-use [QUERY] picks a role and sets its keys in this shell (static keys:\n\
they expire; AWS_CREDENTIAL_EXPIRATION says when); ssopick-use --unset removes them.\n\
It sets AWS_SSO_PROFILE=account/role for prompts (starship's aws module shows it)."
)]
pub struct Args {
    #[arg(value_parser = crate::values::named::<InitShell>(InitShell::NAMES))]
    pub shell: InitShell,
}

pub(crate) fn run(args: &Args) -> Result<i32, Error> {
    print(&script(args.shell))
}
