//! How `console` opens the AWS console: which page (`--service`,
//! `--destination`), which sign-in (federation, after logging the browser
//! out of another account's console; or the access portal's shortcut link
//! for the console's multi-session mode), and which browser (a named one, a
//! profile of it, a Firefox container per account). All pure: the commands
//! come out as argument lists for `edge::browser`.

use crate::url::encode as urlencode;
use serde::Deserialize;

/// `console`'s options (flags over config.toml's `[console]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleOptions {
    /// Print the link instead of opening a browser.
    #[serde(skip)]
    pub print: bool,
    #[serde(skip)]
    pub service: Option<String>,
    #[serde(skip)]
    pub destination: Option<String>,
    /// The console session's length, seconds (getSigninToken's SessionDuration).
    #[serde(default, deserialize_with = "crate::time::deserialize_opt_age")]
    pub duration: Option<i64>,
    /// `duration` came from `--duration` (config.toml's is capped for a
    /// chained row instead of refused).
    #[serde(skip)]
    pub duration_given: bool,
    /// firefox, chrome, chromium, brave, edge, safari, or a program's path.
    pub browser: Option<String>,
    /// The browser profile to open it in (Chrome's profile directory,
    /// Firefox's profile name).
    pub browser_profile: Option<String>,
    /// One Firefox container per account (`ext+container:`).
    #[serde(default)]
    pub firefox_containers: bool,
    /// Open the access portal's shortcut link instead of a federation
    /// sign-in: a new session in the console's multi-session mode.
    #[serde(default)]
    pub portal_link: bool,
    /// Do not log the browser out of another account's console first.
    #[serde(default)]
    pub keep_session: bool,
    /// `false`: the same as `keep_session = true` (the AWS partition only
    /// has the logout-then-login wrapper; other partitions never use it).
    pub logout_first: Option<bool>,
}

/// The console's session length AWS takes: 15 minutes to 12 hours.
pub const MIN_DURATION: i64 = 900;
pub const MAX_DURATION: i64 = 43_200;

/// Checks a console session length.
pub fn check_duration(secs: i64) -> Result<(), String> {
    if (MIN_DURATION..=MAX_DURATION).contains(&secs) {
        Ok(())
    } else {
        Err("the console session lasts from 15m to 12h".into())
    }
}

/// Console paths of services whose home page is not `NAME/home`.
const SERVICES: &[(&str, &str)] = &[
    ("s3", "s3/buckets"),
    ("dynamodb", "dynamodbv2/home"),
    ("ecs", "ecs/v2/home"),
    ("vpc", "vpcconsole/home"),
    ("route53", "route53/v2/home"),
    ("sso", "singlesignon/home"),
    ("identitycenter", "singlesignon/home"),
    ("cloudtrail", "cloudtrailv2/home"),
    ("sqs", "sqs/v3/home"),
    ("sns", "sns/v3/home"),
    ("logs", "cloudwatch/home#logsV2:"),
    ("apigateway", "apigateway/main"),
    ("codepipeline", "codesuite/codepipeline/home"),
    ("codebuild", "codesuite/codebuild/home"),
    ("organizations", "organizations/v2/home"),
    ("costexplorer", "costmanagement/home"),
    ("stepfunctions", "states/home"),
];

/// The page to open: `--service NAME` (a console path, `ec2`, `s3`, ...),
/// `--destination URL` (a console URL of the region's partition, or a path
/// such as `/cloudwatch/home`), else the console's home.
pub fn destination(region: &str, o: &ConsoleOptions) -> Result<String, String> {
    let partition = crate::partition::of_checked(region);
    let (Some(host), Some(domain)) = (partition.console_host(region), partition.console_domain)
    else {
        return Err(crate::console::no_console(partition));
    };
    if let Some(s) = &o.service {
        let name = s.to_ascii_lowercase();
        let ok = (1..=40).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return Err(format!(
                "--service {s:?}: give a service's console name, such as ec2, s3, lambda or iam"
            ));
        }
        let path = SERVICES
            .iter()
            .find(|(n, _)| *n == name)
            .map_or_else(|| format!("{name}/home"), |(_, p)| (*p).to_string());
        let (path, fragment) = path.split_once('#').unwrap_or((&path, ""));
        let fragment = if fragment.is_empty() {
            String::new()
        } else {
            format!("#{fragment}")
        };
        return Ok(format!("https://{host}/{path}?region={region}{fragment}"));
    }
    let Some(d) = &o.destination else {
        return Ok(format!("https://{host}/console/home?region={region}"));
    };
    if d.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("--destination holds a space or a control character".into());
    }
    if let Some(path) = d.strip_prefix('/') {
        return Ok(format!("https://{host}/{path}"));
    }
    let rest = d.strip_prefix("https://").ok_or_else(|| {
        format!("--destination {d:?}: give an https:// console URL or a path such as /ec2/home")
    })?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let ours = authority == domain || authority.ends_with(&format!(".{domain}"));
    if !ours {
        return Err(format!(
            "--destination {d:?}: the sign-in only opens the console ({domain} and its subdomains)"
        ));
    }
    Ok(d.clone())
}

/// The federation link wrapped so the browser first logs out of whatever
/// console session it has: without it, a browser signed in to another
/// account shows "You must first log out before logging into a different
/// AWS account" (the console's multi-session mode is the exception: use
/// the portal link or `keep_session` there).
pub fn logout_first(federation_endpoint: &str, login_url: &str) -> String {
    let base = federation_endpoint
        .strip_suffix("/federation")
        .unwrap_or(federation_endpoint);
    format!(
        "{base}/oauth?Action=logout&redirect_uri={}",
        urlencode(login_url)
    )
}

/// The access portal's shortcut link (IAM Identity Center): the portal
/// signs the browser in itself, a new session in the console's
/// multi-session mode, and no key leaves ssopick.
pub fn portal_link(
    start_url: &str,
    account_id: &str,
    role: &str,
    destination: Option<&str>,
) -> String {
    let mut s = format!(
        "{}/#/console?account_id={account_id}&role_name={}",
        start_url.trim_end_matches(['/', '#']),
        urlencode(role)
    );
    if let Some(d) = destination {
        s.push_str(&format!("&destination={}", urlencode(d)));
    }
    s
}

/// Firefox container colours, as the container extensions name them.
const COLORS: &[&str] = &[
    "blue",
    "turquoise",
    "green",
    "yellow",
    "orange",
    "pink",
    "purple",
];

/// The `ext+container:` link that opens `url` in a Firefox container named
/// for the account (the "Open external links in a container" extension's
/// form, as granted uses): each account's console keeps its own cookies.
/// Production accounts are red; the others get a colour by their id.
pub fn container_url(
    name: &str,
    account_id: &str,
    production: bool,
    color: Option<&str>,
    url: &str,
) -> String {
    let color = if production {
        "red"
    } else if let Some(c) = color.filter(|c| COLORS.contains(c) || *c == "red") {
        c
    } else {
        let n: usize = account_id.bytes().map(usize::from).sum();
        COLORS[n % COLORS.len()]
    };
    format!(
        "ext+container:name={}&url={}&color={color}&icon=fingerprint",
        urlencode(name),
        urlencode(url)
    )
}

/// The platform a browser command is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    Linux,
    MacOs,
    Windows,
}

/// The program and arguments that open `url` in `browser` (a known name or
/// a program's path), in `profile` when given: Chrome-family browsers take
/// `--profile-directory=NAME`, Firefox `-P NAME`; on macOS through `open -a
/// APP` (`-n ... --args` to pass a profile).
pub fn browser_command(
    browser: &str,
    profile: Option<&str>,
    url: &str,
    os: Os,
) -> Result<(String, Vec<String>), String> {
    let known: Option<(&str, &str, bool)> = match browser.to_ascii_lowercase().as_str() {
        // (Linux program, macOS application, Chrome family)
        "firefox" => Some(("firefox", "Firefox", false)),
        "chrome" | "google-chrome" => Some(("google-chrome", "Google Chrome", true)),
        "chromium" => Some(("chromium", "Chromium", true)),
        "brave" => Some(("brave-browser", "Brave Browser", true)),
        "edge" | "msedge" => Some(("microsoft-edge", "Microsoft Edge", true)),
        "safari" => Some(("", "Safari", false)),
        _ => None,
    };
    let profile_args = |chrome: bool| -> Vec<String> {
        match profile {
            Some(p) if chrome => vec![format!("--profile-directory={p}")],
            Some(p) => vec!["-P".into(), p.to_string()],
            None => Vec::new(),
        }
    };
    let Some((linux, mac, chrome)) = known else {
        // A program's path: it gets the profile as Chrome or Firefox
        // would by its name, else only the URL.
        if browser.is_empty() || browser.chars().any(char::is_control) {
            return Err("--browser: give a browser name or a program's path".into());
        }
        let lower = browser.to_ascii_lowercase();
        let chrome = ["chrome", "chromium", "brave", "edge"]
            .iter()
            .any(|n| lower.contains(n));
        let mut args = if profile.is_some() && (chrome || lower.contains("firefox")) {
            profile_args(chrome)
        } else {
            Vec::new()
        };
        args.push(url.to_string());
        return Ok((browser.to_string(), args));
    };
    if mac == "Safari" && profile.is_some() {
        return Err(
            "--browser-profile: Safari has no profiles to choose from the command line".into(),
        );
    }
    match os {
        Os::MacOs => {
            let mut args = vec![];
            let extra = profile_args(chrome);
            if extra.is_empty() {
                args.extend(["-a".to_string(), mac.to_string(), url.to_string()]);
            } else {
                args.extend(["-na".to_string(), mac.to_string(), "--args".to_string()]);
                args.extend(extra);
                args.push(url.to_string());
            }
            Ok(("open".into(), args))
        }
        Os::Linux if linux.is_empty() => Err("--browser safari: Safari runs on macOS only".into()),
        Os::Linux => {
            let mut args = profile_args(chrome);
            args.push(url.to_string());
            Ok((linux.to_string(), args))
        }
        Os::Windows => Err(format!(
            "--browser {browser}: on Windows give the browser's path (a named browser works on Linux and macOS)"
        )),
    }
}

#[cfg(test)]
mod tests;
