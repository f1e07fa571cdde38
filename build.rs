//! Stamps the version `ssopick --version` prints with the commit and the
//! build date: from git when building a checkout, from the
//! `.cargo_vcs_info.json` cargo puts in a published crate, or from
//! `SSOPICK_BUILD_COMMIT`; the date honours `SOURCE_DATE_EPOCH`
//! (reproducible builds).

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let s = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

/// The commit recorded by `cargo package` in a published crate.
fn vcs_info() -> Option<String> {
    let text = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
    let at = text.find("\"sha1\"")?;
    let rest = &text[at + 6..];
    let start = rest.find('"')? + 1;
    let len = rest[start..].find('"')?;
    Some(rest[start..start + len].chars().take(12).collect())
}

/// Days since 1970-01-01 as a civil date (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn main() {
    let commit = std::env::var("SSOPICK_BUILD_COMMIT")
        .ok()
        .filter(|c| !c.is_empty())
        .or_else(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .or_else(vcs_info)
        .unwrap_or_else(|| "unknown commit".into());
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    let (y, m, d) = civil(secs.div_euclid(86_400));
    println!("cargo:rustc-env=SSOPICK_COMMIT={commit}");
    println!("cargo:rustc-env=SSOPICK_BUILD_DATE={y:04}-{m:02}-{d:02}");
    println!("cargo:rerun-if-env-changed=SSOPICK_BUILD_COMMIT");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    // A new commit changes the ref HEAD points to (or packed-refs).
    if let Some(git_dir) = git(&["rev-parse", "--git-dir"]) {
        let git_dir = Path::new(&git_dir);
        for f in ["HEAD", "packed-refs"] {
            if git_dir.join(f).exists() {
                println!("cargo:rerun-if-changed={}", git_dir.join(f).display());
            }
        }
        if let Some(r) = git(&["symbolic-ref", "-q", "HEAD"])
            && git_dir.join(&r).exists()
        {
            println!("cargo:rerun-if-changed={}", git_dir.join(r).display());
        }
    } else {
        println!("cargo:rerun-if-changed=build.rs");
    }
}
