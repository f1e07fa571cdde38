//! `ssopick init`: the `ssopick-use` function in real bash, zsh and fish
//! sets the picked role's keys and the prompt variables in the current
//! shell, and `--unset` removes them. (PowerShell: a golden test of the
//! text, in `core::shell_init`; pwsh cannot be installed here.)

use crate::common::*;
use ssopick::fake::{FakeOptions, FakePortal};
use std::process::Command;

fn shell(home: &Home, portal: &FakePortal, program: &str, body: &str) -> Option<String> {
    if Command::new(program)
        .arg("-c")
        .arg("true")
        .output()
        .is_err()
    {
        skip_or_fail(program);
        return None;
    }
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_ssopick"))
        .parent()
        .unwrap()
        .to_path_buf();
    let template = home.cmd(Some(portal.url()));
    let mut c = Command::new(program);
    c.env_clear();
    for (k, v) in template.get_envs() {
        if let Some(v) = v {
            c.env(k, v);
        }
    }
    let path = format!("{}:/usr/bin:/bin", bin_dir.display());
    let o = c
        .env("PATH", path)
        .env("AWS_PROFILE", "some-old-profile")
        .arg("-c")
        .arg(body)
        .output()
        .unwrap();
    assert!(o.status.success(), "{program}: {}", stderr(&o));
    Some(stdout(&o))
}

#[tokio::test(flavor = "multi_thread")]
async fn ssopick_use_sets_and_unsets_in_bash_zsh_and_fish() {
    let (portal, home) = logged_in(6, 3, FakeOptions::default()).await;
    let a = portal.org().accounts[1].clone();
    let pick = format!("--account {} --role {}", a.account_id, a.roles[0]);
    let posix = |init: &str| {
        format!(
            "eval \"$(ssopick init {init})\"\nssopick-use {pick} || echo FAILED\n\
             echo \"$AWS_ACCESS_KEY_ID|$AWS_SSO_PROFILE|${{AWS_PROFILE-unset}}|$AWS_CREDENTIAL_EXPIRATION\"\n\
             ssopick-use --unset\necho \"${{AWS_ACCESS_KEY_ID-unset}}|${{AWS_SSO_PROFILE-unset}}\"\n"
        )
    };
    let fish = format!(
        "ssopick init fish | source\nssopick-use {pick}; or echo FAILED\n\
         echo \"$AWS_ACCESS_KEY_ID|$AWS_SSO_PROFILE|unset|$AWS_CREDENTIAL_EXPIRATION\"\n\
         ssopick-use --unset\nset -q AWS_ACCESS_KEY_ID; or echo -n unset; echo -n '|'; set -q AWS_SSO_PROFILE; or echo unset\n"
    );
    for (program, body) in [
        ("bash", posix("bash")),
        ("zsh", posix("zsh")),
        ("fish", fish),
    ] {
        let Some(out) = tokio::task::block_in_place(|| shell(&home, &portal, program, &body))
        else {
            continue;
        };
        assert!(
            !out.contains("FAILED"),
            "{program}: ssopick-use failed: {out}"
        );
        let issued = portal.last_issued().unwrap();
        let mut lines = out.lines();
        let set: Vec<&str> = lines.next().unwrap_or("").split('|').collect();
        assert_eq!(set[0], issued.access_key_id, "{program}: {out}");
        assert_eq!(
            set[1],
            format!("{}/{}", a.account_name, a.roles[0]),
            "{program}"
        );
        assert_eq!(set[2], "unset", "{program}: AWS_PROFILE is removed");
        assert!(
            set[3].ends_with('Z'),
            "{program}: expiry for prompts: {out}"
        );
        assert_eq!(lines.next(), Some("unset|unset"), "{program}: {out}");
    }
}

/// The reference's plain-PS1 snippet shows the account and role.
#[test]
fn the_ps1_snippet_shows_the_role() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference.md")).unwrap();
    let snippet = readme
        .lines()
        .find(|l| l.starts_with("PS1="))
        .expect("docs/reference.md has a PS1 snippet");
    let o = Command::new("bash")
        .args(["-c", &format!("{snippet}\necho \"${{PS1@P}}\"")])
        .env("SSOPICK_ACCOUNT_NAME", "payments-prod")
        .env("SSOPICK_ROLE_NAME", "Admin")
        .output()
        .unwrap();
    assert!(
        stdout(&o).contains("[payments-prod/Admin]"),
        "{}",
        stdout(&o)
    );
}

/// The reference's starship snippet uses only variables the `aws` module
/// documents ($symbol, $profile, $region, $duration, $style).
#[test]
fn the_starship_snippet_uses_documented_variables() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference.md")).unwrap();
    let start = readme
        .find("[aws]")
        .expect("docs/reference.md has a starship [aws] snippet");
    let block = &readme[start
        ..readme[start..]
            .find("```")
            .map_or(readme.len(), |e| start + e)];
    let documented = ["symbol", "profile", "region", "duration", "style"];
    for var in block.split('$').skip(1) {
        let name: String = var
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        assert!(
            documented.contains(&name.as_str()),
            "undocumented ${name} in:\n{block}"
        );
    }
}
