//! Yes/no questions on the terminal (never on stdin/stdout, which may be
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
