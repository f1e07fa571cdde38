//! `ssopick list [QUERY] [--json]`.

use crate::core::catalog::Entry;
use crate::app::context::Context;
use crate::app::error::Error;
use crate::core::select::{closest, filter, no_match_message};
use std::io::Write;

/// Aligned columns: account name, account id, role (and the session when
/// the entries come from several).
pub fn table(entries: &[Entry<'_>]) -> String {
    let w = entries
        .iter()
        .map(|e| e.account.account_name.chars().count())
        .max()
        .unwrap_or(0);
    let several = entries.windows(2).any(|p| p[0].session != p[1].session);
    let role_w = entries
        .iter()
        .map(|e| e.role.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for e in entries {
        let pad = w - e.account.account_name.chars().count();
        let line = format!(
            "{}{}  {}  {}",
            e.account.account_name,
            " ".repeat(pad),
            e.account.account_id,
            e.role
        );
        if several {
            let rpad = role_w - e.role.chars().count();
            out.push_str(&format!("{line}{}  {}\n", " ".repeat(rpad), e.session));
        } else {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

pub fn json(entries: &[Entry<'_>]) -> String {
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            serde_json::json!({
                "accountId": e.account.account_id,
                "accountName": e.account.account_name,
                "emailAddress": e.account.email_address,
                "roleName": e.role,
                "session": e.session,
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

pub async fn run(ctx: &Context, query: &[String], as_json: bool) -> Result<i32, Error> {
    let catalog = match ctx.catalog().await {
        Ok(c) => c,
        // The portal cannot be reached: the snapshot still answers, marked
        // as stale on stderr so nobody mistakes it for a fresh listing.
        Err(e @ Error::Api(_)) => match ctx.load_snapshot() {
            Some(s) => {
                let age = crate::core::time::human_duration(s.taken_at.secs_until(ctx.now));
                eprintln!(
                    "ssopick: {e}\nssopick: STALE: showing the snapshot taken {age} ago ({}){}",
                    s.taken_at,
                    if s.complete { "" } else { ", incomplete" }
                );
                s
            }
            None => return Err(e),
        },
        Err(e) => return Err(e),
    };
    let (account, role) = (ctx.globals.account.as_deref(), ctx.globals.role.as_deref());
    let entries = filter(&catalog, account, role, query);
    let filtered = !query.is_empty() || account.is_some() || role.is_some();
    if entries.is_empty() && filtered {
        let what = format!("{:?}", query.join(" "));
        return Err(Error::NoMatch(no_match_message(
            &what,
            &closest(&catalog, account, role, query, 3),
        )));
    }
    let out = if as_json {
        json(&entries)
    } else {
        table(&entries)
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
    {
        Ok(()) => Ok(0),
        // A closed pipe (`ssopick list | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(Error::other("cannot write to stdout", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalog::{Account, Catalog};
    use crate::core::time::UtcTime;

    #[test]
    fn table_and_json() {
        let mut c = Catalog::new("my-sso", "u", "r", UtcTime(0));
        c.upsert_accounts([
            Account {
                account_id: "111111111111".into(),
                account_name: "prod".into(),
                email_address: "p@x".into(),
            },
            Account {
                account_id: "222222222222".into(),
                account_name: "sandbox-é".into(),
                email_address: "s@x".into(),
            },
        ]);
        c.set_roles("111111111111", vec!["Admin".into()]);
        c.set_roles("222222222222", vec!["Dev".into()]);
        let e: Vec<_> = c.entries().collect();
        assert_eq!(
            table(&e),
            "prod       111111111111  Admin\nsandbox-é  222222222222  Dev\n"
        );
        let v: serde_json::Value = serde_json::from_str(&json(&e)).unwrap();
        assert_eq!(v[1]["roleName"], "Dev");
        assert_eq!(v[0]["session"], "my-sso");
        assert_eq!(v[0]["emailAddress"], "p@x");
    }
}
