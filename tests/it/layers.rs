//! The layers are crates, and these tests hold their walls: `cargo tree`
//! says what each crate may depend on, the core's source uses no file,
//! socket, process or environment, the shipped binary can be built without
//! the fakes and never carries their test modes, and no crate's module
//! graph has a circle (read from the source here, nothing skipped).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `cargo tree` for `args`: one package or `name feature "f"` per line.
fn tree(args: &[&str]) -> Vec<String> {
    let o = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "--prefix", "none"])
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "cargo tree {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The names of the packages `package` depends on (normal edges only).
fn normal_deps(package: &str, extra: &[&str]) -> BTreeSet<String> {
    let mut args = vec!["-p", package, "-e", "normal", "--format", "{p}"];
    args.extend_from_slice(extra);
    tree(&args)
        .iter()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

fn forbidden<'a>(deps: &'a BTreeSet<String>, banned: &[&str]) -> Vec<&'a String> {
    deps.iter()
        .filter(|d| {
            banned.iter().any(|b| match b.strip_suffix('*') {
                Some(prefix) => d.starts_with(prefix),
                None => d.as_str() == *b,
            })
        })
        .collect()
}

#[test]
fn the_core_depends_on_no_runtime_parser_terminal_or_aws_crate() {
    let banned = [
        "tokio",
        "clap",
        "clap_builder",
        "hyper",
        "ureq",
        "ratatui",
        "crossterm",
        "aws-sdk-*",
        "aws-smithy-*",
    ];
    for features in [&[][..], &["--all-features"][..]] {
        let deps = normal_deps("ssopick-core", features);
        assert!(deps.contains("serde"), "{deps:?}");
        let bad = forbidden(&deps, &banned);
        assert!(
            bad.is_empty(),
            "ssopick-core {features:?} depends on {bad:?}"
        );
    }
}

#[test]
fn the_picker_depends_on_the_core_and_the_terminal_only() {
    let deps = normal_deps("ssopick-picker", &["--all-features"]);
    assert!(
        deps.contains("ratatui") && deps.contains("ssopick-core"),
        "{deps:?}"
    );
    let bad = forbidden(
        &deps,
        &[
            "aws-sdk-*",
            "aws-smithy-*",
            "hyper",
            "ureq",
            "clap",
            "clap_builder",
            "ssopick-edge",
        ],
    );
    assert!(bad.is_empty(), "ssopick-picker depends on {bad:?}");
    // tokio with its sync, time and macros features only.
    let features: BTreeSet<String> = tree(&[
        "-p",
        "ssopick-picker",
        "-e",
        "normal,features",
        "-i",
        "tokio",
        "--format",
        "{p} {f}",
    ])
    .iter()
    .filter(|l| l.starts_with("tokio "))
    .flat_map(|l| {
        l.split_whitespace()
            .nth(2)
            .unwrap_or("")
            .split(',')
            .map(|f| f.trim_matches('"'))
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    })
    .collect();
    let allowed = ["sync", "time", "macros", "tokio-macros"];
    let extra: Vec<&String> = features
        .iter()
        .filter(|f| !allowed.contains(&f.as_str()))
        .collect();
    assert!(
        extra.is_empty(),
        "the picker's tokio has {extra:?} ({features:?})"
    );
}

#[test]
fn the_shipped_binary_builds_without_the_fakes_and_never_with_their_test_modes() {
    let without = normal_deps("ssopick", &["--no-default-features"]);
    assert!(!without.contains("ssopick-fake"), "{without:?}");
    let with = normal_deps("ssopick", &[]);
    assert!(
        with.contains("ssopick-fake"),
        "the demo needs them: {with:?}"
    );
    let features = tree(&[
        "-p",
        "ssopick",
        "-e",
        "normal,features",
        "-i",
        "ssopick-fake",
        "--format",
        "{p} {f}",
    ]);
    assert!(
        features.iter().all(|l| !l.contains("testing")),
        "the default build enables ssopick-fake/testing: {features:?}"
    );
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn the_core_touches_no_file_socket_process_or_environment() {
    let mut files = Vec::new();
    rust_files(&root().join("crates/ssopick-core/src"), &mut files);
    let mut bad = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in [
                "std::fs",
                "std::process",
                "std::env",
                "TcpStream",
                "TcpListener",
                "UdpSocket",
            ] {
                if code.contains(word) {
                    bad.push(format!("{}:{}: {word}", f.display(), n + 1));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// A crate's modules (one per file) and what each one's code names through
/// `crate::`, `super::` and `self::` paths (test modules left out).
fn module_graph(src: &Path) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let module_of = |p: &Path| -> Vec<String> {
        let rel = p.strip_prefix(src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .iter()
            .map(|s| s.to_string_lossy().into_owned())
            .collect();
        if matches!(
            parts.last().map(String::as_str),
            Some("mod" | "lib" | "main")
        ) {
            parts.pop();
        }
        parts
    };
    let modules: BTreeSet<Vec<String>> = files
        .iter()
        .filter(|f| !f.ends_with("tests.rs"))
        .map(|f| module_of(f))
        .collect();
    let resolve = |path: &[String]| -> Option<Vec<String>> {
        (0..=path.len())
            .rev()
            .map(|k| path[..k].to_vec())
            .find(|p| modules.contains(p))
    };
    let mut graph = BTreeMap::new();
    for f in files.iter().filter(|f| !f.ends_with("tests.rs")) {
        let me = module_of(f);
        let text = std::fs::read_to_string(f).unwrap();
        let code: String = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or("")
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        let mut edges = BTreeSet::new();
        let mut aliases = BTreeSet::new();
        for (prefix, base) in [
            ("crate::", Vec::new()),
            ("super::", me[..me.len().saturating_sub(1)].to_vec()),
            ("self::", me.clone()),
        ] {
            let mut rest = code.as_str();
            while let Some(i) = rest.find(prefix) {
                let before = rest[..i].chars().last();
                rest = &rest[i + prefix.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                // `crate::a::b` and `crate::{a, b::c}` (one level of braces).
                let tail: String = rest
                    .chars()
                    .take_while(|c| !matches!(c, ';' | ')'))
                    .collect();
                let mut targets = Vec::new();
                if let Some(inner) = tail.strip_prefix('{') {
                    let inner = inner.split('}').next().unwrap_or("");
                    targets.extend(inner.split(',').map(|s| s.trim().to_string()));
                } else {
                    targets.push(tail.split_whitespace().next().unwrap_or("").to_string());
                }
                for t in targets {
                    let mut path = base.clone();
                    path.extend(
                        t.split("::")
                            .map(|s| {
                                s.trim()
                                    .trim_matches(|c: char| !c.is_alphanumeric() && c != '_')
                                    .to_string()
                            })
                            .take_while(|s| {
                                !s.is_empty()
                                    && s.chars()
                                        .next()
                                        .is_some_and(|c| c.is_lowercase() || c == '_')
                            }),
                    );
                    if let Some(m) = resolve(&path)
                        && m != me
                        && !me.starts_with(&m)
                    {
                        // `use crate::a;` then `a::b::f()`: the path names
                        // a module itself; its later uses resolve below.
                        if m == path && prefix != "self::" {
                            aliases.insert(m.clone());
                        }
                        edges.insert(m);
                    }
                }
            }
        }
        for alias in aliases {
            let name = alias.last().cloned().unwrap_or_default();
            let needle = format!("{name}::");
            let mut rest = code.as_str();
            while let Some(i) = rest.find(&needle) {
                let before = rest[..i].chars().last();
                rest = &rest[i + needle.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue;
                }
                let mut path = alias.clone();
                path.extend(
                    rest.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                        .next()
                        .unwrap_or("")
                        .split("::")
                        .take_while(|s| {
                            s.chars()
                                .next()
                                .is_some_and(|c| c.is_lowercase() || c == '_')
                        })
                        .map(str::to_string),
                );
                if let Some(m) = resolve(&path)
                    && m != me
                    && !me.starts_with(&m)
                {
                    edges.insert(m);
                }
            }
        }
        graph.insert(me, edges);
    }
    graph
}

/// The circles (strongly connected sets of more than one module).
fn circles(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    // Kosaraju: order by finish time, then walk the reversed graph.
    let nodes: Vec<&Vec<String>> = graph.keys().collect();
    let mut seen = BTreeSet::new();
    let mut order = Vec::new();
    fn visit<'a>(
        n: &'a Vec<String>,
        g: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        seen: &mut BTreeSet<&'a Vec<String>>,
        order: &mut Vec<&'a Vec<String>>,
    ) {
        if !seen.insert(n) {
            return;
        }
        for m in g.get(n).into_iter().flatten() {
            if let Some((k, _)) = g.get_key_value(m) {
                visit(k, g, seen, order);
            }
        }
        order.push(n);
    }
    for n in &nodes {
        visit(n, graph, &mut seen, &mut order);
    }
    let mut reversed: BTreeMap<&Vec<String>, Vec<&Vec<String>>> = BTreeMap::new();
    for (n, ms) in graph {
        for m in ms {
            if let Some((k, _)) = graph.get_key_value(m) {
                reversed.entry(k).or_default().push(n);
            }
        }
    }
    let mut assigned = BTreeSet::new();
    let mut out = Vec::new();
    for n in order.into_iter().rev() {
        if assigned.contains(n) {
            continue;
        }
        let mut component = Vec::new();
        let mut stack = vec![n];
        while let Some(x) = stack.pop() {
            if !assigned.insert(x) {
                continue;
            }
            component.push(x.clone());
            stack.extend(reversed.get(x).into_iter().flatten().copied());
        }
        if component.len() > 1 {
            out.push(component);
        }
    }
    out
}

#[test]
fn no_crate_has_an_import_circle() {
    for src in [
        "crates/ssopick-core/src",
        "crates/ssopick-picker/src",
        "crates/ssopick-edge/src",
        "crates/ssopick-fake/src",
        "src",
    ] {
        let graph = module_graph(&root().join(src));
        let edges: usize = graph.values().map(BTreeSet::len).sum();
        // The graph is read, not empty: every crate's modules use each other.
        assert!(
            graph.len() > 3 && edges > 0,
            "{src}: {} modules, {edges} uses",
            graph.len()
        );
        let c = circles(&graph);
        assert!(c.is_empty(), "{src} has import circles: {c:?}");
    }
    // A circle through a module brought in by `use crate::x;` and named
    // as `x::child::f()` is found.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    std::fs::create_dir_all(src.join("commands")).unwrap();
    for (file, text) in [
        ("lib.rs", "mod cli;\nmod commands;\nmod other;\n"),
        (
            "cli.rs",
            "use crate::commands;\nfn f() { commands::copy::run(); crate::other::g(); }\n",
        ),
        ("commands/mod.rs", "mod copy;\n"),
        ("commands/copy.rs", "pub fn run() { crate::cli::f(); }\n"),
        ("other.rs", "pub fn g() {}\n"),
    ] {
        std::fs::write(src.join(file), text).unwrap();
    }
    let c = circles(&module_graph(src));
    assert_eq!(c.len(), 1, "{c:?}");
    // The finder finds one when there is one.
    let mut g = BTreeMap::new();
    let m = |s: &str| vec![s.to_string()];
    g.insert(m("a"), BTreeSet::from([m("b")]));
    g.insert(m("b"), BTreeSet::from([m("a")]));
    g.insert(m("c"), BTreeSet::from([m("a")]));
    assert_eq!(circles(&g).len(), 1);
}

/// The file or folder a module path of ARCHITECTURE.md starts in.
fn crate_dir(first: &str) -> Option<&'static str> {
    Some(match first {
        "core" => "crates/ssopick-core/src",
        "picker" => "crates/ssopick-picker/src",
        "edge" => "crates/ssopick-edge/src",
        "fake" => "crates/ssopick-fake/src",
        "app" => "src/app",
        "commands" => "src/commands",
        "cli" => "src",
        _ => return None,
    })
}

/// Every module path (`app::pick::choose::choose`) and file path that
/// ARCHITECTURE.md names exists: the modules as files, the items in them.
#[test]
fn architecture_names_only_what_exists() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let spans: Vec<&str> = text.split('`').skip(1).step_by(2).collect();
    let mut checked = 0;
    let mut missing = Vec::new();
    for span in spans {
        let span = span.trim_end_matches("()");
        if span.starts_with("crates/") || span.starts_with("src/") || span.starts_with("tests/") {
            let path = span.split_whitespace().next().unwrap_or(span);
            checked += 1;
            if !root().join(path).exists() {
                missing.push(span.to_string());
            }
            continue;
        }
        let segs: Vec<&str> = span.split("::").collect();
        let Some(base) = crate_dir(segs[0]) else {
            continue;
        };
        if segs.len() < 2
            || !segs
                .iter()
                .all(|s| s.chars().all(|c| c.is_alphanumeric() || c == '_'))
        {
            continue;
        }
        checked += 1;
        let mut dir = root().join(base);
        let mut file = if segs[0] == "cli" {
            root().join("src/cli.rs")
        } else {
            let m = dir.join("mod.rs");
            if m.exists() { m } else { dir.join("lib.rs") }
        };
        let mut items = Vec::new();
        for seg in &segs[1..] {
            let (as_file, as_dir) = (dir.join(format!("{seg}.rs")), dir.join(seg).join("mod.rs"));
            if items.is_empty() && (as_file.exists() || as_dir.exists()) {
                file = if as_file.exists() { as_file } else { as_dir };
                dir = dir.join(seg);
            } else {
                items.push(*seg);
            }
        }
        let code = std::fs::read_to_string(&file).unwrap_or_default();
        let has = |w: &str| {
            code.match_indices(w).any(|(i, _)| {
                let before = code[..i].chars().last();
                let after = code[i + w.len()..].chars().next();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
                    && !after.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        };
        if !file.exists() || !items.iter().all(|w| has(w)) {
            missing.push(format!("{span} (looked in {})", file.display()));
        }
    }
    assert!(checked > 60, "only {checked} names read");
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names what does not exist: {missing:#?}"
    );
}
