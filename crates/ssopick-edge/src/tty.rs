//! The controlling terminal as a file, whatever stdin and stdout are:
//! `/dev/tty` on Unix, the console's `CONIN$`/`CONOUT$` on Windows (which
//! crossterm also uses). For the picker, questions, OSC 52 and children
//! that must reach the terminal when ssopick's own output is captured.

use std::fs::{File, OpenOptions};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by `never`: this run behaves as if it had no terminal.
static NEVER: AtomicBool = AtomicBool::new(false);

/// From now on this run has no terminal: no picker, no question (a
/// command that must never prompt, such as `export --format claude`,
/// whose caller may share its terminal).
pub fn never() {
    NEVER.store(true, Ordering::SeqCst);
}

fn refused() -> std::io::Result<File> {
    Err(std::io::Error::new(
        std::io::ErrorKind::NotFound,
        "this command never uses the terminal",
    ))
}

#[cfg(unix)]
const INPUT: &str = "/dev/tty";
#[cfg(unix)]
const OUTPUT: &str = "/dev/tty";
#[cfg(windows)]
const INPUT: &str = "CONIN$";
#[cfg(windows)]
const OUTPUT: &str = "CONOUT$";
#[cfg(not(any(unix, windows)))]
const INPUT: &str = "";
#[cfg(not(any(unix, windows)))]
const OUTPUT: &str = "";

/// The terminal, to read from (opened for writing too: console modes
/// are set through the input handle on Windows).
pub fn input() -> std::io::Result<File> {
    if NEVER.load(Ordering::SeqCst) {
        return refused();
    }
    OpenOptions::new().read(true).write(true).open(INPUT)
}

/// The terminal, to write to.
pub fn output() -> std::io::Result<File> {
    if NEVER.load(Ordering::SeqCst) {
        return refused();
    }
    OpenOptions::new().read(cfg!(unix)).write(true).open(OUTPUT)
}

/// Whether there is a terminal at all.
pub fn present() -> bool {
    input().is_ok()
}
