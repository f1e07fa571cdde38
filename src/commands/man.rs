//! `ssopick man`: the man page (roff) on stdout.

use crate::app::error::Error;
use crate::app::output::print;

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Example:\n  ssopick man > ~/.local/share/man/man1/ssopick.1")]
pub struct Args {}

/// `cli` is the whole command-line definition.
pub fn run(cli: clap::Command) -> Result<i32, Error> {
    let mut out = Vec::new();
    clap_mangen::Man::new(cli)
        .render(&mut out)
        .map_err(Error::Stdout)?;
    print(&String::from_utf8_lossy(&out))
}
