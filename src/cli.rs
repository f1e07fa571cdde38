//! The command line (clap) and the top-level run: parse, set up, run one
//! command, turn its outcome into an exit code. stdout carries only results.
//! Each subcommand's own options and work are in `commands/<name>.rs`.

use crate::app::error::{Error, exit, help_footer};
use crate::app::session::target::Target;
use crate::app::setup::{Globals, Setup};
use crate::commands;
use crate::core::export::Format;
use crate::edge::env::Env;
use clap::{Args, CommandFactory, Parser, Subcommand};

mod fast;
mod options;

#[derive(Debug, Parser)]
#[command(
    name = "ssopick",
    version = crate::VERSION,
    about = "Pick an AWS IAM Identity Center (SSO) account and role, and get credentials that every tool can use.",
    after_help = help_footer(),
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
    #[arg(long, value_name = "NAME|URL")]
    pub session: Option<String>,
    /// Exact account (12-digit id or exact name), for scripts
    #[arg(long, value_name = "ID|NAME")]
    pub account: Option<String>,
    /// Exact role name, for scripts
    #[arg(long, value_name = "NAME")]
    pub role: Option<String>,
    /// Region exported with the credentials (default: AWS_REGION, AWS_DEFAULT_REGION, the session's region)
    #[arg(long)]
    pub region: Option<String>,
    /// Ignore the cached catalog and list accounts and roles anew
    #[arg(long, conflicts_with = "offline")]
    pub refresh: bool,
    /// Never call the listing API: use the cached catalog only
    #[arg(long)]
    pub offline: bool,
    /// Only the portal's roles (and config.toml's chains): no rows for the AWS files' other profiles
    #[arg(long)]
    pub sso_only: bool,
    /// Use the built-in demo organisation (a local fake portal; no AWS needed)
    #[arg(long)]
    pub demo: bool,
    /// Answer yes to confirmations (production accounts in config.toml)
    #[arg(long)]
    pub yes: bool,
    /// Say more: the whole cause of network errors, and what ssopick decides
    #[arg(short, long)]
    pub verbose: bool,
}

impl GlobalArgs {
    pub fn to_globals(&self) -> Globals {
        Globals {
            session: self.session.clone(),
            account: self.account.clone(),
            role: self.role.clone(),
            region: self.region.clone(),
            refresh: self.refresh,
            offline: self.offline,
            sso_only: self.sso_only,
            demo: self.demo,
            yes: self.yes,
            verbose: self.verbose,
        }
    }

    /// Takes the options given after the subcommand (`ssopick list --offline`).
    fn merge_after(&mut self, m: &clap::ArgMatches) {
        use options::Given;
        for id in options::ALL {
            let Some(given) = options::given_after(m, id) else {
                continue;
            };
            match (*id, given) {
                ("session", Given::Text(v)) => self.session = Some(v),
                ("account", Given::Text(v)) => self.account = Some(v),
                ("role", Given::Text(v)) => self.role = Some(v),
                ("region", Given::Text(v)) => self.region = Some(v),
                ("refresh", Given::Flag(b)) => self.refresh |= b,
                ("offline", Given::Flag(b)) => self.offline |= b,
                ("sso_only", Given::Flag(b)) => self.sso_only |= b,
                ("demo", Given::Flag(b)) => self.demo |= b,
                ("yes", Given::Flag(b)) => self.yes |= b,
                ("verbose", Given::Flag(b)) => self.verbose |= b,
                _ => {}
            }
        }
    }
}

/// The whole command line: each subcommand with the options that apply to it.
pub fn command() -> clap::Command {
    options::with_options(Cli::command())
}

/// Parses `args` (the program name first).
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    use clap::FromArgMatches;
    let mut cmd = command();
    let m = cmd.try_get_matches_from_mut(args)?;
    if let Some(why) = options::misplaced(&m) {
        return Err(cmd.error(clap::error::ErrorKind::ArgumentConflict, why));
    }
    let mut cli = Cli::from_arg_matches(&m)?;
    cli.globals.merge_after(&m);
    Ok(cli)
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// List every account and role you can use (one row each)
    List(commands::list::Args),
    /// Choose one account and role and print it for a script (--format '{account_id} {role_name}')
    Pick(commands::pick::Args),
    /// Start $SHELL with the role's credentials in its environment
    Shell(commands::shell::Args),
    /// Run one command with the role's credentials (no shell in between)
    Exec(commands::exec::Args),
    /// Print export lines for a shell (eval them) or a .env file
    Export(commands::export::Args),
    /// Put export lines on the clipboard (system clipboard, or OSC 52 over SSH)
    Copy(commands::copy::Args),
    /// Print credentials for an AWS SDK's credential_process: needs --account ID --role NAME (never interactive)
    #[command(name = "credential-process")]
    CredentialProcess(commands::credential_process::Args),
    /// Print a profile block for ~/.aws/config (or credentials), or merge it in with --write
    Profile(commands::profile::Args),
    /// Set up an SSO session in ~/.aws/config by answering questions, then log in
    Configure(commands::configure::Args),
    /// Log in to an SSO session in the browser (or with a device code); writes the shared AWS token cache
    Login(commands::login::Args),
    /// Log out: the portal's Logout, then remove the session's token and ssopick's cached credentials
    Logout(commands::logout::Args),
    /// Open the AWS console for a role in your browser (or print the sign-in link)
    Console(commands::console::Args),
    /// Serve a role's credentials on a local endpoint (renewed) for other processes, until Ctrl-C
    Serve(commands::serve::Args),
    /// Print the ExecCredential kubectl reads for an EKS cluster (as `aws eks get-token`)
    #[command(name = "eks-token")]
    EksToken(commands::eks_token::Args),
    /// Add a kubectl user that runs `ssopick eks-token` for a role, and point the cluster's contexts at it
    Kubeconfig(commands::kubeconfig::Args),
    /// Import granted's or aws-sso-cli's sessions and account aliases, tags and regions (a dry run unless --write)
    Import(commands::import::Args),
    /// Show sessions, snapshots and running endpoints from files alone (--short for a prompt, --json)
    Status(commands::status::Args),
    /// Check the set-up: files, each session's login and snapshot, endpoints, browser, clipboard
    Doctor(commands::doctor::Args),
    /// Print the `ssopick-use` shell function: set a role's keys in the current shell
    Init(commands::init::Args),
    /// Print a shell completion script
    Completions(commands::completions::Args),
    /// Print the man pages (roff): the main one, a subcommand's, or all into a folder
    Man(commands::man::Args),
    /// Internal: account, role or QUERY candidates for the completion scripts
    #[command(name = "__complete", hide = true)]
    Complete(commands::complete::Args),
    /// Internal: the detached process that keeps the clipboard served
    #[command(name = "__clipboard-serve", hide = true)]
    ClipboardServe { clear_after: u64 },
}

/// The longest argument ssopick takes (names, URLs, queries).
const MAX_ARG: usize = 4096;

/// Parses the process arguments, runs, and returns the exit code.
pub fn main() -> i32 {
    crate::app::STARTED.get_or_init(std::time::Instant::now);
    // Over-long arguments are refused before anything uses them.
    if let Some(a) = std::env::args_os().find(|a| a.len() > MAX_ARG) {
        eprintln!(
            "ssopick: an argument of {} bytes is too long (at most {MAX_ARG})",
            a.len()
        );
        return exit::USAGE;
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(text) = fast::warm_answer(&args) {
        // Keys in memory: no core dump, as on the full path.
        let _ = crate::edge::core_dumps::forbid();
        return match crate::app::output::print(&text) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("ssopick: {e}");
                e.exit_code()
            }
        };
    }
    let cli = match parse(args) {
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
    // Before any thread: how deep this run is through profiles'
    // credential_process commands, for the children to see.
    crate::edge::process::mark_profile_depth();
    // A process that may hold tokens or keys never dumps core.
    if !matches!(
        cli.command,
        Some(Command::Completions(_) | Command::Complete(_) | Command::Man(_) | Command::Init(_))
    ) && let Err(e) = crate::edge::core_dumps::forbid()
        && cli.globals.verbose
    {
        eprintln!("ssopick: core dumps could not be turned off: {e}");
    }
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
            // Errors quote names, URLs and files: nothing in them may act
            // on the terminal.
            eprintln!(
                "ssopick: {}",
                crate::core::catalog::clean_lines(&e.to_string())
            );
            e.exit_code()
        }
    }
}

pub async fn run(cli: Cli, env: Env) -> Result<i32, Error> {
    // Commands that need no SSO session.
    match &cli.command {
        Some(Command::ClipboardServe { clear_after }) => {
            return Ok(crate::edge::clipboard::serve(*clear_after));
        }
        Some(Command::Completions(args)) => {
            return commands::completions::run(command(), args);
        }
        Some(Command::Complete(args)) => return commands::complete::run(&env, args),
        Some(Command::Man(args)) => return commands::man::run(command(), args),
        Some(Command::Init(args)) => return commands::init::run(args),
        Some(Command::Doctor(_)) => {
            crate::edge::log::set_verbose(cli.globals.verbose);
            if cli.globals.demo {
                return commands::doctor::run_demo(&env);
            }
            return commands::doctor::run(&env, crate::edge::clock::system().as_ref());
        }
        _ => {}
    }
    let globals = cli.globals.to_globals();
    crate::edge::log::set_verbose(globals.verbose);
    // Never a picker or a question: an agent or kubectl may share our terminal.
    let never_interactive = match &cli.command {
        Some(Command::Export(a)) => a.format == Some(Format::Claude),
        Some(Command::EksToken(_)) => true,
        _ => false,
    };
    if never_interactive {
        crate::edge::tty::never();
    }
    // The warm path: one role named by id, answered from the credential
    // cache before any set-up.
    let warm = match &cli.command {
        Some(Command::CredentialProcess(a)) => Some(a.by_ids()),
        Some(Command::Export(a)) => a.by_ids(&globals),
        Some(Command::EksToken(a)) => a.by_ids(&globals, &env),
        _ => None,
    };
    if let Some((ask, shape)) = &warm
        && let Some(text) = crate::app::deliver::answer::from_cache(
            &globals,
            &env,
            ask,
            crate::edge::clock::system().now(),
            shape,
        )
    {
        return crate::app::output::print(&text);
    }
    let clock = crate::edge::clock::system();
    let setup = Setup::load(globals.clone(), env.clone(), clock.clone()).await?;
    let result = dispatch(&setup, cli.command.clone(), &cli.query).await;
    // An expired session in an interactive run: offer to log in, then carry on.
    let recoverable = !matches!(
        cli.command,
        Some(Command::CredentialProcess(_) | Command::Login(_) | Command::Logout(_))
    ) && !setup.is_demo()
        && globals.session.as_deref() != Some("all");
    match result {
        Err(e @ (Error::SessionExpired { .. } | Error::NotLoggedIn { .. })) if recoverable => {
            if crate::edge::prompt::ask(&format!("ssopick: {e}\nLog in now? [Y/n] "), true)
                != Some(true)
            {
                return Err(e);
            }
            let (target, url) = Target::for_login(&setup).await?;
            let opts = crate::core::sso::flow::LoginOptions::from_settings(&setup.settings.login);
            crate::app::login::login(&target.tokens, &setup.env, &opts, &url).await?;
            let setup = Setup::load(globals, env, clock).await?;
            dispatch(&setup, cli.command, &cli.query).await
        }
        other => other,
    }
}

/// `ssopick lsit`: a first word that is no command but within two edits
/// of one. When it starts a part of no row's field (the selection rule's
/// part rule, on the snapshot) it is a typo: an error (exit 2). Otherwise
/// it is a query, and the hint is said once on stderr.
fn mistyped_command(setup: &Setup, query: &[String]) -> Option<Error> {
    let first = query.first()?;
    let cli = Cli::command();
    let names: Vec<&str> = cli
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(clap::Command::get_name)
        .collect();
    let meant = crate::core::select::meant_command(first, &names)?;
    let hint = format!(
        "did you mean 'ssopick {meant}'? (to search for it: ssopick list {})",
        quote_word(first)
    );
    if crate::app::pick::rows::snapshot_matches(setup, std::slice::from_ref(first)) {
        eprintln!("ssopick: {hint}");
        return None;
    }
    Some(Error::Usage(format!(
        "{:?} is not a command; {hint}",
        crate::core::catalog::clean_text(first)
    )))
}

async fn dispatch(
    setup: &Setup,
    command: Option<Command>,
    top_query: &[String],
) -> Result<i32, Error> {
    let Some(command) = command else {
        if let Some(e) = mistyped_command(setup, top_query) {
            return Err(e);
        }
        return commands::default::run(setup, top_query).await;
    };
    match command {
        Command::List(a) => commands::list::run(setup, a).await,
        Command::Shell(a) => commands::shell::run(setup, a).await,
        Command::Exec(a) => commands::exec::run(setup, a).await,
        Command::Export(a) => commands::export::run(setup, a).await,
        Command::Copy(a) => commands::copy::run(setup, a).await,
        Command::CredentialProcess(a) => commands::credential_process::run(setup, &a).await,
        Command::Profile(a) => commands::profile::run(setup, a).await,
        Command::Login(a) => commands::login::run(setup, a).await,
        Command::Configure(a) => commands::configure::run(setup, a).await,
        Command::Logout(a) => commands::logout::run(setup, a).await,
        Command::Console(a) => commands::console::run(setup, a).await,
        Command::Serve(a) => commands::serve::run(setup, a).await,
        Command::Status(a) => commands::status::run(setup, a),
        Command::Import(a) => commands::import::run(setup, &a),
        Command::EksToken(a) => commands::eks_token::run(setup, a).await,
        Command::Kubeconfig(a) => commands::kubeconfig::run(setup, a).await,
        Command::Pick(a) => commands::pick::run(setup, a).await,
        Command::Completions(a) => commands::completions::run(self::command(), &a),
        Command::Complete(a) => commands::complete::run(&setup.env, &a),
        Command::Man(a) => commands::man::run(self::command(), &a),
        Command::Init(a) => commands::init::run(&a),
        Command::Doctor(_) => commands::doctor::run(&setup.env, setup.clock.as_ref()),
        Command::ClipboardServe { clear_after } => Ok(crate::edge::clipboard::serve(clear_after)),
    }
}

/// A word as the user can type it back: as is when it is plain, else
/// single-quoted (and never with control characters).
fn quote_word(w: &str) -> String {
    let w = crate::core::catalog::clean_text(w);
    if !w.is_empty()
        && w.chars()
            .all(|c| c.is_alphanumeric() || "-_.,:/@+=%^".contains(c))
    {
        w
    } else {
        crate::core::export::quote_posix(&w)
    }
}
