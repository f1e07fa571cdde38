//! The terminal the picker draws on: /dev/tty (stdout stays free for
//! results, so `$(ssopick ...)` works), input from the terminal even when
//! stdin is redirected. One `restore()` serves the guard's Drop, the panic
//! hook (installed once per process) and the signal path (SIGTERM, SIGHUP).

use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    EventStream,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::Write;
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    #[error("cannot open the terminal (/dev/tty): {0}")]
    Open(std::io::Error),
    #[error("cannot set up the terminal: {0}")]
    Setup(std::io::Error),
    #[error("cannot watch signals: {0}")]
    Signals(std::io::Error),
}

pub type Tty = Box<dyn Write + Send>;

fn open_tty() -> std::io::Result<Tty> {
    Ok(Box::new(crate::tty::output()?))
}

/// True while the picker holds the terminal (raw mode): nothing else may
/// read from it or ask on it then.
pub fn in_use() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

/// True when there is a terminal to run the picker on.
pub fn available() -> bool {
    open_tty().is_ok() && crossterm::terminal::size().is_ok_and(|(w, h)| w > 0 && h > 0)
}

/// Puts the terminal back: cooked mode, main screen, cursor shown. Safe to
/// call more than once and from a panic hook.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    if let Ok(mut tty) = open_tty() {
        let _ = execute!(
            tty,
            DisableMouseCapture,
            DisableBracketedPaste,
            LeaveAlternateScreen,
            cursor::Show
        );
        let _ = tty.flush();
    }
}

/// Restores the terminal when dropped.
pub struct Guard;
impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// The picker's terminal, in raw mode on the alternate screen.
pub fn open() -> Result<(Terminal<CrosstermBackend<Tty>>, Guard), TerminalError> {
    let mut tty = open_tty().map_err(TerminalError::Open)?;
    PANIC_HOOK.call_once(|| {
        let prev = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            prev(info);
        }));
    });
    enable_raw_mode().map_err(TerminalError::Setup)?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = Guard;
    execute!(
        tty,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
    .map_err(TerminalError::Setup)?;
    // Buffered: a frame leaves in one write when ratatui flushes it, not in
    // hundreds of escape-sequence pieces (each a system call).
    let buffered: Tty = Box::new(std::io::BufWriter::with_capacity(1 << 16, tty));
    let term = Terminal::new(CrosstermBackend::new(buffered))
        .map_err(|e| TerminalError::Setup(std::io::Error::other(e.to_string())))?;
    Ok((term, guard))
}

/// The terminal's input events.
pub fn events() -> EventStream {
    EventStream::new()
}

/// Resolves with the number of the first SIGTERM or SIGHUP (never on
/// platforms without them).
pub fn signals() -> Result<impl std::future::Future<Output = i32>, TerminalError> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).map_err(TerminalError::Signals)?;
        let mut hup = signal(SignalKind::hangup()).map_err(TerminalError::Signals)?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => libc::SIGTERM,
                _ = hup.recv() => libc::SIGHUP,
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(std::future::pending::<i32>())
    }
}
