//! A man page shown on the terminal: through `man -l -` where man-db is
//! the `man` here, else `mandoc -a`, else its plain text in `$PAGER`
//! (`less` when unset), else printed. The page goes on stdin, never argv.

use crate::env::Env;
use ssopick_core::env_vars as var;
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `program args` with `input` on its stdin; whether it ran and ended
/// well (a viewer that cannot start or fails lets the next one try).
fn feed(program: &str, args: &[&str], input: &str) -> bool {
    let Ok(mut child) = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .spawn()
    else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The viewer may quit before reading it all (`q` in less).
        let _ = stdin.write_all(input.as_bytes());
    }
    child.wait().is_ok_and(|s| s.success())
}

/// `man` is man-db's (the one with `-l`): `man --version` says `man 2.x`.
fn man_db() -> bool {
    Command::new("man")
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"man "))
}

/// Shows `roff` (or, with no man viewer, `plain`) on the terminal.
pub fn show(roff: &str, plain: &str, env: &Env) -> std::io::Result<()> {
    if man_db() && feed("man", &["-l", "-"], roff) {
        return Ok(());
    }
    if feed("mandoc", &["-a"], roff) {
        return Ok(());
    }
    let pager = env.get(var::PAGER).unwrap_or_else(|| "less".into());
    let words: Vec<&str> = pager.split_whitespace().collect();
    if let Some((program, args)) = words.split_first()
        && feed(program, args, plain)
    {
        return Ok(());
    }
    crate::stdout::write(plain)
}
