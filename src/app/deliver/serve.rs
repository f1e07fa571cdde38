//! `serve`: the role's credential endpoint in the foreground until Ctrl-C
//! (or SIGTERM, SIGHUP), for other processes: Docker, an IDE, a long
//! `make`. It prints (or writes with `--env-file`) the lines another shell
//! sources: the endpoint and its token, `AWS_REGION` and
//! `AWS_DEFAULT_REGION`, the variables that would outrank the endpoint
//! unset, and, when a `[default]` profile (or `AWS_PROFILE`) would win
//! over the endpoint, a private config copy kept while it serves, as
//! `exec` does.

use crate::app::deliver::child::{has_default_profile, overlay, sdk_files};
use crate::app::deliver::renewer::Renewer;
use crate::app::error::Error;
use crate::app::session::target::Target;
use crate::core::env_vars as var;
use crate::core::export::{Chosen, ENDPOINT_REMOVED_VARS, describe, quote_posix};
use crate::edge::{cred_server, fs};
use std::sync::Arc;

/// The lines a shell sources: variables that would win over the endpoint
/// unset, then each variable set, every value single-quoted.
pub(crate) fn env_lines(vars: &[(&str, String)]) -> String {
    let kept: Vec<&str> = ENDPOINT_REMOVED_VARS
        .iter()
        .copied()
        .filter(|r| !vars.iter().any(|(k, _)| k == r))
        .collect();
    let mut s = format!("unset {}\n", kept.join(" "));
    for (k, v) in vars {
        s.push_str(&format!("export {k}={}\n", quote_posix(v)));
    }
    s
}

pub(crate) async fn serve(
    t: &Target<'_>,
    chosen: &Chosen,
    listen: std::net::SocketAddr,
    env_file: Option<&std::path::Path>,
    force: bool,
) -> Result<i32, Error> {
    // The file is claimed before anything is fetched: a clash is said at once.
    if let Some(p) = env_file
        && !force
        && std::fs::symlink_metadata(p).is_ok()
    {
        return Err(Error::Usage(format!(
            "{} exists; serve writes a new file (add --force to replace it)",
            p.display()
        )));
    }
    let renewer = Renewer::start(t.feed(chosen)).await?;
    if renewer.first().long_term() {
        return Err(Error::Usage(format!(
            "{} gives long-term keys (no session token): they need no endpoint, and not every SDK reads one without a token. Use `ssopick exec` or `ssopick export` with it instead",
            describe(chosen)
        )));
    }
    let endpoint = cred_server::start(listen, Arc::new(renewer.answer()))
        .await
        .map_err(Error::Endpoint)?;
    let registered =
        super::registry::register(t, chosen, "serve", endpoint.addr.port(), renewer.serving());
    let who = describe(chosen);
    let region = t.region(chosen);
    let (vars, overlay_file) = endpoint_vars(t, &endpoint, &region)?;
    let lines = env_lines(&vars);
    let written = hand_out(&lines, env_file, force)?;
    eprintln!(
        "ssopick: serving {who} on {} (renewed in the background); Ctrl-C stops.\n\
         ssopick: set those lines in another shell, or for a container:\n  \
         docker run --network host -e AWS_CONTAINER_CREDENTIALS_FULL_URI -e AWS_CONTAINER_AUTHORIZATION_TOKEN -e AWS_REGION IMAGE",
        endpoint.addr
    );
    if !endpoint.addr.ip().to_canonical().is_loopback() {
        let port = endpoint.addr.port();
        // What the container connects to: this host by Docker's name when
        // listening on every address, else the address itself.
        let ip = endpoint.addr.ip();
        let target = if ip.is_unspecified() {
            "host.docker.internal".to_string()
        } else if ip.is_ipv6() {
            format!("[{ip}]")
        } else {
            ip.to_string()
        };
        eprintln!(
            "ssopick: warning: {ip} is not a loopback address: any Host is accepted there, and anyone who can\n\
             reach the port and holds the token gets the role's keys. The SDKs refuse plain-HTTP credential\n\
             endpoints anywhere but 127.0.0.1/::1 (and ECS/EKS's 169.254.170.2/.23): inside the container, forward\n\
             its own 127.0.0.1:{port} here and point the SDK at it, e.g.\n  \
             socat TCP-LISTEN:{port},bind=127.0.0.1,fork,reuseaddr TCP:{target}:{port} &\n  \
             export AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:{port}{path}",
            path = crate::edge::cred_server::PATH,
        );
    }
    crate::edge::process::stop_signal().await;
    drop(registered);
    drop(endpoint);
    drop(renewer);
    drop(overlay_file);
    if let Some((p, id)) = written {
        fs::remove_if_same(p, id);
    }
    eprintln!("ssopick: stopped serving {who}.");
    Ok(0)
}

/// Variables, in the order printed.
type EnvVars = Vec<(&'static str, String)>;

/// The variables that point an SDK at the endpoint; with a `[default]`
/// profile (or a profile named in the environment), which would win over
/// the endpoint in every SDK, a private config copy with an empty profile
/// of ssopick's, kept while serve runs.
fn endpoint_vars(
    t: &Target<'_>,
    endpoint: &cred_server::Endpoint,
    region: &str,
) -> Result<(EnvVars, Option<tempfile::TempPath>), Error> {
    // Bound to every address: clients still reach it on loopback.
    let url = match endpoint.addr.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => {
            endpoint.url.replacen("0.0.0.0", "127.0.0.1", 1)
        }
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => {
            endpoint.url.replacen("[::]", "[::1]", 1)
        }
        _ => endpoint.url.clone(),
    };
    let mut vars: Vec<(&str, String)> = vec![
        (var::AWS_CONTAINER_CREDENTIALS_FULL_URI, url),
        (
            var::AWS_CONTAINER_AUTHORIZATION_TOKEN,
            endpoint.token.expose().to_string(),
        ),
        (var::AWS_REGION, region.to_string()),
        (var::AWS_DEFAULT_REGION, region.to_string()),
    ];
    let (config, credentials) = sdk_files(t);
    let profile_set = [var::AWS_PROFILE, var::AWS_DEFAULT_PROFILE]
        .iter()
        .any(|v| t.setup.env.get(v).is_some());
    let overlay_file = if has_default_profile(&config, &credentials) || profile_set {
        let (file, name) = overlay(t, &config, region)?;
        vars.push((var::AWS_CONFIG_FILE, file.to_string_lossy().into_owned()));
        vars.push((var::AWS_PROFILE, name));
        Some(file)
    } else {
        None
    };
    Ok((vars, overlay_file))
}

/// The lines in a new 0600 file (`--env-file`) or on stdout; the file and
/// its identity, to remove it at the end only if it is still ours.
fn hand_out<'p>(
    lines: &str,
    env_file: Option<&'p std::path::Path>,
    force: bool,
) -> Result<Option<(&'p std::path::Path, fs::FileId)>, Error> {
    if let Some(p) = env_file {
        let id = fs::create_private(p, lines.as_bytes(), force)
            .map_err(|e| Error::file("create", p, e))?;
        eprintln!(
            "ssopick: wrote {} (0600; removed when serve stops); in other shells: . {}",
            p.display(),
            quote_posix(&p.display().to_string())
        );
        return Ok(Some((p, id)));
    }
    if fs::stdout_readable_by_others() {
        eprintln!(
            "ssopick: warning: stdout is a file other users can read, and these lines hold the endpoint's token; use --env-file PATH (a new 0600 file) instead."
        );
    }
    crate::app::output::print(lines)?;
    Ok(None)
}
