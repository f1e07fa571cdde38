//! Completion of `--account`, `--role` and QUERY words from the snapshots,
//! in real interactive bash and zsh (in tmux), with the scripts
//! `ssopick completions bash|zsh` prints: a hostile account name is
//! inserted as one quoted word and never runs.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg};
use std::process::Command;

fn org() -> FakeOrg {
    FakeOrg {
        accounts: vec![
            fake_account("111111111111", "payments-prod", &["Admin", "ReadOnly"]),
            fake_account("222222222222", "Payroll [EU]", &["Billing", "ReadOnly"]),
            fake_account("333333333333", "evil$(touch PWNED)", &["Admin"]),
            fake_account("444444444444", "Ünïcode Team ✓", &["Auditor"]),
        ],
    }
}

fn has(shell: &str) -> bool {
    Command::new(shell)
        .args(["-c", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// An interactive `shell` in tmux with ssopick's completion loaded, the
/// binary on PATH, and HOME holding a snapshot of `org()`.
async fn shell_in_tmux(shell: &str) -> Option<(Tmux, Home)> {
    if !Tmux::available() || !has(shell) {
        skip_or_fail(&format!("tmux and {shell}"));
        return None;
    }
    let (portal, home) = logged_in_to(org(), FakeOptions::default()).await;
    home.take_snapshot(portal.url()).await;
    // Another profile, for `--profile`.
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[scratch-keys]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = secretsecretsecretsecret\n",
    )
    .unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_ssopick"))
        .parent()
        .unwrap()
        .display()
        .to_string();
    let d = home.path().display().to_string();
    let body = if shell == "bash" {
        std::fs::write(
            home.path().join("bashrc"),
            "PS1='$ '\nsource <(ssopick completions bash)\n",
        )
        .unwrap();
        format!(
            "export PATH='{bin}':$PATH\ncd '{d}'\nexec bash --noprofile --rcfile '{d}/bashrc' -i\n"
        )
    } else {
        std::fs::write(
            home.path().join(".zshrc"),
            "PS1='$ '\nautoload -Uz compinit && compinit -u\nsource <(ssopick completions zsh)\n",
        )
        .unwrap();
        format!("export PATH='{bin}':$PATH ZDOTDIR='{d}'\ncd '{d}'\nexec zsh -i\n")
    };
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 120, 30);
    tokio::task::block_in_place(|| {
        t.wait_for("the prompt", |s| s.lines().any(|l| l.trim_end() == "$"))
    });
    // The portal is not needed any more: completion reads the snapshot.
    drop(portal);
    Some((t, home))
}

/// Types `line`, presses Tab (twice where several candidates are to be
/// listed), and returns the screen once `want` shows.
fn complete(t: &Tmux, line: &str, tabs: usize, want: &str) -> String {
    t.keys(&["C-u"]);
    t.literal(line);
    for _ in 0..tabs {
        t.keys(&["Tab"]);
    }
    t.wait_for(want, |s| s.contains(want))
}

fn check_shell(shell: &str, t: &Tmux, home: &Home) {
    // The first word is a subcommand or a QUERY word.
    complete(t, "ssopick lis", 1, "ssopick list");
    // --profile: the AWS files' other profiles.
    complete(
        t,
        "ssopick credential-process --profile scr",
        1,
        "--profile scratch-keys",
    );
    complete(
        t,
        "ssopick --account paym",
        1,
        "ssopick --account payments-prod",
    );
    // A name with spaces and brackets becomes one quoted word.
    let s = complete(t, "ssopick exec Payr", 1, "Payroll\\ \\[EU\\]");
    assert!(
        s.contains("ssopick exec Payroll\\ \\[EU\\]"),
        "{shell}: {s}"
    );
    // --role: only the roles of --account's account.
    let s = complete(t, "ssopick --account 111111111111 --role ", 2, "ReadOnly");
    assert!(
        s.contains("Admin") && !s.contains("Billing"),
        "{shell}: {s}"
    );
    // A QUERY word, any case, across accounts and roles.
    complete(t, "ssopick list billi", 1, "ssopick list Billing");
    // A hostile name is inserted quoted; even run, it is a literal word.
    let s = complete(t, "ssopick exec evi", 1, "evil\\$\\(touch");
    assert!(s.contains("evil\\$\\(touch\\ PWNED\\)"), "{shell}: {s}");
    // --role after a quoted account: that account's roles.
    complete(
        t,
        "ssopick --account evil\\$\\(touch\\ PWNED\\) --role ",
        1,
        "--role Admin",
    );
    // A name with spaces, typed escaped, or after an opening quote.
    complete(
        t,
        "ssopick exec Ünïcode\\ Te",
        1,
        "ssopick exec Ünïcode\\ Team\\ ✓",
    );
    complete(
        t,
        "ssopick exec 'Ünïcode Te",
        1,
        "ssopick exec 'Ünïcode Team ✓'",
    );
    complete(
        t,
        "ssopick exec \"Ünïcode Te",
        1,
        "ssopick exec \"Ünïcode Team ✓\"",
    );
    let s = complete(t, "ssopick exec 'Ün", 1, "Team ✓'");
    assert!(
        !s.contains("\\ "),
        "{shell}: no backslash inside quotes: {s}"
    );
    complete(
        t,
        "ssopick --account 'Ünïcode Team ✓' --role ",
        1,
        "--role Auditor",
    );
    complete(
        t,
        "ssopick --account Ünïcode\\ Team\\ ✓ --role ",
        1,
        "--role Auditor",
    );
    t.keys(&["C-u"]);
    t.literal("echo done-$((6*7))");
    t.keys(&["Enter"]);
    t.wait_for("the shell", |s| s.contains("done-42"));
    assert!(!home.path().join("PWNED").exists(), "{shell} ran a name");
}

#[tokio::test(flavor = "multi_thread")]
async fn bash_completes_accounts_roles_and_query_words() {
    let Some((t, home)) = shell_in_tmux("bash").await else {
        return;
    };
    tokio::task::block_in_place(|| check_shell("bash", &t, &home));
}

#[tokio::test(flavor = "multi_thread")]
async fn zsh_completes_accounts_roles_and_query_words() {
    let Some((t, home)) = shell_in_tmux("zsh").await else {
        return;
    };
    tokio::task::block_in_place(|| check_shell("zsh", &t, &home));
}

#[test]
fn the_zsh_script_is_patched_and_the_bash_one_wrapped() {
    let out = |shell: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_ssopick"))
            .args(["completions", shell])
            .output()
            .unwrap();
        String::from_utf8(o.stdout).unwrap()
    };
    let zsh = out("zsh");
    assert!(zsh.contains(":ID|NAME:_ssopick_accounts'"));
    assert!(zsh.contains(":NAME:_ssopick_roles'"));
    assert!(zsh.contains(":_ssopick_query'"));
    assert!(
        !zsh.contains(":ID|NAME:_default'"),
        "every --account patched"
    );
    assert!(out("bash").contains("complete -F _ssopick_dynamic"));
}

/// The AWS files' other profiles are candidates too, with no snapshot and
/// no SSO session at all; SSO profiles are not (their rows are the
/// portal's).
#[tokio::test(flavor = "multi_thread")]
async fn profile_names_are_candidates_without_any_snapshot() {
    let home = Home::new();
    home.write_config(
        "[profile client-a]\naws_access_key_id = AKIAEXAMPLEEXAMPLE01\naws_secret_access_key = secretsecretsecretsecret\n\n[profile sandbox]\nsource_profile = client-a\nrole_arn = arn:aws:iam::123456789012:role/Sandbox\n\n[profile dev]\nsso_session = corp\nsso_account_id = 111111111111\nsso_role_name = Dev\n",
    );
    let ask = |kind: &str, prefix: &str| {
        let mut c = home.cmd(None);
        c.args(["__complete", kind, "--", prefix]);
        c
    };
    let o = run(&mut ask("account", "")).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).lines().collect::<Vec<_>>(),
        ["123456789012", "client-a", "sandbox"]
    );
    let o = run(&mut ask("profile", "")).await;
    assert_eq!(
        stdout(&o).lines().collect::<Vec<_>>(),
        ["client-a", "sandbox"]
    );
    let o = run(&mut ask("query", "sa")).await;
    assert_eq!(
        stdout(&o).lines().collect::<Vec<_>>(),
        ["Sandbox", "sandbox"]
    );
}
