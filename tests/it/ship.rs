//! Shipping: the release archive built by the release workflow's own
//! script unpacks into a working ssopick with its completions and man
//! pages; the Homebrew and Scoop manifests are generated from the
//! checksums; `cargo package` holds only what it should; `--version` names
//! the commit and the build date.

use crate::common::*;
use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_linux_archive_unpacks_into_a_working_ssopick() {
    let out = tempfile::tempdir().unwrap();
    let o = Command::new("bash")
        .arg(root().join("scripts/package.sh"))
        .args([
            "--bin",
            env!("CARGO_BIN_EXE_ssopick"),
            "--target",
            "x86_64-unknown-linux-gnu",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let version = env!("CARGO_PKG_VERSION");
    let name = format!("ssopick-{version}-x86_64-unknown-linux-gnu");
    let archive = out.path().join(format!("{name}.tar.gz"));
    let sum = std::fs::read_to_string(out.path().join(format!("{name}.tar.gz.sha256"))).unwrap();
    let check = Command::new("sha256sum")
        .arg("-c")
        .current_dir(out.path())
        .arg(format!("{name}.tar.gz.sha256"))
        .output()
        .unwrap();
    assert!(check.status.success(), "{sum}: {}", stdout(&check));
    let unpack = tempfile::tempdir().unwrap();
    assert!(
        Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(unpack.path())
            .status()
            .unwrap()
            .success()
    );
    let dir = unpack.path().join(&name);
    let v = Command::new(dir.join("ssopick"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(
        stdout(&v).starts_with(&format!("ssopick {version} (")),
        "{}",
        stdout(&v)
    );
    for f in [
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "man/ssopick.1",
        "man/ssopick-list.1",
        "man/ssopick-login.1",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let c = std::fs::read_to_string(dir.join(format!("completions/ssopick.{shell}"))).unwrap();
        assert!(c.contains("credential-process"), "{shell} completion");
    }
    // The completion works in bash.
    let o = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source '{}'; complete -p ssopick",
            dir.join("completions/ssopick.bash").display()
        ))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));

    // Manifests from the checksums (the other targets' sums stand in).
    for (t, ext) in [
        ("aarch64-apple-darwin", "tar.gz"),
        ("x86_64-apple-darwin", "tar.gz"),
        ("aarch64-unknown-linux-musl", "tar.gz"),
        ("x86_64-unknown-linux-musl", "tar.gz"),
        ("x86_64-pc-windows-msvc", "zip"),
    ] {
        std::fs::write(
            out.path()
                .join(format!("ssopick-{version}-{t}.{ext}.sha256")),
            format!("{}  x\n", "ab".repeat(32)),
        )
        .unwrap();
    }
    let o = Command::new("bash")
        .arg(root().join("scripts/manifests.sh"))
        .arg(version)
        .arg(out.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let scoop: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("ssopick.json")).unwrap()).unwrap();
    assert_eq!(scoop["version"], version);
    assert_eq!(scoop["architecture"]["64bit"]["hash"], "ab".repeat(32));
    let formula = std::fs::read_to_string(out.path().join("ssopick.rb")).unwrap();
    assert!(
        formula.contains("class Ssopick < Formula") && formula.contains("man1.install"),
        "{formula}"
    );
}

/// The published crates hold their sources (the fakes' crate its demo
/// data) and the binary's the documents; not the tests, benchmarks,
/// screenshots or CI files.
#[test]
fn the_crate_holds_only_what_it_needs() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let list = |package: &str| -> Vec<String> {
        let o = Command::new(&cargo)
            .args([
                "package",
                "--list",
                "--allow-dirty",
                "--offline",
                "-p",
                package,
            ])
            .current_dir(root())
            .output()
            .unwrap();
        assert!(o.status.success(), "{package}: {}", stderr(&o));
        stdout(&o).lines().map(str::to_string).collect()
    };
    let files = list("ssopick");
    for want in [
        "src/main.rs",
        "src/lib.rs",
        "build.rs",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "README.md",
        "CHANGELOG.md",
        "Cargo.lock",
    ] {
        assert!(
            files.iter().any(|f| f == want),
            "{want} not packaged: {files:?}"
        );
    }
    for f in &files {
        let ok = f.starts_with("src/") && f.ends_with(".rs")
            || [
                "build.rs",
                "Cargo.toml",
                "Cargo.toml.orig",
                "Cargo.lock",
                "README.md",
                "CHANGELOG.md",
                "SECURITY.md",
                "ARCHITECTURE.md",
                "LICENSE-MIT",
                "LICENSE-APACHE",
                ".cargo_vcs_info.json",
            ]
            .contains(&f.as_str());
        assert!(ok, "{f} should not be in the published crate");
    }
    let fake = list("ssopick-fake");
    assert!(fake.iter().any(|f| f == "assets/demo-org.json"), "{fake:?}");
    for package in [
        "ssopick-core",
        "ssopick-picker",
        "ssopick-edge",
        "ssopick-fake",
    ] {
        for f in list(package) {
            let ok = f.starts_with("src/")
                || f == "assets/demo-org.json"
                || f.starts_with("Cargo.toml")
                || f == ".cargo_vcs_info.json"
                || f == "Cargo.lock";
            assert!(ok, "{package}: {f} should not be published");
        }
    }
}

/// `--version`: the version, the commit this was built from, the date.
#[test]
fn version_names_the_commit_and_the_build_date() {
    let o = Home::new().cmd(None).arg("--version").output().unwrap();
    let v = stdout(&o);
    let rest = v
        .trim()
        .strip_prefix(&format!("ssopick {} (", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{v}"));
    let (commit, date) = rest.trim_end_matches(')').split_once(", built ").unwrap();
    assert!(
        date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
        "{date}"
    );
    if let Ok(g) = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(root())
        .output()
        && g.status.success()
    {
        assert_eq!(commit, stdout(&g).trim(), "built from HEAD");
    } else {
        assert!(
            commit == "unknown commit" || commit.chars().all(|c| c.is_ascii_hexdigit()),
            "{commit}"
        );
    }
}
