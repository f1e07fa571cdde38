//! `--session all`: list and pick across every SSO session at once. Each
//! chosen entry is delivered through its own session's context.

use super::deliver::{Deliver, deliver};
use super::list::{json, table};
use crate::core::catalog::Catalog;
use crate::app::context::Context;
use crate::app::error::Error;
use crate::core::export::Chosen;
use crate::picker::runtime::{pick_in, terminal_available};
use crate::core::select::{closest, filter, no_match_message};

/// Each session's catalog; a session that cannot list now contributes its
/// snapshot (said on stderr), or nothing.
async fn catalogs(ctxs: &[Context]) -> Vec<(&Context, Catalog)> {
    let mut out = Vec::new();
    for ctx in ctxs {
        match ctx.catalog().await {
            Ok(c) => out.push((ctx, c)),
            Err(e) => {
                let first = e.to_string().lines().next().unwrap_or("").to_string();
                match ctx.load_snapshot() {
                    Some(s) => {
                        eprintln!(
                            "ssopick: session {}: {first} (using its snapshot)",
                            ctx.session.id()
                        );
                        out.push((ctx, s));
                    }
                    None => eprintln!("ssopick: session {}: {first} (skipped)", ctx.session.id()),
                }
            }
        }
    }
    out
}

fn matches<'a>(
    cats: &'a [(&Context, Catalog)],
    query: &[String],
) -> Vec<(&'a Context, crate::core::catalog::Entry<'a>)> {
    cats.iter()
        .flat_map(|(ctx, cat)| {
            filter(
                cat,
                ctx.globals.account.as_deref(),
                ctx.globals.role.as_deref(),
                query,
            )
            .into_iter()
            .map(move |e| (*ctx, e))
        })
        .collect()
}

fn no_match(cats: &[(&Context, Catalog)], query: &[String]) -> Error {
    let near = cats
        .first()
        .map(|(ctx, c)| {
            closest(
                c,
                ctx.globals.account.as_deref(),
                ctx.globals.role.as_deref(),
                query,
                3,
            )
        })
        .unwrap_or_default();
    Error::NoMatch(no_match_message(
        &format!("{:?} in any session", query.join(" ")),
        &near,
    ))
}

pub async fn list(ctxs: &[Context], query: &[String], as_json: bool) -> Result<i32, Error> {
    let cats = catalogs(ctxs).await;
    let found = matches(&cats, query);
    let filtered = !query.is_empty()
        || ctxs
            .iter()
            .any(|c| c.globals.account.is_some() || c.globals.role.is_some());
    if found.is_empty() && filtered {
        return Err(no_match(&cats, query));
    }
    let entries: Vec<_> = found.into_iter().map(|(_, e)| e).collect();
    super::export::write_stdout(&if as_json {
        json(&entries)
    } else {
        table(&entries)
    })
}

pub async fn pick_and_deliver(
    ctxs: &[Context],
    query: &[String],
    what: Deliver,
) -> Result<i32, Error> {
    if let (Deliver::Shell { nest: false }, Some(ctx)) = (&what, ctxs.first()) {
        super::run::refuse_nesting(ctx)?;
    }
    let cats = catalogs(ctxs).await;
    let found = matches(&cats, query);
    let owned = |e: &crate::core::catalog::Entry<'_>| Chosen {
        account: e.account.clone(),
        role: e.role.to_string(),
        session: e.session.to_string(),
    };
    match found.as_slice() {
        [] => Err(no_match(&cats, query)),
        [(ctx, e)] => deliver(ctx, &owned(e), what).await,
        _ if terminal_available() => {
            let refs: Vec<&Context> = cats.iter().map(|(c, _)| *c).collect();
            let (chosen, action) = pick_in(&refs, &query.join(" "), what.label())
                .await?
                .ok_or(Error::Cancelled)?;
            let ctx = refs
                .iter()
                .find(|c| c.session.id() == chosen.session)
                .copied()
                .ok_or(Error::Cancelled)?;
            deliver(ctx, &chosen, what.with(action)).await
        }
        many => {
            let mut m = format!(
                "{} entries match {:?} across sessions; add words, or name one with --session and --account/--role:",
                many.len(),
                query.join(" ")
            );
            for (_, e) in many.iter().take(10) {
                m.push_str(&format!(
                    "\n  {}  [session {}]",
                    crate::core::select::describe(e),
                    e.session
                ));
            }
            Err(Error::Usage(m))
        }
    }
}
