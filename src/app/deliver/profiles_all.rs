//! `profile --all`: a profile per account/role of the catalog (and per
//! role chain), in a block of the user's config that ssopick manages: names
//! taken outside it are skipped, other sessions' blocks are left alone, and
//! gone roles are kept unless --prune.

use crate::app::deliver::profiles::{
    Form, config_section, named_via, read_text, session_section, write,
};
use crate::app::error::Error;
use crate::app::output::print;
use crate::app::session::target::Target;
use crate::core::delivery::ProfileOptions;
use crate::core::export::Chosen;
use crate::core::inifile::{self, FileKind};
use crate::core::profile::{self, Style};

/// `--all`: a profile per account/role of the catalog, in a managed block.
pub(crate) async fn all(
    t: &Target<'_>,
    query: &[String],
    args: &ProfileOptions,
) -> Result<i32, Error> {
    if args.style == Style::Static {
        return Err(Error::Usage(
            "--all works with --style sso or process (static keys expire within hours)".into(),
        ));
    }
    let (chosen, incomplete) = rows_to_write(t, query, args).await?;
    let template = args.name.as_deref().unwrap_or(profile::DEFAULT_TEMPLATE);
    let raw: Vec<(String, String)> = chosen
        .iter()
        .map(|c| Ok((profile::render_name(template, c)?, c.session.clone())))
        .collect::<Result<_, String>>()
        .map_err(Error::Usage)?;
    let names = profile::unique_names(raw);
    let source_of = |c: &Chosen| -> Option<&str> {
        let ch = c.account.chain.as_ref()?;
        let via = crate::app::deliver::feed::via(c, ch);
        via_index(&chosen, &via).map(|i| names[i].as_str())
    };
    let path = &t.setup.paths.aws_config;
    let session = t.session.id().to_string();
    let sso_session = if args.style == Style::Sso {
        session_section(t)
    } else {
        None
    };
    let mut sections = Vec::with_capacity(chosen.len());
    for (c, name) in chosen.iter().zip(&names) {
        sections.push((
            c,
            name,
            config_section(t, Form::of(args), name, c, source_of(c))?,
        ));
    }
    let merge = |old: &str| {
        merge_all(
            old,
            &session,
            sso_session.as_deref(),
            &sections,
            args,
            |name, c| config_section(t, Form::of(args), name, c, source_of(c)),
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
    if args.style == crate::core::profile::Style::Process {
        super::profiles::warn_if_replaceable();
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
    report(&merged, args.dry_run);
    if let Some(why) = incomplete {
        eprintln!("ssopick: {why}");
        return Ok(crate::app::error::exit::PARTIAL);
    }
    Ok(code)
}

/// The rows `--all` writes: the catalog's matches for `query`, and for a
/// chained row in the sso style the SSO row it goes through; why they are
/// not the whole catalog, when they are not.
async fn rows_to_write(
    t: &Target<'_>,
    query: &[String],
    args: &ProfileOptions,
) -> Result<(Vec<Chosen>, Option<String>), Error> {
    let cats = crate::app::pick::rows::with_chains(t.setup, vec![(0, t.catalog().await?)]);
    let incomplete = crate::app::pick::rows::partial(&cats);
    if let Some(why) = &incomplete
        && args.prune
    {
        return Err(Error::Partial(format!(
            "{why}\n--prune would remove the profiles of every role not listed yet; nothing was written."
        )));
    }
    let entries = crate::app::pick::rows::ranked(t.setup, &cats, query);
    // The AWS files' other profiles are profiles already.
    let mut chosen: Vec<Chosen> = entries
        .iter()
        .filter(|e| e.account.profile.is_none())
        .map(Chosen::of)
        .collect();
    // A chained row's profile names its SSO row's as source_profile.
    if args.style == Style::Sso {
        let chained: Vec<Chosen> = chosen
            .iter()
            .filter(|c| c.account.chain.is_some())
            .cloned()
            .collect();
        for c in chained
            .iter()
            .filter_map(|c| Some((c, c.account.chain.as_ref()?)))
        {
            let via = named_via(t, c.0, c.1);
            if via_index(&chosen, &via).is_none() {
                chosen.push(via);
            }
        }
    }
    Ok((chosen, incomplete))
}

/// What the merge skipped, kept and removed, on stderr.
fn report(merged: &Merged, dry_run: bool) {
    let (keep, remove) = if dry_run {
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
}

/// Where `via` (an SSO row) is among `chosen`.
fn via_index(chosen: &[Chosen], via: &Chosen) -> Option<usize> {
    chosen.iter().position(|c| {
        c.account.chain.is_none()
            && c.session == via.session
            && c.account.account_id == via.account.account_id
            && c.role == via.role
    })
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
