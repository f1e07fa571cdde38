//! `ssopick pick [QUERY] [--format F]`: choose a row (the picker on a
//! terminal, the selection rule otherwise) and print it for a script.

use crate::app::error::{Error, exit};
use crate::app::output::print;
use crate::app::pick::{choose, picker, rows};
use crate::app::setup::Setup;
use crate::core::export::Chosen;
use crate::core::pick_format::{DEFAULT, Template};

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick pick prod admin\n  id=$(ssopick pick payments --format '{account_id}')\n  ssopick pick --format '{account_name}\\t{account_id}\\t{role_name}\\t{session}\\t{email}'\n\n\
Fields: {account_id} {account_name} {role_name} {session} {email} {role_arn}; {{ and }} are literal braces. For an AWS profile's row, {account_id} is the profile's name (what --account takes).\n\
{role_arn} asks STS (with the role's credentials) for an SSO role's real ARN, AWSReservedSSO_ suffix included.\n\
One match is printed at once; several open the picker on a terminal (--multi: Ctrl-T marks several), and are an error\n\
otherwise (--multi: every match is printed)."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// The line printed for the chosen row (default: "{account_id} {role_name}")
    #[arg(long, short)]
    pub format: Option<String>,
    /// Allow several rows: Ctrl-T marks rows in the picker, and Enter prints one line per marked row
    #[arg(long, short)]
    pub multi: bool,
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    // Checked before anything is listed or shown.
    let template =
        Template::parse(args.format.as_deref().unwrap_or(DEFAULT)).map_err(Error::Usage)?;
    let targets = choose::targets(setup).await?;
    let rows: Vec<(usize, Chosen)> = if args.multi && !picker::available() {
        // No terminal: every row the query matches, as `list` gives them.
        let cats = rows::catalogs(&targets).await?;
        let found = rows::ranked(setup, &cats, &args.query);
        if found.is_empty() {
            return Err(choose::no_match(
                setup,
                &cats,
                &args.query,
                targets.len() > 1,
            ));
        }
        found
            .iter()
            .map(|e| {
                let c = Chosen::new(e.account.clone(), e.role.to_string(), e.session.to_string());
                (
                    targets
                        .iter()
                        .position(|t| t.id() == e.session)
                        .unwrap_or(0),
                    c,
                )
            })
            .collect()
    } else {
        choose::choose(&targets, &args.query, "print", args.multi)
            .await?
            .rows
    };
    let mut out = String::new();
    for (i, chosen) in &rows {
        let arn = if template.needs_role_arn() {
            picker::role_arn(&targets[*i], chosen).await?
        } else {
            String::new()
        };
        out.push_str(&template.render(chosen, &arn));
        out.push('\n');
    }
    print(&out)?;
    Ok(exit::OK)
}
