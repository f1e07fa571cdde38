//! `ssopick man`: every option the pages name exists, and on a terminal
//! the page is shown (man-db, mandoc, or plain text in `$PAGER`), never
//! raw roff.

use crate::common::*;

/// Every long option of every command, and of the top level.
fn long_options(cmd: &clap::Command, into: &mut std::collections::BTreeSet<String>) {
    for a in cmd.get_arguments() {
        if let Some(l) = a.get_long() {
            into.insert(format!("--{l}"));
        }
    }
    for s in cmd.get_subcommands() {
        long_options(s, into);
    }
}

#[test]
fn every_option_the_man_pages_name_exists() {
    let d = tempfile::tempdir().unwrap();
    let o = Home::new()
        .cmd(None)
        .args(["man", "--dir"])
        .arg(d.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut known = std::collections::BTreeSet::new();
    let mut cli = ssopick::cli::command();
    cli.build();
    long_options(&cli, &mut known);
    known.extend(["--help".to_string(), "--version".to_string()]);
    // Other programs' options in the pages' examples: docker's, and the
    // `ssopick-use` shell function's own.
    let foreign = ["--network", "--unset"];
    let mut pages = 0;
    for e in std::fs::read_dir(d.path()).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap().replace("\\-", "-");
        pages += 1;
        for (i, _) in text.match_indices("--") {
            let name: String = text[i + 2..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            let opt = format!("--{name}");
            if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
                continue;
            }
            assert!(
                known.contains(&opt) || foreign.contains(&opt.as_str()),
                "{} names {opt}, which no command has",
                path.display()
            );
        }
    }
    assert!(pages > 10, "{pages} pages");
}

/// On a terminal the page is shown, not printed as roff (man-db here, or
/// the plain text through `$PAGER` where there is no man viewer).
#[test]
fn on_a_terminal_the_page_is_shown_not_printed_as_roff() {
    if !Tmux::available() {
        return skip_or_fail("tmux");
    }
    let home = Home::new();
    for (label, path) in [("viewer", None), ("pager", Some("/nonexistent"))] {
        let exe = env!("CARGO_BIN_EXE_ssopick");
        let path_line = path.map_or(String::new(), |p| format!("export PATH={p}\n"));
        let script = home.script(
            None,
            &format!(
                "export PAGER=cat MANPAGER=cat MANWIDTH=80\n{path_line}'{exe}' man login; echo \"exit=$?\"\nread x\n"
            ),
        );
        let t = Tmux::start(&script, 100, 200);
        let screen = t.wait_for("the page and the exit code", |s| s.contains("exit="));
        assert!(screen.contains("exit=0"), "{label}: {screen}");
        assert!(screen.contains("NAME"), "{label}: {screen}");
        for raw in [".TH", ".SH", "\\fB", "\\-"] {
            assert!(
                !screen.contains(raw),
                "{label}: raw roff {raw:?}:\n{screen}"
            );
        }
    }
}
