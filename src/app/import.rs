//! `import granted|aws-sso-cli`: another tool's set-up read (`core::import`
//! makes the plan), then shown as diffs of `~/.aws/config` and config.toml,
//! or with `--write` written: sessions with `configure`'s locked writer,
//! config.toml's `[[account]]` facts keeping its bytes and a backup.

use crate::app::error::Error;
use crate::app::setup::Setup;
use crate::core::import::{self, Plan, SessionToAdd};
use crate::core::inifile::{self, FileKind};
use crate::core::sso::session::same_url;
use crate::core::sso::setup::session_block;
use crate::edge::aws_files;
use std::path::{Path, PathBuf};

/// Where another tool keeps its set-up.
pub(crate) enum Source {
    Granted,
    /// aws-sso-cli's `config.yaml` at this path.
    AwsSsoCli(PathBuf),
}

/// The largest file read.
const MAX_FILE: u64 = 4 << 20;

fn plan_of(setup: &Setup, source: &Source) -> Result<Plan, Error> {
    match source {
        Source::Granted => {
            let profiles: Vec<import::GrantedProfile> = setup
                .aws()
                .profiles
                .iter()
                .filter_map(|p| {
                    let g = p.granted.as_deref()?;
                    Some(import::GrantedProfile {
                        name: p.name.clone(),
                        start_url: g.start_url.clone()?,
                        region: g.region.clone().unwrap_or_default(),
                        account_id: g.account_id.clone().unwrap_or_default(),
                    })
                })
                .collect();
            if profiles.is_empty() {
                return Err(Error::Usage(format!(
                    "no granted profiles (granted_sso_start_url) in {}",
                    setup.paths.aws_config.display()
                )));
            }
            Ok(import::from_granted(&profiles))
        }
        Source::AwsSsoCli(path) => {
            let bytes = crate::edge::fs::read_capped(path, MAX_FILE)
                .map_err(|e| Error::file("read", path, e))?
                .ok_or_else(|| {
                    Error::Usage(format!(
                        "no aws-sso-cli config at {} (--file PATH, or $AWS_SSO_CONFIG)",
                        path.display()
                    ))
                })?;
            import::from_aws_sso_cli(&String::from_utf8_lossy(&bytes)).map_err(|message| {
                Error::Config {
                    path: path.clone(),
                    message,
                }
            })
        }
    }
}

/// The sessions the AWS config lacks (by start URL), said for the others.
fn sessions_to_add(setup: &Setup, plan: &Plan, notes: &mut Vec<String>) -> Vec<SessionToAdd> {
    let have = &setup.aws().sso_sessions;
    let mut out: Vec<SessionToAdd> = Vec::new();
    for s in &plan.sessions {
        if let Some(h) = have.iter().find(|h| {
            h.start_url
                .as_deref()
                .is_some_and(|u| same_url(u, &s.start_url))
        }) {
            notes.push(format!(
                "{} is already [sso-session {}]",
                s.start_url, h.name
            ));
        } else if have.iter().any(|h| h.name == s.name) || out.iter().any(|o| o.name == s.name) {
            notes.push(format!(
                "[sso-session {}] exists for another start URL: {} not added (ssopick login --start-url {} --session NAME adds it)",
                s.name, s.start_url, s.start_url
            ));
        } else {
            out.push(s.clone());
        }
    }
    out
}

fn with_sessions(old: &str, add: &[SessionToAdd]) -> Result<String, Error> {
    let mut text = old.to_string();
    for s in add {
        text = inifile::upsert(
            &text,
            FileKind::Config,
            &format!("sso-session {}", s.name),
            &session_block(&s.name, &s.start_url, &s.region),
            false,
        )
        .map_err(|_| Error::Usage(format!("[sso-session {}] is already there", s.name)))?;
    }
    Ok(text)
}

/// config.toml's `match = "glob"` entries set fields by account name (the
/// snapshots know the names): an id entry added after them would win, so
/// a field a glob already sets is left out unless `force`.
fn respect_globs(setup: &Setup, plan: &mut Plan, force: bool, notes: &mut Vec<String>) {
    let globs: Vec<_> = setup
        .settings
        .accounts
        .iter()
        .filter(|e| e.pattern.is_some())
        .cloned()
        .collect();
    if globs.is_empty() || force {
        return;
    }
    let names: std::collections::HashMap<String, String> =
        crate::edge::snapshot::load_all(&setup.paths.cache)
            .into_iter()
            .flat_map(|c| c.accounts.into_iter())
            .map(|a| (a.account.account_id, a.account.account_name))
            .collect();
    let mut unnamed = 0;
    for f in &mut plan.accounts {
        let Some(name) = names.get(&f.id) else {
            unnamed += 1;
            continue;
        };
        let Some(m) = crate::core::account_meta::resolve(&globs, &f.id, name) else {
            continue;
        };
        let mut keep = |field: &str, import: &mut Option<String>, have: &Option<String>| {
            if have.is_some() && import.is_some() && import != have {
                notes.push(format!(
                    "account {} ({}): config.toml's match = entry sets {field} {:?}; kept (--force imports {:?})",
                    f.id,
                    crate::core::catalog::clean_text(name),
                    have.as_deref().unwrap_or_default(),
                    import.as_deref().unwrap_or_default()
                ));
                *import = None;
            }
        };
        keep("alias", &mut f.alias, &m.alias);
        keep("region", &mut f.region, &m.region);
    }
    if unnamed > 0 {
        notes.push(format!(
            "{unnamed} account(s) are in no snapshot, so config.toml's match = entries could not be checked for them (list the session first)"
        ));
    }
}

/// Shows (or, with `write`, makes) the import of `source`.
pub(crate) fn run(setup: &Setup, source: &Source, write: bool, force: bool) -> Result<i32, Error> {
    let mut plan = plan_of(setup, source)?;
    let mut notes = plan.notes.clone();
    respect_globs(setup, &mut plan, force, &mut notes);
    let add = sessions_to_add(setup, &plan, &mut notes);
    let aws = setup.paths.aws_config.clone();
    let toml = crate::app::setup::settings_path(&setup.env, &setup.paths);
    let merge = |old: &str| {
        import::merge_accounts(old, &plan.accounts, force).map_err(|message| Error::Config {
            path: toml.clone(),
            message,
        })
    };
    let read = |p: &Path| aws_files::read_text(p).map_err(|e| Error::file("read", p, e));
    let (aws_old, toml_old) = (read(&aws)?, read(&toml)?);
    let merged = merge(&toml_old)?;
    if merged.text.len() as u64 > crate::app::setup::MAX_SETTINGS {
        return Err(Error::Usage(format!(
            "{} would grow to {} bytes, more than the {} ssopick reads: import fewer accounts (--file with a smaller set)",
            toml.display(),
            merged.text.len(),
            crate::app::setup::MAX_SETTINGS
        )));
    }
    notes.extend(merged.kept.iter().cloned());
    let aws_new = with_sessions(&aws_old, &add)?;
    if !write {
        let mut out = String::new();
        for (path, old, new) in [(&aws, &aws_old, &aws_new), (&toml, &toml_old, &merged.text)] {
            if old != new {
                out.push_str(&inifile::unified_diff(
                    &path.display().to_string(),
                    old,
                    new,
                ));
            }
        }
        if out.is_empty() {
            out.push_str("ssopick: nothing to import: ssopick already has all of it.\n");
        }
        crate::app::output::print(&out)?;
        for n in &notes {
            eprintln!("ssopick: {n}");
        }
        eprintln!("ssopick: a dry run: nothing was written (--write writes it).");
        return Ok(0);
    }
    let said = |path: &Path, u: &aws_files::Updated| {
        if u.changed {
            eprintln!(
                "ssopick: updated {}{}.",
                path.display(),
                u.backup
                    .as_ref()
                    .map(|b| format!(" (previous version in {})", b.display()))
                    .unwrap_or_default()
            );
        }
    };
    let u = crate::app::deliver::profiles::update_aws_file(&aws, false, |old| {
        with_sessions(old, &add)
    })?;
    said(&aws, &u);
    let u = crate::app::deliver::profiles::update_aws_file(&toml, false, |old| {
        merge(old).map(|m| m.text)
    })?;
    said(&toml, &u);
    for n in &notes {
        eprintln!("ssopick: {n}");
    }
    Ok(0)
}
