//! Why a command chose no row, as the user reads it: no match (with the
//! closest rows), several (up to 10, the sessions they come from and how to
//! narrow), or an account named exactly that lacks the role (with its
//! roles). All exit 6.

use crate::app::error::Error;
use crate::app::setup::Setup;
use crate::core::catalog::{Catalog, Entry, clean_text};
use crate::core::select::{self, Named, closest, no_match_message};

/// The error for several matches (or one that a listing could still
/// change) where no picker can be shown: up to 10 of them, the sessions
/// they come from, and how to narrow.
pub(crate) fn ambiguous(
    query: &[String],
    found: &[Entry<'_>],
    several: bool,
    pending: bool,
) -> Error {
    let mut m = match found.len() {
        0 => format!(
            "no account/role can be chosen for {:?} yet",
            query.join(" ")
        ),
        1 => format!("1 entry matches {:?}", query.join(" ")),
        n => format!("{n} entries match {:?}", query.join(" ")),
    };
    if several {
        m.push_str(" across sessions");
    }
    m.push_str(if pending {
        ", but the catalog is incomplete (a listing did not finish), so none is chosen; run `ssopick list --refresh`, or name one with --account ID --role NAME:"
    } else {
        "; add words, or name one with --account ID --role NAME:"
    });
    for e in found.iter().take(10) {
        m.push_str(&format!("\n  {}", select::describe(e)));
        if several {
            m.push_str(&format!("  [session {}]", e.session));
        }
    }
    if found.len() > 10 {
        m.push_str(&format!("\n  ... and {} more", found.len() - 10));
    }
    if found.iter().any(|e| e.account.profile.is_some()) {
        m.push_str("\n(--sso-only leaves the AWS files' other profiles out; `--account NAME` alone names one)");
    }
    let mut sessions: Vec<&str> = found.iter().map(|e| e.session).collect();
    sessions.sort_unstable();
    sessions.dedup();
    if sessions.len() > 1 {
        m.push_str(&format!(
            "\nThe matches come from sessions {}: choose one with --session NAME, or set default_session = \"NAME\" in config.toml.",
            sessions.join(", ")
        ));
    }
    Error::NoMatch(m)
}

/// The error for accounts named exactly whose rows match none of the
/// other words: each account, and its roles.
pub(crate) fn lacks(named: &[Named<'_>], words: &str, several: bool) -> Error {
    let mut lines: Vec<String> = Vec::new();
    for n in named {
        let roles = n.roles.unwrap_or_default();
        let what = if words.trim().is_empty() {
            "has no role you can use".to_string()
        } else {
            format!("has no role matching {:?}", words.trim())
        };
        let mut line = format!(
            "account {} ({}) {what}; its roles: {}",
            crate::core::visible::shown(&clean_text(&n.account.account_name)),
            n.account.account_id,
            if roles.is_empty() {
                "(none)".to_string()
            } else {
                roles.join(", ")
            }
        );
        if several {
            line.push_str(&format!(" [session {}]", n.session));
        }
        lines.push(line);
    }
    lines.push("Run `ssopick list --refresh` if an assignment is new.".into());
    Error::NoMatch(lines.join("\n"))
}

/// The error for no match, with the closest rows of the first catalog.
pub(crate) fn no_match(
    setup: &Setup,
    cats: &[(usize, Catalog)],
    query: &[String],
    several: bool,
) -> Error {
    let g = &setup.globals;
    let near = cats
        .first()
        .map(|(_, c)| closest(c, g.account.as_deref(), g.role.as_deref(), query, 3))
        .unwrap_or_default();
    let mut what = query.join(" ");
    for (flag, v) in [("--account", &g.account), ("--role", &g.role)] {
        if let Some(v) = v {
            what.push_str(&format!(" {flag} {v}"));
        }
    }
    let mut what = format!("{:?}", what.trim());
    if several {
        what.push_str(" in any session");
    }
    Error::NoMatch(no_match_message(&what, &near))
}
