//! Opening a URL in the user's browser, where one can be opened: `$BROWSER`
//! when set (as the AWS CLI reads it through Python's webbrowser), else the
//! platform's opener when there is a display and no SSH connection.

use crate::core::env_vars as var;
use crate::edge::env::Env;
use std::process::{Command, Stdio};

/// Whether a browser can be opened here at all.
pub fn usable(env: &Env) -> bool {
    if env.get(var::SSOPICK_NO_BROWSER).is_some() {
        return false;
    }
    if !user_browsers(env).is_empty() {
        return true;
    }
    if env.get(var::SSH_CONNECTION).is_some() || env.get(var::SSH_TTY).is_some() {
        return false;
    }
    cfg!(any(target_os = "macos", windows))
        || env.get(var::DISPLAY).is_some()
        || env.get(var::WAYLAND_DISPLAY).is_some()
}

/// `$BROWSER`'s entries, each split into words.
fn user_browsers(env: &Env) -> Vec<Vec<String>> {
    env.get(var::BROWSER)
        .unwrap_or_default()
        .split(':')
        .map(|e| e.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect()
}

fn spawn(program: &str, args: &[String]) -> bool {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .is_ok()
}

/// Starts a browser at `url`; false when none can be used or started.
pub fn open(url: &str, env: &Env) -> bool {
    if !usable(env) {
        return false;
    }
    let mut listed = false;
    for words in user_browsers(env) {
        listed = true;
        let mut args: Vec<String> = words[1..].to_vec();
        if args.iter().any(|a| a.contains("%s")) {
            args = args.iter().map(|a| a.replace("%s", url)).collect();
        } else {
            args.push(url.to_string());
        }
        if spawn(&words[0], &args) {
            return true;
        }
    }
    if listed {
        return false;
    }
    let url = url.to_string();
    if cfg!(target_os = "macos") {
        spawn("open", &[url])
    } else if cfg!(windows) {
        // Not `cmd /C start`: cmd would split the URL at each `&`.
        spawn("rundll32", &["url.dll,FileProtocolHandler".into(), url])
    } else {
        spawn("xdg-open", &[url])
    }
}
