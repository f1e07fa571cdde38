//! Parses the AWS shared config file (`~/.aws/config`) far enough to know the
//! SSO sessions and which profile belongs to which. Pure: text in, data out.
//!
//! The grammar follows the AWS profile-file rules: `#`/`;` comment lines,
//! `[default]`, `[profile NAME]`, `[sso-session NAME]`, `key = value`, and
//! indented continuation/sub-section lines (`s3 =` blocks) which we skip.
//! Duplicate sections merge, the later key winning, as in aws-config.

use std::collections::BTreeMap;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub sso_session: Option<String>,
    pub sso_start_url: Option<String>,
    pub sso_region: Option<String>,
    pub sso_account_id: Option<String>,
    pub sso_role_name: Option<String>,
    pub region: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SsoSessionSection {
    pub name: String,
    pub start_url: Option<String>,
    pub region: Option<String>,
    pub registration_scopes: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsConfig {
    pub profiles: Vec<Profile>,
    pub sso_sessions: Vec<SsoSessionSection>,
}

impl AwsConfig {
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.name == name)
    }
    pub fn sso_session(&self, name: &str) -> Option<&SsoSessionSection> {
        self.sso_sessions.iter().find(|s| s.name == name)
    }
}

enum SectionKind {
    Profile(String),
    SsoSession(String),
    Other,
}

/// `[profile x]` -> Profile("x"); `[default]` -> Profile("default");
/// `[sso-session y]` -> SsoSession("y"); anything else is not ours.
fn section_kind(header: &str) -> SectionKind {
    let h = header.trim();
    if h == "default" {
        return SectionKind::Profile("default".into());
    }
    let mut parts = h.splitn(2, char::is_whitespace);
    let (kind, name) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or("").trim(),
    );
    match kind {
        "profile" if !name.is_empty() => SectionKind::Profile(name.to_string()),
        "sso-session" if !name.is_empty() => SectionKind::SsoSession(name.to_string()),
        _ => SectionKind::Other,
    }
}

/// Returns the text between `[` and `]` of a section header line, if it is one.
pub fn header_of(line: &str) -> Option<&str> {
    let t = line.trim();
    let t = t.strip_prefix('[')?;
    let end = t.find(']')?;
    let after = t[end + 1..].trim();
    if !(after.is_empty() || after.starts_with('#') || after.starts_with(';')) {
        return None;
    }
    Some(&t[..end])
}

pub fn parse(text: &str) -> AwsConfig {
    // BTreeMap keeps first-seen order via an index so output is stable.
    let mut profiles: BTreeMap<String, (usize, BTreeMap<String, String>, bool)> = BTreeMap::new();
    let mut sessions: BTreeMap<String, (usize, BTreeMap<String, String>)> = BTreeMap::new();
    let mut current: Option<(bool, String, bool)> = None; // (is_profile, name, explicit "profile " prefix)
    let mut order = 0usize;
    for raw in text.lines() {
        let line = raw.strip_prefix('\u{feff}').unwrap_or(raw);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if let Some(h) = header_of(line) {
            order += 1;
            current = match section_kind(h) {
                SectionKind::Profile(name) => {
                    let explicit = h.trim() != "default";
                    let entry =
                        profiles
                            .entry(name.clone())
                            .or_insert((order, BTreeMap::new(), explicit));
                    // `[profile default]` wins over `[default]` when both exist.
                    if explicit && !entry.2 {
                        entry.1.clear();
                        entry.2 = true;
                    } else if !explicit && entry.2 {
                        current = None;
                        continue;
                    }
                    Some((true, name, explicit))
                }
                SectionKind::SsoSession(name) => {
                    sessions
                        .entry(name.clone())
                        .or_insert((order, BTreeMap::new()));
                    Some((false, name, true))
                }
                SectionKind::Other => None,
            };
            continue;
        }
        // Indented lines continue a value or belong to a sub-section: skip.
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((key, value)) = trimmed.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim().to_ascii_lowercase(), value.trim().to_string());
        match &current {
            Some((true, name, _)) => {
                if let Some(p) = profiles.get_mut(name) {
                    p.1.insert(key, value);
                }
            }
            Some((false, name, _)) => {
                if let Some(s) = sessions.get_mut(name) {
                    s.1.insert(key, value);
                }
            }
            None => {}
        }
    }
    let nonempty =
        |m: &BTreeMap<String, String>, k: &str| m.get(k).filter(|v| !v.is_empty()).cloned();
    let mut profiles: Vec<_> = profiles.into_iter().collect();
    profiles.sort_by_key(|(_, (o, _, _))| *o);
    let mut sessions: Vec<_> = sessions.into_iter().collect();
    sessions.sort_by_key(|(_, (o, _))| *o);
    AwsConfig {
        profiles: profiles
            .into_iter()
            .map(|(name, (_, m, _))| Profile {
                sso_session: nonempty(&m, "sso_session"),
                sso_start_url: nonempty(&m, "sso_start_url"),
                sso_region: nonempty(&m, "sso_region"),
                sso_account_id: nonempty(&m, "sso_account_id"),
                sso_role_name: nonempty(&m, "sso_role_name"),
                region: nonempty(&m, "region"),
                name,
            })
            .collect(),
        sso_sessions: sessions
            .into_iter()
            .map(|(name, (_, m))| SsoSessionSection {
                start_url: nonempty(&m, "sso_start_url"),
                region: nonempty(&m, "sso_region"),
                registration_scopes: nonempty(&m, "sso_registration_scopes"),
                name,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = "\
[profile legacy]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
sso_account_id = 012345678901
sso_role_name = SampleRole

[profile dev]
sso_session = my-sso
sso_account_id = 012345678901
sso_role_name = SampleRole
region = eu-west-1

[sso-session my-sso]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
";

    #[test]
    fn reference_example() {
        let c = parse(REFERENCE);
        assert_eq!(c.profiles.len(), 2);
        let legacy = c.profile("legacy").unwrap();
        assert_eq!(
            legacy.sso_start_url.as_deref(),
            Some("https://d-abc123.awsapps.com/start")
        );
        assert_eq!(legacy.sso_region.as_deref(), Some("us-east-1"));
        let dev = c.profile("dev").unwrap();
        assert_eq!(dev.sso_session.as_deref(), Some("my-sso"));
        assert_eq!(dev.region.as_deref(), Some("eu-west-1"));
        let s = c.sso_session("my-sso").unwrap();
        assert_eq!(s.region.as_deref(), Some("us-east-1"));
        assert_eq!(s.registration_scopes.as_deref(), Some("sso:account:access"));
    }

    #[test]
    fn odd_but_valid_files() {
        let text = "\u{feff}# comment\r\n; other comment\r\n[default]\r\nregion=eu-west-1\r\n\
            [profile  spaced ]   # trailing comment\r\nsso_session=a\r\ns3 =\r\n  max_concurrent_requests = 10\r\n\
            [sso-session a]\r\nSSO_START_URL = https://a.awsapps.com/start\r\nsso_region = eu-central-1\r\n\
            [services x]\r\nsso_region = ignored\r\n[profile spaced]\r\nregion = us-west-2\r\n[not a header\r\nkey_without_section = 1";
        let c = parse(text);
        assert_eq!(
            c.profile("default").unwrap().region.as_deref(),
            Some("eu-west-1")
        );
        let p = c.profile("spaced").unwrap();
        assert_eq!(p.sso_session.as_deref(), Some("a"));
        assert_eq!(
            p.region.as_deref(),
            Some("us-west-2"),
            "duplicate sections merge"
        );
        let s = c.sso_session("a").unwrap();
        assert_eq!(s.start_url.as_deref(), Some("https://a.awsapps.com/start"));
        assert_eq!(s.region.as_deref(), Some("eu-central-1"));
        assert_eq!(c.sso_sessions.len(), 1);
    }

    #[test]
    fn profile_default_beats_bare_default() {
        let c = parse("[profile default]\nregion = a\n[default]\nregion = b\n");
        assert_eq!(c.profile("default").unwrap().region.as_deref(), Some("a"));
        let c = parse("[default]\nregion = b\n[profile default]\nregion = a\n");
        assert_eq!(c.profile("default").unwrap().region.as_deref(), Some("a"));
    }

    #[test]
    fn garbage_never_panics() {
        for t in [
            "[",
            "]",
            "[]",
            "=",
            "[profile]",
            "[sso-session]\n=x",
            "\u{0}\u{ffff}[é]\nä=ö",
        ] {
            let _ = parse(t);
        }
    }
}
