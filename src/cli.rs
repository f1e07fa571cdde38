//! Command-line surface (clap) and the top-level run: parse, set up, run one
//! command, turn its outcome into an exit code. stdout carries only results.

use crate::app::context::{Context, Globals};
use crate::app::error::{EXIT_CODES_HELP, Error, exit};
use crate::core::export::Format;
use crate::edge::paths::Env;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "ssopick",
    version,
    about = "Pick an AWS IAM Identity Center (SSO) account and role, and get credentials that every tool can use.",
    after_help = EXIT_CODES_HELP,
    propagate_version = true
)]
pub struct Cli {
    #[command(flatten)]
    pub globals: GlobalArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Words to filter by; the picker opens unless exactly one entry matches
    #[arg(value_name = "QUERY")]
    pub query: Vec<String>,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Which SSO session: an [sso-session] name, a start URL, a profile name, or `all` (every session at once)
    /// (default: AWS_PROFILE's session, else the only session, else the only logged-in one)
    #[arg(long, global = true, value_name = "NAME|URL")]
    pub session: Option<String>,
    /// Exact account (12-digit id or exact name), for scripts
    #[arg(long, global = true, value_name = "ID|NAME")]
    pub account: Option<String>,
    /// Exact role name, for scripts
    #[arg(long, global = true, value_name = "NAME")]
    pub role: Option<String>,
    /// Region exported with the credentials (default: AWS_REGION, AWS_DEFAULT_REGION, the session's region)
    #[arg(long, global = true)]
    pub region: Option<String>,
    /// Ignore the cached catalog and list accounts and roles anew
    #[arg(long, global = true, conflicts_with = "offline")]
    pub refresh: bool,
    /// Never call the listing API: use the cached catalog only
    #[arg(long, global = true)]
    pub offline: bool,
    /// Use the built-in demo organisation (a local fake portal; no AWS needed)
    #[arg(long, global = true)]
    pub demo: bool,
    /// Answer yes to confirmations (production accounts in config.toml)
    #[arg(long, global = true)]
    pub yes: bool,
}

impl GlobalArgs {
    fn to_globals(&self) -> Globals {
        Globals {
            session: self.session.clone(),
            account: self.account.clone(),
            role: self.role.clone(),
            region: self.region.clone(),
            refresh: self.refresh,
            offline: self.offline,
            demo: self.demo,
            yes: self.yes,
        }
    }
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// List every account and role you can use (one row each)
    #[command(
        after_help = "Examples:\n  ssopick list\n  ssopick list prod admin\n  ssopick list --json | jq -r '.[].accountId'\n  ssopick --demo list payments"
    )]
    List {
        /// Words that must all match (account name, account id or role; any order, any case)
        query: Vec<String>,
        /// JSON array of {accountId, accountName, emailAddress, roleName, session}
        #[arg(long)]
        json: bool,
    },
    /// Start $SHELL with the role's credentials in its environment
    #[command(
        after_help = "Examples:\n  ssopick shell payments prod admin\n  ssopick shell --account 123456789012 --role ReadOnlyAccess\n\n\
The shell gets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION,\n\
AWS_DEFAULT_REGION, AWS_CREDENTIAL_EXPIRATION and SSOPICK_ACCOUNT_ID/_ACCOUNT_NAME/_ROLE_NAME/_SESSION;\n\
AWS_PROFILE and AWS_DEFAULT_PROFILE are removed. Its exit code becomes ssopick's."
    )]
    Shell {
        /// Words that must all match; several matches open the picker
        query: Vec<String>,
        /// Allow a shell inside another ssopick shell
        #[arg(long)]
        nest: bool,
    },
    /// Run one command with the role's credentials (no shell in between)
    #[command(
        after_help = "Examples:\n  ssopick exec prod readonly -- aws sts get-caller-identity\n  ssopick exec --account 123456789012 --role Admin -- terraform plan\n\n\
The command's exit code is passed through; a signal N that kills it gives 128+N."
    )]
    Exec {
        /// Words that must all match; several matches open the picker
        query: Vec<String>,
        /// The command and its arguments, after `--`
        #[arg(last = true, required = true, value_name = "CMD")]
        command: Vec<String>,
    },
    /// Print export lines for a shell (eval them) or a .env file
    #[command(
        after_help = "Examples:\n  eval \"$(ssopick export prod admin)\"\n  ssopick export prod admin --format fish | source\n  ssopick export prod admin --format powershell | Invoke-Expression\n  ssopick export prod admin --format dotenv > .env\n\n\
Shell formats also unset AWS_PROFILE and AWS_DEFAULT_PROFILE. json is the credential_process schema.\n\
cmd output is for batch files (% is doubled)."
    )]
    Export {
        /// Words that must all match; several matches open the picker
        query: Vec<String>,
        /// Output format (default: export_format of config.toml, else bash)
        #[arg(long, short, value_enum)]
        format: Option<Format>,
    },
    /// Put export lines on the clipboard (system clipboard, or OSC 52 over SSH)
    #[command(
        after_help = "Examples:\n  ssopick copy prod admin\n  ssopick copy prod admin --format powershell --clear-after 120\n\n\
On X11 a small background ssopick keeps the content available after this command ends,\n\
until another program copies something or --clear-after passes. Over SSH or without a\n\
display the terminal is asked to set your local clipboard (OSC 52)."
    )]
    Copy {
        /// Words that must all match; several matches open the picker
        query: Vec<String>,
        /// Output format (default: export_format of config.toml, else bash)
        #[arg(long, short, value_enum)]
        format: Option<Format>,
        /// Clear the clipboard after SECS if it still holds the credentials (0 = never)
        #[arg(long, value_name = "SECS", default_value_t = 45)]
        clear_after: u64,
    },
    /// Print credentials for an AWS SDK's credential_process: needs --account ID --role NAME (never interactive)
    #[command(
        name = "credential-process",
        after_help = "Example ~/.aws/config profile:\n  [profile prod-admin]\n  credential_process = /usr/local/bin/ssopick credential-process --session corp --account 123456789012 --role Admin\n\n\
Credentials are reused from a 0600 cache until 15 minutes before they expire."
    )]
    CredentialProcess {
        /// Always ask the portal; neither read nor write the cache
        #[arg(long)]
        no_cache: bool,
    },
    /// Print a profile block for ~/.aws/config (or credentials), or merge it in with --write
    #[command(
        after_help = "Examples:\n  ssopick profile prod admin\n  ssopick profile prod admin --style process --write\n  \
ssopick profile --all --write --name '{account_name}.{role_name}'\n  ssopick profile --all --write --prune --dry-run\n\n\
--write changes only the profile's own section (or ssopick's block with --all); every other byte\n\
of the file stays. The previous file is kept as config.bak. Sections ssopick did not write are\n\
never replaced without --force. Name fields: {account_name} {account_id} {role_name} {session}."
    )]
    Profile {
        /// Words that must all match; several matches open the picker
        query: Vec<String>,
        #[command(flatten)]
        args: crate::commands::profile::ProfileArgs,
    },
    /// Log in to an SSO session (device code in the browser); writes the shared AWS token cache
    #[command(
        after_help = "Examples:\n  ssopick login\n  ssopick login --session corp --no-browser\n\n\
Writes ~/.aws/sso/cache/<sha1>.json exactly as `aws sso login` would, so the AWS CLI,\n\
Terraform and the SDKs use the same login. [sso-session] logins get a refresh token:\n\
ssopick then refreshes the session by itself before it runs out."
    )]
    Login {
        /// Only print the URL and code; do not open a browser
        #[arg(long)]
        no_browser: bool,
    },
    /// Log out: the portal's Logout, then remove the session's token and ssopick's cached credentials
    #[command(after_help = "Example:\n  ssopick logout --session corp")]
    Logout,
    /// Open the AWS console for a role in your browser (or print the sign-in link)
    #[command(
        after_help = "Examples:\n  ssopick console prod readonly\n  ssopick console --account 123456789012 --role Admin --print"
    )]
    Console {
        /// Words that must all match; several matches open the picker
        query: Vec<String>,
        /// Print the sign-in link instead of opening a browser
        #[arg(long)]
        print: bool,
    },
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  ssopick completions bash > ~/.local/share/bash-completion/completions/ssopick\n  \
ssopick completions zsh > \"${fpath[1]}/_ssopick\"\n  ssopick completions fish > ~/.config/fish/completions/ssopick.fish\n  \
ssopick completions powershell >> $PROFILE"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff)
    #[command(after_help = "Example:\n  ssopick man > ~/.local/share/man/man1/ssopick.1")]
    Man,
    /// Internal: the detached process that keeps the clipboard served
    #[command(name = "__clipboard-serve", hide = true)]
    ClipboardServe { clear_after: u64 },
}

/// When the process started, for the first-frame figure.
pub static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Parses the process arguments, runs, and returns the exit code.
pub fn main() -> i32 {
    STARTED.get_or_init(std::time::Instant::now);
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return code;
        }
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("ssopick: cannot start the async runtime: {e}");
            return exit::OTHER;
        }
    };
    let result = rt.block_on(run(cli, Env::capture()));
    rt.shutdown_background();
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ssopick: {e}");
            e.exit_code()
        }
    }
}

pub async fn run(cli: Cli, mut env: Env) -> Result<i32, Error> {
    // Commands that need no SSO session.
    match &cli.command {
        Some(Command::ClipboardServe { clear_after }) => {
            return Ok(crate::edge::clipboard::serve(*clear_after));
        }
        Some(Command::Completions { shell }) => {
            let mut out = Vec::new();
            clap_complete::generate(
                *shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "ssopick",
                &mut out,
            );
            return crate::commands::export::write_stdout(&String::from_utf8_lossy(&out));
        }
        Some(Command::Man) => {
            let mut out = Vec::new();
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command())
                .render(&mut out)
                .map_err(|e| Error::other("cannot render the man page", e))?;
            return crate::commands::export::write_stdout(&String::from_utf8_lossy(&out));
        }
        _ => {}
    }
    if let Some(Command::Login { no_browser: true }) = cli.command {
        env.0.insert("SSOPICK_NO_BROWSER".into(), "1".into());
    }
    let globals = cli.globals.to_globals();
    if globals.session.as_deref() == Some("all") {
        let mut ctxs = Context::all(&globals, env).await?;
        ctxs.dedup_by(|a, b| a.session.id() == b.session.id());
        return run_all(&ctxs, cli.command, &cli.query).await;
    }
    let ctx = Context::new(&globals, env.clone()).await?;
    let result = dispatch(&ctx, cli.command.clone(), &cli.query).await;
    // An expired session in an interactive run: offer to log in, then carry on.
    let recoverable = !matches!(
        cli.command,
        Some(Command::CredentialProcess { .. } | Command::Login { .. } | Command::Logout)
    ) && !ctx.is_demo();
    match result {
        Err(
            e @ (Error::SessionExpired { .. } | Error::NotLoggedIn { .. } | Error::LoginRequested),
        ) if recoverable => {
            let asked = matches!(e, Error::LoginRequested);
            if !asked
                && crate::edge::prompt::ask(&format!("ssopick: {e}\nLog in now? [Y/n] "), true)
                    != Some(true)
            {
                return Err(e);
            }
            crate::commands::session::run_login(&ctx).await?;
            let ctx = Context::new(&globals, env).await?;
            dispatch(&ctx, cli.command, &cli.query).await
        }
        other => other,
    }
}

/// What `ssopick` with no subcommand does (config.toml `default_action`).
fn default_deliver(ctx: &Context) -> crate::commands::deliver::Deliver {
    use crate::commands::deliver::Deliver;
    use crate::core::settings::DefaultAction;
    match ctx.settings.default_action {
        DefaultAction::Shell => Deliver::Shell { nest: false },
        DefaultAction::Export => Deliver::Export(ctx.export_format(None)),
        DefaultAction::Copy => Deliver::Copy {
            format: ctx.export_format(None),
            clear_after: 45,
        },
        DefaultAction::Profile => Deliver::Profile(crate::commands::profile::ProfileArgs::print(
            crate::core::profile::Style::Sso,
        )),
        DefaultAction::Console => Deliver::Console,
    }
}

/// `--session all`: list, or pick across every session and deliver.
async fn run_all(
    ctxs: &[Context],
    command: Option<Command>,
    top_query: &[String],
) -> Result<i32, Error> {
    use crate::commands::all;
    use crate::commands::deliver::Deliver;
    let Some(first) = ctxs.first() else {
        return Err(Error::NoSessions);
    };
    let (query, what) = match command {
        None => (top_query.to_vec(), default_deliver(first)),
        Some(Command::List { query, json }) => return all::list(ctxs, &query, json).await,
        Some(Command::Shell { query, nest }) => (query, Deliver::Shell { nest }),
        Some(Command::Exec { query, command }) => (query, Deliver::Exec(command)),
        Some(Command::Export { query, format }) => {
            (query, Deliver::Export(first.export_format(format)))
        }
        Some(Command::Copy {
            query,
            format,
            clear_after,
        }) => (
            query,
            Deliver::Copy {
                format: first.export_format(format),
                clear_after,
            },
        ),
        Some(Command::Console { query, .. }) => (query, Deliver::Console),
        Some(Command::Profile { query, args }) if !args.all => {
            (query, Deliver::Profile(args.with_defaults(&first.settings)))
        }
        Some(_) => {
            return Err(Error::Usage(
                "--session all works with list and the commands that pick a role; name one session (--session NAME) for this one".into(),
            ));
        }
    };
    all::pick_and_deliver(ctxs, &query, what).await
}

async fn dispatch(
    ctx: &Context,
    command: Option<Command>,
    top_query: &[String],
) -> Result<i32, Error> {
    use crate::commands::deliver::{Deliver, run as deliver};
    let Some(command) = command else {
        let what = default_deliver(ctx);
        return deliver(ctx, top_query, what).await;
    };
    match command {
        Command::Login { .. } => crate::commands::session::run_login(ctx).await,
        Command::Logout => crate::commands::session::run_logout(ctx).await,
        Command::Console { query, print } => {
            crate::commands::session::run_console(ctx, &query, print).await
        }
        Command::ClipboardServe { clear_after } => Ok(crate::edge::clipboard::serve(clear_after)),
        Command::Completions { .. } | Command::Man => {
            Err(Error::Usage("handled before any session is needed".into()))
        }
        Command::List { query, json } => crate::commands::list::run(ctx, &query, json).await,
        Command::Shell { query, nest } => deliver(ctx, &query, Deliver::Shell { nest }).await,
        Command::Exec { query, command } => deliver(ctx, &query, Deliver::Exec(command)).await,
        Command::Export { query, format } => {
            deliver(ctx, &query, Deliver::Export(ctx.export_format(format))).await
        }
        Command::Copy {
            query,
            format,
            clear_after,
        } => {
            deliver(
                ctx,
                &query,
                Deliver::Copy {
                    format: ctx.export_format(format),
                    clear_after,
                },
            )
            .await
        }
        Command::Profile { query, args } => {
            let args = args.with_defaults(&ctx.settings);
            if args.all {
                crate::commands::profile::all(ctx, &query, &args).await
            } else {
                deliver(ctx, &query, Deliver::Profile(args)).await
            }
        }
        Command::CredentialProcess { no_cache } => {
            let (Some(account), Some(role)) = (&ctx.globals.account, &ctx.globals.role) else {
                return Err(Error::Usage(
                    "credential-process needs --account ID and --role NAME".into(),
                ));
            };
            crate::commands::export::credential_process(ctx, account, role, no_cache).await
        }
    }
}
