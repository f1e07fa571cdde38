//! Questions on the terminal (never on stdin/stdout, which may be pipes).
//! `None` when there is no terminal to ask on.

use crate::tty;
use std::io::{BufRead, Read, Write};

/// Asks `question`; the answer's line (at most 4 KiB, trimmed), `None` when
/// there is no terminal or it was closed (Ctrl-D).
pub fn ask_line(question: &str) -> Option<String> {
    if crate::terminal::in_use() {
        return None;
    }
    let (input, mut out) = (tty::input().ok()?, tty::output().ok()?);
    out.write_all(question.as_bytes())
        .and_then(|()| out.flush())
        .ok()?;
    let mut answer = String::new();
    let n = std::io::BufReader::new(input.take(4096))
        .read_line(&mut answer)
        .ok()?;
    (n > 0).then(|| answer.trim().to_string())
}

/// A yes/no question; an answer that is neither is asked again (3 times,
/// then it counts as no).
pub fn ask(question: &str, default_yes: bool) -> Option<bool> {
    for _ in 0..3 {
        match ask_line(question)?.to_lowercase().as_str() {
            "" => return Some(default_yes),
            "y" | "yes" => return Some(true),
            "n" | "no" => return Some(false),
            _ => {}
        }
    }
    Some(false)
}

/// Whether there is a terminal to ask on (not while the picker holds it:
/// a Ctrl-Y copy from inside it cannot ask).
pub fn has_terminal() -> bool {
    !crate::terminal::in_use() && tty::present()
}
