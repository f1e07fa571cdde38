//! The AWS SDKs for Go (v1 and v2, Debian's packages: `.ci/run` installs
//! golang-go and golang-github-aws-aws-sdk-go{,-v2}-dev): two small programs
//! that resolve credentials as any Go tool does (the default chain, shared
//! config on), built once per test run into target/go-sdk.

use crate::common::skip_or_fail;
use std::path::PathBuf;
use std::process::Command;

const V1: &str = include_str!("go/resolve_v1.go");
const V2: &str = include_str!("go/resolve_v2.go");

/// The built programs (v1, v2), or `None` (skipped here, a failure in CI)
/// when Go or the SDK packages are missing.
pub(crate) fn resolvers() -> Option<(PathBuf, PathBuf)> {
    static BUILT: std::sync::OnceLock<Option<(PathBuf, PathBuf)>> = std::sync::OnceLock::new();
    let got = BUILT.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/go-sdk");
        let build = |name: &str, src: &str| -> Option<PathBuf> {
            let dir = root.join(name);
            std::fs::create_dir_all(&dir).ok()?;
            std::fs::write(dir.join("main.go"), src).ok()?;
            let out = root.join(format!("resolve-{name}"));
            let o = Command::new("go")
                .args(["build", "-o"])
                .arg(&out)
                .arg(".")
                .current_dir(&dir)
                .env("GOPATH", "/usr/share/gocode")
                .env("GO111MODULE", "off")
                .env("GOCACHE", root.join("cache"))
                .env("GOFLAGS", "")
                .output()
                .ok()?;
            o.status.success().then_some(out)
        };
        Some((build("v1", V1)?, build("v2", V2)?))
    });
    if got.is_none() {
        skip_or_fail("go with Debian's AWS SDK for Go packages");
    }
    got.clone()
}
