//! `ssopick completions SHELL`: a completion script on stdout.

use crate::app::error::Error;
use crate::app::output::print;
use crate::core::completion;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick completions bash > ~/.local/share/bash-completion/completions/ssopick\n  \
ssopick completions zsh > \"${fpath[1]}/_ssopick\"\n  ssopick completions fish > ~/.config/fish/completions/ssopick.fish\n  \
ssopick completions powershell >> $PROFILE"
)]
pub struct Args {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `cli` is the whole command-line definition.
pub(crate) fn run(mut cli: clap::Command, args: &Args) -> Result<i32, Error> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cli, "ssopick", &mut out);
    let script = String::from_utf8_lossy(&out).into_owned();
    // bash and zsh also complete account and role names and QUERY words
    // from the snapshots.
    let script = match args.shell {
        clap_complete::Shell::Bash => script + completion::BASH_WRAPPER,
        clap_complete::Shell::Zsh => completion::zsh_script(&script).unwrap_or(script),
        _ => script,
    };
    print(&script)
}
