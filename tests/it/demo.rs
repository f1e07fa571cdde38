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
