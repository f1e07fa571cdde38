//! Carrying out what the user chose: the command's own action, or the one
//! picked from the picker's action menu.

use super::creds;
use crate::app::context::Context;
use crate::app::error::Error;
use crate::core::export::{Chosen, Format, credential_env, render};
use crate::picker::Action;

/// What a command does with the chosen role.
#[derive(Clone, Debug)]
pub enum Deliver {
    Shell { nest: bool },
    Exec(Vec<String>),
    Export(Format),
    Copy { format: Format, clear_after: u64 },
    Profile(super::profile::ProfileArgs),
    CopyProfile,
    Console,
}

impl Deliver {
    pub fn label(&self) -> &'static str {
        match self {
            Deliver::Shell { .. } => "shell",
            Deliver::Exec(_) => "run",
            Deliver::Export(_) => "print exports",
            Deliver::Copy { .. } => "copy",
            Deliver::Profile(_) => "profile block",
            Deliver::CopyProfile => "copy profile",
            Deliver::Console => "console",
        }
    }

    /// The menu's choice replaces the command's own action.
    pub fn with(self, action: Action) -> Deliver {
        let nest = matches!(self, Deliver::Shell { nest: true });
        match action {
            Action::Default => self,
            Action::Shell => Deliver::Shell { nest },
            Action::PrintExports => Deliver::Export(Format::Bash),
            Action::CopyExports => Deliver::Copy {
                format: Format::Bash,
                clear_after: 45,
            },
            Action::PrintProfile => Deliver::Profile(super::profile::ProfileArgs::print(
                crate::core::profile::Style::Sso,
            )),
            Action::CopyProfile => Deliver::CopyProfile,
            Action::Console => Deliver::Console,
        }
    }
}

async fn export_text(
    ctx: &Context,
    chosen: &Chosen,
    format: Format,
) -> Result<(String, String), Error> {
    let c = creds::credentials(ctx, chosen).await?;
    let vars = credential_env(chosen, &c, &creds::region(ctx, chosen));
    let text = render(format, &vars, &c).map_err(Error::Usage)?;
    Ok((
        text,
        format!("{}; expires {}", creds::describe(chosen), c.expiration),
    ))
}

/// Copies bash export lines (the picker's Ctrl-Y); returns what happened.
pub async fn copy_exports(ctx: &Context, chosen: &Chosen) -> Result<String, Error> {
    let (text, about) = export_text(ctx, chosen, Format::Bash).await?;
    let (_, said) =
        crate::edge::clipboard::copy(&text, &ctx.env, 45, &format!("credentials for {about}"))?;
    Ok(said)
}

/// Shell and exec in a production account (config.toml) ask first.
fn confirm_production(ctx: &Context, chosen: &Chosen, what: &Deliver) -> Result<(), Error> {
    let doing = match what {
        Deliver::Shell { .. } => "Open a shell",
        Deliver::Exec(_) => "Run the command",
        _ => return Ok(()),
    };
    if ctx.globals.yes || !ctx.settings.is_production(&chosen.account) {
        return Ok(());
    }
    let who = creds::describe(chosen);
    match crate::edge::prompt::ask(
        &format!("ssopick: {who} is a production account. {doing} there? [y/N] "),
        false,
    ) {
        Some(true) => Ok(()),
        Some(false) => Err(Error::Cancelled),
        None => Err(Error::Usage(format!(
            "{who} is a production account (config.toml [production]); pass --yes to confirm"
        ))),
    }
}

pub async fn deliver(ctx: &Context, chosen: &Chosen, what: Deliver) -> Result<i32, Error> {
    confirm_production(ctx, chosen, &what)?;
    match what {
        Deliver::Shell { nest } => super::run::shell(ctx, chosen, nest).await,
        Deliver::Exec(cmd) => super::run::exec(ctx, chosen, &cmd).await,
        Deliver::Export(format) => {
            let (text, about) = export_text(ctx, chosen, format).await?;
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                eprintln!("ssopick: credentials for {about}");
            }
            super::export::write_stdout(&text)
        }
        Deliver::Profile(args) => super::profile::one(ctx, chosen, &args).await,
        Deliver::Console => {
            let url = super::session::console_url(ctx, chosen).await?;
            if crate::app::login::open_browser(&url, &ctx.env) {
                eprintln!(
                    "ssopick: opened the AWS console for {} in your browser.",
                    creds::describe(chosen)
                );
                return Ok(0);
            }
            super::export::write_stdout(&format!("{url}\n"))
        }
        Deliver::CopyProfile => {
            let text = super::profile::block_text(ctx, chosen, crate::core::profile::Style::Sso, None)?;
            let (_, said) = crate::edge::clipboard::copy(&text, &ctx.env, 0, "the profile block")?;
            eprintln!("ssopick: {said}.");
            Ok(0)
        }
        Deliver::Copy {
            format,
            clear_after,
        } => {
            let (text, about) = export_text(ctx, chosen, format).await?;
            let (_, said) = crate::edge::clipboard::copy(
                &text,
                &ctx.env,
                clear_after,
                &format!("credentials for {about}"),
            )?;
            eprintln!("ssopick: {said}.");
            Ok(0)
        }
    }
}

/// Selection rule, then the action: the whole of shell/exec/export/copy.
pub async fn run(ctx: &Context, query: &[String], what: Deliver) -> Result<i32, Error> {
    if let Deliver::Shell { nest: false } = what {
        super::run::refuse_nesting(ctx)?;
    }
    let (chosen, action) = creds::choose(ctx, query, what.label()).await?;
    deliver(ctx, &chosen, what.with(action)).await
}
