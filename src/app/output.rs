//! A command's result on stdout.

use crate::app::error::Error;
use crate::edge::stdout;

/// Writes a command's result to stdout; the exit code is 0.
pub(crate) fn print(text: &str) -> Result<i32, Error> {
    stdout::write(text).map_err(Error::Stdout)?;
    Ok(0)
}
