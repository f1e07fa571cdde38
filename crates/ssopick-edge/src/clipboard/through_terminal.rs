//! The clipboard through the terminal (over SSH, or with no display):
//! OSC 52, as the multiplexer in between lets it through, and said
//! honestly when it would not.
//!
//! Inside tmux, `set-clipboard external` or `on`: the text goes into a
//! tmux buffer of ssopick's own with `load-buffer -w` (text on stdin),
//! which tmux also sends on to the outer terminal; the buffer is deleted
//! at the auto-clear. `set-clipboard off`: the sequence is wrapped for
//! passthrough when `allow-passthrough` is on, else nothing is sent and
//! the user is told how to allow it. GNU screen gets its DCS wrapper.

use crate::env::Env;
use base64::Engine;
use ssopick_core::env_vars as var;
use std::io::Write;
use std::process::{Command, Stdio};

/// What tells the user how to let ssopick copy inside tmux.
pub(super) const TMUX_REFUSED: &str = "cannot copy inside this tmux: set -g set-clipboard external";

/// How the text reaches the terminal's clipboard here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Way {
    /// OSC 52 written to the terminal.
    Direct,
    /// A tmux buffer of ssopick's own, sent on by tmux (`load-buffer -w`).
    TmuxBuffer,
    /// OSC 52 in tmux's passthrough wrapper (`allow-passthrough on`).
    TmuxPassthrough,
    /// OSC 52 in GNU screen's DCS wrapper.
    Screen,
    /// Nothing would reach the clipboard: why, and the fix.
    Refused(String),
}

/// A tmux option's value as the running tmux says it (`None`: no answer).
fn tmux_option(args: &[&str]) -> Option<String> {
    let o = Command::new("tmux")
        .arg("show-options")
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    o.status
        .success()
        .then(|| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// The way for this terminal.
pub(super) fn way(env: &Env) -> Way {
    if env.get(var::TMUX).is_some() {
        return match tmux_option(&["-gv", "set-clipboard"]).as_deref() {
            Some("on" | "external") => Way::TmuxBuffer,
            Some(_) => {
                // The value this pane really has (pane, window or global:
                // `-A` resolves the inheritance), else the global one.
                let pass = tmux_option(&["-Apv", "allow-passthrough"])
                    .map(|v| v.trim_end_matches('*').trim().to_string())
                    .filter(|v| !v.is_empty())
                    .or_else(|| tmux_option(&["-gv", "allow-passthrough"]));
                if matches!(pass.as_deref(), Some("on" | "all")) {
                    Way::TmuxPassthrough
                } else {
                    Way::Refused(TMUX_REFUSED.into())
                }
            }
            None => Way::Refused(format!("{TMUX_REFUSED} (tmux did not answer)")),
        };
    }
    if env.get(var::STY).is_some() {
        return Way::Screen;
    }
    Way::Direct
}

/// The OSC 52 sequence for `text`, wrapped for `way`.
pub(super) fn sequence(text: &str, way: &Way) -> String {
    let b64 = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    let plain = format!("\x1b]52;c;{b64}\x07");
    match way {
        Way::TmuxPassthrough => format!("\x1bPtmux;\x1b\x1b]52;c;{b64}\x07\x1b\\"),
        // screen passes a DCS string on, but cuts long ones: in pieces.
        Way::Screen => {
            let mut out = String::new();
            for c in plain.as_bytes().chunks(76) {
                out.push_str("\x1bP");
                out.push_str(&String::from_utf8_lossy(c));
                out.push_str("\x1b\\");
            }
            out
        }
        _ => plain,
    }
}

/// Whether an attached tmux client's terminal takes OSC 52 (tmux sends
/// the buffer on only to those).
pub(super) fn tmux_client_takes_clipboard() -> bool {
    Command::new("tmux")
        .args(["list-clients", "-F", "#{client_termfeatures}"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.split(',').any(|f| f.trim() == "clipboard"))
        })
}

/// Puts `text` in a new tmux buffer (sent on to the outer terminal), and
/// has tmux delete it after `clear_after` seconds (0: kept). The buffer's
/// name.
pub(super) fn tmux_buffer(text: &str, clear_after: u64) -> std::io::Result<String> {
    let name = format!("ssopick-{:016x}", rand::random::<u64>());
    let mut child = Command::new("tmux")
        .args(["load-buffer", "-w", "-b", &name, "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text.as_bytes())?;
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        return Err(std::io::Error::other(format!(
            "tmux load-buffer failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    if clear_after > 0 {
        // Run by the tmux server itself: nothing of ours has to live on.
        let delay = clear_after.to_string();
        let delete = format!("delete-buffer -b {name}");
        let _ = Command::new("tmux")
            .args(["run-shell", "-b", "-d", &delay, "-C", &delete])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_are_wrapped_for_their_way() {
        assert_eq!(sequence("hi", &Way::Direct), "\x1b]52;c;aGk=\x07");
        assert_eq!(
            sequence("hi", &Way::TmuxPassthrough),
            "\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\"
        );
        let long = sequence(&"x".repeat(200), &Way::Screen);
        assert!(long.starts_with("\x1bP\x1b]52;c;"));
        assert!(long.split("\x1b\\").all(|piece| piece.len() <= 78));
    }
}
