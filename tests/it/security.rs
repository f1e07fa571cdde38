//! Secrets stay where they belong, and concurrent ssopick processes leave
//! valid files behind.

use crate::common::*;
use ssopick::fake::FakeOptions;
use std::path::{Path, PathBuf};
use std::process::Stdio;

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files_under(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn secrets_appear_only_in_private_files_that_hold_them() {
    let (portal, home) = logged_in(8, 3, FakeOptions::default()).await;
    let pick = pick_args(&portal.org().accounts[2]);
    let mut stderrs = String::new();
    let mut secrets: Vec<String> = vec![portal.token().to_string()];
    for args in [
        vec!["list"],
        vec!["export"],
        vec!["credential-process"],
        vec!["profile"],
        vec!["profile", "--style", "process", "--write"],
        vec!["exec", "--", "true"],
    ] {
        let mut c = home.cmd(Some(portal.url()));
        c.args(&args[..1]).args(&pick).args(&args[1..]);
        let o = run(&mut c).await;
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        stderrs.push_str(&stderr(&o));
        if let Some(c) = portal.last_issued() {
            secrets.extend([c.access_key_id, c.secret_access_key, c.session_token]);
        }
    }
    for s in &secrets {
        assert!(!stderrs.contains(s.as_str()), "a secret reached stderr");
    }
    // ssopick's own files: only the role-credential cache may hold secrets,
    // and it is private. Snapshot, history, config: none.
    for f in files_under(&home.path().join("xdg-cache"))
        .into_iter()
        .chain(files_under(&home.path().join("xdg-state")))
        .chain([home.config_path()])
    {
        let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
        let holds = secrets.iter().any(|s| text.contains(s.as_str()));
        let allowed = f
            .components()
            .any(|c| c.as_os_str() == "credentials" || c.as_os_str() == "registrations");
        assert!(!holds || allowed, "{} holds a secret", f.display());
        #[cfg(unix)]
        if holds {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
                0o600,
                "{}",
                f.display()
            );
        }
    }
}

#[test]
fn debug_output_redacts_secrets() {
    use ssopick::core::credentials::RoleCredentials;
    use ssopick::core::secret::Secret;
    let c = RoleCredentials {
        access_key_id: Secret::new("ASIASECRETKEYID"),
        secret_access_key: Secret::new("topsecretvalue"),
        session_token: Secret::new("sessiontokenvalue"),
        expiration: ssopick::core::time::UtcTime(0),
        expiry_stated: true,
    };
    let d = format!("{c:?}");
    for s in ["ASIASECRETKEYID", "topsecretvalue", "sessiontokenvalue"] {
        assert!(!d.contains(s), "{d}");
    }
    let t = ssopick::core::sso::token::parse_token(br#"{"accessToken":"ssotokenvalue","expiresAt":"2030-01-01T00:00:00Z","refreshToken":"refreshvalue","clientSecret":"clientsecretvalue"}"#);
    let d = format!("{t:?}");
    for s in ["ssotokenvalue", "refreshvalue", "clientsecretvalue"] {
        assert!(!d.contains(s), "{d}");
    }
    let opts = ssopick::edge::portal::PortalOptions {
        region: "us-east-1".into(),
        endpoint: None,
        attempt_timeout: std::time::Duration::from_secs(1),
        http: None,
        variant: ssopick::core::sso::endpoints::Variant::default(),
    };
    let client = ssopick::edge::portal::PortalClient::new(&opts, Secret::new("portaltokenvalue"));
    assert!(!format!("{client:?}").contains("portaltokenvalue"));
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_processes_leave_valid_files() {
    let (portal, home) = logged_in(120, 4, FakeOptions::default()).await;
    let a = &portal.org().accounts[0];
    let mut children = Vec::new();
    for i in 0..8 {
        let mut c = home.cmd(Some(portal.url()));
        if i % 2 == 0 {
            c.arg("credential-process").args(pick_args(a));
        } else {
            c.args(["list", "--refresh", "--json"]);
        }
        c.stdout(Stdio::piped()).stderr(Stdio::piped());
        children.push((i, c.spawn().unwrap()));
    }
    let outs: Vec<_> = tokio::task::block_in_place(|| {
        children
            .into_iter()
            .map(|(i, c)| (i, c.wait_with_output().unwrap()))
            .collect()
    });
    for (i, o) in &outs {
        assert_eq!(o.status.code(), Some(0), "process {i}: {}", stderr(o));
        let v: serde_json::Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("process {i}: {e}"));
        if i % 2 == 0 {
            assert_eq!(v["Version"], 1);
        } else {
            assert_eq!(v.as_array().unwrap().len(), portal.org().role_count());
        }
    }
    for f in files_under(&home.cache()) {
        if f.extension().is_some_and(|e| e == "json") {
            let _: serde_json::Value = serde_json::from_slice(&std::fs::read(&f).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        }
        assert!(
            !f.to_string_lossy().ends_with(".tmp"),
            "no temp file left: {}",
            f.display()
        );
    }
}

/// Cache and state folders not owned by the user, or writable by others,
/// are refused with the fix, as ssh refuses such a ~/.ssh: planted
/// snapshots or credentials there are never used.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn folders_others_control_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let (portal, home) = logged_in(3, 5, FakeOptions::default()).await;
    home.take_snapshot(portal.url()).await;
    std::fs::set_permissions(home.cache(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("writable by others") && stderr(&o).contains("chmod 700"),
        "{}",
        stderr(&o)
    );
    std::fs::set_permissions(home.cache(), std::fs::Permissions::from_mode(0o700)).unwrap();
    // Owned by someone else (only root can arrange that).
    if unsafe { libc::geteuid() } == 0 {
        let c = std::ffi::CString::new(home.cache().to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::chown(c.as_ptr(), 4321, 4321) }, 0);
        let o = run(home.cmd(Some(portal.url())).arg("list")).await;
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("owned by another user"),
            "{}",
            stderr(&o)
        );
    }
}

/// SECURITY.md's threat table: every row names its test, and every test
/// it names exists (`file::func` in tests/it/, `src/path.rs` with its
/// `(func)`, an example); a name that does not is a failure.
#[test]
fn the_threat_table_names_real_tests() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("SECURITY.md")).unwrap();
    let rows: Vec<&str> = doc
        .lines()
        .skip_while(|l| !l.starts_with("| threat |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert!(rows.len() >= 25, "{} rows", rows.len());
    let mut named = 0;
    for row in rows {
        let test = row.trim_end_matches('|').rsplit('|').next().unwrap_or("");
        let ticks: Vec<&str> = test.split('`').skip(1).step_by(2).collect();
        assert!(!ticks.is_empty(), "a row without its test: {row}");
        let mut last_src: Option<String> = None;
        for t in ticks {
            if let Some((file, func)) = t.split_once("::") {
                let path = root.join(format!("tests/it/{file}.rs"));
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|_| panic!("SECURITY.md names {path:?}, which does not exist"));
                assert!(
                    text.contains(&format!("fn {func}(")),
                    "SECURITY.md names {file}::{func}, which does not exist"
                );
                named += 1;
            } else if t.starts_with("src/")
                || t.starts_with("crates/")
                || t.starts_with("examples/")
            {
                let file = if t.starts_with("examples/") && !t.ends_with(".rs") {
                    format!("{t}.rs")
                } else {
                    t.to_string()
                };
                let text = std::fs::read_to_string(root.join(&file))
                    .unwrap_or_else(|_| panic!("SECURITY.md names {file}, which does not exist"));
                last_src = Some(text);
                named += 1;
            } else if let Some(text) = &last_src
                && t.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            {
                // `(func)` after a source file: a test or item in it.
                assert!(
                    text.contains(&format!("fn {t}(")),
                    "SECURITY.md names {t} in a source file that lacks it"
                );
            }
        }
    }
    assert!(named >= 30, "{named}");
}

/// `$XDG_RUNTIME_DIR` holds the per-run `AWS_CONFIG_FILE` and the console
/// pages only when it and its `ssopick` folder are the user's own: one owned
/// by another user, or writable by others, is passed over (said under -v)
/// for the cache's `run` folder.
#[tokio::test(flavor = "multi_thread")]
async fn a_runtime_folder_others_control_is_not_used() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid(2) has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return skip_or_fail("root, to give a folder to another user");
    }
    let (portal, home) = logged_in_to(
        ssopick::fake::FakeOrg::generated(4, 3),
        FakeOptions::default(),
    )
    .await;
    let a = &portal.org().accounts[1];
    // A `[default]` profile: the child then gets a per-run config copy.
    let mut text = std::fs::read_to_string(home.config_path()).unwrap();
    text.push_str("\n[default]\nregion = eu-west-1\n");
    home.write_config(&text);
    let config_file = |runtime: &Path| {
        let mut c = home.cmd(Some(portal.url()));
        c.env("XDG_RUNTIME_DIR", runtime)
            .args([
                "-v",
                "exec",
                "--account",
                &a.account_id,
                "--role",
                &a.roles[0],
            ])
            .args(["--", "sh", "-c", "printf %s \"$AWS_CONFIG_FILE\""]);
        c
    };
    let fallback = home.path().join("xdg-cache/ssopick/run");
    let foreign = home.path().join("foreign-run");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::set_permissions(&foreign, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::os::unix::fs::chown(&foreign, Some(65534), Some(65534)).unwrap();
    let open = home.path().join("open-run");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    for bad in [&foreign, &open] {
        let o = run(&mut config_file(bad)).await;
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(
            stdout(&o).starts_with(fallback.to_str().unwrap()),
            "{}",
            stdout(&o)
        );
        assert!(
            stderr(&o).contains("not using $XDG_RUNTIME_DIR"),
            "{}",
            stderr(&o)
        );
        assert_eq!(
            std::fs::read_dir(bad).unwrap().count(),
            0,
            "nothing written there"
        );
    }
    let mine = home.path().join("my-run");
    std::fs::create_dir(&mine).unwrap();
    std::fs::set_permissions(&mine, std::fs::Permissions::from_mode(0o700)).unwrap();
    let o = run(&mut config_file(&mine)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with(mine.join("ssopick").to_str().unwrap()),
        "{}",
        stdout(&o)
    );
}
