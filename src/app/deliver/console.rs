//! `console` for one chosen role: the page (`--service`, `--destination`),
//! the sign-in (a federation link, logged out of another account's console
//! first; or the access portal's shortcut link), and the browser (the
//! user's, a named one in a profile, or a Firefox container per account).
//! What to open is `core::console_open`; opening is `edge::browser`.

use crate::app::error::Error;
use crate::app::output::print;
use crate::app::session::target::Target;
use crate::core::console;
use crate::core::console_open::{self as open_, ConsoleOptions, Os};
use crate::core::export::{Chosen, describe};
use crate::edge::{browser, signin};

/// The console sign-in link for the role: getSigninToken with the role's
/// credentials (and `duration`, the console session's length, never for a
/// chained role: the federation endpoint refuses it there) on the
/// partition's federation endpoint, for `page`; with `wrap`, signed in on
/// the partition's logout host and wrapped in a logout from another
/// account's console.
async fn signin_url(
    t: &Target<'_>,
    chosen: &Chosen,
    page: &str,
    duration: Option<i64>,
    wrap: bool,
) -> Result<String, Error> {
    let region = t.region(chosen);
    let partition = crate::core::partition::of_checked(&region);
    let override_ = t.setup.signin_endpoint();
    let endpoint = match &override_ {
        Some(e) => e.clone(),
        None => console::federation_endpoint(&region).map_err(Error::Usage)?,
    };
    let c = t.credentials(chosen).await?;
    if c.long_term() {
        return Err(Error::Usage(format!(
            "console needs temporary role credentials: {} gives long-term keys (no session token), which the federation endpoint does not take",
            describe(chosen)
        )));
    }
    let agent = t.setup.net()?.0.ureq_agent(t.setup.http_timeout());
    // Only the portal's roles take a session length.
    let duration = duration.filter(|_| !chosen.account.added());
    let token =
        signin::get_token(console::token_request_url(&endpoint, &c, duration), agent).await?;
    let logout_host = partition.logout_host().filter(|_| wrap);
    let Some(host) = logout_host else {
        return Ok(console::login_url(&endpoint, page, &token));
    };
    let login_endpoint = override_.unwrap_or_else(|| format!("https://{host}/federation"));
    let url = console::login_url(&login_endpoint, page, &token);
    Ok(open_::logout_first(&login_endpoint, &url))
}

fn os() -> Os {
    if cfg!(target_os = "macos") {
        Os::MacOs
    } else if cfg!(windows) {
        Os::Windows
    } else {
        Os::Linux
    }
}

/// What to open: the link, and whether it carries a credential (a
/// federation link does, for 15 minutes; the portal's link does not).
async fn link(
    t: &Target<'_>,
    chosen: &Chosen,
    o: &ConsoleOptions,
) -> Result<(String, bool), Error> {
    let region = t.region(chosen);
    let page = open_::destination(&region, o).map_err(Error::Usage)?;
    let mut duration = o.duration;
    if let Some(d) = duration {
        open_::check_duration(d).map_err(|e| Error::Usage(format!("--duration: {e}")))?;
        if chosen.account.added() && o.duration_given {
            return Err(Error::Usage(
                "--duration: a chained role's or another profile's console session cannot be given a length (the federation endpoint refuses SessionDuration for role-chained credentials); it lasts as long as its keys, at most 1h".into(),
            ));
        }
        if chosen.account.added() {
            duration = None;
        }
    }
    // The portal signs the browser in itself: a chained role is not in it.
    if o.portal_link && !chosen.account.added() && !t.setup.is_demo() {
        let chosen_page = (o.service.is_some() || o.destination.is_some()).then_some(page.as_str());
        return Ok((
            open_::portal_link(
                &t.session.start_url,
                &chosen.account.account_id,
                &chosen.role,
                chosen_page,
            ),
            false,
        ));
    }
    let wrap = !o.keep_session && o.logout_first != Some(false) && !t.setup.is_demo();
    Ok((signin_url(t, chosen, &page, duration, wrap).await?, true))
}

/// Opens (or prints) the console for the role.
pub(crate) async fn open(
    t: &Target<'_>,
    chosen: &Chosen,
    o: &ConsoleOptions,
) -> Result<i32, Error> {
    let (url, secret) = link(t, chosen, o).await?;
    let who = describe(chosen);
    // The demo's sign-in page lives only as long as this process: its link
    // is printed, never opened.
    if !o.print && !t.setup.is_demo() {
        let target = if o.firefox_containers {
            let name = &chosen.account.account_name;
            let production = t.setup.settings.is_production(&chosen.account);
            let color = chosen
                .account
                .meta
                .as_ref()
                .and_then(|m| m.color.as_deref());
            let id = &chosen.account.account_id;
            open_::container_url(name, id, production, color, &url)
        } else {
            url.clone()
        };
        let named = o
            .browser
            .as_deref()
            .or(o.firefox_containers.then_some("firefox"));
        let (opened, once) = give(t, named, o.browser_profile.as_deref(), &target, secret).await?;
        // A confined browser's one-time link is served until it is fetched.
        if let (true, Some(once)) = (opened, once) {
            eprintln!(
                "ssopick: waiting for the browser to fetch its one-time link (up to 60 s)..."
            );
            if !once.served().await {
                eprintln!("ssopick: the browser did not fetch it.");
                return Err(Error::Usage(
                    "the browser did not open the sign-in link; use `console --print`".into(),
                ));
            }
        }
        if opened {
            eprintln!(
                "ssopick: opened the AWS console for {who} in your browser (a browser that cannot read local files, such as a snap or flatpak one, shows nothing: then use `console --print`)."
            );
            return Ok(0);
        }
    }
    if secret {
        eprintln!(
            "ssopick: sign-in link for {who} (valid for 15 minutes; it is a credential, keep it private):"
        );
    } else {
        eprintln!("ssopick: the access portal's link for {who} (the portal signs you in):");
    }
    print(&format!("{url}\n"))
}

/// Hands `target` to the named browser or the default one: a link that
/// carries a credential (`secret`) only through a private page, or for a
/// confined (snap, flatpak) browser a one-time loopback link, returned to
/// be kept until fetched. Whether a browser was started.
async fn give(
    t: &Target<'_>,
    named: Option<&str>,
    profile: Option<&str>,
    target: &str,
    secret: bool,
) -> Result<(bool, Option<crate::edge::loopback_page::OneTime>), Error> {
    let env = &t.setup.env;
    if !secret {
        return Ok((
            match named {
                Some(b) => launch(b, profile, target, t)?,
                None => browser::open(target, env),
            },
            None,
        ));
    }
    let dir = t.setup.run_dir()?;
    let Some(b) = named else {
        return Ok(browser::open_secret(target, env, &dir).await);
    };
    let (program, _) = open_::browser_command(b, profile, "", os()).map_err(Error::Usage)?;
    Ok(
        match browser::handoff(target, browser::is_confined(&program, env), &dir).await {
            browser::Handoff::Page(p) => (launch(b, profile, &p, t)?, None),
            browser::Handoff::Once(once) => (launch(b, profile, &once.url, t)?, Some(once)),
            browser::Handoff::Print => (false, None),
        },
    )
}

fn launch(browser: &str, profile: Option<&str>, url: &str, t: &Target<'_>) -> Result<bool, Error> {
    let (program, args) =
        open_::browser_command(browser, profile, url, os()).map_err(Error::Usage)?;
    Ok(browser::run(&program, &args, &t.setup.env))
}
