//! `ssopick export` (lines on stdout) and `ssopick credential-process` (the
//! JSON an SDK reads, from a 0600 cache while it is good for 15 minutes).

use super::creds;
use crate::app::context::Context;
use crate::edge::credcache;
use crate::app::error::Error;
use crate::core::export::process_json;
use std::io::Write;

pub fn write_stdout(text: &str) -> Result<i32, Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(Error::other("cannot write to stdout", e)),
    }
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
    let chosen = crate::core::export::Chosen {
        account: crate::core::catalog::Account {
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
