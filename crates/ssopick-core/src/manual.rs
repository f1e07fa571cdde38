//! What the man pages and `ssopick doctor` say about files and the
//! environment: one table each, so they cannot drift apart. Pure.

/// Every file ssopick reads or writes: (default path, what it is).
pub const FILES: &[(&str, &str)] = &[
    (
        "~/.aws/config ($AWS_CONFIG_FILE)",
        "SSO sessions and profiles; written only by `profile --write` and `login --start-url` (previous version kept as config.bak)",
    ),
    (
        "~/.aws/credentials ($AWS_SHARED_CREDENTIALS_FILE)",
        "written only by `profile --style static --write` (previous version kept as credentials.bak)",
    ),
    (
        "~/.aws/sso/cache/<sha1>.json",
        "the SSO token, shared with the AWS CLI and the SDKs; written by login and refresh, removed by logout (0600)",
    ),
    (
        "~/.config/ssopick/config.toml ($SSOPICK_CONFIG)",
        "ssopick's own optional settings",
    ),
    (
        "~/.cache/ssopick/catalog/<sha1>.json",
        "catalog snapshot: accounts and roles, no secret (0600)",
    ),
    (
        "~/.cache/ssopick/config-sessions.json",
        "the sessions a large ~/.aws/config names, kept while that file is unchanged (0600)",
    ),
    (
        "~/.cache/ssopick/config-profiles.json",
        "the other profiles of a large ~/.aws/config as rows (names, kinds, role ARNs), kept while both AWS files are unchanged (0600)",
    ),
    (
        "~/.cache/ssopick/credentials/<sha1>.json",
        "role credentials cached by credential-process, tied to the login (0600)",
    ),
    (
        "~/.cache/ssopick/registrations/<sha1>.json",
        "OIDC client registrations reused by login (0600)",
    ),
    (
        "~/.cache/ssopick/locks/<sha1>.lock",
        "lock files that serialise token refreshes and file writes (0600)",
    ),
    (
        "~/.cache/ssopick/locks/<sha1>.listing",
        "held by the run listing a session; another run follows its progress (0600)",
    ),
    (
        "$XDG_RUNTIME_DIR/ssopick/ (else ~/.cache/ssopick/run/)",
        "private run folder (0700): sign-in pages, per-run config copies, endpoints/PID.json (the running endpoints `status` lists; never their tokens)",
    ),
    (
        "~/.cache/ssopick/demo/",
        "everything --demo writes; never ~/.aws",
    ),
    (
        "~/.local/state/ssopick/history.json",
        "pick history (no secret), orders equal matches",
    ),
];

/// Every environment variable a user may set: (name, what it does).
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        "HTTPS_PROXY, HTTP_PROXY, ALL_PROXY, NO_PROXY",
        "proxies for every AWS call, either case; user:password@ in the URL is Basic auth",
    ),
    (
        "AWS_CA_BUNDLE",
        "CA certificates (PEM) added to the system's roots for every AWS call (else the profile's ca_bundle)",
    ),
    (
        "AWS_USE_FIPS_ENDPOINT, AWS_USE_DUALSTACK_ENDPOINT",
        "FIPS / dual-stack endpoints (true or false; else the profile's, else the session's use_fips_endpoint, use_dualstack_endpoint)",
    ),
    (
        "AWS_PROFILE, AWS_DEFAULT_PROFILE",
        "its SSO session is used when --session is not given",
    ),
    (
        "AWS_CONFIG_FILE",
        "the AWS config file (default ~/.aws/config)",
    ),
    (
        "AWS_SHARED_CREDENTIALS_FILE",
        "the AWS credentials file (default ~/.aws/credentials)",
    ),
    (
        "AWS_REGION, AWS_DEFAULT_REGION",
        "region exported with credentials when --region is not given",
    ),
    (
        "AWS_ENDPOINT_URL_SSO, AWS_ENDPOINT_URL",
        "portal endpoint override",
    ),
    (
        "AWS_ENDPOINT_URL_SSO_OIDC",
        "OIDC endpoint override (login, refresh)",
    ),
    (
        "AWS_ENDPOINT_URL_STS",
        "STS endpoint override (role chaining)",
    ),
    (
        "USER, USERNAME",
        "the local user, in a chained role's default session name (ssopick-USER)",
    ),
    (
        "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        "true: ignore the endpoint overrides",
    ),
    (
        "SSOPICK_SIGNIN_ENDPOINT",
        "federation sign-in endpoint override (console)",
    ),
    (
        "SSOPICK_HTTP_TIMEOUT",
        "seconds one portal request may take (default 10)",
    ),
    ("SSOPICK_CONFIG", "path of config.toml"),
    (
        "SSOPICK_NO_BROWSER",
        "never open a browser (login, console)",
    ),
    (
        "BROWSER",
        "the browser command(s) for login and console, `:`-separated, %s for the URL",
    ),
    (
        "XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_STATE_HOME",
        "where ssopick's folders go",
    ),
    (
        "XDG_CONFIG_DIRS, XDG_DATA_HOME, XDG_DATA_DIRS, XDG_CURRENT_DESKTOP",
        "where the default browser is looked up (a snap or flatpak gets a one-time link)",
    ),
    (
        "WSL_DISTRO_NAME, WSL_INTEROP, container",
        "WSL (wslview opens the browser) and containers: the login's flow",
    ),
    (
        "XDG_RUNTIME_DIR",
        "where shell/exec put their per-run config overlay",
    ),
    ("HOME, USERPROFILE", "the home folder"),
    ("SHELL, COMSPEC", "the shell `ssopick shell` starts"),
    (
        "PATH",
        "where `profile --style process` and `kubeconfig` find a lasting path to ssopick (a package manager's link) to write",
    ),
    ("NO_COLOR", "no colours"),
    (
        "AWS_SSO_CONFIG",
        "aws-sso-cli's config file, for `import aws-sso-cli` (default ~/.aws-sso/config.yaml)",
    ),
    (
        "KUBERNETES_EXEC_INFO, KUBECONFIG",
        "eks-token: the ExecCredential version kubectl asks for; kubeconfig: kubectl's files",
    ),
    (
        "PAGER",
        "the pager for `ssopick man` on a terminal without man-db or mandoc (default less)",
    ),
    (
        "TERM, TMUX, STY",
        "the terminal; the OSC 52 clipboard inside tmux (its set-clipboard and allow-passthrough) and GNU screen",
    ),
    (
        "DISPLAY, WAYLAND_DISPLAY, SSH_CONNECTION, SSH_TTY",
        "whether a browser and a clipboard can be reached",
    ),
    (
        "SSOPICK_SHELL",
        "set by ssopick in its shells: the nesting depth",
    ),
];

/// A man page's roff as plain text, for a terminal with neither man-db
/// nor mandoc: headings, indented definitions, escapes undone.
pub fn roff_to_text(roff: &str) -> String {
    let mut out = String::new();
    let mut indent = "";
    let mut term_next = false;
    for line in roff.lines() {
        if let Some(rest) = line.strip_prefix('.').or_else(|| line.strip_prefix('\'')) {
            let (req, arg) = rest.split_once(' ').unwrap_or((rest, ""));
            match req {
                "SH" | "SS" => {
                    out.push_str(&format!("\n{}\n", inline(arg.trim_matches('"'))));
                    indent = "";
                }
                "TP" => {
                    out.push('\n');
                    term_next = true;
                }
                "PP" | "P" | "LP" => {
                    out.push('\n');
                    indent = "";
                }
                "IP" | "br" | "sp" => out.push('\n'),
                "B" | "I" | "BR" | "IR" | "RB" | "BI" | "IB" | "RI" => {
                    out.push_str(&format!("{indent}{}\n", inline(arg.trim_matches('"'))));
                }
                _ => {}
            }
            continue;
        }
        if term_next {
            out.push_str(&format!("       {}\n", inline(line)));
            term_next = false;
            indent = "              ";
            continue;
        }
        out.push_str(&format!("{indent}{}\n", inline(line)));
    }
    out.trim_start().to_string()
}

/// One roff line's escapes: fonts dropped, `\-` and `\e` and the named
/// characters ssopick's pages use turned back into text.
fn inline(line: &str) -> String {
    let mut s = line.to_string();
    for (from, to) in [
        ("\\*(Aq", "'"),
        ("\\*(lq", "\""),
        ("\\*(rq", "\""),
        ("\\fB", ""),
        ("\\fI", ""),
        ("\\fR", ""),
        ("\\fP", ""),
        ("\\&", ""),
        ("\\-", "-"),
        ("\\(aq", "'"),
        ("\\(bu", "*"),
        ("\\(em", "--"),
        ("\\(lq", "\""),
        ("\\(rq", "\""),
        ("\\ ", " "),
        ("\\e", "\\"),
    ] {
        s = s.replace(from, to);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::{ENVIRONMENT, roff_to_text};

    /// Every variable `env_vars` names that a user may set is documented
    /// (the ones ssopick only writes for a child, and test hooks, are not).
    #[test]
    fn every_variable_a_user_sets_is_documented() {
        let source = include_str!("env_vars.rs");
        let written_for_children = [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_CREDENTIAL_EXPIRATION",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_ROLE_ARN",
            "AWS_ROLE_SESSION_NAME",
            "SSOPICK_ACCOUNT_ID",
            "SSOPICK_ACCOUNT_NAME",
            "SSOPICK_ROLE_NAME",
            "SSOPICK_SESSION",
            "SSOPICK_FIRST_FRAME_FILE",
            "SSOPICK_PROFILE_DEPTH",
            "SSOPICK_TEST_PANIC",
        ];
        for line in source.lines() {
            let Some(rest) = line.strip_prefix("pub const ") else {
                continue;
            };
            // The constant's name, or the variable as users set it (its
            // value: `container` is lower case).
            let name = rest.split(':').next().unwrap_or_default();
            let value = rest.split('"').nth(1).unwrap_or_default();
            if written_for_children.contains(&name) {
                continue;
            }
            let listed = |v: &str| {
                ENVIRONMENT
                    .iter()
                    .any(|(n, _)| n.split(", ").any(|x| x == v))
            };
            assert!(
                listed(name) || listed(value),
                "{name} is not in the man page's ENVIRONMENT"
            );
        }
    }

    #[test]
    fn roff_becomes_plain_text() {
        let roff = ".TH ssopick 1\n.SH NAME\nssopick \\- pick\n.SH \"FILES\"\n.TP\n\\fB~/.aws/config\\fR\nsessions \\e and \\(aqprofiles\\*(Aq\n";
        assert_eq!(
            roff_to_text(roff),
            "NAME\nssopick - pick\n\nFILES\n\n       ~/.aws/config\n              sessions \\ and 'profiles'\n"
        );
    }
}
