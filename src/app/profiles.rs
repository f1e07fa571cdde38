//! Profile blocks for one role or for every role of the catalog: printed,
//! or merged into the user's AWS files (`--write`) with a backup, changing
//! only the sections ssopick writes.

use crate::app::error::Error;
use crate::app::output::print;
use crate::app::target::Target;
use crate::core::delivery::ProfileOptions;
use crate::core::export::Chosen;
use crate::core::inifile::{self, FileKind};
use crate::core::profile::{self, ProfileInput, Style};
use crate::core::sso::session::SessionKind;
use crate::edge::aws_files;
use std::path::Path;

/// The printable block (config styles) for one role, for the picker's copy.
pub fn block_text(
    t: &Target<'_>,
    chosen: &Chosen,
    style: Style,
    template: Option<&str>,
) -> Result<String, Error> {
    let name = profile::render_name(template.unwrap_or(profile::DEFAULT_TEMPLATE), chosen)
        .map_err(Error::Usage)?;
    let mut text = session_section(t)
        .filter(|_| style == Style::Sso)
        .map(|s| s + "\n")
        .unwrap_or_default();
    text.push_str(&config_section(t, style, &name, chosen)?.1);
    Ok(text)
}

/// The `[sso-session]` section when the config lacks the session's.
fn session_section(t: &Target<'_>) -> Option<String> {
    let SessionKind::Named(n) = &t.session.kind else {
        return None;
    };
    if t.setup.aws.sso_session(n).is_some() {
        return None;
    }
    let mut s = format!("[sso-session {n}]\n{} for session {n}\n", profile::MARKER);
    for l in profile::sso_session_lines(&t.session) {
        s.push_str(&l);
        s.push('\n');
    }
    Some(s)
}

/// The section (header key, text) for one entry in a config-file style.
fn config_section(
    t: &Target<'_>,
    style: Style,
    name: &str,
    chosen: &Chosen,
) -> Result<(String, String), Error> {
    let region = t.region(chosen);
    let input = ProfileInput {
        name,
        chosen,
        session: &t.session,
        region: &region,
    };
    let lines = match style {
        Style::Sso => profile::sso_lines(&input),
        Style::Process => {
            let extra: &[&str] = if t.setup.is_demo() { &["--demo"] } else { &[] };
            profile::process_lines(
                &input,
                &crate::edge::process::own_path().map_err(Error::OwnPath)?,
                extra,
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
pub async fn one(t: &Target<'_>, chosen: &Chosen, args: &ProfileOptions) -> Result<i32, Error> {
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
        sections.push(config_section(t, args.style, &name, chosen)?);
        FileKind::Config
    };
    if !args.write {
        let text: Vec<&str> = sections.iter().map(|(_, t)| t.as_str()).collect();
        return print(&text.join("\n"));
    }
    let path = if kind == FileKind::Config {
        &t.setup.paths.aws_config
    } else {
        &t.setup.paths.aws_credentials
    };
    let old = read_text(path)?;
    let mut new = old.clone();
    for (key, text) in &sections {
        new = inifile::upsert(&new, kind, key, text, args.force)
            .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?;
    }
    finish(
        path,
        &old,
        &new,
        args.dry_run,
        &format!("[{}]", sections.last().map_or("", |s| s.0.as_str())),
    )
}

fn read_text(path: &Path) -> Result<String, Error> {
    aws_files::read_text(path).map_err(|e| Error::file("read", path, e))
}

fn finish(path: &Path, old: &str, new: &str, dry_run: bool, what: &str) -> Result<i32, Error> {
    if dry_run {
        let diff = inifile::unified_diff(&path.display().to_string(), old, new);
        if diff.is_empty() {
            eprintln!("ssopick: {} would not change", path.display());
        }
        return print(&diff);
    }
    if old == new {
        eprintln!("ssopick: {} is already up to date", path.display());
        return Ok(0);
    }
    let backup =
        aws_files::write_user_file(path, new).map_err(|e| Error::file("write", path, e))?;
    let bak = backup
        .map(|b| format!(" (previous version in {})", b.display()))
        .unwrap_or_default();
    eprintln!("ssopick: wrote {what} to {}{bak}", path.display());
    Ok(0)
}

/// `--all`: a profile per account/role of the catalog, in a managed block.
pub async fn all(t: &Target<'_>, query: &[String], args: &ProfileOptions) -> Result<i32, Error> {
    if args.style == Style::Static {
        return Err(Error::Usage(
            "--all works with --style sso or process (static keys expire within hours)".into(),
        ));
    }
    let cats = vec![(0, t.catalog().await?)];
    let entries = crate::app::rows::ranked(t.setup, &cats, query);
    let template = args.name.as_deref().unwrap_or(profile::DEFAULT_TEMPLATE);
    let chosen: Vec<Chosen> = entries
        .iter()
        .map(|e| Chosen {
            account: e.account.clone(),
            role: e.role.to_string(),
            session: e.session.to_string(),
        })
        .collect();
    let raw: Vec<(String, String)> = chosen
        .iter()
        .map(|c| Ok((profile::render_name(template, c)?, c.session.clone())))
        .collect::<Result<_, String>>()
        .map_err(Error::Usage)?;
    let names = profile::unique_names(raw);
    let path = &t.setup.paths.aws_config;
    let old = read_text(path)?;
    let session = t.session.id().to_string();
    let block = inifile::block_range(&old, &session)
        .map(|(s, e)| old[s..e].to_string())
        .unwrap_or_default();
    let outside = match inifile::block_range(&old, &session) {
        Some((s, e)) => format!("{}{}", &old[..s], &old[e..]),
        None => old.clone(),
    };
    let mut new = old.clone();
    let mut inner = String::new();
    if args.style == Style::Sso
        && let Some(s) = session_section(t)
    {
        inner.push_str(&s);
        inner.push('\n');
    }
    let mut keys = Vec::new();
    let mut skipped = Vec::new();
    let outside_sections = inifile::sections(&outside, FileKind::Config);
    for (c, name) in chosen.iter().zip(&names) {
        let mut name = name.clone();
        let clash = |n: &str| {
            outside_sections
                .iter()
                .find(|s| s.key == format!("profile {n}"))
        };
        // Another session's ssopick block has this name: this session's
        // profile takes a -SESSION suffix, the same on every run.
        if let Some(s) = clash(&name)
            && inifile::inside_block(&outside, s.start)
        {
            let alt = profile::sanitize(&format!("{name}-{}", c.session));
            if clash(&alt).is_none() {
                name = alt;
            }
        }
        let (key, text) = config_section(t, args.style, &name, c)?;
        if clash(&name).is_some() {
            if !args.force {
                skipped.push(key);
                continue;
            }
            new = inifile::remove(&new, FileKind::Config, &key);
        }
        inner.push_str(&text);
        inner.push('\n');
        keys.push(key);
    }
    // Profiles of roles that are gone stay unless --prune.
    let mut kept = 0;
    let mut pruned = 0;
    for s in inifile::sections(&block, FileKind::Config) {
        if keys.contains(&s.key) || s.key.starts_with("sso-session ") {
            continue;
        }
        if args.prune {
            pruned += 1;
        } else {
            inner.push_str(block[s.start..s.end].trim_end_matches(['\r', '\n']));
            inner.push_str("\n\n");
            kept += 1;
        }
    }
    new = inifile::replace_block(&new, &session, &inner);
    if !args.write {
        return print(&format!(
            "{}\n{inner}{}\n",
            inifile::block_begin(&session),
            inifile::block_end(&session)
        ));
    }
    for k in &skipped {
        eprintln!(
            "ssopick: skipped [{k}]: a profile of that name exists outside ssopick's block (--force takes it over)"
        );
    }
    if kept > 0 {
        eprintln!(
            "ssopick: kept {kept} profile(s) of roles no longer listed (--prune removes them)"
        );
    }
    if pruned > 0 {
        eprintln!("ssopick: removed {pruned} profile(s) of roles no longer listed");
    }
    finish(
        path,
        &old,
        &new,
        args.dry_run,
        &format!("{} profiles", keys.len()),
    )
}
