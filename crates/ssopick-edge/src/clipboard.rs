//! The clipboard: the system one through arboard, kept alive by a small
//! detached ssopick process (on X11 the content vanishes when its owner
//! exits), which also clears it after `--clear-after` seconds if it still
//! holds what ssopick put there. With no display, or over SSH, OSC 52 asks
//! the terminal to set the clipboard on the user's own machine.

mod through_terminal;

use crate::env::Env;
use ssopick_core::env_vars as var;
use std::io::{BufRead, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use through_terminal::Way;

pub const SERVE_COMMAND: &str = "__clipboard-serve";

/// Neither the system clipboard nor the terminal could take the text.
#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    #[error(
        "no clipboard: no display to use and no terminal for OSC 52 ({0}).\nUse `ssopick export` and redirect its output instead."
    )]
    NoTerminal(std::io::Error),
    /// The terminal multiplexer would drop it (the fix included).
    #[error("{0}")]
    Refused(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    System,
    Osc52,
}

/// OSC 52 over SSH (the system clipboard there is the remote machine's) and
/// where there is no display; the system clipboard elsewhere.
pub fn choose_method(env: &Env) -> Method {
    if env.get(var::SSH_CONNECTION).is_some() || env.get(var::SSH_TTY).is_some() {
        return Method::Osc52;
    }
    let needs_display = cfg!(all(unix, not(target_os = "macos")));
    if needs_display && env.get(var::DISPLAY).is_none() && env.get(var::WAYLAND_DISPLAY).is_none() {
        return Method::Osc52;
    }
    Method::System
}

fn write_osc52(seq: &str) -> Result<(), ClipboardError> {
    let tty = crate::tty::output();
    let written = match tty {
        Ok(mut t) => t.write_all(seq.as_bytes()).and_then(|()| t.flush()),
        Err(_) if std::io::IsTerminal::is_terminal(&std::io::stderr()) => {
            let mut e = std::io::stderr().lock();
            e.write_all(seq.as_bytes()).and_then(|()| e.flush())
        }
        Err(e) => Err(e),
    };
    written.map_err(ClipboardError::NoTerminal)
}

/// Hands `text` to a detached server process and waits for its word.
fn copy_system(text: &str, clear_after: u64) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut child = Command::new(exe)
        .args([SERVE_COMMAND, &clear_after.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or("no pipe to the clipboard server")?;
    stdin
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())?;
    drop(stdin);
    let mut line = String::new();
    let stdout = child
        .stdout
        .take()
        .ok_or("no pipe from the clipboard server")?;
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    match line.trim() {
        "ok" => Ok(()),
        other => {
            let _ = child.wait();
            Err(other
                .strip_prefix("error: ")
                .unwrap_or("the clipboard server stopped")
                .to_string())
        }
    }
}

/// Sets `text` marked as a secret for clipboard managers: kept out of
/// their history (Linux: the `x-kde-passwordManagerHint` target; macOS:
/// the concealed type), and on Windows out of monitoring and cloud sync too.
fn set_secret(cb: &mut arboard::Clipboard, text: &str) -> Result<(), arboard::Error> {
    let set = cb.set();
    #[cfg(all(
        unix,
        not(any(target_os = "macos", target_os = "android", target_os = "emscripten"))
    ))]
    let set = arboard::SetExtLinux::exclude_from_history(set);
    #[cfg(target_os = "macos")]
    let set = arboard::SetExtApple::exclude_from_history(set);
    #[cfg(windows)]
    let set = {
        use arboard::SetExtWindows;
        set.exclude_from_history()
            .exclude_from_monitoring()
            .exclude_from_cloud()
    };
    set.text(text)
}

/// Which clipboard `copy` would use here, and whether it answers (doctor).
pub fn probe(env: &Env) -> Result<String, String> {
    match choose_method(env) {
        Method::Osc52 => match through_terminal::way(env) {
            Way::Direct => Ok("through the terminal (OSC 52; SSH or no display)".into()),
            Way::TmuxBuffer if through_terminal::tmux_client_takes_clipboard() => {
                Ok("through tmux (a buffer of its own, sent on as OSC 52 by set-clipboard)".into())
            }
            Way::TmuxBuffer => Err(
                "tmux has no attached terminal that takes OSC 52: copies stay in tmux's own buffers"
                    .into(),
            ),
            Way::TmuxPassthrough => {
                Ok("through tmux's passthrough (OSC 52; allow-passthrough on)".into())
            }
            Way::Screen => Ok("through GNU screen (OSC 52 in its DCS wrapper)".into()),
            Way::Refused(why) => Err(why),
        },
        Method::System => arboard::Clipboard::new()
            .map(|_| "the system clipboard".to_string())
            .map_err(|e| {
                // What `copy` falls back to, said as `copy` would do it.
                let then = match through_terminal::way(env) {
                    Way::Refused(why) => format!("and the fallback is refused: {why}"),
                    Way::TmuxBuffer => "copy falls back to a tmux buffer".into(),
                    Way::TmuxPassthrough => "copy falls back to tmux's passthrough".into(),
                    Way::Screen => "copy falls back to OSC 52 through GNU screen".into(),
                    Way::Direct => "copy falls back to OSC 52 through the terminal".into(),
                };
                format!("the system clipboard does not answer ({e}); {then}")
            }),
    }
}

/// Where a copy goes here, decided once: the method, and (for OSC 52) the
/// way through the terminal, which asks tmux.
pub struct Route {
    method: Method,
    way: Option<Way>,
}

/// The route for a copy; refused before anything is fetched when the text
/// could not reach any clipboard here (tmux with `set-clipboard off` and
/// no passthrough).
pub fn check(env: &Env) -> Result<Route, ClipboardError> {
    let method = choose_method(env);
    let way = (method == Method::Osc52).then(|| through_terminal::way(env));
    if let Some(Way::Refused(why)) = way {
        return Err(ClipboardError::Refused(why));
    }
    Ok(Route { method, way })
}

/// Copies `text`; returns which way it went, in words for the user.
pub fn copy(
    text: &str,
    env: &Env,
    clear_after: u64,
    what: &str,
) -> Result<(Method, String), ClipboardError> {
    copy_via(&check(env)?, text, env, clear_after, what)
}

/// `copy` along a route `check` gave.
pub fn copy_via(
    route: &Route,
    text: &str,
    env: &Env,
    clear_after: u64,
    what: &str,
) -> Result<(Method, String), ClipboardError> {
    let mut note = String::new();
    if route.method == Method::System {
        match copy_system(text, clear_after) {
            Ok(()) => {
                let clear = if clear_after > 0 {
                    format!(", cleared in {clear_after} s if unchanged")
                } else {
                    String::new()
                };
                return Ok((
                    Method::System,
                    format!("copied {what} to the system clipboard{clear}"),
                ));
            }
            Err(e) => note = format!(" (system clipboard unavailable: {e})"),
        }
    }
    // The system clipboard failed: the terminal's way is asked only now.
    let way = route
        .way
        .clone()
        .unwrap_or_else(|| through_terminal::way(env));
    let how = match &way {
        Way::Refused(why) => return Err(ClipboardError::Refused(why.clone())),
        Way::TmuxBuffer => {
            let name = through_terminal::tmux_buffer(text, clear_after)
                .map_err(|e| ClipboardError::Refused(e.to_string()))?;
            let later = if clear_after > 0 {
                format!("; tmux deletes buffer {name} in {clear_after} s")
            } else {
                String::new()
            };
            let said = if through_terminal::tmux_client_takes_clipboard() {
                format!(
                    "copied {what} through tmux (set-clipboard){note}{later} (the outer terminal's clipboard stays: clear it yourself)"
                )
            } else {
                format!(
                    "put {what} in tmux's buffer {name} only (paste it with tmux's paste-buffer): no attached terminal takes OSC 52{note}{later}"
                )
            };
            return Ok((Method::Osc52, said));
        }
        Way::TmuxPassthrough => "through tmux's passthrough (OSC 52)",
        Way::Screen => "through GNU screen (OSC 52)",
        Way::Direct => "through the terminal (OSC 52)",
    };
    write_osc52(&through_terminal::sequence(text, &way))?;
    let later = if clear_after > 0 {
        "; it cannot be cleared later that way, clear it yourself"
    } else {
        ""
    };
    Ok((Method::Osc52, format!("copied {what} {how}{note}{later}")))
}

/// The detached server: reads the text on stdin, owns the clipboard, says
/// `ok` (or `error: ...`) on stdout, then keeps serving until another
/// program takes the clipboard or `clear_after` seconds pass.
pub fn serve(clear_after: u64) -> i32 {
    #[cfg(unix)]
    // SAFETY: setsid has no preconditions; it detaches us from the terminal
    // so closing it does not end the clipboard's owner.
    #[allow(unsafe_code)]
    unsafe {
        libc::setsid();
    }
    let mut text = String::new();
    if std::io::stdin().read_to_string(&mut text).is_err() {
        println!("error: could not read the text to copy");
        return 1;
    }
    let mut cb = match arboard::Clipboard::new() {
        Ok(c) => c,
        Err(e) => {
            println!("error: {e}");
            return 1;
        }
    };
    if let Err(e) = set_secret(&mut cb, &text) {
        println!("error: {e}");
        return 1;
    }
    println!("ok");
    let _ = std::io::stdout().flush();
    // Close our end so a caller's `$(...)` or pipe is never held open.
    #[cfg(unix)]
    // SAFETY: closing our own stdout/stdin descriptors; nothing uses them after.
    #[allow(unsafe_code)]
    unsafe {
        libc::close(1);
        libc::close(0);
    }
    let deadline = (clear_after > 0).then(|| Instant::now() + Duration::from_secs(clear_after));
    loop {
        std::thread::sleep(Duration::from_millis(250));
        let still_ours = cb.get_text().is_ok_and(|t| t == text);
        if !still_ours {
            return 0;
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            let _ = cb.clear();
            return 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs)
    }

    #[test]
    fn method_choice() {
        assert_eq!(
            choose_method(&env(&[("SSH_CONNECTION", "1 2 3 4"), ("DISPLAY", ":0")])),
            Method::Osc52
        );
        #[cfg(target_os = "linux")]
        {
            assert_eq!(choose_method(&env(&[])), Method::Osc52);
            assert_eq!(choose_method(&env(&[("DISPLAY", ":0")])), Method::System);
            assert_eq!(
                choose_method(&env(&[("WAYLAND_DISPLAY", "wayland-0")])),
                Method::System
            );
        }
    }
}
