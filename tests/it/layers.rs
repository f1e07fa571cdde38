//! Arrows point inward: the pure core imports nothing but the core, and the
//! picker nothing but the core (ARCHITECTURE.md). Test code may use the
//! fakes.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("tests.rs") {
            out.push(p);
        }
    }
}

fn outward_imports(layer: &str, allowed: &[&str]) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(layer);
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    assert!(!files.is_empty());
    let mut bad = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (n, line) in code.lines().enumerate() {
            let mut rest = line;
            while let Some(i) = rest.find("crate::") {
                rest = &rest[i + "crate::".len()..];
                let module: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !allowed.contains(&module.as_str()) {
                    bad.push(format!("{}:{}: crate::{module}", f.display(), n + 1));
                }
            }
        }
    }
    bad
}

#[test]
fn the_core_imports_only_the_core() {
    let bad = outward_imports("core", &["core"]);
    assert!(
        bad.is_empty(),
        "the core imports outer layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_picker_imports_only_the_core() {
    let bad = outward_imports("picker", &["core", "picker"]);
    assert!(
        bad.is_empty(),
        "the picker imports outer layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn commands_never_import_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/commands");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            !text.contains("crate::commands") && !text.contains("super::"),
            "{} imports another command",
            f.display()
        );
    }
}

/// No import circles among the modules (the project's module-graph tool,
/// beside the checkout).
#[test]
fn no_import_circles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tool = root.join("../shared/tools/modgraph.py");
    if !tool.exists() {
        eprintln!("skipped: {} is not there", tool.display());
        return;
    }
    let o = std::process::Command::new("python3")
        .arg(&tool)
        .arg(root.join("src"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.lines().any(|l| l == "circles: 0"), "{out}");
}
