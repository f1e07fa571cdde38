//! The hottest command line, `credential-process --session S --account ID
//! --role NAME` (what an SDK runs for every new client), answered from the
//! credential cache before clap builds its parser and before the async
//! runtime starts: about half a millisecond of the 2 ms a warm answer
//! costs. Any other shape (another option, `--x=y`, a value that starts
//! with `-`, a repeat) goes through the full parser unchanged, and so does
//! anything the cache cannot answer.

use crate::app::deliver::answer::{self, Ask, Shape};
use crate::app::setup::Globals;
use crate::edge::env::Env;
use std::ffi::OsString;

/// `Globals` for the exact shape `credential-process` followed by
/// `--session`, `--account` and `--role`, each once with a value, in any
/// order; `None` for anything else.
fn exact_shape(args: &[OsString]) -> Option<Globals> {
    let [sub, rest @ ..] = args.get(1..)? else {
        return None;
    };
    if sub != "credential-process" || rest.len() != 6 {
        return None;
    }
    let mut g = Globals::default();
    for pair in rest.chunks(2) {
        let (flag, value) = (pair[0].to_str()?, pair[1].to_str()?);
        if value.is_empty() || value.starts_with('-') {
            return None;
        }
        let slot = match flag {
            "--session" => &mut g.session,
            "--account" => &mut g.account,
            "--role" => &mut g.role,
            _ => return None,
        };
        if slot.replace(value.to_string()).is_some() {
            return None;
        }
    }
    Some(g)
}

/// The JSON for the exact shape, when the cache answers it.
pub(super) fn warm_answer(args: &[OsString]) -> Option<String> {
    let g = exact_shape(args)?;
    answer::by_ids(&g).then_some(())?;
    let now = crate::edge::clock::system().now();
    answer::from_cache(&g, &Env::capture(), &Ask::default(), now, &Shape::Process)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<OsString> {
        std::iter::once("ssopick")
            .chain(a.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn only_the_exact_shape_is_taken() {
        let g = exact_shape(&args(&[
            "credential-process",
            "--role",
            "Admin",
            "--session",
            "corp",
            "--account",
            "123456789012",
        ]))
        .unwrap();
        assert_eq!(
            (
                g.session.as_deref(),
                g.account.as_deref(),
                g.role.as_deref()
            ),
            (Some("corp"), Some("123456789012"), Some("Admin"))
        );
        for other in [
            &[
                "credential-process",
                "--session",
                "corp",
                "--account",
                "1",
                "--no-cache",
                "x",
            ][..],
            &[
                "credential-process",
                "--session",
                "corp",
                "--account",
                "1",
                "--account",
                "2",
            ],
            &[
                "credential-process",
                "--session=corp",
                "--account",
                "1",
                "--role",
                "R",
                "x",
            ],
            &[
                "credential-process",
                "--session",
                "--demo",
                "--account",
                "1",
                "--role",
                "R",
            ],
            &[
                "credential-process",
                "--session",
                "corp",
                "--account",
                "1",
                "--role",
            ],
            &[
                "export",
                "--session",
                "corp",
                "--account",
                "1",
                "--role",
                "R",
            ],
            &[
                "--demo",
                "credential-process",
                "--session",
                "corp",
                "--account",
                "1",
            ],
        ] {
            assert!(exact_shape(&args(other)).is_none(), "{other:?}");
        }
    }
}
