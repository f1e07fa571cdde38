//! Which of the top-level options apply to which subcommand. They are
//! declared once (`GlobalArgs`) and copied into each subcommand they mean
//! something to, so `ssopick login --help` shows `--session` but not
//! `--account`, and `ssopick login --role x` is an error, not a no-op.
//! Given before the subcommand, they still work everywhere they apply.

use clap::{Arg, ArgMatches, Command};

const SESSION: &[&str] = &["session", "demo", "verbose"];
const LISTING: &[&str] = &["refresh", "offline", "sso_only"];
const TARGET: &[&str] = &["account", "role", "region", "yes"];

/// Every option `GlobalArgs` declares.
pub(super) const ALL: &[&str] = &[
    "session", "demo", "verbose", "refresh", "offline", "sso_only", "account", "role", "region",
    "yes",
];

/// The options that mean something to `sub`.
pub(super) fn applying_to(sub: &str) -> Vec<&'static str> {
    match sub {
        "list" | "pick" => [SESSION, LISTING, &["account", "role"][..]].concat(),
        "shell" | "exec" | "export" | "copy" | "console" | "serve" | "profile" => {
            [SESSION, LISTING, TARGET].concat()
        }
        "credential-process" => [SESSION, &["account", "role", "region"][..]].concat(),
        "eks-token" | "kubeconfig" => {
            [SESSION, LISTING, &["account", "role", "region"][..]].concat()
        }
        "login" | "logout" => SESSION.to_vec(),
        "doctor" => vec!["verbose", "demo"],
        "status" => vec!["verbose", "demo"],
        "configure" | "import" => vec!["verbose"],
        _ => Vec::new(),
    }
}

/// The command line with each subcommand given the options that apply to it.
pub(super) fn with_options(top: Command) -> Command {
    let globals: Vec<Arg> = top
        .get_arguments()
        .filter(|a| ALL.contains(&a.get_id().as_str()))
        .cloned()
        .collect();
    let names: Vec<String> = top
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names.into_iter().fold(top, |top, name| {
        let ids = applying_to(&name);
        // Only list and the commands that pick a role take `--session all`.
        let one_session = matches!(name.as_str(), "login" | "logout" | "credential-process");
        top.mut_subcommand(name, |sc| {
            globals
                .iter()
                .filter(|a| ids.contains(&a.get_id().as_str()))
                .map(|a| match a.get_id().as_str() {
                    "session" if one_session => a.clone().help(
                        "Which SSO session: an [sso-session] name, a start URL or a profile name",
                    ),
                    _ => a.clone(),
                })
                .fold(sc, clap::Command::arg)
        })
    })
}

/// Where the user gave an option after the subcommand, its value.
pub(super) fn given_after(m: &ArgMatches, id: &str) -> Option<Given> {
    let (_, sub) = m.subcommand()?;
    if !sub.try_contains_id(id).unwrap_or(false)
        || sub.value_source(id) != Some(clap::parser::ValueSource::CommandLine)
    {
        return None;
    }
    if let Ok(Some(s)) = sub.try_get_one::<String>(id) {
        return Some(Given::Text(s.clone()));
    }
    if let Ok(Some(b)) = sub.try_get_one::<bool>(id) {
        return Some(Given::Flag(*b));
    }
    None
}

pub(super) enum Given {
    Text(String),
    Flag(bool),
}

/// An option given before the subcommand that means nothing to it
/// (`ssopick --role x login`): named, so the user is not misled.
pub(super) fn misplaced(m: &ArgMatches) -> Option<String> {
    let (sub, _) = m.subcommand()?;
    let applying = applying_to(sub);
    ALL.iter()
        .find(|id| {
            !applying.contains(id)
                && m.value_source(id) == Some(clap::parser::ValueSource::CommandLine)
        })
        .map(|id| format!("--{id} does not apply to `ssopick {sub}` (see `ssopick {sub} --help`)"))
}
