//! Role chains (config.toml `[[chain]]`): an IAM role assumed with STS
//! AssumeRole using the credentials of an SSO role (the "via" row). The
//! declaration, its checks, and the rows it adds to a catalog. Pure.
//!
//! ```toml
//! [[chain]]
//! name = "deploy-prod"
//! role_arn = "arn:aws:iam::123456789012:role/Deployer"
//! via = { account = "111111111111", role = "AdministratorAccess" }  # optional: session = "corp"
//! # optional: external_id, session_name, duration = "1h" (at most: STS caps chained sessions), region
//! ```

use crate::names::{valid_account_id, valid_role_name};
use crate::time::UtcTime;
use serde::Deserialize;

/// STS caps a chained role session at one hour, and takes no less than 15
/// minutes.
pub const MAX_SECS: i64 = 3600;
pub const MIN_SECS: i64 = 900;

/// The SSO row a chain starts from.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Via {
    pub account: String,
    pub role: String,
    /// The SSO session of the via row; else the session that lists the
    /// via account (or the one chosen).
    pub session: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chain {
    pub name: String,
    pub role_arn: String,
    pub via: Via,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
    #[serde(default, deserialize_with = "crate::time::deserialize_opt_age")]
    pub duration: Option<i64>,
    pub region: Option<String>,
}

/// The parts of an IAM role ARN: partition, account id, role name (the
/// last part of its path).
pub fn arn_parts(arn: &str) -> Option<(&str, &str, &str)> {
    let rest = arn.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("iam::")?;
    let (account, resource) = rest.split_once(':')?;
    let path = resource.strip_prefix("role/")?;
    let name = path.rsplit('/').next()?;
    let partition_ok = crate::names::PARTITIONS.contains(&partition);
    let path_ok = path.len() <= 512
        && path.split('/').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
        });
    (partition_ok && valid_account_id(account) && valid_role_name(name) && path_ok)
        .then_some((partition, account, name))
}

/// A role session name as STS takes it: `[\w+=,.@-]{2,64}`.
pub fn valid_session_name(s: &str) -> bool {
    (2..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// `ssopick-<user>`, with what STS refuses in a session name dropped.
pub fn default_session_name(user: &str) -> String {
    let user: String = user
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(*c))
        .collect();
    let mut s = format!("ssopick-{user}");
    s.truncate(64);
    s
}

impl Chain {
    /// Checks one declaration; the message names the chain and the field.
    pub fn check(&self) -> Result<(), String> {
        let n = &self.name;
        let name_ok = (1..=64).contains(&n.len())
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || "._-/+=@".contains(c));
        if !name_ok {
            return Err(format!(
                "[[chain]] name {n:?}: use 1-64 letters, digits or ._-/+=@ (it becomes a profile name)"
            ));
        }
        let bad = |what: &str| Err(format!("[[chain]] {n}: {what}"));
        if arn_parts(&self.role_arn).is_none() {
            return bad(&format!(
                "role_arn {:?} is not an IAM role ARN (arn:aws:iam::123456789012:role/Name)",
                self.role_arn
            ));
        }
        if !valid_account_id(&self.via.account) {
            return bad("via.account must be a 12-digit account id");
        }
        if !valid_role_name(&self.via.role) {
            return bad("via.role must be an SSO role (permission set) name");
        }
        if let Some(x) = &self.external_id {
            let ok = (2..=1224).contains(&x.len())
                && x.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_+=,.@:/-".contains(c));
            if !ok {
                return bad(
                    "external_id must be 2-1224 characters of letters, digits and _+=,.@:/-",
                );
            }
        }
        if let Some(s) = &self.session_name
            && !valid_session_name(s)
        {
            return bad("session_name must be 2-64 characters of letters, digits and _+=,.@-");
        }
        if let Some(d) = self.duration
            && !(MIN_SECS..=MAX_SECS).contains(&d)
        {
            return bad(
                "duration must be from 15m to 1h (STS caps chained role sessions at one hour)",
            );
        }
        if let Some(r) = &self.region
            && crate::sso::setup::check_region(r).is_err()
        {
            return bad(&format!("region {r:?} is not an AWS region name"));
        }
        Ok(())
    }

    /// The assumed role's account id (checked by `check`).
    pub fn account_id(&self) -> &str {
        arn_parts(&self.role_arn).map_or("", |(_, a, _)| a)
    }

    /// The assumed role's name.
    pub fn role_name(&self) -> &str {
        arn_parts(&self.role_arn).map_or("", |(_, _, r)| r)
    }

    /// How the picker and `list` mark the row: `⤷ via Admin@111111111111`.
    pub fn marker(&self) -> String {
        format!("⤷ via {}@{}", self.via.role, self.via.account)
    }

    pub fn duration_secs(&self) -> i64 {
        self.duration.unwrap_or(MAX_SECS).clamp(MIN_SECS, MAX_SECS)
    }

    /// The chain's key in the credential cache (in place of a role name):
    /// a changed declaration is a different cache entry.
    pub fn cache_key(&self) -> String {
        format!(
            "chain\n{}\n{}\n{}\n{}\n{}\n{}",
            self.name,
            self.role_arn,
            self.via.account,
            self.via.role,
            self.external_id.as_deref().unwrap_or(""),
            self.session_name.as_deref().unwrap_or("")
        )
    }
}

/// Chained credentials never outlive their source: the SDKs refresh by the
/// earlier of the two expiry times.
pub fn capped(expiration: UtcTime, source: UtcTime) -> UtcTime {
    if source < expiration {
        source
    } else {
        expiration
    }
}

#[cfg(test)]
mod tests;
