//! `ssopick console [QUERY]`: the AWS console, signed in, on the page and
//! in the browser asked for (config.toml's `[console]` gives the defaults).

use crate::app::error::Error;
use crate::app::pick::choose::choose_and_deliver;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick console prod readonly\n  ssopick console prod --service s3\n  ssopick console --account 123456789012 --role Admin --print\n  ssopick console prod --browser chrome --browser-profile 'Profile 2'\n  ssopick console prod --firefox-container\n\n\
Several accounts at once: mark rows with Ctrl-T in the picker. Each opens in its own Firefox container\n\
(--firefox-container), or, with the console's multi-session support turned on, as a new session through\n\
the access portal (--portal-link). Otherwise each sign-in first logs the browser out of the last one."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// Print the sign-in link instead of opening a browser
    #[arg(long)]
    pub print: bool,
    /// Open this service's console page (ec2, s3, lambda, iam, logs, ...)
    #[arg(long, value_name = "NAME", conflicts_with = "destination")]
    pub service: Option<String>,
    /// Open this console URL (or a path such as /cloudwatch/home)
    #[arg(long, value_name = "URL")]
    pub destination: Option<String>,
    /// The console session's length: 15m to 12h (a chained role: at most 1h)
    #[arg(long, value_name = "AGE", value_parser = parse_duration)]
    pub duration: Option<i64>,
    /// The browser: firefox, chrome, chromium, brave, edge, safari, or a program's path
    #[arg(long, value_name = "NAME|PATH")]
    pub browser: Option<String>,
    /// The browser profile (Chrome's profile directory, Firefox's profile name)
    #[arg(long, value_name = "PROFILE")]
    pub browser_profile: Option<String>,
    /// Open it in a Firefox container named for the account (the "Open external links in a container" extension)
    #[arg(long)]
    pub firefox_container: bool,
    /// Open the access portal's shortcut link instead: a new session in the console's multi-session mode
    #[arg(long)]
    pub portal_link: bool,
    /// Do not log the browser out of another account's console first
    #[arg(long)]
    pub keep_session: bool,
}

fn parse_duration(s: &str) -> Result<i64, String> {
    let secs = crate::core::settings::parse_age(s)
        .ok_or_else(|| format!("{s:?} is not an age: write it like \"30m\", \"4h\" or \"3600\""))?;
    crate::core::console_open::check_duration(secs)?;
    Ok(secs)
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    let mut o = setup.defaults.console.clone();
    o.print = args.print;
    o.service = args.service;
    o.destination = args.destination;
    o.duration_given = args.duration.is_some();
    o.duration = args.duration.or(o.duration);
    o.browser = args.browser.or(o.browser);
    o.browser_profile = args.browser_profile.or(o.browser_profile);
    o.firefox_containers |= args.firefox_container;
    o.portal_link |= args.portal_link;
    o.keep_session |= args.keep_session;
    choose_and_deliver(setup, &args.query, Delivery::Console(o)).await
}
