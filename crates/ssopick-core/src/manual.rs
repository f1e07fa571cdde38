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
        "written only by `profile --target credentials --write` (previous version kept as credentials.bak)",
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
    ("NO_COLOR", "no colours"),
    ("TERM, TMUX", "the terminal; OSC 52 clipboard inside tmux"),
    (
        "DISPLAY, WAYLAND_DISPLAY, SSH_CONNECTION, SSH_TTY",
        "whether a browser and a clipboard can be reached",
    ),
    (
        "SSOPICK_SHELL",
        "set by ssopick in its shells: the nesting depth",
    ),
];

#[cfg(test)]
mod tests {
    use super::ENVIRONMENT;

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
}
