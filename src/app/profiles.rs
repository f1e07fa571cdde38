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
    let what = format!("[{}]", sections.last().map_or("", |s| s.0.as_str()));
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

fn read_text(path: &Path) -> Result<String, Error> {
    aws_files::read_text(path).map_err(|e| Error::file("read", path, e))
}

/// Applies `edit` to the file: a dry run prints the diff; else the locked,
/// checked, backed-up update.
fn write(
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
pub fn update_aws_file(
    path: &Path,
    private: bool,
    edit: impl FnMut(&str) -> Result<String, Error>,
) -> Result<aws_files::Updated, Error> {
    aws_files::update(path, private, edit).map_err(|e| match e {
        aws_files::UpdateError::Io(e) => Error::file("write", path, e),
        aws_files::UpdateError::Edit(e) => e,
    })
}

/// `--all`: a profile per account/role of the catalog, in a managed block.
pub async fn all(t: &Target<'_>, query: &[String], args: &ProfileOptions) -> Result<i32, Error> {
    if args.style == Style::Static {
        return Err(Error::Usage(
            "--all works with --style sso or process (static keys expire within hours)".into(),
        ));
    }
    let cats = vec![(0, t.catalog().await?)];
    let incomplete = crate::app::rows::partial(&cats);
    if let Some(why) = &incomplete
        && args.prune
    {
        return Err(Error::Partial(format!(
            "{why}\n--prune would remove the profiles of every role not listed yet; nothing was written."
        )));
    }
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
    let session = t.session.id().to_string();
    let sso_session = if args.style == Style::Sso {
        session_section(t)
    } else {
        None
    };
    let mut sections = Vec::with_capacity(chosen.len());
    for (c, name) in chosen.iter().zip(&names) {
        sections.push((c, name, config_section(t, args.style, name, c)?));
    }
    let merge = |old: &str| {
        merge_all(
            old,
            &session,
            sso_session.as_deref(),
            &sections,
            args,
            |name, c| config_section(t, args.style, name, c),
        )
    };
    if !args.write {
        let m = merge(&read_text(path)?)?;
        return print(&format!(
            "{}\n{}{}\n",
            inifile::block_begin(&session),
            m.inner,
            inifile::block_end(&session)
        ));
    }
    let mut merged = Merged::default();
    let edit = |old: &str| -> Result<String, Error> {
        merged = merge(old)?;
        Ok(merged.new.clone())
    };
    let code = write(
        path,
        false,
        edit,
        args.dry_run,
        &format!("{} profiles", sections.len()),
    )?;
    let (keep, remove) = if args.dry_run {
        ("would keep", "would remove")
    } else {
        ("kept", "removed")
    };
    for k in &merged.skipped {
        eprintln!(
            "ssopick: skipped [{k}]: a profile of that name exists outside ssopick's block (--force takes it over)"
        );
    }
    if merged.kept > 0 {
        eprintln!(
            "ssopick: {keep} {} profile(s) of roles no longer listed (--prune removes them)",
            merged.kept
        );
    }
    if merged.pruned > 0 {
        eprintln!(
            "ssopick: {remove} {} profile(s) of roles no longer listed",
            merged.pruned
        );
    }
    if let Some(why) = incomplete {
        eprintln!("ssopick: {why}");
        return Ok(crate::app::error::exit::PARTIAL);
    }
    Ok(code)
}

/// What merging the `--all` block into a config made.
#[derive(Default)]
struct Merged {
    new: String,
    inner: String,
    skipped: Vec<String>,
    kept: usize,
    pruned: usize,
}

type Section<'c> = (&'c Chosen, &'c String, (String, String));

/// The config with this session's block rebuilt from `sections`: names
/// taken outside the block are skipped (or taken over with --force), a
/// name another session's block holds gets a `-SESSION` suffix, and gone
/// roles are kept unless --prune. One pass over the file.
fn merge_all(
    old: &str,
    session: &str,
    sso_session: Option<&str>,
    sections: &[Section<'_>],
    args: &ProfileOptions,
    section_for: impl Fn(&str, &Chosen) -> Result<(String, String), Error>,
) -> Result<Merged, Error> {
    let range = inifile::block_range(old, session);
    let block = range.map(|(s, e)| &old[s..e]).unwrap_or_default();
    let outside = match range {
        Some((s, e)) => format!("{}{}", &old[..s], &old[e..]),
        None => old.to_string(),
    };
    let mut m = Merged::default();
    let mut new = old.to_string();
    if let Some(s) = sso_session {
        m.inner.push_str(s);
        m.inner.push('\n');
    }
    let outside_sections: std::collections::HashMap<String, usize> =
        inifile::sections(&outside, FileKind::Config)
            .into_iter()
            .map(|s| (s.key, s.start))
            .collect();
    let mut keys = std::collections::HashSet::new();
    let mut taken_over = Vec::new();
    for (c, name, (key, text)) in sections {
        let (mut key, mut text) = (key.clone(), text.clone());
        let clash = |k: &str| outside_sections.get(k).copied();
        // Another session's ssopick block has this name: this session's
        // profile takes a -SESSION suffix, the same on every run.
        if let Some(at) = clash(&key)
            && inifile::inside_block(&outside, at)
        {
            let alt = profile::sanitize(&format!("{name}-{}", c.session));
            if clash(&format!("profile {alt}")).is_none() {
                (key, text) = section_for(&alt, c)?;
            }
        }
        if clash(&key).is_some() {
            if !args.force {
                m.skipped.push(key);
                continue;
            }
            taken_over.push(key.clone());
        }
        m.inner.push_str(&text);
        m.inner.push('\n');
        keys.insert(key);
    }
    for key in &taken_over {
        new = inifile::remove(&new, FileKind::Config, key);
    }
    // Profiles of roles that are gone stay unless --prune.
    for s in inifile::sections(block, FileKind::Config) {
        if keys.contains(&s.key) || s.key.starts_with("sso-session ") {
            continue;
        }
        if args.prune {
            m.pruned += 1;
        } else {
            m.inner
                .push_str(block[s.start..s.end].trim_end_matches(['\r', '\n']));
            m.inner.push_str("\n\n");
            m.kept += 1;
        }
    }
    m.new = inifile::replace_block(&new, session, &m.inner);
    Ok(m)
}
