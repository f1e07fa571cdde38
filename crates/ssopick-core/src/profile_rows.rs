//! Every other profile of `~/.aws/config` and `~/.aws/credentials` as a
//! picker row: static keys, assume-role, `credential_process`, `aws login`
//! (`login_session`) and web identity. Found by *parsing* only: nothing is
//! resolved and no process runs until a row is delivered. SSO profiles are
//! not rows: their names become aliases of the portal's rows, as granted's
//! `granted_sso_*` profiles do; profiles ssopick wrote (its marker comment)
//! are left out. Pure.

use crate::account_meta::AccountEntry;
use crate::profile::MARKER;
use crate::sso::config::header_of;
use std::collections::BTreeMap;
use std::sync::Arc;

/// How a profile's credentials are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Static,
    AssumeRole,
    Process,
    Login,
    WebIdentity,
}

impl Kind {
    /// The word the picker's column shows (and the row's role when the
    /// profile names no role).
    pub fn word(self) -> &'static str {
        match self {
            Kind::Static => "static",
            Kind::AssumeRole => "assume-role",
            Kind::Process => "process",
            Kind::Login => "login",
            Kind::WebIdentity => "web-identity",
        }
    }
}

/// One profile shown as a row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileRow {
    pub name: String,
    pub kind: Kind,
    /// The account, when the profile says (a role ARN, `aws_account_id`).
    pub account_id: String,
    /// The role's name (from `role_arn`), else the kind's word.
    pub role: String,
    pub role_arn: Option<String>,
    pub region: Option<String>,
    /// `mfa_serial`: the SDKs cannot resolve it alone (a code is asked).
    pub mfa_serial: Option<String>,
    /// For an MFA assume-role: where its source credentials come from.
    pub source_profile: Option<String>,
    pub external_id: Option<String>,
    pub role_session_name: Option<String>,
    pub duration_seconds: Option<i64>,
}

impl ProfileRow {
    /// "profile · static", "profile · assume-role · needs MFA": what the
    /// picker shows after the role.
    pub fn marker(&self) -> String {
        let mfa = if self.mfa_serial.is_some() {
            " · needs MFA"
        } else {
            ""
        };
        format!("profile · {}{mfa}", self.kind.word())
    }
}

/// What the files give the picker.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Found {
    pub rows: Vec<Arc<ProfileRow>>,
    /// SSO (and granted) profile names, each as the alias of its account
    /// when it is the only such profile for it.
    pub aliases: Vec<AccountEntry>,
    /// Profiles that are not rows, and why (for `credential-process
    /// --profile`'s refusal).
    pub not_rows: Vec<(String, NotRow)>,
}

/// Why a profile is not a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotRow {
    /// An SSO (or granted) profile: the portal's row stands for it.
    Sso,
    /// ssopick wrote it (it runs ssopick).
    Ours,
    /// No credentials of its own (a region-only `[default]`).
    Empty,
}

/// The keys read from one profile (the later line wins; credentials-file
/// keys over config-file keys, as the SDKs merge them).
#[derive(Default)]
struct Keys {
    map: BTreeMap<String, String>,
    ours: bool,
}

impl Keys {
    fn get(&self, k: &str) -> Option<&str> {
        self.map
            .get(k)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// The profile a config-file header names (`[default]`, `[profile x]`).
fn config_profile(h: &str) -> Option<&str> {
    let h = h.trim();
    if h == "default" {
        return Some("default");
    }
    let name = h.strip_prefix("profile")?;
    name.starts_with([' ', '\t'])
        .then(|| name.trim())
        .filter(|n| !n.is_empty())
}

/// Longest profile name shown; longer ones (and names with control or
/// bracket characters) are not rows.
const MAX_NAME: usize = 128;

fn name_ok(n: &str) -> bool {
    (1..=MAX_NAME).contains(&n.len()) && !n.chars().any(|c| c.is_control() || "[]".contains(c))
}

/// Keys of every profile in `text`, merged into `into`.
fn read(text: &str, credentials: bool, into: &mut BTreeMap<String, Keys>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut current: Option<String> = None;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with(['#', ';']) {
            if t.contains(MARKER)
                && let Some(k) = current.as_ref().and_then(|c| into.get_mut(c))
            {
                k.ours = true;
            }
            continue;
        }
        if t.starts_with('[') {
            current = header_of(line)
                .and_then(|h| {
                    if credentials {
                        Some(h.trim())
                    } else {
                        config_profile(h)
                    }
                })
                .filter(|n| name_ok(n))
                .map(str::to_string);
            if let Some(c) = &current {
                into.entry(c.clone()).or_default();
            }
            continue;
        }
        if t.is_empty() || line.starts_with([' ', '\t']) {
            continue;
        }
        if let (Some(c), Some((k, v))) = (&current, t.split_once('='))
            && let Some(keys) = into.get_mut(c)
        {
            keys.map
                .insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
}

/// The account and role name of a role ARN.
fn arn_account_role(arn: &str) -> Option<(String, String)> {
    let (_, account, role) = crate::chain::arn_parts(arn)?;
    Some((account.to_string(), role.to_string()))
}

fn kind_of(k: &Keys) -> Option<Kind> {
    let role = k.get("role_arn").is_some();
    let source = k.get("source_profile").is_some() || k.get("credential_source").is_some();
    Some(if role && source {
        Kind::AssumeRole
    } else if role && k.get("web_identity_token_file").is_some() {
        Kind::WebIdentity
    } else if k.get("credential_process").is_some() {
        Kind::Process
    } else if k.get("login_session").is_some() {
        Kind::Login
    } else if k.get("aws_access_key_id").is_some() && k.get("aws_secret_access_key").is_some() {
        Kind::Static
    } else {
        return None;
    })
}

fn is_sso(k: &Keys) -> bool {
    ["sso_session", "sso_start_url", "sso_account_id"]
        .iter()
        .any(|x| k.get(x).is_some())
}

fn granted_account(k: &Keys) -> Option<&str> {
    k.get("granted_sso_account_id")
        .filter(|_| k.get("granted_sso_start_url").is_some())
}

fn row(name: &str, kind: Kind, k: &Keys) -> ProfileRow {
    let role_arn = k.get("role_arn").map(str::to_string);
    let (account_id, role) = role_arn
        .as_deref()
        .and_then(arn_account_role)
        .unwrap_or_else(|| {
            let id = k
                .get("aws_account_id")
                .filter(|i| crate::names::valid_account_id(i))
                .unwrap_or_default();
            (id.to_string(), kind.word().to_string())
        });
    let mfa = (kind == Kind::AssumeRole)
        .then(|| k.get("mfa_serial").map(str::to_string))
        .flatten();
    ProfileRow {
        name: name.to_string(),
        kind,
        account_id,
        role,
        role_arn,
        region: k
            .get("region")
            .filter(|r| crate::partition::valid_host_label(r))
            .map(str::to_string),
        mfa_serial: mfa,
        source_profile: k.get("source_profile").map(str::to_string),
        external_id: k.get("external_id").map(str::to_string),
        role_session_name: k.get("role_session_name").map(str::to_string),
        duration_seconds: k.get("duration_seconds").and_then(|d| d.parse().ok()),
    }
}

/// The rows and aliases of the two files' texts.
pub fn scan(config: &str, credentials: &str) -> Found {
    let mut profiles = BTreeMap::new();
    read(config, false, &mut profiles);
    read(credentials, true, &mut profiles);
    let mut found = Found::default();
    // Account id -> the SSO-like profile names for it.
    let mut sso: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (name, k) in &profiles {
        if is_sso(k) || granted_account(k).is_some() {
            let id = k.get("sso_account_id").or_else(|| granted_account(k));
            if let Some(id) = id.filter(|i| crate::names::valid_account_id(i)) {
                sso.entry(id).or_default().push(name);
            }
            found.not_rows.push((name.clone(), NotRow::Sso));
            continue;
        }
        if k.ours {
            found.not_rows.push((name.clone(), NotRow::Ours));
            continue;
        }
        match kind_of(k) {
            Some(kind) => found.rows.push(Arc::new(row(name, kind, k))),
            None => found.not_rows.push((name.clone(), NotRow::Empty)),
        }
    }
    for (id, names) in sso {
        if let [one] = names.as_slice()
            && let Some(alias) = crate::account_meta::word_from(one)
        {
            found.aliases.push(AccountEntry {
                id: Some(id.to_string()),
                alias: Some(alias),
                ..AccountEntry::default()
            });
        }
    }
    found
}

#[cfg(test)]
mod tests;
