//! `status`: the sessions, their snapshots and the running endpoints, read
//! from files alone (the token cache, the snapshots' heads, the endpoint
//! register). No network, no refresh, no lock.

use crate::app::setup::Setup;
use crate::core::sso::session::token_for;
use crate::core::status::{SessionStatus, SnapshotStatus, Status};
use crate::edge::{running, snapshot};

/// What `status` reports.
pub(crate) fn gather(setup: &Setup) -> Status {
    let now = setup.clock.now();
    let mut st = Status {
        sessions: Vec::new(),
        snapshots: Vec::new(),
        endpoints: Vec::new(),
    };
    for s in &setup.sessions {
        if st.sessions.iter().any(|k| k.name == s.id()) {
            continue;
        }
        let token = token_for(s, &setup.tokens);
        st.sessions.push(SessionStatus {
            name: s.id().to_string(),
            start_url: s.start_url.clone(),
            region: s.region.clone(),
            logged_in: token.is_some_and(|t| t.is_valid_at(now)),
            expires_at: token.map(|t| t.expires_at.to_rfc3339()),
            refreshable: token.is_some_and(|t| {
                t.refresh_token.is_some()
                    && t.client_secret.is_some()
                    && t.registration_expires_at.is_some_and(|r| r > now)
            }),
        });
        let path = snapshot::path(&setup.paths.cache, &s.start_url);
        if let Some(h) = snapshot::head(&path, &s.start_url) {
            st.snapshots.push(SnapshotStatus {
                session: s.id().to_string(),
                age_s: h.taken_at.secs_until(now).max(0),
                complete: h.complete,
                accounts: h.accounts,
                roles: h.roles,
            });
        }
    }
    if let Ok(dir) = setup.run_dir() {
        st.endpoints = running::list(&dir);
    }
    st
}
