//! `ssopick logout`: the portal's Logout, then the session's token and
//! ssopick's cached credentials removed.

use crate::app::error::Error;
use crate::app::session::target::Target;
use crate::app::setup::Setup;
use crate::edge::portal::{CallError, retry_call};
use crate::edge::{credcache, token_cache};

#[derive(Debug, Clone, clap::Args)]
#[command(after_help = "Example:\n  ssopick logout --session corp")]
pub struct Args {}

pub(crate) async fn run(setup: &Setup, _args: Args) -> Result<i32, Error> {
    let t = Target::chosen(setup).await?;
    // Tell the portal first (ignoring a token it already refuses).
    if let Ok(client) = t.client().await {
        match retry_call(|| client.logout()).await {
            Ok(()) | Err(CallError::Unauthorized) => {}
            Err(e) => eprintln!(
                "ssopick: warning: the portal's Logout failed ({e}); removing the local files anyway"
            ),
        }
    }
    // Under the refresh lock: a refresh in another process (a running
    // `serve`) re-reads the file under it and never writes it back.
    let lock = token_cache::lock_for_refresh(&setup.paths.cache, &t.session).await;
    let removed_token = match t.tokens.path() {
        Some(path) => token_cache::remove(path).map_err(|e| Error::file("remove", path, e))?,
        None => false,
    };
    drop(lock);
    let removed_creds = credcache::remove_session(&setup.paths.cache, &t.session.start_url);
    // Left by a process killed mid-write; a token file's may hold a token.
    let aws_dir = setup
        .paths
        .aws_config
        .parent()
        .map(std::path::Path::to_path_buf);
    let strays = crate::edge::fs::remove_stray_temps(&setup.paths.sso_cache)
        + crate::edge::fs::remove_stray_temps(&credcache::dir(&setup.paths.cache))
        + aws_dir.map_or(0, |d| crate::edge::fs::remove_stray_temps(&d));
    if strays > 0 {
        eprintln!(
            "ssopick: removed {strays} unfinished temp file(s) left by an interrupted write."
        );
    }
    eprintln!(
        "ssopick: logged out of {}: {}, {removed_creds} cached role credential file(s) removed. Running shells, exec and serve stop serving keys within 2 s; keys already handed out stay valid at AWS until they expire.",
        t.id(),
        match (removed_token, t.tokens.path()) {
            (true, Some(p)) => format!("token {} removed", p.display()),
            _ => "no token was cached".into(),
        }
    );
    Ok(0)
}
