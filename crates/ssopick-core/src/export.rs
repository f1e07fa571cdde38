//! Credentials as an environment and as text for every shell. Pure.
//!
//! Quoting, per format:
//! - bash/zsh: single quotes, `'` written as `'\''`: nothing inside expands.
//! - fish: single quotes, `\` and `'` backslash-escaped.
//! - powershell: single quotes, `'` doubled.
//! - cmd: `set "K=V"` for batch files (`%` doubled); `"` cannot be written
//!   inside and is refused (AWS credentials never contain one).
//! - dotenv: single quotes when the value has none, else double quotes with
//!   `\\`, `\"`, `\$`, `` \` `` and `\n` escapes (safe to source from a shell).
//! - json: the `credential_process` schema.

use crate::catalog::Account;
use crate::credentials::RoleCredentials;
use crate::env_vars as var;

/// Variables that conflict with environment credentials in some SDKs.
pub const REMOVED_VARS: [&str; 2] = [var::AWS_PROFILE, var::AWS_DEFAULT_PROFILE];

/// Set only in an `ssopick shell`, to notice nesting.
pub const SHELL_MARKER: &str = var::SSOPICK_SHELL;

/// What a child with the credential endpoint must not inherit: anything an
/// SDK would try before the endpoint (keys, a profile, web identity, the
/// relative URI and a token file, which outrank the full URI and token).
pub const ENDPOINT_REMOVED_VARS: [&str; 11] = [
    var::AWS_ACCESS_KEY_ID,
    var::AWS_SECRET_ACCESS_KEY,
    var::AWS_SESSION_TOKEN,
    var::AWS_CREDENTIAL_EXPIRATION,
    var::AWS_PROFILE,
    var::AWS_DEFAULT_PROFILE,
    var::AWS_CONTAINER_CREDENTIALS_RELATIVE_URI,
    var::AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE,
    var::AWS_WEB_IDENTITY_TOKEN_FILE,
    var::AWS_ROLE_ARN,
    var::AWS_ROLE_SESSION_NAME,
];

/// The environment of a child served by the credential endpoint at `url`.
pub fn endpoint_env(
    chosen: &Chosen,
    region: &str,
    url: &str,
    token: &str,
) -> Vec<(&'static str, String)> {
    vec![
        (var::AWS_CONTAINER_CREDENTIALS_FULL_URI, url.to_string()),
        (var::AWS_CONTAINER_AUTHORIZATION_TOKEN, token.to_string()),
        (var::AWS_REGION, region.to_string()),
        (var::AWS_DEFAULT_REGION, region.to_string()),
        (var::SSOPICK_ACCOUNT_ID, chosen.account.account_id.clone()),
        (
            var::SSOPICK_ACCOUNT_NAME,
            chosen.account.account_name.clone(),
        ),
        (var::SSOPICK_ROLE_NAME, chosen.role.clone()),
        (var::SSOPICK_SESSION, chosen.session_var()),
    ]
}

/// What long-term keys (a static profile's) leave unset: a token or an
/// expiry from before would otherwise be sent with them.
const LONG_TERM_UNSET: [&str; 2] = [var::AWS_SESSION_TOKEN, var::AWS_CREDENTIAL_EXPIRATION];

/// The variables an export removes: the profile ones, with long-term keys
/// the token and expiry, and the expiry of keys that state none.
pub fn removed(creds: &RoleCredentials) -> Vec<&'static str> {
    let mut r = REMOVED_VARS.to_vec();
    if creds.long_term() {
        r.extend(LONG_TERM_UNSET);
    } else if !creds.expiry_stated {
        r.push(var::AWS_CREDENTIAL_EXPIRATION);
    }
    r
}

/// Whether an export leaves `k` out for `creds` (and unsets it).
fn left_out(creds: &RoleCredentials, k: &str) -> bool {
    (creds.long_term() && LONG_TERM_UNSET.contains(&k))
        || (!creds.expiry_stated && k == var::AWS_CREDENTIAL_EXPIRATION)
}

/// The account/role credentials were issued for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub account: Account,
    pub role: String,
    pub session: String,
    /// A region chosen for this delivery in the picker (Ctrl-G).
    pub region: Option<String>,
}

impl Chosen {
    /// `SSOPICK_SESSION`: the SSO session, empty for another AWS profile's
    /// row (its keys come through none).
    pub fn session_var(&self) -> String {
        if self.account.profile.is_some() {
            String::new()
        } else {
            self.session.clone()
        }
    }

    /// A role of an account, in a session, in the session's region.
    pub fn new(account: Account, role: impl Into<String>, session: impl Into<String>) -> Chosen {
        Chosen {
            account,
            role: role.into(),
            session: session.into(),
            region: None,
        }
    }

    /// The same row, delivered in `region` (Ctrl-G) when one is chosen.
    pub fn in_region(mut self, region: Option<String>) -> Chosen {
        self.region = region;
        self
    }

    /// The row a selection chose, owned.
    pub fn of(e: &crate::catalog::Entry<'_>) -> Chosen {
        Chosen::new(e.account.clone(), e.role.to_string(), e.session.to_string())
    }
}

/// "name (id) role", as messages name a chosen role.
pub fn describe(c: &Chosen) -> String {
    if let Some(p) = &c.account.profile {
        let name = crate::visible::shown(&p.name);
        let kind = p.kind.word();
        return match p.account_id.as_str() {
            "" => format!("AWS profile {name} ({kind})"),
            id => format!("AWS profile {name} ({kind}, {id} {})", c.role),
        };
    }
    let via = c
        .account
        .chain
        .as_ref()
        .map(|ch| format!(" {}", ch.marker()))
        .unwrap_or_default();
    format!(
        "{} ({}) {}{via}",
        crate::visible::shown(&c.account.account_name),
        c.account.account_id,
        c.role
    )
}

/// The environment a subshell or command gets (and export lines set).
pub fn credential_env(
    chosen: &Chosen,
    creds: &RoleCredentials,
    region: &str,
) -> Vec<(&'static str, String)> {
    [
        (
            var::AWS_ACCESS_KEY_ID,
            creds.access_key_id.expose().to_string(),
        ),
        (
            var::AWS_SECRET_ACCESS_KEY,
            creds.secret_access_key.expose().to_string(),
        ),
        (
            var::AWS_SESSION_TOKEN,
            creds.session_token.expose().to_string(),
        ),
        (var::AWS_REGION, region.to_string()),
        (var::AWS_DEFAULT_REGION, region.to_string()),
        (
            var::AWS_CREDENTIAL_EXPIRATION,
            creds.expiration.to_rfc3339(),
        ),
        (var::SSOPICK_ACCOUNT_ID, chosen.account.account_id.clone()),
        (
            var::SSOPICK_ACCOUNT_NAME,
            chosen.account.account_name.clone(),
        ),
        (var::SSOPICK_ROLE_NAME, chosen.role.clone()),
        (var::SSOPICK_SESSION, chosen.session_var()),
    ]
    .into_iter()
    .filter(|(k, _)| !left_out(creds, k))
    .collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Bash,
    Zsh,
    Fish,
    Powershell,
    Cmd,
    Dotenv,
    Json,
    Claude,
}

crate::named_enum!(Format {
    Bash = "bash": "",
    Zsh = "zsh": "",
    Fish = "fish": "",
    Powershell = "powershell": "",
    Cmd = "cmd": "",
    Dotenv = "dotenv": "",
    Json = "json": "",
    Claude = "claude": "Claude Code's awsCredentialExport shape",
});

/// `v` as one word a POSIX shell reads back as it is: bare when it holds
/// only characters no shell treats specially, else single-quoted (for
/// commands shown to be pasted: `Run: ssopick login --session 'my corp'`).
pub fn shell_word(v: &str) -> String {
    let plain = !v.is_empty()
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.:/@%+=,".contains(c));
    if plain { v.to_string() } else { quote_posix(v) }
}

pub fn quote_posix(v: &str) -> String {
    format!("'{}'", v.replace('\'', r"'\''"))
}

pub fn quote_fish(v: &str) -> String {
    format!("'{}'", v.replace('\\', r"\\").replace('\'', r"\'"))
}

pub fn quote_powershell(v: &str) -> String {
    // PowerShell also treats the typographic quotes U+2018/U+2019 as quotes.
    let mut s = String::from("'");
    for c in v.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{201b}') {
            s.push(c);
        }
        s.push(c);
    }
    s.push('\'');
    s
}

/// A dotenv value that reads back the same through python-dotenv
/// (`dotenv_values`) and `sh -c '. FILE'`; `None` when no quoting does:
/// single quotes for a value without `'` or `\`; else double quotes (`\`
/// and `"` escaped, which both read alike) when it holds no `$`, no
/// backtick (sh would expand them, python-dotenv keeps the escape) and no
/// CR (python reads the file with universal newlines). python-dotenv
/// expands `${NAME}` inside any quotes, with no escape: such a value has
/// no dotenv form.
fn quote_dotenv(v: &str) -> Option<String> {
    if v.contains('\r') || v.contains("${") {
        return None;
    }
    if !v.contains(['\'', '\\']) {
        return Some(format!("'{v}'"));
    }
    if v.contains(['$', '`']) {
        return None;
    }
    let mut s = String::from("\"");
    for c in v.chars() {
        match c {
            '\\' => s.push_str(r"\\"),
            '"' => s.push_str("\\\""),
            c => s.push(c),
        }
    }
    s.push('"');
    Some(s)
}

/// The four credential fields both documents carry; long-term keys carry
/// neither `SessionToken` nor `Expiration`, keys whose source states no
/// expiry no `Expiration` (the SDKs then never look again). Keys come out
/// sorted, as serde_json writes them.
fn credential_fields(creds: &RoleCredentials) -> serde_json::Value {
    let mut o = serde_json::json!({
        "AccessKeyId": creds.access_key_id.expose(),
        "SecretAccessKey": creds.secret_access_key.expose(),
    });
    if !creds.long_term() {
        o["SessionToken"] = creds.session_token.expose().into();
        if creds.expiry_stated {
            o["Expiration"] = creds.expiration.to_rfc3339().into();
        }
    }
    o
}

/// The credential_process JSON document.
pub fn process_json(creds: &RoleCredentials) -> String {
    let mut o = credential_fields(creds);
    o["Version"] = 1.into();
    o.to_string()
}

/// The document Claude Code's `awsCredentialExport` reads:
/// `{"Credentials":{"AccessKeyId","SecretAccessKey","SessionToken","Expiration"}}`
/// (Expiration in RFC 3339 `Z` form).
pub fn claude_json(creds: &RoleCredentials) -> String {
    serde_json::json!({ "Credentials": credential_fields(creds) }).to_string()
}

/// Text that sets `vars` (and unsets the profile variables) in `format`.
/// A dotenv line for one variable (the property test's way in).
pub fn dotenv_line(k: &str, v: &str) -> Option<String> {
    quote_dotenv(v).map(|q| format!("{k}={q}\n"))
}

pub fn render(
    format: Format,
    vars: &[(&'static str, String)],
    creds: &RoleCredentials,
) -> Result<String, String> {
    let mut out = String::new();
    match format {
        Format::Json => {
            out = process_json(creds);
            out.push('\n');
        }
        Format::Claude => {
            out = claude_json(creds);
            out.push('\n');
        }
        Format::Bash | Format::Zsh => {
            out.push_str(&format!("unset {}\n", removed(creds).join(" ")));
            for (k, v) in vars {
                out.push_str(&format!("export {k}={}\n", quote_posix(v)));
            }
        }
        Format::Fish => {
            for k in removed(creds) {
                out.push_str(&format!("set -e {k}\n"));
            }
            for (k, v) in vars {
                out.push_str(&format!("set -gx {k} {}\n", quote_fish(v)));
            }
        }
        Format::Powershell => {
            for k in removed(creds) {
                out.push_str(&format!(
                    "Remove-Item Env:{k} -ErrorAction SilentlyContinue\n"
                ));
            }
            for (k, v) in vars {
                out.push_str(&format!("$Env:{k} = {}\n", quote_powershell(v)));
            }
        }
        Format::Cmd => {
            for k in removed(creds) {
                out.push_str(&format!("set \"{k}=\"\r\n"));
            }
            for (k, v) in vars {
                if v.contains(['"', '\n', '\r']) {
                    return Err(format!(
                        "{k} holds a character cmd cannot set; use another --format"
                    ));
                }
                out.push_str(&format!("set \"{k}={}\"\r\n", v.replace('%', "%%")));
            }
        }
        Format::Dotenv => {
            for (k, v) in vars {
                let Some(q) = quote_dotenv(v) else {
                    return Err(format!(
                        "{k} holds a value no dotenv quoting keeps the same for python-dotenv and sh (`${{`, a CR, or a quote or backslash with `$` or a backtick); use another --format"
                    ));
                };
                out.push_str(&format!("{k}={q}\n"));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
