//! Pick history for frecency ranking: how often and how recently each
//! account/role was picked, and its JSON form (the file lives in
//! `edge::history_file`). Holds names and times only, never a secret.

use crate::time::UtcTime;
use serde::{Deserialize, Serialize};

const MAX_ENTRIES: usize = 500;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pick {
    pub session: String,
    pub account_id: String,
    pub role: String,
    pub count: u32,
    pub last: UtcTime,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct History {
    pub picks: Vec<Pick>,
    /// Regions chosen in the picker (Ctrl-G), most recent first.
    #[serde(default)]
    pub regions: Vec<String>,
}

impl History {
    /// The stored form; anything unreadable is an empty history.
    /// The history as stored, read as portal data is: picks whose account
    /// id or role name AWS could not have issued are dropped.
    pub fn from_json(bytes: &[u8]) -> History {
        let mut h: History = serde_json::from_slice(bytes).unwrap_or_default();
        h.picks.retain(|p| {
            (crate::names::valid_account_id(&p.account_id)
                || p.account_id
                    .strip_prefix(crate::catalog::PROFILE_PICK)
                    .is_some_and(crate::profile_rows::name_ok))
                && crate::names::valid_role_name(&p.role)
                && crate::catalog::clean_text(&p.session) == p.session
        });
        h
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    pub fn record(&mut self, session: &str, account_id: &str, role: &str, now: UtcTime) {
        match self
            .picks
            .iter_mut()
            .find(|p| p.session == session && p.account_id == account_id && p.role == role)
        {
            Some(p) => {
                p.count = p.count.saturating_add(1);
                p.last = now;
            }
            None => self.picks.push(Pick {
                session: session.into(),
                account_id: account_id.into(),
                role: role.into(),
                count: 1,
                last: now,
            }),
        }
        if self.picks.len() > MAX_ENTRIES {
            self.picks.sort_by_key(|p| std::cmp::Reverse(p.last));
            self.picks.truncate(MAX_ENTRIES);
        }
    }

    pub fn find(&self, session: &str, account_id: &str, role: &str) -> Option<&Pick> {
        self.picks
            .iter()
            .find(|p| p.session == session && p.account_id == account_id && p.role == role)
    }

    /// Frecency: use count weighted by how recent the last use was.
    pub fn score(&self, session: &str, account_id: &str, role: &str, now: UtcTime) -> u32 {
        let Some(p) = self.find(session, account_id, role) else {
            return 0;
        };
        let days = p.last.secs_until(now).max(0) / 86_400;
        let weight = match days {
            0..=3 => 100,
            4..=14 => 70,
            15..=31 => 50,
            32..=90 => 30,
            _ => 10,
        };
        p.count.min(1000) * weight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frecency_prefers_recent_and_frequent() {
        let now = UtcTime(100 * 86_400);
        let mut h = History::default();
        h.record("s", "111111111111", "a", UtcTime(now.0 - 60 * 86_400));
        for _ in 0..3 {
            h.record("s", "111111111111", "a", UtcTime(now.0 - 60 * 86_400));
        }
        h.record("s", "222222222222", "b", now);
        assert_eq!(h.score("s", "111111111111", "a", now), 4 * 30);
        assert_eq!(h.score("s", "222222222222", "b", now), 100);
        assert_eq!(h.score("s", "333333333333", "c", now), 0);
        assert_eq!(History::from_json(&h.to_json()), h);
        assert_eq!(History::from_json(b"not json"), History::default());
        // Read as portal data is: picks no AWS account could have are dropped.
        let mut bad = History::default();
        bad.record("s", "1; rm -rf", "a", now);
        bad.record("s", "111111111111", "a\nb", now);
        assert_eq!(History::from_json(&bad.to_json()).picks, Vec::new());
    }

    #[test]
    fn each_profile_row_has_its_own_history() {
        use crate::config_rows::profile_row;
        use crate::profile_rows::scan;
        let found = scan(
            "[profile a]\naws_access_key_id = K\naws_secret_access_key = S\n[profile b]\naws_access_key_id = K\naws_secret_access_key = S\n[profile c]\nsource_profile = a\nrole_arn = arn:aws:iam::111111111111:role/Dev\n",
            "",
        );
        let rows: Vec<_> = found.rows.iter().map(|r| profile_row(r).account).collect();
        let ids: Vec<_> = rows.iter().map(|a| a.history_id().into_owned()).collect();
        assert_eq!(ids, ["profile:a", "profile:b", "profile:c"]);
        let now = UtcTime(86_400);
        let mut h = History::default();
        h.record("s", &ids[1], "static", now);
        assert_eq!(h.score("s", &ids[0], "static", now), 0);
        assert_eq!(h.score("s", &ids[1], "static", now), 100);
        // The portal's Dev role in that account is another row.
        assert_eq!(h.score("s", "111111111111", "Dev", now), 0);
        // Kept when read back; a name no profile could have is dropped.
        h.record("s", "profile:bad name", "static", now);
        let back = History::from_json(&h.to_json());
        assert_eq!(back.picks.len(), 1);
        assert_eq!(back.picks[0].account_id, "profile:b");
    }
}
