//! `list`'s output: columns aligned in terminal cells (wide characters
//! count two), or a JSON array. Pure.

use crate::catalog::Entry;
use unicode_width::UnicodeWidthStr;

/// Terminal cells of `s` (ASCII: its length, without a table lookup).
fn cells(s: &str) -> usize {
    if s.is_ascii() { s.len() } else { s.width() }
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// Aligned columns: account name, account id, role (and the session when
/// the entries come from several). One buffer, no string per line: at
/// 8,000 rows the allocations were a third of `list --offline`.
pub fn table(entries: &[Entry<'_>]) -> String {
    // Invisible characters shown as `\u{200b}`: a lookalike looks it.
    let shown: Vec<std::borrow::Cow<'_, str>> = entries
        .iter()
        .map(|e| crate::visible::shown(&e.account.account_name))
        .collect();
    let names: Vec<usize> = shown.iter().map(|n| cells(n)).collect();
    let w = names.iter().copied().max().unwrap_or(0);
    let several = entries.windows(2).any(|p| p[0].session != p[1].session);
    let role_w = if several {
        entries
            .iter()
            .map(|e| cells(&role_cell(e)))
            .max()
            .unwrap_or(0)
    } else {
        0
    };
    let mut out = String::with_capacity(entries.len() * (w + role_w + 32));
    for ((e, name_w), name) in entries.iter().zip(names).zip(&shown) {
        let role = role_cell(e);
        out.push_str(name);
        pad(&mut out, w - name_w + 2);
        // No id (an AWS profile that names none): a `-`, so the columns
        // stay the columns for awk and cut.
        if e.account.account_id.is_empty() {
            out.push('-');
            pad(&mut out, 11);
        } else {
            out.push_str(&e.account.account_id);
        }
        out.push_str("  ");
        out.push_str(&role);
        if several {
            pad(&mut out, role_w.saturating_sub(cells(&role)) + 2);
            out.push_str(e.session);
        }
        out.push('\n');
    }
    out
}

/// The role column: a chained row says what it goes through, a profile's
/// row that it is one (and its kind).
fn role_cell<'e>(e: &Entry<'e>) -> std::borrow::Cow<'e, str> {
    match (&e.account.chain, &e.account.profile) {
        (Some(c), _) => format!("{}  {}", e.role, c.marker()).into(),
        (None, Some(p)) => format!("{}  {}", e.role, p.marker()).into(),
        (None, None) => e.role.into(),
    }
}

pub fn json(entries: &[Entry<'_>]) -> String {
    let rows: Vec<_> = entries
        .iter()
        .map(|e| {
            let mut row = serde_json::json!({
                "accountId": e.account.account_id,
                "accountName": e.account.account_name,
                "emailAddress": e.account.email_address,
                "roleName": e.role,
                "session": e.session,
            });
            if let Some(m) = &e.account.meta {
                row["alias"] = serde_json::json!(m.alias);
                row["tags"] = serde_json::json!(m.tags);
                row["region"] = serde_json::json!(m.region);
            }
            if let Some(c) = &e.account.chain {
                row["chain"] = serde_json::json!({
                    "name": c.name,
                    "roleArn": c.role_arn,
                    "viaAccountId": c.via.account,
                    "viaRoleName": c.via.role,
                });
            }
            if let Some(p) = &e.account.profile {
                row["profile"] = serde_json::json!({
                    "name": p.name,
                    "kind": p.kind.word(),
                    "roleArn": p.role_arn,
                    "mfa": p.mfa_serial.is_some(),
                });
            }
            row
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Account, Catalog};
    use crate::time::UtcTime;

    #[test]
    fn table_and_json() {
        let mut c = Catalog::new("my-sso", "u", "r", UtcTime(0));
        c.upsert_accounts([
            Account::new("111111111111", "prod", "p@x"),
            Account::new("222222222222", "sandbox-é", "s@x"),
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
