//! Opening a URL in the user's browser, where one can be opened: `$BROWSER`
//! when set (as the AWS CLI reads it through Python's webbrowser), else the
//! platform's opener when there is a display and no SSH connection.

mod confined;

use crate::env::Env;
use ssopick_core::env_vars as var;
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
        || wslview(env).is_some()
}

/// Under WSL (`$WSL_DISTRO_NAME`, `$WSL_INTEROP`, or a Microsoft kernel).
pub fn is_wsl(env: &Env) -> bool {
    cfg!(target_os = "linux")
        && (env.get(var::WSL_DISTRO_NAME).is_some()
            || env.get(var::WSL_INTEROP).is_some()
            || crate::fs::read_prefix(std::path::Path::new("/proc/version"), 512, 4096)
                .ok()
                .flatten()
                .is_some_and(|v| {
                    String::from_utf8_lossy(&v)
                        .to_lowercase()
                        .contains("microsoft")
                }))
}

/// `wslview` (wslu), which opens the Windows browser, when under WSL.
fn wslview(env: &Env) -> Option<std::path::PathBuf> {
    if !is_wsl(env) {
        return None;
    }
    confined::find("wslview", env)
}

/// Inside a container: `$container` (podman, systemd-nspawn), or the
/// `/.dockerenv` and `/run/.containerenv` markers.
pub fn in_container(env: &Env) -> bool {
    env.get(var::CONTAINER).is_some()
        || std::path::Path::new("/.dockerenv").exists()
        || std::path::Path::new("/run/.containerenv").exists()
}

/// Where a login runs, for the choice of its flow (`core::sso::flow`).
pub fn place(env: &Env) -> ssopick_core::sso::flow::Place {
    ssopick_core::sso::flow::Place {
        browser_usable: usable(env),
        browser_named: env.get(var::SSOPICK_NO_BROWSER).is_none() && !user_browsers(env).is_empty(),
        container: in_container(env),
        wsl: is_wsl(env).then(|| wslview(env).is_some()),
    }
}

/// `$BROWSER`'s entries, each split into words.
fn user_browsers(env: &Env) -> Vec<Vec<String>> {
    // `:`-separated as Python's webbrowser reads it (`;` on Windows, where
    // paths hold colons and spaces: one entry is one program there).
    let (sep, split_words) = if cfg!(windows) {
        (';', false)
    } else {
        (':', true)
    };
    env.get(var::BROWSER)
        .unwrap_or_default()
        .split(sep)
        .map(|e| {
            if split_words {
                e.split_whitespace().map(str::to_string).collect::<Vec<_>>()
            } else {
                vec![e.trim().to_string()]
                    .into_iter()
                    .filter(|w| !w.is_empty())
                    .collect()
            }
        })
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
    } else if let Some(w) = wslview(env) {
        spawn(&w.to_string_lossy(), &[url])
    } else {
        spawn("xdg-open", &[url])
    }
}

/// How long a sign-in page file is kept (the browser has long read it;
/// the token inside lives 15 minutes).
const PAGE_KEEP_SECS: u64 = 120;

pub use confined::is_confined;

/// Whether the browser `open` would start is confined: `$BROWSER`'s first
/// program, else the system's default browser.
pub fn default_is_confined(env: &Env) -> bool {
    match user_browsers(env).first().and_then(|w| w.first()) {
        Some(p) => is_confined(p, env),
        None => confined::default_is_confined(env),
    }
}

/// What a browser is given for a secret `url`, and what must live until it
/// has fetched it.
pub enum Handoff {
    /// The `file://` URL of a private page (`private_page`).
    Page(String),
    /// A one-time loopback URL for a confined browser (`loopback_page`):
    /// keep it, and wait for `served`.
    Once(crate::loopback_page::OneTime),
    /// Nothing safe to hand over: print the link instead.
    Print,
}

/// The handoff for a secret `url` to a browser that is `confined` or not.
pub async fn handoff(url: &str, confined: bool, dir: &std::path::Path) -> Handoff {
    if confined {
        return match crate::loopback_page::serve_once(url.to_string()).await {
            Some(once) => Handoff::Once(once),
            None => Handoff::Print,
        };
    }
    private_page(url, dir).map_or(Handoff::Print, Handoff::Page)
}

/// Opens a secret `url` in the default browser (`$BROWSER`, else the
/// system's) through `handoff`; whether it opened, and the one-time link to
/// keep alive until fetched, if one was used.
pub async fn open_secret(
    url: &str,
    env: &Env,
    dir: &std::path::Path,
) -> (bool, Option<crate::loopback_page::OneTime>) {
    if !usable(env) {
        return (false, None);
    }
    match handoff(url, default_is_confined(env), dir).await {
        Handoff::Page(p) => (open(&p, env), None),
        Handoff::Once(once) => (open(&once.url, env), Some(once)),
        Handoff::Print => (false, None),
    }
}

/// Starts `program` with `args` (a named browser: `core::console_open`);
/// false when browsers are off (`SSOPICK_NO_BROWSER`) or it cannot start.
pub fn run(program: &str, args: &[String], env: &Env) -> bool {
    env.get(var::SSOPICK_NO_BROWSER).is_none() && spawn(program, args)
}

/// A 0600 page in the 0700 folder `dir` that sends the browser on to
/// `url`; its `file://` URL, which shows nothing secret in a process list.
pub fn private_page(url: &str, dir: &std::path::Path) -> Option<String> {
    if crate::fs::create_private_dir(dir).is_err() {
        return None;
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age.as_secs() > PAGE_KEEP_SECS);
            if old && e.file_name().to_string_lossy().starts_with("ssopick-") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    let attr = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    let js = serde_json::to_string(url)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">\
<meta http-equiv=\"refresh\" content=\"0;url={attr}\"><title>ssopick</title></head>\
<body><script>location.replace({js});</script><a href=\"{attr}\">Continue</a></body></html>"
    );
    let mut b = tempfile::Builder::new();
    b.prefix("ssopick-").suffix(".html");
    #[cfg(unix)]
    b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    let file = b.tempfile_in(dir).ok()?;
    if !crate::fs::is_private_file(file.as_file()) {
        return None;
    }
    std::io::Write::write_all(&mut file.as_file(), page.as_bytes()).ok()?;
    let (_, path) = file.keep().ok()?;
    // Each path segment percent-encoded (a space or `#` in a home folder).
    let shown = path.display().to_string().replace('\\', "/");
    let encoded: Vec<String> = shown
        .split('/')
        .map(|seg| {
            if seg.len() == 2 && seg.ends_with(':') {
                seg.to_string()
            } else {
                ssopick_core::url::encode(seg)
            }
        })
        .collect();
    let encoded = encoded.join("/");
    Some(if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    })
}
