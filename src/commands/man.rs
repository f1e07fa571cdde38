//! `ssopick man`: the man pages (roff). `ssopick.1` has the picker's keys,
//! FILES, ENVIRONMENT and EXIT STATUS; each subcommand has its own page
//! (`ssopick-list.1`, ...), printed by `ssopick man list` or written all
//! at once with `--dir`. On a terminal the page is shown (`edge::pager`:
//! man-db's `man -l -`, mandoc, or plain text in `$PAGER`); elsewhere it is
//! printed as roff.

use crate::app::error::{EXIT_CODES, Error};
use crate::app::output::print;
use crate::core::manual::{ENVIRONMENT, FILES};
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick man               # shown on a terminal (man -l -, mandoc, or $PAGER)\n  ssopick man list > ssopick-list.1\n  ssopick man --dir ~/.local/share/man/man1"
)]
pub struct Args {
    /// The subcommand whose page to print (default: the main page)
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
    /// Write every page (ssopick.1, ssopick-list.1, ...) into this folder
    #[arg(long, value_name = "DIR", conflicts_with = "command")]
    pub dir: Option<PathBuf>,
}

/// Text for roff: backslashes and leading dots or quotes cannot act.
fn roff(text: &str) -> String {
    let t = text.replace('\\', "\\e").replace('-', "\\-");
    if t.starts_with('.') || t.starts_with('\'') {
        format!("\\&{t}")
    } else {
        t
    }
}

fn table_section(out: &mut String, title: &str, rows: &[(&str, &str)]) {
    out.push_str(&format!(".SH \"{title}\"\n"));
    for (k, v) in rows {
        out.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", roff(k), roff(v)));
    }
}

fn render(cmd: clap::Command, main: bool) -> Result<String, Error> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    let io = |r: std::io::Result<()>| r.map_err(Error::Stdout);
    io(man.render_title(&mut out))?;
    io(man.render_name_section(&mut out))?;
    io(man.render_synopsis_section(&mut out))?;
    io(man.render_description_section(&mut out))?;
    io(man.render_options_section(&mut out))?;
    if main {
        io(man.render_subcommands_section(&mut out))?;
    }
    let mut text = String::from_utf8_lossy(&out).into_owned();
    if main {
        table_section(
            &mut text,
            "PICKER KEYS",
            &crate::picker::keys::table::lines(),
        );
        table_section(&mut text, "FILES", FILES);
        table_section(&mut text, "ENVIRONMENT", ENVIRONMENT);
        let codes: Vec<(String, &str)> = EXIT_CODES
            .iter()
            .map(|(c, w)| (c.to_string(), *w))
            .collect();
        let rows: Vec<(&str, &str)> = codes.iter().map(|(c, w)| (c.as_str(), *w)).collect();
        table_section(&mut text, "EXIT STATUS", &rows);
    }
    let mut out = Vec::new();
    io(man.render_extra_section(&mut out))?;
    io(man.render_version_section(&mut out))?;
    text.push_str(&String::from_utf8_lossy(&out));
    if !main {
        text.push_str(".SH \"SEE ALSO\"\n\\fBssopick\\fR(1)\n");
    }
    Ok(text)
}

/// The page of one subcommand, named `ssopick-NAME`.
fn sub_page(cli: &clap::Command, name: &str) -> Option<(String, clap::Command)> {
    let sub = cli
        .get_subcommands()
        .find(|s| s.get_name() == name && !s.is_hide_set())?
        .clone();
    let page = format!("ssopick-{name}");
    Some((
        page.clone(),
        sub.display_name(page)
            .bin_name(format!("ssopick {name}"))
            .version(env!("CARGO_PKG_VERSION")),
    ))
}

/// Prints `roff`, or shows it when stdout is a terminal.
fn out(roff: &str) -> Result<i32, Error> {
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return print(roff);
    }
    let env = crate::edge::env::Env::capture();
    let plain = crate::core::manual::roff_to_text(roff);
    crate::edge::pager::show(roff, &plain, &env).map_err(Error::Stdout)?;
    Ok(0)
}

/// `cli` is the whole command-line definition.
pub(crate) fn run(mut cli: clap::Command, args: &Args) -> Result<i32, Error> {
    // Built, so the pages include what clap adds (the `help` subcommand).
    cli.build();
    if let Some(dir) = &args.dir {
        std::fs::create_dir_all(dir).map_err(|e| Error::file("create", dir, e))?;
        let main = cli.clone().after_help(crate::app::error::help_examples());
        let mut pages = vec![("ssopick".to_string(), render(main, true)?)];
        for s in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
            if let Some((name, cmd)) = sub_page(&cli, s.get_name()) {
                pages.push((name, render(cmd, false)?));
            }
        }
        let mut written = String::new();
        for (name, text) in pages {
            let path = dir.join(format!("{name}.1"));
            std::fs::write(&path, text).map_err(|e| Error::file("write", &path, e))?;
            written.push_str(&format!("{}\n", path.display()));
        }
        return print(&written);
    }
    match &args.command {
        // The exit codes are the EXIT STATUS section, not the footer too.
        None => out(&render(
            cli.after_help(crate::app::error::help_examples()),
            true,
        )?),
        Some(name) => match sub_page(&cli, name) {
            Some((_, cmd)) => out(&render(cmd, false)?),
            None => Err(Error::Usage(format!(
                "no such command: {:?} (see `ssopick --help`)",
                crate::core::catalog::clean_text(name)
            ))),
        },
    }
}
