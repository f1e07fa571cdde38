//! `ssopick import granted|aws-sso-cli`: what another tool's set-up says,
//! as ssopick's: SSO sessions for `~/.aws/config` (`[sso-session]`, when
//! missing) and account facts for config.toml's `[[account]]` (alias,
//! tags, region). Pure: the callers read and write the files.

use crate::account_meta::word_from;
use crate::catalog::{clean_text, valid_account_id};
use crate::sso::setup::{check_region, check_start_url};
use std::collections::BTreeMap;

mod toml_merge;
pub use toml_merge::merge_accounts;

/// An `[sso-session]` to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionToAdd {
    pub name: String,
    pub start_url: String,
    pub region: String,
}

/// What is known of one account.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountFacts {
    pub id: String,
    pub alias: Option<String>,
    pub tags: Vec<String>,
    pub region: Option<String>,
}

/// What an import would do, and what it leaves out (said to the user).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    pub sessions: Vec<SessionToAdd>,
    pub accounts: Vec<AccountFacts>,
    pub notes: Vec<String>,
}

impl Plan {
    /// A session to add; one portal named twice is one session.
    fn add_session(&mut self, name: String, start_url: String, region: String) {
        if !self
            .sessions
            .iter()
            .any(|s| crate::sso::session::same_url(&s.start_url, &start_url))
        {
            self.sessions.push(SessionToAdd {
                name,
                start_url,
                region,
            });
        }
    }
}

/// A name fit for `[sso-session NAME]` (`_.-`, letters, digits; not `all`).
fn session_name(wanted: &str, url: &str) -> String {
    let ok = wanted != "all"
        && (1..=64).contains(&wanted.len())
        && wanted
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c));
    if ok {
        wanted.to_string()
    } else {
        crate::sso::setup::session_name_for(url)
    }
}

/// A YAML key or value as text (account ids may be written as numbers,
/// which lose their leading zeros: padded back to 12 digits).
fn text_of(v: &serde_yaml_ng::Value) -> Option<String> {
    match v {
        serde_yaml_ng::Value::String(s) => Some(s.clone()),
        serde_yaml_ng::Value::Number(n) => Some(n.to_string()),
        serde_yaml_ng::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn account_id(v: &serde_yaml_ng::Value) -> Option<String> {
    let t = text_of(v)?;
    let t = if t.len() < 12 && t.chars().all(|c| c.is_ascii_digit()) {
        format!("{t:0>12}")
    } else {
        t
    };
    valid_account_id(&t).then_some(t)
}

/// aws-sso-cli's `~/.aws-sso/config.yaml`: each `SSOConfig` a session;
/// `Accounts.ID.Name` the alias, `Tags` the tags (`key=value`; both made
/// words ssopick takes: `Main Account` is `Main-Account`), `DefaultRegion`
/// the region.
pub fn from_aws_sso_cli(yaml: &str) -> Result<Plan, String> {
    let doc: serde_yaml_ng::Value =
        serde_yaml_ng::from_str(yaml).map_err(|e| format!("not aws-sso-cli's YAML: {e}"))?;
    let mut plan = Plan::default();
    let Some(sso) = doc.get("SSOConfig").and_then(|v| v.as_mapping()) else {
        return Err("no SSOConfig in the file (aws-sso-cli's config.yaml has one)".into());
    };
    for (name, cfg) in sso {
        let name = text_of(name).unwrap_or_default();
        let url = cfg.get("StartUrl").and_then(text_of).unwrap_or_default();
        let region = cfg.get("SSORegion").and_then(text_of).unwrap_or_default();
        match (check_start_url(&url), check_region(&region)) {
            (Ok(url), Ok(region)) => plan.add_session(session_name(&name, &url), url, region),
            (Err(e), _) | (_, Err(e)) => {
                plan.notes
                    .push(format!("SSOConfig {}: skipped: {e}", clean_text(&name)));
                continue;
            }
        }
        let Some(accounts) = cfg.get("Accounts").and_then(|v| v.as_mapping()) else {
            continue;
        };
        for (id, a) in accounts {
            let Some(id) = account_id(id) else {
                plan.notes.push(format!(
                    "Accounts: {:?} is not a 12-digit account id: skipped",
                    text_of(id).map(|t| clean_text(&t)).unwrap_or_default()
                ));
                continue;
            };
            let mut tags: Vec<String> = a
                .get("Tags")
                .and_then(|t| t.as_mapping())
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| word_from(&format!("{}={}", text_of(k)?, text_of(v)?)))
                        .collect()
                })
                .unwrap_or_default();
            tags.sort();
            tags.dedup();
            let region = a
                .get("DefaultRegion")
                .and_then(text_of)
                .and_then(|r| check_region(&r).ok());
            plan.accounts.push(AccountFacts {
                alias: a.get("Name").and_then(text_of).and_then(|n| word_from(&n)),
                id,
                tags,
                region,
            });
        }
    }
    Ok(plan)
}

/// One profile `granted sso generate` wrote (its `granted_sso_*` keys).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantedProfile {
    pub name: String,
    pub start_url: String,
    pub region: String,
    pub account_id: String,
}

/// granted's profiles: each start URL a session; a profile name the alias
/// of its account when it is that account's only profile (the others are
/// listed, not imported).
pub fn from_granted(profiles: &[GrantedProfile]) -> Plan {
    let mut plan = Plan::default();
    let mut by_account: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in profiles {
        match (check_start_url(&p.start_url), check_region(&p.region)) {
            (Ok(url), Ok(region)) => {
                plan.add_session(crate::sso::setup::session_name_for(&url), url, region);
            }
            (Err(e), _) | (_, Err(e)) => {
                plan.notes
                    .push(format!("profile {}: skipped: {e}", clean_text(&p.name)));
                continue;
            }
        }
        if valid_account_id(&p.account_id) {
            by_account.entry(&p.account_id).or_default().push(&p.name);
        }
    }
    for (id, names) in by_account {
        match names.as_slice() {
            [one] => plan.accounts.push(AccountFacts {
                id: id.to_string(),
                alias: word_from(one),
                ..AccountFacts::default()
            }),
            several => plan.notes.push(format!(
                "account {id} has {} profiles ({}): no alias imported; set one in config.toml",
                several.len(),
                several
                    .iter()
                    .map(|n| clean_text(n))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }
    plan
}

#[cfg(test)]
#[path = "import/tests.rs"]
mod tests;
