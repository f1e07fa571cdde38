//! The exit-code table is one table: `--help` and README.md show exactly
//! the codes `EXIT_CODES` defines.

use crate::common::*;
use ssopick::app::error::EXIT_CODES;

#[test]
fn help_and_readme_list_every_exit_code() {
    let o = Home::new().cmd(None).arg("--help").output().unwrap();
    let help = stdout(&o);
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let readme_rows: Vec<(i32, String)> = readme
        .lines()
        .skip_while(|l| l.trim_start_matches('#').trim() != "Exit codes")
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim_matches('|').split('|').map(str::trim).collect();
            Some((cells.first()?.parse().ok()?, cells.get(1)?.to_string()))
        })
        .collect();
    for (code, what) in EXIT_CODES {
        assert!(
            help.contains(&format!("  {code:<4} {what}")),
            "--help lacks {code} {what}:\n{help}"
        );
        assert!(
            readme_rows.iter().any(|(c, w)| *c == code && w == what),
            "README's exit-code table lacks `| {code} | {what} |`: {readme_rows:?}"
        );
    }
    let listed: Vec<i32> = readme_rows.iter().map(|(c, _)| *c).collect();
    let mut known: Vec<i32> = EXIT_CODES.iter().map(|(c, _)| *c).collect();
    known.sort_unstable();
    let mut listed_sorted = listed.clone();
    listed_sorted.sort_unstable();
    listed_sorted.dedup();
    assert_eq!(listed_sorted, known, "README lists codes that do not exist");
}

/// A mistyped command is said to be one; a word that matches rows stays a
/// query even when it looks like a command.
#[test]
fn typos_get_did_you_mean_and_queries_stay_queries() {
    let home = Home::new();
    let o = home.cmd(None).args(["--demo", "lsit"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("did you mean 'ssopick list'? (to search for it: ssopick list lsit)"),
        "{}",
        stderr(&o)
    );
    let o = home
        .cmd(None)
        .args(["--demo", "exprot", "billing"])
        .output()
        .unwrap();
    assert!(
        stderr(&o).contains("did you mean 'ssopick export'?"),
        "{}",
        stderr(&o)
    );
    // `--demo list` leaves a snapshot; "core" then matches rows (a query).
    assert!(
        home.cmd(None)
            .args(["--demo", "list"])
            .output()
            .unwrap()
            .status
            .success()
    );
    // "shel" is close to `shell` and starts no part of a name: a typo,
    // even though it matches rows loosely.
    let o = home.cmd(None).args(["--demo", "shel"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("did you mean 'ssopick shell'?"),
        "{}",
        stderr(&o)
    );
    // "serv" is close to `serve` but starts a part of
    // platform-shared-services: a query, with the hint said once.
    let o = home.cmd(None).args(["--demo", "serv"]).output().unwrap();
    assert_eq!(
        stderr(&o)
            .matches("did you mean 'ssopick serve'? (to search for it: ssopick list serv)")
            .count(),
        1,
        "{}",
        stderr(&o)
    );
    assert_eq!(
        o.status.code(),
        Some(6),
        "several rows, no terminal: {}",
        stderr(&o)
    );
    // "core" is two edits from `copy`, and only a loose match: a typo.
    let o = home.cmd(None).args(["--demo", "core"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// Over-long arguments and role names AWS cannot have are usage errors
/// (exit 2), never a panic deep in the SDK.
#[test]
fn over_long_and_impossible_arguments_are_refused() {
    let home = Home::new();
    let long = "a".repeat(70_000);
    for args in [
        vec![
            "--demo",
            "export",
            "--account",
            "640879277026",
            "--role",
            long.as_str(),
        ],
        vec![
            "--demo",
            "export",
            "--account",
            "640879277026",
            "--role",
            "Read$(id)",
        ],
    ] {
        let o = home.cmd(None).args(&args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
}

/// Each subcommand's --help shows only the options that apply to it; an
/// option that means nothing to it is refused, after it or before it.
#[test]
fn each_subcommand_shows_and_takes_only_its_options() {
    let home = Home::new();
    let help = |sub: &str| stdout(&home.cmd(None).args([sub, "--help"]).output().unwrap());
    let login = help("login");
    assert!(
        login.contains("--session") && login.contains("--redirect-port"),
        "{login}"
    );
    for absent in ["--account", "--role", "--refresh", "--offline", "--yes"] {
        assert!(
            !login.contains(absent),
            "login --help shows {absent}:\n{login}"
        );
    }
    let list = help("list");
    assert!(
        list.contains("--offline") && list.contains("--refresh"),
        "{list}"
    );
    assert!(
        !list.contains("--region") && !list.contains("--yes"),
        "{list}"
    );
    let export = help("export");
    for present in ["--account", "--role", "--region", "--session", "--yes"] {
        assert!(export.contains(present), "export --help lacks {present}");
    }
    let completions = help("completions");
    assert!(!completions.contains("--session"), "{completions}");
    for args in [&["login", "--role", "x"][..], &["--role", "x", "login"]] {
        let o = home.cmd(None).args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("--role"), "{}", stderr(&o));
    }
    // Given before the subcommand, an option that applies still works.
    let o = home.cmd(None).args(["--demo", "list"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let o = home.cmd(None).args(["list", "--demo"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A network failure is one line saying what failed and where; -v adds the
/// chain of causes, never the SDK's Debug dump.
#[test]
fn network_errors_are_one_line_and_verbose_shows_the_causes() {
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", "tok", 3600);
    let dead = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let o = home
        .cmd(Some(&dead))
        .args(["list", "--refresh"])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(4), "{err}");
    assert!(
        err.contains("connection failed") || err.contains("refused"),
        "{err}"
    );
    assert!(
        !err.contains("DispatchFailure") && !err.contains("caused by"),
        "{err}"
    );
    let o = home
        .cmd(Some(&dead))
        .args(["list", "--refresh", "-v"])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(4), "{err}");
    assert!(err.contains("caused by"), "{err}");
    assert!(!err.contains("DispatchFailure {"), "{err}");
}

/// The man pages: every `ssopick-NAME(1)` the main page refers to exists
/// (`man --dir`), and the main page has the keys, FILES, ENVIRONMENT and
/// EXIT STATUS.
#[test]
fn man_pages_exist_for_every_reference_and_have_the_sections() {
    let home = Home::new();
    let dir = home.path().join("man1");
    let o = home
        .cmd(None)
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let main = std::fs::read_to_string(dir.join("ssopick.1")).unwrap();
    for section in ["PICKER KEYS", "FILES", "ENVIRONMENT", "EXIT STATUS"] {
        assert!(main.contains(&format!(".SH \"{section}\"")), "no {section}");
    }
    assert!(main.contains("config.toml") && main.contains("AWS_ENDPOINT_URL_SSO"));
    // PICKER KEYS is the key table, line by line.
    let plain = main
        .replace("\\-", "-")
        .replace("\\&", "")
        .replace("\\e", "\\");
    for (label, what) in ssopick::picker::keys::table::lines() {
        assert!(
            plain.contains(&format!("\\fB{label}\\fR\n{what}\n")),
            "PICKER KEYS lacks {label}"
        );
    }
    assert_eq!(
        main.matches("the command was not found").count(),
        1,
        "exit codes once"
    );
    let mut refs = 0;
    for word in main.replace("\\-", "-").split_whitespace() {
        if let Some(name) = word
            .strip_prefix("ssopick-")
            .and_then(|w| w.strip_suffix("(1)"))
        {
            refs += 1;
            let page = dir.join(format!("ssopick-{name}.1"));
            assert!(
                page.exists(),
                "ssopick-{name}(1) is referred to but not written"
            );
        }
    }
    assert!(refs >= 10, "{refs} references");
    let login = std::fs::read_to_string(dir.join("ssopick-login.1")).unwrap();
    assert!(
        login.contains("redirect\\-port") && !login.contains("\\-\\-account"),
        "{login}"
    );
    let o = home.cmd(None).args(["man", "login"]).output().unwrap();
    assert_eq!(stdout(&o), login);
    let o = home.cmd(None).args(["man", "nope"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}
