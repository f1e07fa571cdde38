//! `ssopick doctor`'s report: checks, each ok, a warning, or a failure
//! with the fix on the same line. Pure: the command gathers the facts.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warn,
    Fail,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub status: Status,
    pub what: String,
    /// What to do about it (warnings and failures).
    pub fix: Option<String>,
}

impl Check {
    pub fn ok(what: impl Into<String>) -> Check {
        Check {
            status: Status::Ok,
            what: what.into(),
            fix: None,
        }
    }
    pub fn warn(what: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            status: Status::Warn,
            what: what.into(),
            fix: Some(fix.into()),
        }
    }
    pub fn fail(what: impl Into<String>, fix: impl Into<String>) -> Check {
        Check {
            status: Status::Fail,
            what: what.into(),
            fix: Some(fix.into()),
        }
    }
}

/// The report as printed: a heading per group, one line per check.
pub fn render(groups: &[(String, Vec<Check>)]) -> String {
    let mut out = String::new();
    for (title, checks) in groups {
        out.push_str(&crate::catalog::clean_text(title));
        out.push('\n');
        for c in checks {
            let mark = match c.status {
                Status::Ok => "  ok   ",
                Status::Warn => "  warn ",
                Status::Fail => "  FAIL ",
            };
            out.push_str(mark);
            // A multi-line message (a TOML error) keeps its lines, indented.
            out.push_str(&crate::catalog::clean_lines(&c.what).replace('\n', "\n       "));
            if let Some(fix) = &c.fix {
                out.push_str(" -> ");
                out.push_str(&crate::catalog::clean_text(fix));
            }
            out.push('\n');
        }
    }
    out
}

/// Whether anything failed (the exit code is then non-zero).
pub fn failed(groups: &[(String, Vec<Check>)]) -> bool {
    groups
        .iter()
        .flat_map(|(_, c)| c)
        .any(|c| c.status == Status::Fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_carry_their_fix_on_the_line() {
        let g = vec![(
            "Files".to_string(),
            vec![
                Check::ok("config: ~/.aws/config"),
                Check::fail("config.toml: bad\x1b[2J", "fix it"),
            ],
        )];
        let r = render(&g);
        assert!(r.contains("  ok   config: ~/.aws/config\n"));
        assert!(r.contains("  FAIL config.toml: bad"));
        assert!(r.contains(" -> fix it\n"));
        assert!(!r.contains('\x1b'));
        assert!(failed(&g));
        assert!(!failed(&g[..0]));
    }
}
