//! `ssopick login`: the device-code login, written to the shared token cache.

use crate::app::error::Error;
use crate::app::login;
use crate::app::setup::Setup;
use crate::app::target::Target;
use crate::core::env_vars as var;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick login\n  ssopick login --session corp --no-browser\n\n\
Writes ~/.aws/sso/cache/<sha1>.json exactly as `aws sso login` would, so the AWS CLI,\n\
Terraform and the SDKs use the same login. [sso-session] logins get a refresh token:\n\
ssopick then refreshes the session by itself before it runs out."
)]
pub struct Args {
    /// Only print the URL and code; do not open a browser
    #[arg(long)]
    pub no_browser: bool,
}

pub async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    if setup.is_demo() {
        eprintln!("ssopick: the demo session needs no login.");
        return Ok(0);
    }
    let t = Target::chosen(setup).await?;
    let mut env = setup.env.clone();
    if args.no_browser {
        env.0.insert(var::SSOPICK_NO_BROWSER.into(), "1".into());
    }
    login::login(&t.tokens, &env).await?;
    Ok(0)
}
