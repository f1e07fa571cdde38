//! Profile blocks for one role or for every role of the catalog: printed,
//! or merged into the user's AWS files (`--write`) with a backup, changing
//! only the sections ssopick writes.

use crate::app::error::Error;
use crate::app::output::print;
use crate::app::session::target::Target;
use crate::core::delivery::ProfileOptions;
use crate::core::export::Chosen;
use crate::core::inifile::{self, FileKind};
use crate::core::profile::{self, ProfileInput, Style};
use crate::core::sso::session::SessionKind;
use crate::edge::aws_files;
use std::path::Path;

/// What a block is written as: its style, and for `process` whether its
/// `credential-process` line carries `--login`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Form {
    pub style: Style,
    pub login: bool,
}

impl Form {
    pub(crate) fn of(opts: &crate::core::delivery::ProfileOptions) -> Form {
        Form {
            style: opts.style,
            login: opts.login,
        }
    }
}

/// The printable block (config styles) for one role, for the picker's copy.
pub(crate) fn block_text(
    t: &Target<'_>,
    chosen: &Chosen,
    style: Style,
    template: Option<&str>,
) -> Result<String, Error> {
    let template = template.unwrap_or(profile::DEFAULT_TEMPLATE);
    let name = profile::render_name(template, chosen).map_err(Error::Usage)?;
    let mut text = session_section(t)
        .filter(|_| style == Style::Sso)
        .map(|s| s + "\n")
        .unwrap_or_default();
    let form = Form {
        style,
        login: false,
    };
    for (_, section) in with_source(t, form, template, &name, chosen)? {
        text.push_str(&section);
        text.push('\n');
    }
    Ok(text.trim_end_matches('\n').to_string() + "\n")
}

/// The sections for one row: a chained row in sso style needs the profile
/// of the SSO row it goes through first (`source_profile`).
fn with_source(
    t: &Target<'_>,
    form: Form,
    template: &str,
    name: &str,
    chosen: &Chosen,
) -> Result<Vec<(String, String)>, Error> {
    match (&chosen.account.chain, form.style) {
        (Some(c), Style::Sso) => {
            let via = named_via(t, chosen, c);
            let mut via_name = profile::render_name(template, &via).map_err(Error::Usage)?;
            // A template that names both the same (`{account_id}` with a
            // via row in the same account) must not make a profile its own
            // source.
            if via_name == name {
                via_name = format!("{name}-source");
            }
            Ok(vec![
                config_section(t, form, &via_name, &via, None)?,
                config_section(t, form, name, chosen, Some(&via_name))?,
            ])
        }
        _ => Ok(vec![config_section(t, form, name, chosen, None)?]),
    }
}

/// The SSO row a chain goes through, named as the snapshot names it.
pub(crate) fn named_via(t: &Target<'_>, chosen: &Chosen, c: &crate::core::chain::Chain) -> Chosen {
    let mut via = crate::app::deliver::feed::via(chosen, c);
    if let Some(snap) = t.catalog.snapshot_ref()
        && let Some(a) = snap
            .accounts
            .iter()
            .find(|a| a.account.account_id == c.via.account)
    {
        via.account.account_name.clone_from(&a.account.account_name);
        via.account
            .email_address
            .clone_from(&a.account.email_address);
    }
    // Its profile's region is the one config.toml gives that account.
    t.setup.row_settings().additions().account(&mut via.account);
    via
}

/// The `[sso-session]` section when the config lacks the session's.
pub(crate) fn session_section(t: &Target<'_>) -> Option<String> {
    let SessionKind::Named(n) = &t.session.kind else {
        return None;
    };
    if t.setup.aws().sso_session(n).is_some() {
        return None;
    }
    let mut s = format!("[sso-session {n}]\n{} for session {n}\n", profile::MARKER);
    for l in profile::sso_session_lines(&t.session) {
        s.push_str(&l);
        s.push('\n');
    }
    Some(s)
}

/// A legacy profile (`sso_start_url`) makes the SDKs look for the token
/// file `sha1(startUrl).json`: a session known only from a token file by
/// another name would be written as a profile no SDK can use.
fn sdk_can_find_token(s: &crate::core::sso::session::Session) -> Result<(), Error> {
    match &s.kind {
        SessionKind::TokenOnly(key) if *key != crate::core::sso::token::cache_key(&s.start_url) => {
            Err(Error::Usage(format!(
                "the session of {} is known only from the token file {key}.json, which the SDKs cannot match to a profile: run `ssopick configure` to name this session, then write its profiles",
                s.start_url
            )))
        }
        _ => Ok(()),
    }
}

/// The section (header key, text) for one entry in a config-file style.
pub(crate) fn config_section(
    t: &Target<'_>,
    form: Form,
    name: &str,
    chosen: &Chosen,
    source_profile: Option<&str>,
) -> Result<(String, String), Error> {
    if let Some(p) = &chosen.account.profile {
        if form.style == Style::Sso {
            return Err(Error::Usage(format!(
                "AWS profile {} is not an SSO role: write it with --style process (a profile that runs `ssopick credential-process --profile`) or --style static",
                p.name
            )));
        }
        // A profile that ran itself would loop.
        if p.name == name {
            return Err(Error::Usage(format!(
                "the profile written would replace AWS profile {name} with one that runs it: choose another --name"
            )));
        }
    }
    let region = t.region(chosen);
    let input = ProfileInput {
        name,
        chosen,
        session: &t.session,
        region: &region,
        source_profile,
    };
    let lines = match form.style {
        Style::Sso => {
            sdk_can_find_token(&t.session)?;
            profile::sso_lines(&input)
        }
        Style::Process => {
            let extra: &[&str] = if t.setup.is_demo() { &["--demo"] } else { &[] };
            profile::process_lines(
                &input,
                &crate::edge::process::stable_own_path(
                    t.setup.env.get(crate::core::env_vars::PATH).as_deref(),
                )
                .map_err(Error::OwnPath)?,
                extra,
                form.login,
            )
        }
        Style::Static => {
            return Err(Error::Usage(
                "static profiles belong in the credentials file".into(),
            ));
        }
    };
    let key = format!("profile {name}");
    Ok((key.clone(), profile::section(&key, chosen, &lines)))
}

/// Text for one chosen role: printed, or merged into the right file.
pub(crate) async fn one(
    t: &Target<'_>,
    chosen: &Chosen,
    args: &ProfileOptions,
) -> Result<i32, Error> {
    let template = args.name.as_deref().unwrap_or(profile::DEFAULT_TEMPLATE);
    let name = profile::render_name(template, chosen).map_err(Error::Usage)?;
    let mut sections: Vec<(String, String)> = Vec::new();
    let kind = if args.style == Style::Static {
        let c = t.credentials(chosen).await?;
        sections.push((
            name.clone(),
            profile::section(&name, chosen, &profile::static_lines(&c)),
        ));
        FileKind::Credentials
    } else {
        if args.style == Style::Sso
            && let Some(s) = session_section(t)
        {
            sections.push((format!("sso-session {}", t.session.id()), s));
        }
        sections.extend(with_source(t, Form::of(args), template, &name, chosen)?);
        FileKind::Config
    };
    if !args.write {
        let text: Vec<&str> = sections.iter().map(|(_, t)| t.as_str()).collect();
        return print(&text.join("\n"));
    }
    if args.style == Style::Process {
        warn_if_replaceable();
    }
    let path = if kind == FileKind::Config {
        &t.setup.paths.aws_config
    } else {
        &t.setup.paths.aws_credentials
    };
    // A profile inside an `--all` block would be reverted by the next
    // `--all`: it moves out of the block, and `--all` then leaves it alone.
    let mut moved = Vec::new();
    let edit = |old: &str| -> Result<String, Error> {
        moved.clear();
        let mut new = old.to_string();
        for (key, text) in &sections {
            let in_block = inifile::sections(&new, kind)
                .iter()
                .any(|s| &s.key == key && inifile::inside_block(&new, s.start));
            if in_block {
                new = inifile::remove(&new, kind, key);
                moved.push(key.clone());
            }
            new = inifile::upsert(&new, kind, key, text, args.force)
                .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
        }
        Ok(new)
    };
    let what = sections
        .iter()
        .filter(|(k, _)| !k.starts_with("sso-session "))
        .map(|(k, _)| format!("[{k}]"))
        .collect::<Vec<_>>()
        .join(" and ");
    let code = write(
        path,
        kind == FileKind::Credentials,
        edit,
        args.dry_run,
        &what,
    )?;
    for key in &moved {
        eprintln!(
            "ssopick: {} [{key}] out of ssopick's --all block, so later `profile --all --write` runs keep it as written now",
            if args.dry_run { "would move" } else { "moved" }
        );
    }
    Ok(code)
}

pub(crate) fn read_text(path: &Path) -> Result<String, Error> {
    aws_files::read_text(path).map_err(|e| Error::file("read", path, e))
}

/// Applies `edit` to the file: a dry run prints the diff; else the locked,
/// checked, backed-up update.
pub(crate) fn write(
    path: &Path,
    private: bool,
    mut edit: impl FnMut(&str) -> Result<String, Error>,
    dry_run: bool,
    what: &str,
) -> Result<i32, Error> {
    if dry_run {
        let old = read_text(path)?;
        let diff = inifile::unified_diff(&path.display().to_string(), &old, &edit(&old)?);
        if diff.is_empty() {
            eprintln!("ssopick: {} would not change", path.display());
        }
        return print(&diff);
    }
    let up = update_aws_file(path, private, edit)?;
    if !up.changed {
        eprintln!("ssopick: {} is already up to date", path.display());
        return Ok(0);
    }
    let bak = up
        .backup
        .map(|b| format!(" (previous version in {})", b.display()))
        .unwrap_or_default();
    eprintln!("ssopick: wrote {what} to {}{bak}", path.display());
    Ok(0)
}

/// The locked update of an AWS file, with the errors the user reads.
pub(crate) fn update_aws_file(
    path: &Path,
    private: bool,
    edit: impl FnMut(&str) -> Result<String, Error>,
) -> Result<aws_files::Updated, Error> {
    aws_files::update(path, private, edit).map_err(|e| match e {
        aws_files::UpdateError::Io(e) => Error::file("write", path, e),
        aws_files::UpdateError::Edit(e) => e,
    })
}

/// `credential_process` lines run this binary for every SDK call: say so
/// when another local user could replace it.
pub(crate) fn warn_if_replaceable() {
    if let Ok(exe) = crate::edge::process::own_path()
        && let Some(why) = crate::edge::fs::replaceable_by_others(std::path::Path::new(&exe))
    {
        eprintln!(
            "ssopick: warning: the profiles run {exe}, but {why}: another user could replace what they run. Install ssopick where only you (or root) can write."
        );
    }
}
