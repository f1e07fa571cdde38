//! `ssopick login`: the browser login (authorization code with PKCE) or
//! the device-code login, written to the shared token cache; with `--start-url` and `--sso-region` it first sets the session up
//! in `~/.aws/config`, as `aws configure sso` would (no AWS CLI needed).

use crate::app::error::Error;
use crate::app::login;
use crate::app::session::configure::set_up;
use crate::app::session::target::Target;
use crate::app::setup::{Globals, Setup};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick login --start-url https://d-1234567890.awsapps.com/start --sso-region eu-west-1\n  \
ssopick login\n  ssopick login --session corp --no-browser\n  \
ssopick login --redirect-port 8400      (over SSH, with ssh -L 8400:127.0.0.1:8400)\n\n\
[sso-session] sessions log in as `aws sso login` does: the browser is opened ($BROWSER,\n\
else the system's) and sent back to http://127.0.0.1:PORT/oauth/callback. Legacy\n\
sessions, --use-device-code, and machines where no browser can be opened (SSH, no\n\
display) use a device code instead.\n\n\
With --start-url (first time, no AWS CLI needed) the [sso-session] block is added to\n\
~/.aws/config (a backup is kept; an existing session for the URL is reused). Then it\n\
writes ~/.aws/sso/cache/<sha1>.json exactly as `aws sso login` would, so the AWS CLI,\n\
Terraform and the SDKs use the same login. [sso-session] logins get a refresh token:\n\
ssopick then refreshes the session by itself before it runs out."
)]
pub struct Args {
    /// Print the login URL; do not open a browser
    #[arg(long)]
    pub no_browser: bool,
    /// Set up a session for this start URL in ~/.aws/config first (named by --session, else from the URL)
    #[arg(long, value_name = "URL", requires = "sso_region")]
    pub start_url: Option<String>,
    /// The IAM Identity Center instance's region, with --start-url
    #[arg(long, value_name = "REGION")]
    pub sso_region: Option<String>,
    /// Log in even when the session is still valid
    #[arg(long)]
    pub force: bool,
    /// Log in with a device code instead of the browser redirect (authorization code with PKCE)
    #[arg(long)]
    pub use_device_code: bool,
    /// The fixed local port the browser is redirected to (for `ssh -L PORT:127.0.0.1:PORT`)
    #[arg(long, value_name = "PORT", value_parser = clap::value_parser!(u16).range(1..))]
    pub redirect_port: Option<u16>,
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    if setup.is_demo() {
        eprintln!("ssopick: the demo session needs no login.");
        return Ok(0);
    }
    let fresh;
    let setup = match (&args.start_url, &args.sso_region) {
        (Some(url), Some(region)) => {
            let name = set_up(setup, url, region, setup.globals.session.as_deref())?;
            let globals = Globals {
                session: Some(name),
                ..setup.globals.clone()
            };
            fresh = Setup::load(globals, setup.env.clone(), setup.clock.clone()).await?;
            &fresh
        }
        _ => setup,
    };
    let (t, oidc_start_url) = Target::for_login(setup).await?;
    let now = setup.clock.now();
    if !args.force
        && let Some(tok) = t.tokens.peek()
        && tok.is_valid_at(now.plus_secs(10 * 60))
    {
        eprintln!(
            "ssopick: already logged in to {} until {}; nothing to do (--force logs in again).",
            t.id(),
            tok.expires_at
        );
        return Ok(0);
    }
    let mut opts = crate::core::sso::flow::LoginOptions::from_settings(&setup.settings.login);
    opts.no_browser |= args.no_browser;
    opts.use_device_code |= args.use_device_code;
    opts.redirect_port = args.redirect_port.or(opts.redirect_port);
    login::login(&t.tokens, &setup.env, &opts, &oidc_start_url).await?;
    Ok(0)
}
