//! Standard output, where results (and only results) go.

use std::io::Write;

/// Writes `text` and flushes. A closed pipe (`ssopick list | head`) is not
/// an error: whoever reads has what they wanted.
pub fn write(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}
