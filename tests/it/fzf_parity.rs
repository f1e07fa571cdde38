//! fzf's operators as fzf itself reads them: on a catalog where no id or
//! role can match the query, the accounts `ssopick list --json QUERY`
//! returns are the names `fzf --filter QUERY` returns (sets, not order).
//! Debian's fzf 0.38 (`.ci/run` installs it); in CI a missing fzf fails.

use crate::common::*;
use std::collections::BTreeSet;
use std::io::Write;

/// Names with accents, capitals, spaces and shared prefixes; every role is
/// `QQ` and every id digits, and no query below has a digit or a `q`.
const NAMES: &[&str] = &[
    "core-dev-eu-1",
    "core-dev-eu-10",
    "core-dev-eu-119",
    "core-dev",
    "CoreDev",
    "core-prod",
    "data lake",
    "data lake prod",
    "Übersicht-Prod",
    "ubersicht-dev",
    "café-dev",
    "cafe-ops",
    "naïve-ml",
    "Ünïcode Team ✓",
    "Łódź-ops",
    "straße-dev",
    "smørrebrød",
    "payments-prod",
    "payments-dev",
    "Payments-Staging",
    "mobile-qa-us-1",
    "mobile-qa-us-198",
    "search-prod",
    "security-audit",
    "ml-sandbox",
    "Ärger-dev",
    "ops$-weird",
    "it's-legacy",
];

const QUERIES: &[&str] = &[
    "dev",
    "Dev",
    "DEV",
    "core dev",
    "cd",
    "'dev",
    "'Dev",
    "^core",
    "^Core",
    "prod$",
    "Prod$",
    "^core-dev$",
    "^CORE-DEV$",
    "^data\\ lake$",
    "'data\\ lake",
    "!dev",
    "!Dev",
    "!^core",
    "!prod$",
    "!'dev",
    "'dev$",
    "dev | prod",
    "^data | ops$",
    "^core !dev",
    "| dev",
    "dev | | ops",
    "ubersicht",
    "Ubersicht",
    "übersicht",
    "Übersicht",
    "uber",
    "cafe",
    "café",
    "naive",
    "unicode team",
    "lodz",
    "łódź",
    "strase",
    "strasse",
    "smør",
    "smor",
    "arger",
    "ärger",
    "$",
    "ops$",
    "'s-",
    "team ✓",
    "!e",
    "^ü",
];

fn fzf_available() -> bool {
    std::process::Command::new("fzf")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test(flavor = "multi_thread")]
async fn list_finds_the_accounts_fzf_finds() {
    if !fzf_available() {
        skip_or_fail("fzf");
        return;
    }
    let org = ssopick::fake::FakeOrg {
        accounts: NAMES
            .iter()
            .enumerate()
            .map(|(i, n)| fake_account(&format!("{:012}", 500_000_000_000 + i), n, &["QQ"]))
            .collect(),
    };
    let (portal, home) = logged_in_to(org, ssopick::fake::FakeOptions::default()).await;
    home.take_snapshot(portal.url()).await;
    let names = home.path().join("names.txt");
    std::fs::write(&names, NAMES.join("\n") + "\n").unwrap();
    let mut failures = Vec::new();
    let mut found = 0;
    for q in QUERIES {
        let fzf = std::process::Command::new("fzf")
            .args(["--filter", q])
            .stdin(std::fs::File::open(&names).unwrap())
            .output()
            .unwrap();
        let want: BTreeSet<String> = String::from_utf8_lossy(&fzf.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        let o = run(home
            .cmd(Some(portal.url()))
            .args(["list", "--offline", "--json", q]))
        .await;
        let rows: serde_json::Value =
            serde_json::from_str(&stdout(&o)).unwrap_or(serde_json::Value::Array(Vec::new()));
        let got: BTreeSet<String> = rows
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r["accountName"].as_str().map(str::to_string))
            .collect();
        found += usize::from(!want.is_empty());
        if got != want {
            failures.push(format!(
                "{q:?}: ssopick {got:?}\n        fzf     {want:?}\n        {}",
                stderr(&o).trim()
            ));
        }
    }
    let mut err = std::io::stderr();
    for f in &failures {
        let _ = writeln!(err, "{f}");
    }
    assert!(
        failures.is_empty(),
        "{} queries differ from fzf",
        failures.len()
    );
    assert!(
        found > QUERIES.len() * 3 / 4,
        "most queries find something: {found}"
    );
}

/// Accented letters fold as fzf folds them, in any case and with smart
/// case: every letter of Latin-1 and Latin Extended-A and -B against each
/// ASCII letter typed as a query.
#[test]
fn accents_fold_as_fzf_folds_them() {
    use ssopick::core::fold::Fold;
    if !fzf_available() {
        skip_or_fail("fzf");
        return;
    }
    let letters: Vec<char> = ('\u{c0}'..='\u{24f}')
        .chain('A'..='Z')
        .chain('a'..='z')
        .filter(|c| c.is_alphabetic())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let lines = dir.path().join("letters.txt");
    let text: String = letters.iter().flat_map(|&c| [c, '\n']).collect();
    std::fs::write(&lines, text).unwrap();
    let mut differ = Vec::new();
    for typed in ('a'..='z').chain('A'..='Z') {
        let q = typed.to_string();
        let fzf = std::process::Command::new("fzf")
            .args(["--filter", &q])
            .stdin(std::fs::File::open(&lines).unwrap())
            .output()
            .unwrap();
        let want: BTreeSet<char> = String::from_utf8_lossy(&fzf.stdout)
            .lines()
            .filter_map(|l| l.chars().next())
            .collect();
        let fold = Fold::of_term(&q);
        let got: BTreeSet<char> = letters
            .iter()
            .copied()
            .filter(|&c| fold.char(c) == typed)
            .collect();
        if got != want {
            differ.push(format!(
                "{q}: only ssopick {:?}, only fzf {:?}",
                got.difference(&want).collect::<Vec<_>>(),
                want.difference(&got).collect::<Vec<_>>()
            ));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}
