//! Profile blocks for `~/.aws/config` and `~/.aws/credentials`: names from a
//! template, and the text of each style. Pure.

use crate::catalog::clean_text;
use crate::credentials::RoleCredentials;
use crate::export::Chosen;
use crate::sso::session::{Session, SessionKind};

pub use crate::profile_rows::MARKER;
pub const DEFAULT_TEMPLATE: &str = "{account_name}/{role_name}";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// sso_session / sso_account_id / sso_role_name (the SDKs log in themselves)
    Sso,
    /// credential_process = ssopick credential-process ... (every SDK, old ones too)
    Process,
    /// static keys for the credentials file (they expire)
    Static,
}

crate::named_enum!(Style {
    Sso = "sso": "sso_session / sso_account_id / sso_role_name (the SDKs log in themselves)",
    Process = "process": "credential_process = ssopick credential-process ... (every SDK, old ones too)",
    Static = "static": "static keys for the credentials file (they expire)",
});

/// Fills `{account_name}`, `{account_id}`, `{role_name}`, `{session}`.
pub fn render_name(template: &str, c: &Chosen) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("unclosed {{ in --name {template:?}"))?
            + open;
        out.push_str(match &rest[open + 1..close] {
            "account_name" => &c.account.account_name,
            "account_id" => &c.account.account_id,
            "role_name" => &c.role,
            "session" => &c.session,
            other => return Err(format!("unknown field {{{other}}} in --name; use account_name, account_id, role_name, session")),
        });
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(sanitize(&out))
}

/// A valid profile name: letters, digits and `._-/+=@`; anything else
/// (spaces, brackets, `#`, `;`) becomes `-`, runs of `-` collapse.
pub fn sanitize(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let ok = c.is_ascii_alphanumeric() || "._-/+=@".contains(c);
        let c = if ok { c } else { '-' };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    // No dash next to a separator ("Prod [EU]/Admin" -> "Prod-EU/Admin").
    let mut t = out.trim_matches('-').to_string();
    for (from, to) in [("-/", "/"), ("/-", "/"), ("-.", "."), (".-", ".")] {
        while t.contains(from) {
            t = t.replace(from, to);
        }
    }
    if t.is_empty() { "ssopick".into() } else { t }
}

/// Names for many entries: clashes get `-SESSION`, then `-2`, `-3`, ... in
/// the order given (callers sort), so the result is the same every run.
pub fn unique_names(names: Vec<(String, String)>) -> Vec<String> {
    let mut count = std::collections::HashMap::<String, usize>::new();
    for (n, _) in &names {
        *count.entry(n.clone()).or_default() += 1;
    }
    let mut used = std::collections::HashSet::new();
    names
        .into_iter()
        .map(|(n, session)| {
            let mut candidate = if count[&n] > 1 {
                sanitize(&format!("{n}-{session}"))
            } else {
                n
            };
            let base = candidate.clone();
            let mut k = 2;
            while !used.insert(candidate.clone()) {
                candidate = format!("{base}-{k}");
                k += 1;
            }
            candidate
        })
        .collect()
}

/// Quotes an argument for a `credential_process` line: plain when it is
/// made of safe characters only, else in POSIX single quotes (`'` written as
/// `'\''`), which nothing expands under `sh -c` (the Go, JS and Rust SDKs)
/// and botocore's shlex reads back the same. Never double quotes: the Go
/// SDKs' config parser takes a value that starts with `"` as one string.
/// A `#` or `;` right after whitespace would start a comment for the Go,
/// JS and Rust INI parsers, quotes or not: it goes outside the quotes as
/// `\#` or `\;` (`'/opt/my tools '\#'1/ssopick'`).
pub fn quote_arg(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:@,".contains(c))
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    let mut after_space = false;
    for c in s.chars() {
        match c {
            '\'' => out.push_str("'\\''"),
            '#' | ';' if after_space => {
                out.push_str("'\\");
                out.push(c);
                out.push('\'');
            }
            c => out.push(c),
        }
        after_space = c.is_whitespace();
    }
    out.push('\'');
    out
}

/// A value or comment for an INI file: no control character (so no line
/// break, CR or NUL) can reach the file.
fn ini(s: &str) -> String {
    clean_text(s)
}

pub struct ProfileInput<'a> {
    pub name: &'a str,
    pub chosen: &'a Chosen,
    pub session: &'a Session,
    pub region: &'a str,
    /// A chained row's source: the profile of the SSO row it goes through.
    pub source_profile: Option<&'a str>,
}

/// The body lines of a `[profile NAME]` section in sso style. A chained
/// row is a `source_profile` + `role_arn` pair: the SDKs chain by
/// themselves.
pub fn sso_lines(p: &ProfileInput<'_>) -> Vec<String> {
    let mut l = Vec::new();
    if let (Some(c), Some(source)) = (&p.chosen.account.chain, p.source_profile) {
        l.push(format!("source_profile = {}", ini(source)));
        l.push(format!("role_arn = {}", ini(&c.role_arn)));
        if let Some(n) = &c.session_name {
            l.push(format!("role_session_name = {}", ini(n)));
        }
        if let Some(x) = &c.external_id {
            l.push(format!("external_id = {}", ini(x)));
        }
        if let Some(d) = c.duration {
            l.push(format!("duration_seconds = {d}"));
        }
        l.push(format!("region = {}", ini(p.region)));
        return l;
    }
    match &p.session.kind {
        SessionKind::Named(n) => l.push(format!("sso_session = {n}")),
        SessionKind::Legacy | SessionKind::TokenOnly(_) => {
            l.push(format!("sso_start_url = {}", p.session.start_url));
            l.push(format!("sso_region = {}", p.session.region));
        }
    }
    l.push(format!(
        "sso_account_id = {}",
        ini(&p.chosen.account.account_id)
    ));
    l.push(format!("sso_role_name = {}", ini(&p.chosen.role)));
    l.push(format!("region = {}", ini(p.region)));
    l
}

/// The `[sso-session NAME]` body, for configs that lack it.
pub fn sso_session_lines(s: &Session) -> Vec<String> {
    vec![
        format!("sso_start_url = {}", s.start_url),
        format!("sso_region = {}", s.region),
        "sso_registration_scopes = sso:account:access".into(),
    ]
}

/// `extra`: options before the subcommand (`--demo`); `login`: the line
/// ends with `--login` (a browser login when the session has ended).
pub fn process_lines(p: &ProfileInput<'_>, exe: &str, extra: &[&str], login: bool) -> Vec<String> {
    let mut args = vec![quote_arg(exe)];
    args.extend(extra.iter().map(|a| quote_arg(a)));
    if let Some(pr) = &p.chosen.account.profile {
        // Another profile's row: no session, and no --login (not SSO's).
        // `--profile=NAME`: a name that starts with `-` stays a value.
        args.extend([
            "credential-process".into(),
            quote_arg(&format!("--profile={}", pr.name)),
        ]);
        return vec![
            format!("credential_process = {}", ini(&args.join(" "))),
            format!("region = {}", ini(p.region)),
        ];
    }
    args.extend([
        "credential-process".into(),
        "--session".into(),
        quote_arg(p.session.id()),
    ]);
    match &p.chosen.account.chain {
        Some(c) => args.extend(["--chain".into(), quote_arg(&c.name)]),
        None => args.extend([
            "--account".into(),
            quote_arg(&p.chosen.account.account_id),
            "--role".into(),
            quote_arg(&p.chosen.role),
        ]),
    }
    if login {
        args.push("--login".into());
    }
    vec![
        format!("credential_process = {}", ini(&args.join(" "))),
        format!("region = {}", ini(p.region)),
    ]
}

/// A static block's lines. The values were checked where they entered
/// (`RoleCredentials::checked`); they go through the INI escaping all the
/// same, so no value can add a line or a section whatever its source.
/// `expiration` (RFC 3339) is read by prompts such as starship; the SDKs
/// ignore it.
pub fn static_lines(c: &RoleCredentials) -> Vec<String> {
    if c.long_term() {
        return vec![
            format!("aws_access_key_id = {}", ini(c.access_key_id.expose())),
            format!(
                "aws_secret_access_key = {}",
                ini(c.secret_access_key.expose())
            ),
        ];
    }
    vec![
        format!("aws_access_key_id = {}", ini(c.access_key_id.expose())),
        format!(
            "aws_secret_access_key = {}",
            ini(c.secret_access_key.expose())
        ),
        format!("aws_session_token = {}", ini(c.session_token.expose())),
    ]
    .into_iter()
    .chain(
        c.expiry_stated
            .then(|| format!("expiration = {}", c.expiration.to_rfc3339())),
    )
    .collect()
}

/// A whole section as text (`\n` line ends; the writer adapts them).
pub fn section(header: &str, chosen: &Chosen, lines: &[String]) -> String {
    let mut s = match &chosen.account.profile {
        Some(p) => format!(
            "[{}]\n{MARKER} for AWS profile {} ({})\n",
            ini(header),
            ini(&p.name),
            p.kind.word()
        ),
        None => format!(
            "[{}]\n{MARKER} for {} ({}) {}\n",
            ini(header),
            crate::visible::shown(&ini(&chosen.account.account_name)),
            ini(&chosen.account.account_id),
            ini(&chosen.role)
        ),
    };
    for l in lines {
        s.push_str(l);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Account;

    fn chosen(name: &str, role: &str, session: &str) -> Chosen {
        Chosen::new(Account::new("123456789012", name, ""), role, session)
    }

    #[test]
    fn names() {
        let c = chosen("Payments Prod [EU]", "Admin;Ops", "corp");
        assert_eq!(
            render_name(DEFAULT_TEMPLATE, &c).unwrap(),
            "Payments-Prod-EU/Admin-Ops"
        );
        assert_eq!(
            render_name("{session}.{account_id}.{role_name}", &c).unwrap(),
            "corp.123456789012.Admin-Ops"
        );
        assert!(render_name("{nope}", &c).is_err());
        assert!(render_name("{account_name", &c).is_err());
        assert_eq!(sanitize("###"), "ssopick");
        assert_eq!(sanitize("ünï cödé"), "n-c-d");
    }

    #[test]
    fn clashes_are_predictable() {
        let got = unique_names(vec![
            ("prod/Admin".into(), "a".into()),
            ("prod/Admin".into(), "b".into()),
            ("dev/Admin".into(), "a".into()),
            ("dev/Admin".into(), "a".into()),
        ]);
        assert_eq!(
            got,
            vec![
                "prod/Admin-a",
                "prod/Admin-b",
                "dev/Admin-a",
                "dev/Admin-a-2"
            ]
        );
    }

    #[test]
    fn process_line_quotes_what_needs_it() {
        assert_eq!(quote_arg("/usr/bin/ssopick"), "/usr/bin/ssopick");
        // Single quotes: the Go SDKs read a value starting with `"` as one
        // string; nothing expands inside them under `sh -c`.
        assert_eq!(
            quote_arg("/Users/me/My Tools/ssopick"),
            "'/Users/me/My Tools/ssopick'"
        );
        assert_eq!(quote_arg("it's $(id)"), "'it'\\''s $(id)'");
        assert_eq!(
            quote_arg("https://x.awsapps.com/start"),
            "https://x.awsapps.com/start"
        );
    }
}
