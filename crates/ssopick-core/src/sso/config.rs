//! Parses the AWS shared config file (`~/.aws/config`) far enough to know the
//! SSO sessions and which profile belongs to which. Pure: text in, data out.
//!
//! The grammar follows the AWS profile-file rules: `#`/`;` comment lines,
//! `[default]`, `[profile NAME]`, `[sso-session NAME]`, `key = value`, and
//! indented lines: they continue the value of a key ssopick reads (joined
//! with a newline, as Python's configparser joins them for the AWS CLI),
//! and are skipped under any other key (`s3 =` sub-sections).
//! Duplicate sections merge, the later key winning, as in aws-config.

use std::collections::HashMap;
type Names<'a> = HashMap<&'a str, usize>;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub sso_session: Option<String>,
    pub sso_start_url: Option<String>,
    pub sso_region: Option<String>,
    pub sso_account_id: Option<String>,
    pub sso_role_name: Option<String>,
    pub region: Option<String>,
    /// `ca_bundle`: extra CA roots for HTTPS (a PEM file).
    pub ca_bundle: Option<String>,
    /// `use_fips_endpoint`, `use_dualstack_endpoint` (true/false).
    pub use_fips_endpoint: Option<String>,
    pub use_dualstack_endpoint: Option<String>,
    pub sso_use_device_code: Option<String>,
    /// granted's own keys (`granted sso generate`), read for `import`.
    pub granted: Option<Box<Granted>>,
}

/// A profile's `granted_sso_*` keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Granted {
    pub start_url: Option<String>,
    pub region: Option<String>,
    pub account_id: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SsoSessionSection {
    pub name: String,
    pub start_url: Option<String>,
    pub region: Option<String>,
    pub registration_scopes: Option<String>,
    pub use_fips_endpoint: Option<String>,
    pub use_dualstack_endpoint: Option<String>,
    pub sso_use_device_code: Option<String>,
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

enum Kind<'a> {
    Profile(&'a str),
    SsoSession(&'a str),
    Other,
}

/// `[profile x]` -> Profile("x"); `[default]` -> Profile("default");
/// `[sso-session y]` -> SsoSession("y"); anything else is not ours. The
/// name is borrowed from the header.
fn section_kind_of(header: &str) -> Kind<'_> {
    let h = header.trim();
    if h == "default" {
        return Kind::Profile("default");
    }
    let mut parts = h.splitn(2, char::is_whitespace);
    let (kind, name) = (
        parts.next().unwrap_or(""),
        parts.next().unwrap_or("").trim(),
    );
    match kind {
        "profile" if !name.is_empty() => Kind::Profile(name),
        "sso-session" if !name.is_empty() => Kind::SsoSession(name),
        _ => Kind::Other,
    }
}

/// The name of a section header line, as botocore's configparser reads
/// it (`\[(?P<header>.+)\]`, greedy): from the first `[` to the last `]`,
/// whatever follows ignored. `[sso-session a]b]` is the section
/// `sso-session a]b`, never a line that leaves its keys to the section
/// before it.
pub fn header_of(line: &str) -> Option<&str> {
    let t = line.trim();
    let t = t.strip_prefix('[')?;
    let end = t.rfind(']')?;
    (end > 0).then(|| &t[..end])
}

/// The keys ssopick reads; every other key is skipped without allocating.
#[derive(Default)]
struct Fields {
    sso_session: Option<String>,
    sso_start_url: Option<String>,
    sso_region: Option<String>,
    sso_account_id: Option<String>,
    sso_role_name: Option<String>,
    region: Option<String>,
    sso_registration_scopes: Option<String>,
    ca_bundle: Option<String>,
    use_fips_endpoint: Option<String>,
    use_dualstack_endpoint: Option<String>,
    sso_use_device_code: Option<String>,
    granted_sso_start_url: Option<String>,
    granted_sso_region: Option<String>,
    granted_sso_account_id: Option<String>,
}

impl Fields {
    fn slot(&mut self, key: &str) -> Option<&mut Option<String>> {
        let k = |name: &str| key.eq_ignore_ascii_case(name);
        Some(if k("sso_session") {
            &mut self.sso_session
        } else if k("sso_start_url") {
            &mut self.sso_start_url
        } else if k("sso_region") {
            &mut self.sso_region
        } else if k("sso_account_id") {
            &mut self.sso_account_id
        } else if k("sso_role_name") {
            &mut self.sso_role_name
        } else if k("region") {
            &mut self.region
        } else if k("sso_registration_scopes") {
            &mut self.sso_registration_scopes
        } else if k("ca_bundle") {
            &mut self.ca_bundle
        } else if k("use_fips_endpoint") {
            &mut self.use_fips_endpoint
        } else if k("use_dualstack_endpoint") {
            &mut self.use_dualstack_endpoint
        } else if k("sso_use_device_code") {
            &mut self.sso_use_device_code
        } else if k("granted_sso_start_url") {
            &mut self.granted_sso_start_url
        } else if k("granted_sso_region") {
            &mut self.granted_sso_region
        } else if k("granted_sso_account_id") {
            &mut self.granted_sso_account_id
        } else {
            return None;
        })
    }
}

fn nonempty(v: Option<String>) -> Option<String> {
    v.filter(|v| !v.is_empty())
}

/// One pass over the bytes; each section is found once by name (a slice
/// of the text, no copy), and a key line goes straight to its section:
/// linear in the file's size, with one allocation per kept value.
pub fn parse(text: &str) -> AwsConfig {
    let mut p = Parser::default();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.bytes().position(|b| b == b'\n').unwrap_or(rest.len());
        let line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or("");
        let trimmed = line.trim_ascii();
        match trimmed.as_bytes().first() {
            None | Some(b'#' | b';') => {}
            Some(b'[') => {
                if let Some(h) = header_of(line) {
                    p.current = p.section(h);
                    p.last_key = None;
                }
            }
            // Indented lines continue a value or belong to a sub-section.
            Some(_) if line.starts_with([' ', '\t']) => p.continuation(trimmed),
            Some(_) => p.key_line(trimmed),
        }
    }
    p.finish()
}

/// Where `parse` is: the sections so far (in first-seen order; duplicates
/// merge into the first) and the one whose keys come now.
#[derive(Default)]
struct Parser<'t> {
    /// Each profile, with whether it was `[profile NAME]` (not `[default]`).
    profiles: Vec<(String, Fields, bool)>,
    sessions: Vec<(String, Fields)>,
    profile_at: Names<'t>,
    session_at: Names<'t>,
    current: Current,
    /// The key of the last `key = value` line, which indented lines continue.
    last_key: Option<&'t str>,
}

#[derive(Default)]
enum Current {
    Profile(usize),
    Session(usize),
    #[default]
    None,
}

impl<'t> Parser<'t> {
    fn fields(&mut self) -> Option<&mut Fields> {
        match self.current {
            Current::Profile(i) => Some(&mut self.profiles[i].1),
            Current::Session(i) => Some(&mut self.sessions[i].1),
            Current::None => None,
        }
    }

    /// `key = value` in the current section.
    fn key_line(&mut self, trimmed: &'t str) {
        self.last_key = None;
        let Some(eq) = trimmed.bytes().position(|b| b == b'=') else {
            return;
        };
        let key = trimmed[..eq].trim_ascii();
        let Some(fields) = self.fields() else {
            return;
        };
        if let Some(slot) = fields.slot(key) {
            *slot = Some(trimmed[eq + 1..].trim().to_string());
            self.last_key = Some(key);
        }
    }

    /// An indented line after a key ssopick reads: the value goes on, on
    /// a new line (configparser's join). Under other keys: skipped.
    fn continuation(&mut self, trimmed: &str) {
        let Some(key) = self.last_key else {
            return;
        };
        if let Some(Some(v)) = self.fields().and_then(|f| f.slot(key)) {
            if !v.is_empty() {
                v.push('\n');
            }
            v.push_str(trimmed);
        }
    }

    /// The section a header opens.
    fn section(&mut self, h: &'t str) -> Current {
        match section_kind_of(h) {
            Kind::Profile(name) => {
                let explicit = h.trim() != "default";
                let profiles = &mut self.profiles;
                let i = *self.profile_at.entry(name).or_insert_with(|| {
                    profiles.push((name.to_string(), Fields::default(), explicit));
                    profiles.len() - 1
                });
                let entry = &mut self.profiles[i];
                // `[profile default]` wins over `[default]` when both exist.
                if explicit && !entry.2 {
                    entry.1 = Fields::default();
                    entry.2 = true;
                    Current::Profile(i)
                } else if !explicit && entry.2 {
                    Current::None
                } else {
                    Current::Profile(i)
                }
            }
            Kind::SsoSession(name) => {
                let sessions = &mut self.sessions;
                let i = *self.session_at.entry(name).or_insert_with(|| {
                    sessions.push((name.to_string(), Fields::default()));
                    sessions.len() - 1
                });
                Current::Session(i)
            }
            Kind::Other => Current::None,
        }
    }

    fn finish(self) -> AwsConfig {
        AwsConfig {
            profiles: self
                .profiles
                .into_iter()
                .map(|(name, f, _)| Profile {
                    sso_session: nonempty(f.sso_session),
                    sso_start_url: nonempty(f.sso_start_url),
                    sso_region: nonempty(f.sso_region),
                    sso_account_id: nonempty(f.sso_account_id),
                    sso_role_name: nonempty(f.sso_role_name),
                    region: nonempty(f.region),
                    ca_bundle: nonempty(f.ca_bundle),
                    use_fips_endpoint: nonempty(f.use_fips_endpoint),
                    use_dualstack_endpoint: nonempty(f.use_dualstack_endpoint),
                    sso_use_device_code: nonempty(f.sso_use_device_code),
                    granted: nonempty(f.granted_sso_start_url).map(|start_url| {
                        Box::new(Granted {
                            start_url: Some(start_url),
                            region: nonempty(f.granted_sso_region),
                            account_id: nonempty(f.granted_sso_account_id),
                        })
                    }),
                    name,
                })
                .collect(),
            sso_sessions: self
                .sessions
                .into_iter()
                .map(|(name, f)| SsoSessionSection {
                    start_url: nonempty(f.sso_start_url),
                    region: nonempty(f.sso_region),
                    registration_scopes: nonempty(f.sso_registration_scopes),
                    use_fips_endpoint: nonempty(f.use_fips_endpoint),
                    use_dualstack_endpoint: nonempty(f.use_dualstack_endpoint),
                    sso_use_device_code: nonempty(f.sso_use_device_code),
                    name,
                })
                .collect(),
        }
    }
}

/// One `[sso-session NAME]` section, read without parsing the rest of
/// the file (a warm `credential-process` needs nothing else): the same
/// values `parse` gives it, for a fraction of the work on a huge config.
pub fn sso_session_only(text: &str, name: &str) -> Option<SsoSessionSection> {
    let mut found = false;
    let mut inside = false;
    let mut f = Fields::default();
    let mut last_key: Option<&str> = None;
    for line in text.strip_prefix('\u{feff}').unwrap_or(text).split('\n') {
        let trimmed = line.trim_ascii();
        match trimmed.as_bytes().first() {
            Some(b'[') => {
                if let Some(h) = header_of(line) {
                    inside = matches!(section_kind_of(h), Kind::SsoSession(n) if n == name);
                    found |= inside;
                    last_key = None;
                }
            }
            Some(b'#' | b';') | None => {}
            Some(_) if !inside => {}
            Some(_) if line.starts_with([' ', '\t']) => {
                if let Some(Some(v)) = last_key.and_then(|k| f.slot(k)) {
                    if !v.is_empty() {
                        v.push('\n');
                    }
                    v.push_str(trimmed);
                }
            }
            Some(_) => {
                last_key = None;
                if let Some((k, v)) = trimmed.split_once('=')
                    && let Some(slot) = f.slot(k.trim_ascii())
                {
                    *slot = Some(v.trim().to_string());
                    last_key = Some(k.trim_ascii());
                }
            }
        }
    }
    found.then(|| SsoSessionSection {
        name: name.to_string(),
        start_url: nonempty(f.sso_start_url),
        region: nonempty(f.sso_region),
        registration_scopes: nonempty(f.sso_registration_scopes),
        use_fips_endpoint: nonempty(f.use_fips_endpoint),
        use_dualstack_endpoint: nonempty(f.use_dualstack_endpoint),
        sso_use_device_code: nonempty(f.sso_use_device_code),
    })
}

/// `sso_registration_scopes` as the AWS CLI reads it: split on `,`,
/// each trimmed (a continued value's newlines included), empties dropped.
pub fn split_scopes(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The keys a section may set, as written (checked when used).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EndpointKeys {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_fips_endpoint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_dualstack_endpoint: Option<String>,
    /// `sso_use_device_code` (the AWS CLI's, for logins with no browser).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_use_device_code: Option<String>,
}

impl EndpointKeys {
    /// `sso_use_device_code = true` (any case), as the AWS CLI reads it.
    pub fn device_code(&self) -> bool {
        self.sso_use_device_code
            .as_deref()
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}

#[cfg(test)]
#[path = "config/tests.rs"]
mod tests;
