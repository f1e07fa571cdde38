//! `ssopick export` (lines on stdout) and `ssopick credential-process` (the
//! JSON an SDK reads, from a 0600 cache while it is good for 15 minutes).

use super::creds::{self, describe};
use crate::context::Context;
use crate::credcache;
use crate::error::Error;
use crate::export::{Format, credential_env, process_json, render};
use std::io::{IsTerminal, Write};

pub fn write_stdout(text: &str) -> Result<i32, Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(Error::other("cannot write to stdout", e)),
    }
}

/// The export text for the chosen role (shared with `copy` and the picker).
pub async fn export_text(
    ctx: &Context,
    query: &[String],
    format: Format,
) -> Result<(String, String), Error> {
    let chosen = creds::choose(ctx, query).await?;
    let c = creds::credentials(ctx, &chosen).await?;
    let vars = credential_env(&chosen, &c, &creds::region(ctx, &chosen));
    let text = render(format, &vars, &c).map_err(Error::Usage)?;
    Ok((
        text,
        format!("{}; expires {}", describe(&chosen), c.expiration),
    ))
}

pub async fn export(ctx: &Context, query: &[String], format: Format) -> Result<i32, Error> {
    let (text, about) = export_text(ctx, query, format).await?;
    if std::io::stderr().is_terminal() {
        eprintln!("ssopick: credentials for {about}");
    }
    write_stdout(&text)
}

pub async fn copy(
    ctx: &Context,
    query: &[String],
    format: Format,
    clear_after: u64,
) -> Result<i32, Error> {
    let (text, about) = export_text(ctx, query, format).await?;
    crate::clipboard::copy(
        &text,
        &ctx.env,
        clear_after,
        &format!("credentials for {about}"),
    )?;
    Ok(0)
}

pub async fn credential_process(
    ctx: &Context,
    account: &str,
    role: &str,
    no_cache: bool,
) -> Result<i32, Error> {
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::Usage(format!(
            "credential-process needs a 12-digit --account id, not {account:?}"
        )));
    }
    let url = &ctx.session.start_url;
    let path = credcache::path(&ctx.paths.cache, url, account, role);
    if !no_cache && let Some(c) = credcache::load(&path, url, account, role, ctx.now) {
        return write_stdout(&format!("{}\n", process_json(&c)));
    }
    let chosen = crate::export::Chosen {
        account: crate::catalog::Account {
            account_id: account.into(),
            account_name: account.into(),
            email_address: String::new(),
        },
        role: role.into(),
        session: ctx.session.id().into(),
    };
    let c = creds::credentials(ctx, &chosen).await?;
    if !no_cache && let Err(e) = credcache::save(&path, url, account, role, &c) {
        eprintln!(
            "ssopick: warning: cannot cache credentials in {}: {e}",
            path.display()
        );
    }
    write_stdout(&format!("{}\n", process_json(&c)))
}
