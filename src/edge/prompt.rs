//! Questions on the terminal (never on stdin/stdout, which may be
//! pipes). `None` when there is no terminal to ask on.

use std::io::{BufRead, Write};

pub fn ask(question: &str, default_yes: bool) -> Option<bool> {
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    tty.write_all(question.as_bytes())
        .and_then(|()| tty.flush())
        .ok()?;
    let mut answer = String::new();
    std::io::BufReader::new(tty).read_line(&mut answer).ok()?;
    let a = answer.trim().to_lowercase();
    Some(if a.is_empty() {
        default_yes
    } else {
        a == "y" || a == "yes"
    })
}

/// One line of text from the terminal (at most 4 KiB, trimmed); `None`
/// when there is no terminal or it was closed (Ctrl-D).
pub fn ask_line(question: &str) -> Option<String> {
    use std::io::Read;
    let mut tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    tty.write_all(question.as_bytes())
        .and_then(|()| tty.flush())
        .ok()?;
    let mut answer = String::new();
    let n = std::io::BufReader::new(tty.take(4096))
        .read_line(&mut answer)
        .ok()?;
    (n > 0).then(|| answer.trim().to_string())
}

/// Whether there is a terminal to ask on.
pub fn has_terminal() -> bool {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .is_ok()
}
