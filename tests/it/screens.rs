//! The README's screenshots are the real picker: the committed SVGs must be
//! exactly what the renderer draws today (regenerate with
//! `cargo run --example screens`).

#[path = "../../examples/common/scenes.rs"]
mod scenes;

#[test]
fn committed_screenshots_match_the_renderer() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let scenes = scenes::scenes();
    assert!(scenes.len() >= 4);
    for (name, svg) in scenes {
        let committed = std::fs::read_to_string(dir.join(&name))
            .unwrap_or_else(|e| panic!("screenshots/{name}: {e}; run cargo run --example screens"));
        assert!(
            committed == svg,
            "screenshots/{name} differs from the renderer; run cargo run --example screens"
        );
    }
}

/// Markdown link targets outside code blocks.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        for (i, _) in line.match_indices("](") {
            out.push(line[i + 2..].chars().take_while(|c| *c != ')').collect());
        }
    }
    out
}

#[test]
fn readme_stays_short_and_the_docs_links_resolve() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let lines = readme.lines().count();
    assert!(
        lines <= 320,
        "README.md has {lines} lines; move detail into docs/"
    );
    let mut files = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    for entry in std::fs::read_dir(root.join("docs")).expect("docs/") {
        let path = entry.expect("docs entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    for file in files {
        let text = std::fs::read_to_string(&file).expect("markdown file");
        let dir = file.parent().expect("parent");
        for target in link_targets(&text) {
            if target.starts_with("http")
                || target.starts_with('#')
                || target.starts_with("mailto:")
            {
                continue;
            }
            let path = target.split('#').next().unwrap_or_default();
            assert!(
                dir.join(path).exists(),
                "{} links to missing {path}",
                file.display()
            );
        }
    }
}

/// README's key list is the key table's, word for word.
#[test]
fn readme_lists_the_keys_of_the_key_table() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md");
    let table = ssopick::picker::keys::table::markdown();
    assert!(
        readme.contains(&table),
        "README.md's key list differs from the key table; it should read:\n{table}"
    );
}
