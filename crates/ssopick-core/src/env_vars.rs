//! Every environment variable ssopick reads or sets, by name, in one place.
//! What each means is in README.md (Environment) and `ssopick man`.

// Where files live.
pub const HOME: &str = "HOME";
pub const USERPROFILE: &str = "USERPROFILE";
/// The local user, for a chained role's default session name.
pub const USER: &str = "USER";
pub const USERNAME: &str = "USERNAME";
pub const XDG_CACHE_HOME: &str = "XDG_CACHE_HOME";
pub const XDG_STATE_HOME: &str = "XDG_STATE_HOME";
pub const XDG_CONFIG_HOME: &str = "XDG_CONFIG_HOME";
pub const AWS_CONFIG_FILE: &str = "AWS_CONFIG_FILE";
pub const AWS_SHARED_CREDENTIALS_FILE: &str = "AWS_SHARED_CREDENTIALS_FILE";
/// ssopick's own config.toml, when not in `$XDG_CONFIG_HOME/ssopick`.
pub const SSOPICK_CONFIG: &str = "SSOPICK_CONFIG";

// Which profile, region and endpoints.
pub const AWS_PROFILE: &str = "AWS_PROFILE";
pub const AWS_DEFAULT_PROFILE: &str = "AWS_DEFAULT_PROFILE";
pub const AWS_REGION: &str = "AWS_REGION";
pub const AWS_DEFAULT_REGION: &str = "AWS_DEFAULT_REGION";
/// Set by kubectl for an exec plugin: the ExecCredential version it wants.
pub const KUBERNETES_EXEC_INFO: &str = "KUBERNETES_EXEC_INFO";
/// Where kubectl keeps its clusters, users and contexts (`kubeconfig`).
pub const KUBECONFIG: &str = "KUBECONFIG";
/// aws-sso-cli's config file (`import aws-sso-cli`).
pub const AWS_SSO_CONFIG: &str = "AWS_SSO_CONFIG";
pub const AWS_ENDPOINT_URL: &str = "AWS_ENDPOINT_URL";
pub const AWS_ENDPOINT_URL_SSO: &str = "AWS_ENDPOINT_URL_SSO";
pub const AWS_ENDPOINT_URL_SSO_OIDC: &str = "AWS_ENDPOINT_URL_SSO_OIDC";
pub const AWS_ENDPOINT_URL_STS: &str = "AWS_ENDPOINT_URL_STS";
pub const AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: &str = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";
/// FIPS and dual-stack endpoints (`true`/`false`; `core::sso::endpoints`).
pub const AWS_USE_FIPS_ENDPOINT: &str = "AWS_USE_FIPS_ENDPOINT";
pub const AWS_USE_DUALSTACK_ENDPOINT: &str = "AWS_USE_DUALSTACK_ENDPOINT";
/// Extra CA roots (a PEM file) for every HTTPS call, added to the OS's.
pub const AWS_CA_BUNDLE: &str = "AWS_CA_BUNDLE";
/// Proxies, each in upper and lower case (the lower-case one is read first,
/// as curl does).
pub const HTTPS_PROXY: [&str; 2] = ["https_proxy", "HTTPS_PROXY"];
pub const HTTP_PROXY: [&str; 2] = ["http_proxy", "HTTP_PROXY"];
pub const ALL_PROXY: [&str; 2] = ["all_proxy", "ALL_PROXY"];
pub const NO_PROXY: [&str; 2] = ["no_proxy", "NO_PROXY"];
/// The federation sign-in endpoint for `console` (tests and `--demo`).
pub const SSOPICK_SIGNIN_ENDPOINT: &str = "SSOPICK_SIGNIN_ENDPOINT";
/// Seconds each portal call may take (default 10).
pub const SSOPICK_HTTP_TIMEOUT: &str = "SSOPICK_HTTP_TIMEOUT";

// Credentials handed to a child or printed as exports.
pub const AWS_ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
pub const AWS_SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
pub const AWS_SESSION_TOKEN: &str = "AWS_SESSION_TOKEN";
pub const AWS_CREDENTIAL_EXPIRATION: &str = "AWS_CREDENTIAL_EXPIRATION";
pub const AWS_CONTAINER_CREDENTIALS_FULL_URI: &str = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
pub const AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: &str = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
pub const AWS_CONTAINER_AUTHORIZATION_TOKEN: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
pub const AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: &str = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
pub const AWS_WEB_IDENTITY_TOKEN_FILE: &str = "AWS_WEB_IDENTITY_TOKEN_FILE";
pub const AWS_ROLE_ARN: &str = "AWS_ROLE_ARN";
pub const AWS_ROLE_SESSION_NAME: &str = "AWS_ROLE_SESSION_NAME";
pub const SSOPICK_ACCOUNT_ID: &str = "SSOPICK_ACCOUNT_ID";
pub const SSOPICK_ACCOUNT_NAME: &str = "SSOPICK_ACCOUNT_NAME";
pub const SSOPICK_ROLE_NAME: &str = "SSOPICK_ROLE_NAME";
pub const SSOPICK_SESSION: &str = "SSOPICK_SESSION";
/// Set in an ssopick shell to its nesting depth.
pub const SSOPICK_SHELL: &str = "SSOPICK_SHELL";

// The terminal, the shell, the display.
pub const SHELL: &str = "SHELL";
/// A lasting path to ssopick for the files that run it later.
pub const PATH: &str = "PATH";
pub const COMSPEC: &str = "COMSPEC";
pub const NO_COLOR: &str = "NO_COLOR";
/// The pager `ssopick man` uses when neither man-db nor mandoc is here.
pub const PAGER: &str = "PAGER";
pub const TERM: &str = "TERM";
pub const TMUX: &str = "TMUX";
/// Set inside GNU screen (OSC 52 goes in its DCS wrapper).
pub const STY: &str = "STY";
pub const DISPLAY: &str = "DISPLAY";
pub const WAYLAND_DISPLAY: &str = "WAYLAND_DISPLAY";
pub const SSH_CONNECTION: &str = "SSH_CONNECTION";
pub const SSH_TTY: &str = "SSH_TTY";
/// The user's browser command(s), `:`-separated, `%s` for the URL (as
/// Python's webbrowser and so the AWS CLI read it).
pub const BROWSER: &str = "BROWSER";
/// Where the default browser is looked up (`xdg-open`'s `mimeapps.list`
/// and `.desktop` files), to tell whether it is confined.
pub const XDG_CONFIG_DIRS: &str = "XDG_CONFIG_DIRS";
pub const XDG_DATA_HOME: &str = "XDG_DATA_HOME";
pub const XDG_DATA_DIRS: &str = "XDG_DATA_DIRS";
pub const XDG_CURRENT_DESKTOP: &str = "XDG_CURRENT_DESKTOP";
/// Set under WSL (the login's choice of flow, `wslview`).
pub const WSL_DISTRO_NAME: &str = "WSL_DISTRO_NAME";
pub const WSL_INTEROP: &str = "WSL_INTEROP";
/// Set inside podman and systemd-nspawn containers.
pub const CONTAINER: &str = "container";
/// Where the per-run overlay config of `shell`/`exec` goes (else the temp dir).
pub const XDG_RUNTIME_DIR: &str = "XDG_RUNTIME_DIR";
/// Never open a browser (`login --no-browser` sets it for the run).
pub const SSOPICK_NO_BROWSER: &str = "SSOPICK_NO_BROWSER";
/// How many ssopick runs deep this one is, through profiles'
/// `credential_process` commands that run ssopick again (set for children
/// at start; a loop ends at `MAX_PROFILE_DEPTH`).
pub const SSOPICK_PROFILE_DEPTH: &str = "SSOPICK_PROFILE_DEPTH";
/// Benchmarks: where to note how long the picker's first frame took.
pub const SSOPICK_FIRST_FRAME_FILE: &str = "SSOPICK_FIRST_FRAME_FILE";
/// Debug builds only: make the picker panic after its first frame (tests).
pub const SSOPICK_TEST_PANIC: &str = "SSOPICK_TEST_PANIC";
