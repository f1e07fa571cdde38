//! `--demo` is a sandbox: whatever runs, the user's ~/.aws stays byte for
//! byte as it was, and `console` works against the demo's own sign-in.

use crate::common::*;

fn snapshot_dir(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn demo_runs_leave_the_users_aws_files_alone() {
    let home = Home::new();
    home.with_session("corp");
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[default]\naws_access_key_id = AKIAKEEP\naws_secret_access_key = keep\n",
    )
    .unwrap();
    let before = snapshot_dir(&home.path().join(".aws"));
    let demo = |args: &[&str]| home.cmd(None).arg("--demo").args(args).output().unwrap();
    let runs: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["export", "search-dev", "'ReadOnly"],
        vec!["profile", "--all", "--write"],
        vec![
            "profile",
            "search-dev",
            "'ReadOnly",
            "--write",
            "--style",
            "process",
        ],
        vec![
            "profile",
            "search-dev",
            "'ReadOnly",
            "--write",
            "--style",
            "static",
        ],
        vec![
            "credential-process",
            "--account",
            "640879277026",
            "--role",
            "ReadOnlyAccess",
        ],
        vec!["exec", "--static", "search-dev", "'ReadOnly", "--", "true"],
        vec!["login"],
        vec!["logout"],
    ];
    for args in &runs {
        let o = demo(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(
            stderr(&o).contains("never to ~/.aws"),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    assert_eq!(
        snapshot_dir(&home.path().join(".aws")),
        before,
        "~/.aws changed"
    );
    // The demo's own files are where it said.
    assert!(
        home.path()
            .join("xdg-cache/ssopick/demo/aws/config")
            .exists()
    );
    // The demo's child still beats the user's real [default] (static keys
    // in ~/.aws/credentials here), which its SDKs read.
    let o = demo(&[
        "--yes",
        "exec",
        "search-dev",
        "'ReadOnly",
        "--",
        "python3",
        "-c",
        "import botocore.session as s; print(s.get_session().get_credentials().method)",
    ]);
    if o.status.success() || !stderr(&o).contains("No module named") {
        assert_eq!(stdout(&o).trim(), "container-role", "{}", stderr(&o));
    }
    // console: the demo's sign-in, a link printed (it lives as long as the process).
    let o = demo(&["console", "search-dev", "'ReadOnly"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("Action=login"), "{}", stdout(&o));
    assert!(
        stdout(&o).starts_with("http://127.0.0.1:"),
        "{}",
        stdout(&o)
    );
}

/// The demo's static and process profiles are rows, in the picker too,
/// and deliver offline.
#[test]
fn the_demo_shows_a_static_and_a_process_profile_that_deliver_offline() {
    let home = Home::new();
    let demo = |args: &[&str]| home.cmd(None).arg("--demo").args(args).output().unwrap();
    let o = demo(&["list", "demo-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.lines().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["demo-static", "-", "static", "AWS", "profile"]),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l.split_whitespace().collect::<Vec<_>>()
            == ["demo-process", "-", "process", "AWS", "profile"]),
        "{out}"
    );
    for name in ["demo-static", "demo-process"] {
        let o = demo(&["export", "--account", name, "--format", "json"]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert!(
            doc["AccessKeyId"].as_str().unwrap().starts_with("AKIADEMO"),
            "{doc}"
        );
        assert!(doc.get("SessionToken").is_none(), "long-term keys: {doc}");
    }
    if !Tmux::available() {
        skip_or_fail("tmux is not available");
        return;
    }
    let script = home.script(
        None,
        &format!(
            "'{}' --demo demo-\nsleep 30\n",
            env!("CARGO_BIN_EXE_ssopick")
        ),
    );
    let t = Tmux::start(&script, 140, 20);
    t.wait_for("the profile rows", |s| {
        s.lines()
            .any(|l| l.contains("demo-static") && l.contains("AWS profile"))
            && s.contains("demo-process")
    });
}
