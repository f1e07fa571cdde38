//! The default browser on a freedesktop system, as `xdg-open` finds it:
//! the `[Default Applications]` of the `mimeapps.list` files, then the
//! `.desktop` entry named there. Used to tell whether that browser is
//! confined (a snap or a flatpak cannot read ssopick's private folder).

/// The types a browser opens ssopick's pages as: a `file://` page is
/// `text/html`; a loopback link is `http`.
pub const BROWSER_TYPES: [&str; 3] = [
    "text/html",
    "x-scheme-handler/https",
    "x-scheme-handler/http",
];

/// The desktop ids a `mimeapps.list` names as the default for `mime`,
/// in order (`;`-separated; empty entries dropped).
pub fn default_handlers(mimeapps: &str, mime: &str) -> Vec<String> {
    group(mimeapps, "Default Applications")
        .find(|(k, _)| *k == mime)
        .map(|(_, v)| {
            v.split(';')
                .map(str::trim)
                .filter(|id| !id.is_empty() && valid_id(id))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The `key=value` lines of the group `[name]` (keys and values trimmed).
fn group<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    let mut section = "";
    text.lines().filter_map(move |line| {
        let line = line.trim();
        if line.starts_with('[') && line.ends_with(']') {
            section = &line[1..line.len() - 1];
            return None;
        }
        let (k, v) = line.split_once('=')?;
        (section == name).then(|| (k.trim(), v.trim()))
    })
}

/// A desktop id safe to join to a folder: `name.desktop`, no path parts.
pub fn valid_id(id: &str) -> bool {
    id.ends_with(".desktop")
        && id.len() <= 255
        && !id.starts_with('.')
        && !id.contains(['/', '\\', '\0'])
}

/// What a `.desktop` entry says about the program it starts.
#[derive(Debug, PartialEq, Eq)]
pub struct Entry {
    /// The program `Exec` runs (after `env` and its `VAR=value` words).
    pub program: Option<String>,
    /// Marked as a snap or a flatpak by its keys or its command.
    pub sandboxed: bool,
}

/// Reads the `[Desktop Entry]` group of a `.desktop` file.
pub fn read_entry(text: &str) -> Entry {
    let mut exec = None;
    let mut sandboxed = false;
    for (k, v) in group(text, "Desktop Entry") {
        match k {
            "Exec" if exec.is_none() => exec = Some(v.to_string()),
            "X-Flatpak" | "X-SnapInstanceName" | "X-SnapAppName" => sandboxed = true,
            _ => {}
        }
    }
    let words: Vec<&str> = exec.as_deref().unwrap_or("").split_whitespace().collect();
    let mut rest = words.as_slice();
    if rest
        .first()
        .is_some_and(|w| *w == "env" || w.ends_with("/env"))
    {
        rest = &rest[1..];
        while rest.first().is_some_and(|w| w.contains('=')) {
            rest = &rest[1..];
        }
    }
    let program = rest.first().map(|w| w.trim_matches('"').to_string());
    if let Some(p) = &program {
        let name = p.rsplit('/').next().unwrap_or(p);
        sandboxed |= name == "flatpak" || name == "snap" || p.contains("/snap/");
    }
    Entry { program, sandboxed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_come_from_their_group_only() {
        let text = "[Added Associations]\ntext/html=a.desktop\n\
                    [Default Applications]\nx-scheme-handler/http=b.desktop\n\
                    text/html = ../evil.desktop; firefox_firefox.desktop;;\n";
        assert_eq!(
            default_handlers(text, "text/html"),
            ["firefox_firefox.desktop"]
        );
        assert_eq!(
            default_handlers(text, "x-scheme-handler/http"),
            ["b.desktop"]
        );
        assert!(default_handlers(text, "x-scheme-handler/https").is_empty());
    }

    #[test]
    fn snaps_and_flatpaks_are_recognised() {
        let snap = "[Desktop Entry]\nExec=env BAMF_DESKTOP_FILE_HINT=/var/lib/snapd/desktop/applications/firefox_firefox.desktop /snap/bin/firefox %u\n";
        assert_eq!(
            read_entry(snap),
            Entry {
                program: Some("/snap/bin/firefox".into()),
                sandboxed: true
            }
        );
        let flatpak = "[Desktop Entry]\nExec=/usr/bin/flatpak run --branch=stable --command=firefox org.mozilla.firefox @@u %u @@\n";
        assert!(read_entry(flatpak).sandboxed);
        let keyed = "[Desktop Entry]\nExec=chromium %U\nX-SnapInstanceName=chromium\n";
        assert!(read_entry(keyed).sandboxed);
        let plain = "[Desktop Entry]\nExec=firefox %u\n[Desktop Action new]\nExec=/snap/bin/x\n";
        assert_eq!(
            read_entry(plain),
            Entry {
                program: Some("firefox".into()),
                sandboxed: false
            }
        );
    }
}
