//! Whether a browser is confined (a snap or a flatpak, which cannot read
//! ssopick's private folder): by its path, by where its path leads, and
//! for the system's default browser by its `.desktop` entry.

use crate::env::Env;
use ssopick_core::desktop_entry as desktop;
use ssopick_core::env_vars as var;
use std::path::{Path, PathBuf};

/// The most read of a launcher script or a list file.
const READ_CAP: u64 = 64 * 1024;

/// A browser `program` that is a snap or a flatpak: named so, found on
/// `PATH` to lead into `/snap` or to `snap` itself (`/snap/bin/firefox`
/// is a link to `/usr/bin/snap`), or a launcher script that runs one
/// (Ubuntu's `/usr/bin/firefox`).
pub fn is_confined(program: &str, env: &Env) -> bool {
    if by_name(program) {
        return true;
    }
    let Some(path) = find(program, env) else {
        return false;
    };
    // Each link on the way (a dangling one too), at most eight.
    let mut at = path.clone();
    for _ in 0..8 {
        let Ok(next) = std::fs::read_link(&at) else {
            break;
        };
        at = at.parent().map_or(next.clone(), |p| p.join(&next));
        if by_name(&at.to_string_lossy()) {
            return true;
        }
    }
    launcher_runs_sandbox(&path)
}

fn by_name(program: &str) -> bool {
    let name = Path::new(program)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    program.contains("/snap/")
        || program.contains("/flatpak/")
        || name == "flatpak"
        || name == "snap"
}

/// A `#!` script that names `/snap/bin/` or `flatpak run`.
fn launcher_runs_sandbox(path: &Path) -> bool {
    let Ok(Some(head)) = crate::fs::read_prefix(path, READ_CAP, u64::MAX) else {
        return false;
    };
    let text = String::from_utf8_lossy(&head);
    text.starts_with("#!") && (text.contains("/snap/bin/") || text.contains("flatpak run"))
}

/// `program` as the shell would find it: a path as given, else the first
/// executable on `PATH`.
pub(super) fn find(program: &str, env: &Env) -> Option<PathBuf> {
    if program.contains('/') {
        return Some(PathBuf::from(program));
    }
    let path = env.get("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| p.is_file() || p.is_symlink())
}

/// Whether the default browser `xdg-open` would start is confined
/// (Linux and the BSDs; elsewhere the system opener is never confined).
pub(crate) fn default_is_confined(env: &Env) -> bool {
    if cfg!(any(target_os = "macos", windows)) {
        return false;
    }
    let (config, data) = dirs(env);
    let desktops: Vec<String> = env
        .get(var::XDG_CURRENT_DESKTOP)
        .unwrap_or_default()
        .split(':')
        .filter(|d| !d.is_empty() && !d.contains(['/', '\\']))
        .map(str::to_lowercase)
        .collect();
    // The list files in xdg-mime's order: each config folder (with its
    // desktop-specific lists first), then the applications folders.
    let mut lists = Vec::new();
    for dir in config.iter().chain(
        data.iter()
            .map(|d| d.join("applications"))
            .collect::<Vec<_>>()
            .iter(),
    ) {
        for d in &desktops {
            lists.push(dir.join(format!("{d}-mimeapps.list")));
        }
        lists.push(dir.join("mimeapps.list"));
    }
    desktop::BROWSER_TYPES.iter().any(|mime| {
        lists
            .iter()
            .filter_map(|l| read_text(l))
            .map(|text| desktop::default_handlers(&text, mime))
            .find(|ids| !ids.is_empty())
            .and_then(|ids| ids.into_iter().find_map(|id| entry(&data, &id)))
            .is_some_and(|(at, e)| {
                e.sandboxed
                    || by_name(&at.to_string_lossy())
                    || e.program.is_some_and(|p| is_confined(&p, env))
            })
    })
}

/// The entry `id` in the first applications folder holding it.
fn entry(data: &[PathBuf], id: &str) -> Option<(PathBuf, desktop::Entry)> {
    data.iter().find_map(|d| {
        let at = d.join("applications").join(id);
        read_text(&at).map(|t| (at, desktop::read_entry(&t)))
    })
}

fn read_text(path: &Path) -> Option<String> {
    let bytes = crate::fs::read_capped(path, READ_CAP).ok()??;
    String::from_utf8(bytes).ok()
}

/// The XDG config folders and data folders, most important first.
fn dirs(env: &Env) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let home = env.get(var::HOME).map(PathBuf::from);
    let list = |name: &str, default: &str| -> Vec<PathBuf> {
        env.get(name)
            .unwrap_or_else(|| default.to_string())
            .split(':')
            .filter(|d| d.starts_with('/'))
            .map(PathBuf::from)
            .collect()
    };
    let one = |name: &str, below_home: &str| {
        env.get(name)
            .filter(|d| d.starts_with('/'))
            .map(PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(below_home)))
    };
    let mut config: Vec<PathBuf> = one(var::XDG_CONFIG_HOME, ".config").into_iter().collect();
    config.extend(list(var::XDG_CONFIG_DIRS, "/etc/xdg"));
    let mut data: Vec<PathBuf> = one(var::XDG_DATA_HOME, ".local/share")
        .into_iter()
        .collect();
    data.extend(list(var::XDG_DATA_DIRS, "/usr/local/share:/usr/share"));
    (config, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn the_default_browser_is_found_through_mimeapps_and_its_entry() {
        let d = tempfile::tempdir().unwrap();
        let base = d.path().display().to_string();
        let env = Env::from_pairs(&[
            ("HOME", &base),
            ("XDG_CONFIG_DIRS", "/nonexistent"),
            ("XDG_DATA_DIRS", &format!("{base}/system")),
            ("PATH", "/nonexistent"),
        ]);
        let list = d.path().join(".config/mimeapps.list");
        let apps = d.path().join("system/applications");
        write(
            &apps.join("plain.desktop"),
            "[Desktop Entry]\nExec=plainbrowser %u\n",
        );
        write(
            &apps.join("org.mozilla.firefox.desktop"),
            "[Desktop Entry]\nExec=/usr/bin/flatpak run org.mozilla.firefox @@u %u @@\n",
        );
        assert!(!default_is_confined(&env), "no list: not confined");
        write(&list, "[Default Applications]\ntext/html=plain.desktop\n");
        assert!(!default_is_confined(&env));
        write(
            &list,
            "[Default Applications]\ntext/html=plain.desktop\nx-scheme-handler/http=org.mozilla.firefox.desktop\n",
        );
        assert!(default_is_confined(&env));
    }

    #[test]
    fn a_launcher_script_or_link_into_snap_is_confined() {
        let d = tempfile::tempdir().unwrap();
        let script = d.path().join("firefox");
        write(&script, "#!/bin/sh\nexec /snap/bin/firefox \"$@\"\n");
        let env = Env::from_pairs(&[("PATH", &d.path().display().to_string())]);
        assert!(is_confined("firefox", &env));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("/usr/bin/snap", d.path().join("chromium")).unwrap();
            assert!(is_confined("chromium", &env));
        }
        write(
            &d.path().join("plain"),
            "#!/bin/sh\nexec /usr/lib/plain \"$@\"\n",
        );
        assert!(!is_confined("plain", &env));
    }
}
