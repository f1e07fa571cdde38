//! `ssopick profile`: print or merge profile blocks for one role or all.

use super::creds;
use crate::app::context::Context;
use crate::app::error::Error;
use crate::core::export::Chosen;
use crate::core::inifile::{self, FileKind};
use crate::core::profile::{self, ProfileInput, Style};
use crate::core::sso::session::SessionKind;
use std::path::Path;

/// The options of `ssopick profile` (also what the picker's profile action uses).
#[derive(Clone, Debug, clap::Args)]
pub struct ProfileArgs {
    /// sso: sso_session profile (SDKs get credentials themselves); process: credential_process = ssopick ...;
    /// static: keys for the credentials file
    #[arg(long, value_enum, default_value_t = Style::Sso)]
    pub style: Style,
    /// Profile name template
    #[arg(long, value_name = "TEMPLATE")]
    pub name: Option<String>,
    /// Merge into AWS_CONFIG_FILE (static: AWS_SHARED_CREDENTIALS_FILE) instead of printing
    #[arg(long)]
    pub write: bool,
    /// One profile per account/role of the catalog (QUERY words narrow it), in a block ssopick manages
    #[arg(long)]
    pub all: bool,
    /// With --all: remove profiles of roles that are no longer listed
    #[arg(long, requires = "all")]
    pub prune: bool,
    /// Replace sections ssopick did not write
    #[arg(long)]
    pub force: bool,
    /// With --write: show the change as a unified diff and write nothing
    #[arg(long, requires = "write")]
    pub dry_run: bool,
}

impl ProfileArgs {
    /// The name template from config.toml when --name is not given.
    pub fn with_defaults(mut self, settings: &crate::core::settings::Settings) -> ProfileArgs {
        self.name = self.name.or_else(|| settings.profile_name.clone());
        self
    }

    pub fn print(style: Style) -> ProfileArgs {
        ProfileArgs {
            style,
            name: None,
            write: false,
            all: false,
            prune: false,
            force: false,
            dry_run: false,
        }
    }
}

/// The printable block (config styles) for one role, for the picker's copy.
pub fn block_text(
    ctx: &Context,
    chosen: &Chosen,
    style: Style,
    template: Option<&str>,
) -> Result<String, Error> {
    let name = profile::render_name(template.unwrap_or(profile::DEFAULT_TEMPLATE), chosen)
        .map_err(Error::Usage)?;
    let mut text = session_section(ctx)
        .filter(|_| style == Style::Sso)
        .map(|s| s + "\n")
        .unwrap_or_default();
    text.push_str(&config_section(ctx, style, &name, chosen)?.1);
    Ok(text)
}

fn exe() -> Result<String, Error> {
    let p =
        std::env::current_exe().map_err(|e| Error::other("cannot find ssopick's own path", e))?;
    let p = std::fs::canonicalize(&p).unwrap_or(p);
    Ok(p.to_string_lossy().into_owned())
}

/// The `[sso-session]` section when the config lacks the session's.
fn session_section(ctx: &Context) -> Option<String> {
    let SessionKind::Named(n) = &ctx.session.kind else {
        return None;
    };
    if ctx.config.sso_session(n).is_some() {
        return None;
    }
    let mut s = format!("[sso-session {n}]\n{} for session {n}\n", profile::MARKER);
    for l in profile::sso_session_lines(&ctx.session) {
        s.push_str(&l);
        s.push('\n');
    }
    Some(s)
}

/// The section (header key, text) for one entry in a config-file style.
fn config_section(
    ctx: &Context,
    style: Style,
    name: &str,
    chosen: &Chosen,
) -> Result<(String, String), Error> {
    let region = creds::region(ctx, chosen);
    let input = ProfileInput {
        name,
        chosen,
        session: &ctx.session,
        region: &region,
    };
    let lines = match style {
        Style::Sso => profile::sso_lines(&input),
        Style::Process => {
            let extra: &[&str] = if ctx.is_demo() { &["--demo"] } else { &[] };
            profile::process_lines(&input, &exe()?, extra)
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
pub async fn one(ctx: &Context, chosen: &Chosen, args: &ProfileArgs) -> Result<i32, Error> {
    let template = args.name.as_deref().unwrap_or(profile::DEFAULT_TEMPLATE);
    let name = profile::render_name(template, chosen).map_err(Error::Usage)?;
    let mut sections: Vec<(String, String)> = Vec::new();
    let kind = if args.style == Style::Static {
        let c = creds::credentials(ctx, chosen).await?;
        sections.push((
            name.clone(),
            profile::section(&name, chosen, &profile::static_lines(&c)),
        ));
        FileKind::Credentials
    } else {
        if args.style == Style::Sso
            && let Some(s) = session_section(ctx)
        {
            sections.push((format!("sso-session {}", ctx.session.id()), s));
        }
        sections.push(config_section(ctx, args.style, &name, chosen)?);
        FileKind::Config
    };
    if !args.write {
        let text: Vec<&str> = sections.iter().map(|(_, t)| t.as_str()).collect();
        return super::export::write_stdout(&text.join("\n"));
    }
    let path = if kind == FileKind::Config {
        &ctx.paths.aws_config
    } else {
        &ctx.paths.aws_credentials
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
    match std::fs::read(path) {
        Ok(b) => String::from_utf8(b).map_err(|_| {
            Error::Other(format!(
                "{} is not UTF-8 text; ssopick will not rewrite it",
                path.display()
            ))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(Error::other(&format!("cannot read {}", path.display()), e)),
    }
}

fn finish(path: &Path, old: &str, new: &str, dry_run: bool, what: &str) -> Result<i32, Error> {
    if dry_run {
        let diff = inifile::unified_diff(&path.display().to_string(), old, new);
        if diff.is_empty() {
            eprintln!("ssopick: {} would not change", path.display());
        }
        return super::export::write_stdout(&diff);
    }
    if old == new {
        eprintln!("ssopick: {} is already up to date", path.display());
        return Ok(0);
    }
    let backup = crate::edge::store::write_user_file(path, new)
        .map_err(|e| Error::other(&format!("cannot write {}", path.display()), e))?;
    let bak = backup
        .map(|b| format!(" (previous version in {})", b.display()))
        .unwrap_or_default();
    eprintln!("ssopick: wrote {what} to {}{bak}", path.display());
    Ok(0)
}

/// `--all`: a profile per account/role of the catalog, in a managed block.
pub async fn all(ctx: &Context, query: &[String], args: &ProfileArgs) -> Result<i32, Error> {
    if args.style == Style::Static {
        return Err(Error::Usage(
            "--all works with --style sso or process (static keys expire within hours)".into(),
        ));
    }
    let catalog = ctx.catalog().await?;
    let entries = crate::core::select::filter(
        &catalog,
        ctx.globals.account.as_deref(),
        ctx.globals.role.as_deref(),
        query,
    );
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
    let path = &ctx.paths.aws_config;
    let old = read_text(path)?;
    let session = ctx.session.id().to_string();
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
        && let Some(s) = session_section(ctx)
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
        let (key, text) = config_section(ctx, args.style, &name, c)?;
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
        return super::export::write_stdout(&format!(
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
