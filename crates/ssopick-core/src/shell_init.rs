//! `ssopick init SHELL`: a shell function, `ssopick-use`, that sets the
//! picked role's credentials in the current shell (as granted's `assume`
//! does), and `ssopick-use --unset` that clears them. It uses `export`
//! lines, so the keys are static and expire, and it says so: the prompt can
//! show the expiry from `AWS_CREDENTIAL_EXPIRATION`. For work that outlives
//! the keys, `ssopick exec`/`shell` (a renewing endpoint) are the tools.
//!
//! It also sets `AWS_SSO_PROFILE` (`account/role`), which starship's `aws`
//! module shows as the profile and no AWS SDK reads.

/// The shells `init` writes for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InitShell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

crate::named_enum!(InitShell {
    Bash = "bash": "",
    Zsh = "zsh": "",
    Fish = "fish": "",
    Powershell = "powershell": "",
});

/// What `--unset` clears (and what a new pick replaces).
pub const SET_BY_USE: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_SSO_PROFILE",
    "SSOPICK_ACCOUNT_ID",
    "SSOPICK_ACCOUNT_NAME",
    "SSOPICK_ROLE_NAME",
    "SSOPICK_SESSION",
];

pub fn script(shell: InitShell) -> String {
    let vars = SET_BY_USE.join(" ");
    match shell {
        InitShell::Bash | InitShell::Zsh => format!(
            r#"# ssopick shell integration: eval "$(ssopick init {name})"
# ssopick-use [QUERY...] [--account ID --role NAME]: the role's keys in this shell
# ssopick-use --unset: remove them
ssopick-use() {{
  if [ "${{1-}}" = "--unset" ]; then
    unset {vars}
    return 0
  fi
  local __ssopick_out
  __ssopick_out="$(command ssopick export --format bash "$@")" || return $?
  eval "$__ssopick_out"
  export AWS_SSO_PROFILE="$SSOPICK_ACCOUNT_NAME/$SSOPICK_ROLE_NAME"
}}
"#,
            name = if shell == InitShell::Bash {
                "bash"
            } else {
                "zsh"
            }
        ),
        InitShell::Fish => format!(
            r#"# ssopick shell integration: ssopick init fish | source
# ssopick-use [QUERY...] [--account ID --role NAME]: the role's keys in this shell
# ssopick-use --unset: remove them
function ssopick-use
    if test "$argv[1]" = --unset
        set -e {vars}
        return 0
    end
    set -l __ssopick_out (command ssopick export --format fish $argv)
    or return $status
    printf '%s\n' $__ssopick_out | source
    set -gx AWS_SSO_PROFILE "$SSOPICK_ACCOUNT_NAME/$SSOPICK_ROLE_NAME"
    # `set -e` of an unset variable leaves status 4 behind: success is 0.
    return 0
end
"#
        ),
        InitShell::Powershell => {
            let items: Vec<String> = SET_BY_USE.iter().map(|v| format!("Env:{v}")).collect();
            format!(
                r#"# ssopick shell integration: ssopick init powershell | Out-String | Invoke-Expression
# ssopick-use [QUERY...] [--account ID --role NAME]: the role's keys in this shell
# ssopick-use --unset: remove them
function ssopick-use {{
    if ($args.Count -gt 0 -and $args[0] -eq '--unset') {{
        Remove-Item {items} -ErrorAction SilentlyContinue
        return
    }}
    $out = & ssopick export --format powershell @args
    if ($LASTEXITCODE -ne 0) {{ return }}
    $out | Out-String | Invoke-Expression
    $env:AWS_SSO_PROFILE = "$env:SSOPICK_ACCOUNT_NAME/$env:SSOPICK_ROLE_NAME"
}}
"#,
                items = items.join(",")
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powershell_function_text() {
        insta::assert_snapshot!("init_powershell", script(InitShell::Powershell));
    }
}
