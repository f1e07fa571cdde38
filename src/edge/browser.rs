//! Opening a URL in the user's browser, where one can be opened.

use crate::core::env_vars as var;
use crate::edge::env::Env;

/// Starts the platform's opener for `url`; false when there is no display,
/// over SSH, or when the opener cannot be started.
pub fn open(url: &str, env: &Env) -> bool {
    if env.get(var::SSOPICK_NO_BROWSER).is_some()
        || env.get(var::SSH_CONNECTION).is_some()
        || env.get(var::SSH_TTY).is_some()
    {
        return false;
    }
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        if env.get(var::DISPLAY).is_none() && env.get(var::WAYLAND_DISPLAY).is_none() {
            return false;
        }
        ("xdg-open", vec![url])
    };
    std::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}
