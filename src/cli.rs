//! Command-line surface (clap) and the top-level run: parse, set up, run one
//! command, turn its outcome into an exit code. stdout carries only results.

use crate::context::{Context, Globals};
use crate::error::{EXIT_CODES_HELP, Error, exit};
use crate::paths::Env;
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
    pub command: Command,
}

#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// Which SSO session: an [sso-session] name, a start URL, or a profile name
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
        }
    }
}

#[derive(Debug, Subcommand)]
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
}

/// Parses the process arguments, runs, and returns the exit code.
pub fn main() -> i32 {
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

pub async fn run(cli: Cli, env: Env) -> Result<i32, Error> {
    let globals = cli.globals.to_globals();
    let ctx = Context::new(&globals, env).await?;
    match cli.command {
        Command::List { query, json } => crate::commands::list::run(&ctx, &query, json).await,
    }
}
