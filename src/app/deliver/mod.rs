//! Carrying out a `Delivery` for a chosen role: a shell or a command with the
//! credentials in its environment, export lines on stdout or the clipboard,
//! a profile block, or the AWS console.

use crate::app::error::Error;
use crate::app::output::print;
use crate::app::session::target::Target;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;
use crate::core::env_vars as var;
use crate::core::export::{Chosen, Format, SHELL_MARKER, credential_env, describe, render};
use crate::core::profile::Style;
use crate::edge::{clipboard, prompt};
use child::Child;

/// An ssopick shell inside another is refused unless asked for (`--nest`).
pub(crate) fn refuse_nesting(setup: &Setup, what: &Delivery) -> Result<(), Error> {
    if !matches!(what, Delivery::Shell { nest: false, .. }) {
        return Ok(());
    }
    let Some(depth) = setup.env.get(SHELL_MARKER) else {
        return Ok(());
    };
    let inside = setup.env.get(var::SSOPICK_ACCOUNT_NAME).unwrap_or_default();
    let role = setup.env.get(var::SSOPICK_ROLE_NAME).unwrap_or_default();
    Err(Error::Usage(format!(
        "already inside an ssopick shell ({inside} {role}, depth {depth}).\nType `exit` to leave it first, or pass --nest to open one inside it."
    )))
}

/// Shell and exec in a production account (config.toml) ask first.
fn confirm_production(t: &Target<'_>, chosen: &Chosen, what: &Delivery) -> Result<(), Error> {
    let Some(doing) = what.needs_confirmation() else {
        return Ok(());
    };
    if t.setup.globals.yes || !t.setup.settings.is_production(&chosen.account) {
        return Ok(());
    }
    let who = describe(chosen);
    match prompt::ask(
        &format!("ssopick: {who} is a production account. {doing} there? [y/N] "),
        false,
    ) {
        Some(true) => Ok(()),
        Some(false) => Err(Error::Cancelled),
        None => Err(Error::Usage(format!(
            "{who} is a production account (config.toml [production]); pass --yes to confirm"
        ))),
    }
}

/// The credential environment for `chosen`, and when it expires.
async fn credential_vars(
    t: &Target<'_>,
    chosen: &Chosen,
) -> Result<
    (
        Vec<(&'static str, String)>,
        crate::core::credentials::RoleCredentials,
    ),
    Error,
> {
    let c = t.credentials(chosen).await?;
    let vars = credential_env(chosen, &c, &t.region(chosen));
    Ok((vars, c))
}

async fn export_text(
    t: &Target<'_>,
    chosen: &Chosen,
    format: Format,
) -> Result<(String, String), Error> {
    let (vars, c) = credential_vars(t, chosen).await?;
    let text = render(format, &vars, &c).map_err(Error::Usage)?;
    let when = if c.long_term() {
        "long-term keys, no expiry".to_string()
    } else if !c.expiry_stated {
        "no expiry stated".to_string()
    } else {
        format!("expires {}", c.expiration)
    };
    Ok((text, format!("{}; {when}", describe(chosen))))
}

/// Export lines on the clipboard (the `copy` command and the picker's
/// Ctrl-Y); returns what happened, for the user.
pub(crate) async fn copy_exports(
    t: &Target<'_>,
    chosen: &Chosen,
    format: Format,
    clear_after: u64,
) -> Result<String, Error> {
    let route = clipboard::check(&t.setup.env)?;
    let (text, about) = export_text(t, chosen, format).await?;
    let what = format!("credentials for {about}");
    let (_, said) = clipboard::copy_via(&route, &text, &t.setup.env, clear_after, &what)?;
    Ok(said)
}

/// How long a background listing that has no accounts yet may go on after
/// its child exits, so that a run as short as `exec -- true` still keeps
/// the first page.
const FIRST_PAGE_GRACE: std::time::Duration = std::time::Duration::from_millis(500);

/// `work` (a child, or serve) with the session listed behind it when its
/// snapshot is not complete: the listing saves its progress as it goes;
/// when `work` ends first, what was listed is saved and `work`'s result
/// returned at once (after at most `FIRST_PAGE_GRACE` when nothing was
/// listed yet), never waiting for the listing.
async fn with_listing(
    t: &Target<'_>,
    work: impl std::future::Future<Output = Result<i32, Error>>,
) -> Result<i32, Error> {
    use std::sync::atomic::Ordering::Relaxed;
    let Some((listing, some)) = t.background_listing() else {
        return work.await;
    };
    let mut work = Box::pin(work);
    let mut listing = Box::pin(listing);
    let mut listed = false;
    let r = loop {
        tokio::select! {
            r = &mut work => break r,
            () = &mut listing, if !listed => listed = true,
        }
    };
    if !listed && !some.load(Relaxed) {
        let first_page = async {
            while !some.load(Relaxed) {
                tokio::select! {
                    () = &mut listing => break,
                    () = tokio::time::sleep(std::time::Duration::from_millis(20)) => {}
                }
            }
        };
        let _ = tokio::time::timeout(FIRST_PAGE_GRACE, first_page).await;
    }
    r
}

/// Carries out `what` for the chosen role of target `t`.
pub(crate) async fn deliver(t: &Target<'_>, chosen: &Chosen, what: Delivery) -> Result<i32, Error> {
    confirm_production(t, chosen, &what)?;
    match what {
        Delivery::Shell { keys, .. } => {
            Box::pin(with_listing(t, child::run(t, chosen, Child::Shell, keys))).await
        }
        Delivery::Exec { command, keys } => {
            Box::pin(with_listing(
                t,
                child::run(t, chosen, Child::Command(&command), keys),
            ))
            .await
        }
        Delivery::Serve {
            listen,
            env_file,
            force,
        } => {
            let serving = serve::serve(t, chosen, listen, env_file.as_deref(), force);
            Box::pin(with_listing(t, serving)).await
        }
        Delivery::Export(format) => {
            let (text, about) = export_text(t, chosen, format).await?;
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                eprintln!("ssopick: credentials for {about}");
            }
            print(&text)
        }
        Delivery::Copy {
            format,
            clear_after,
        } => {
            let said = copy_exports(t, chosen, format, clear_after).await?;
            eprintln!("ssopick: {said}.");
            Ok(0)
        }
        Delivery::Profile(opts) => profiles::one(t, chosen, &opts).await,
        Delivery::CopyProfile(opts) => {
            let text = profiles::block_text(t, chosen, Style::Sso, opts.name.as_deref())?;
            let (_, said) = clipboard::copy(&text, &t.setup.env, 0, "the profile block")?;
            eprintln!("ssopick: {said}.");
            Ok(0)
        }
        Delivery::Console(opts) => crate::app::deliver::console::open(t, chosen, &opts).await,
        Delivery::EksToken {
            cluster,
            region,
            api_version,
        } => {
            let ask = kube::EksAsk {
                cluster,
                region,
                api_version,
            };
            kube::token(t, chosen, ask).await
        }
        Delivery::Kubeconfig { cluster, region } => {
            kube::kubeconfig(t, chosen, &cluster, region.as_deref())
        }
    }
}

pub(crate) mod answer;
pub(crate) mod child;
pub(crate) mod console;
pub(crate) mod feed;
pub(crate) mod kube;
pub(crate) mod profile_row;
pub(crate) mod profiles;
pub(crate) mod profiles_all;
pub(crate) mod registry;
pub(crate) mod renewer;
pub(crate) mod serve;
