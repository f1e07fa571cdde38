//! `ssopick status`: what is logged in, what is listed and what is served,
//! as one JSON document (menubars, scripts), a table (people) or one line
//! (prompts, tmux). Built from files alone; no network.

use crate::time::{UtcTime, human_duration};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Status {
    pub sessions: Vec<SessionStatus>,
    pub snapshots: Vec<SnapshotStatus>,
    pub endpoints: Vec<EndpointEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionStatus {
    pub name: String,
    pub start_url: String,
    pub region: String,
    pub logged_in: bool,
    /// RFC 3339; `None` when there is no token at all.
    pub expires_at: Option<String>,
    /// A refresh token and a client registration still valid: the login
    /// renews itself without a browser.
    pub refreshable: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotStatus {
    pub session: String,
    pub age_s: i64,
    pub complete: bool,
    pub accounts: Option<usize>,
    pub roles: Option<usize>,
}

/// A running credential endpoint as it registered itself
/// (`<run dir>/endpoints/PID.json`); never its token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointEntry {
    pub pid: u32,
    /// `serve`, `shell` or `exec`.
    pub kind: String,
    pub session: String,
    pub account_id: String,
    pub role: String,
    pub port: u16,
    /// RFC 3339.
    pub started_at: String,
    /// It holds credentials valid now (false while logged out or failing).
    pub serving: bool,
}

impl EndpointEntry {
    /// An entry read from a file: its fields within the shapes ssopick
    /// writes (a file is input like any other).
    pub fn checked(mut self) -> Option<EndpointEntry> {
        let ok = matches!(self.kind.as_str(), "serve" | "shell" | "exec")
            && crate::catalog::valid_account_id(&self.account_id)
            && self.session.len() <= 256
            && self.role.len() <= 128
            && self.port > 0
            && self.pid > 0;
        // Written again in the one form the document promises.
        self.started_at = UtcTime::parse(&self.started_at)?.to_rfc3339();
        ok.then_some(self)
    }
}

/// Text from a file made safe for a terminal: controls replaced, the
/// invisible characters shown.
fn shown(s: &str) -> String {
    crate::visible::shown(&crate::catalog::clean_text(s)).into_owned()
}

/// "7h 12m", "expired", "logged out".
fn left(s: &SessionStatus, now: UtcTime) -> String {
    match s.expires_at.as_deref().and_then(UtcTime::parse) {
        Some(t) if s.logged_in => human_duration(now.secs_until(t)),
        Some(_) if s.refreshable => "refreshable".into(),
        Some(_) => "expired".into(),
        None => "logged out".into(),
    }
}

/// One line for a prompt: the role of this ssopick shell (`shell_role`:
/// account name and role) when inside one, then each session with the
/// time its login has left.
pub fn short_line(st: &Status, now: UtcTime, shell_role: Option<(&str, &str)>) -> String {
    let sessions: Vec<String> = st
        .sessions
        .iter()
        .map(|s| format!("{} {}", shown(&s.name), left(s, now)))
        .collect();
    let sessions = if sessions.is_empty() {
        "no session".to_string()
    } else {
        sessions.join(" | ")
    };
    match shell_role {
        Some((account, role)) => format!("{}/{} ({sessions})", shown(account), shown(role)),
        None => sessions,
    }
}

/// The table for people.
pub fn text(st: &Status, now: UtcTime) -> String {
    let mut out = String::from("Sessions:\n");
    if st.sessions.is_empty() {
        out.push_str("  none (run: ssopick configure, then ssopick login)\n");
    }
    for s in &st.sessions {
        out.push_str(&format!(
            "  {:<20} {:<10} {} ({})\n",
            shown(&s.name),
            left(s, now),
            shown(&s.start_url),
            shown(&s.region)
        ));
    }
    out.push_str("Snapshots:\n");
    if st.snapshots.is_empty() {
        out.push_str("  none yet\n");
    }
    for s in &st.snapshots {
        let counts = match (s.accounts, s.roles) {
            (Some(a), Some(r)) => format!("{a} accounts, {r} roles"),
            _ => "counts unknown".into(),
        };
        out.push_str(&format!(
            "  {:<20} {} old, {}, {counts}\n",
            shown(&s.session),
            human_duration(s.age_s),
            if s.complete { "complete" } else { "incomplete" }
        ));
    }
    out.push_str("Endpoints:\n");
    if st.endpoints.is_empty() {
        out.push_str("  none running\n");
    }
    for e in &st.endpoints {
        out.push_str(&format!(
            "  pid {:<8} {:<6} {}/{} on port {} since {}{}\n",
            e.pid,
            e.kind,
            e.account_id,
            shown(&e.role),
            e.port,
            e.started_at,
            if e.serving { "" } else { " (not serving)" }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(name: &str, logged_in: bool, exp: Option<&str>) -> SessionStatus {
        SessionStatus {
            name: name.into(),
            start_url: "https://d-1.awsapps.com/start".into(),
            region: "eu-west-1".into(),
            logged_in,
            expires_at: exp.map(str::to_string),
            refreshable: false,
        }
    }

    #[test]
    fn the_short_line_names_each_session_and_the_shell_role() {
        let now = UtcTime::parse("2026-12-07T10:00:00Z").unwrap();
        let st = Status {
            sessions: vec![
                session("corp", true, Some("2026-12-07T17:12:00Z")),
                session("lab\u{1b}[31m", false, Some("2026-12-07T09:00:00Z")),
                session("new", false, None),
            ],
            snapshots: vec![],
            endpoints: vec![],
        };
        assert_eq!(
            short_line(&st, now, None),
            "corp 7h 12m | lab\u{fffd}[31m expired | new logged out"
        );
        assert!(
            short_line(&st, now, Some(("prod", "Admin"))).starts_with("prod/Admin (corp 7h 12m")
        );
        let none = Status {
            sessions: vec![],
            snapshots: vec![],
            endpoints: vec![],
        };
        assert_eq!(short_line(&none, now, None), "no session");
    }

    #[test]
    fn endpoint_entries_are_checked() {
        let e = EndpointEntry {
            pid: 7,
            kind: "serve".into(),
            session: "corp".into(),
            account_id: "111111111111".into(),
            role: "Admin".into(),
            port: 4000,
            started_at: "2026-12-07T10:00:00Z".into(),
            serving: true,
        };
        assert!(e.clone().checked().is_some());
        let bad = EndpointEntry {
            kind: "x".into(),
            ..e.clone()
        };
        assert!(bad.checked().is_none());
        let bad = EndpointEntry {
            account_id: "12".into(),
            ..e.clone()
        };
        assert!(bad.checked().is_none());
        let bad = EndpointEntry {
            port: 0,
            ..e.clone()
        };
        assert!(bad.checked().is_none());
        let offset = EndpointEntry {
            started_at: "2026-12-07T12:00:00.5+02:00".into(),
            ..e
        };
        assert_eq!(offset.checked().unwrap().started_at, "2026-12-07T10:00:00Z");
    }
}
