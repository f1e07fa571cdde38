//! `-v/--verbose`: one process-wide switch, the notes it lets through to
//! stderr, and the whole source chain of an error (the SDK's wrappers
//! included) for when the one-line message is not enough.

use std::sync::atomic::{AtomicBool, Ordering};

static VERBOSE: AtomicBool = AtomicBool::new(false);

pub fn set_verbose(on: bool) {
    VERBOSE.store(on, Ordering::Relaxed);
}

pub fn verbose() -> bool {
    VERBOSE.load(Ordering::Relaxed)
}

/// A note on stderr under `--verbose` only.
pub fn note(msg: &str) {
    if verbose() {
        eprintln!("ssopick: {}", ssopick_core::catalog::clean_text(msg));
    }
}

/// Under `--verbose`, each cause of `e` on its own line ("  caused by:
/// ..."), cleaned for the terminal; else nothing.
pub fn causes(e: &(dyn std::error::Error + 'static)) -> String {
    if !verbose() {
        return String::new();
    }
    let mut out = String::new();
    let mut cur = e.source();
    let mut depth = 0;
    while let Some(c) = cur {
        if depth >= 16 {
            break;
        }
        for line in c.to_string().lines().take(4) {
            out.push_str("\n  caused by: ");
            out.push_str(&ssopick_core::catalog::clean_text(line));
        }
        cur = c.source();
        depth += 1;
    }
    out
}

/// The innermost cause of an error, on one line ("Connection refused (os
/// error 111)"), not the SDK's whole chain of wrappers.
pub fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    let mut depth = 0;
    while let Some(next) = cur.source() {
        if depth >= 16 {
            break;
        }
        cur = next;
        depth += 1;
    }
    ssopick_core::catalog::clean_text(cur.to_string().lines().next().unwrap_or(""))
}
