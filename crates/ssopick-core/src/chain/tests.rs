use super::*;
use crate::catalog::{Account, AccountRoles, Catalog};
use crate::config_rows::{add_rows, row};
use crate::settings::Settings;

const GOOD: &str = r#"
[[chain]]
name = "deploy-prod"
role_arn = "arn:aws:iam::123456789012:role/ops/Deployer"
via = { account = "111111111111", role = "AdministratorAccess" }
duration = "30m"
"#;

#[test]
fn arn_parts_take_the_last_path_part() {
    assert_eq!(
        arn_parts("arn:aws:iam::123456789012:role/ops/Deployer"),
        Some(("aws", "123456789012", "Deployer"))
    );
    assert_eq!(
        arn_parts("arn:aws-cn:iam::123456789012:role/R"),
        Some(("aws-cn", "123456789012", "R"))
    );
    for bad in [
        "",
        "arn:aws:iam::12345678901:role/R",
        "arn:aws:iam::123456789012:user/R",
        "arn:aws:sts::123456789012:role/R",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role//R",
        "arn:aws:iam::123456789012:role/R x",
        "arn:aws:iam::123456789012:role/R\n",
        "arn:AWS:iam::123456789012:role/R",
        "arn:awsfoo:iam::123456789012:role/R",
    ] {
        assert_eq!(arn_parts(bad), None, "{bad:?}");
    }
}

#[test]
fn a_declaration_parses_and_names_its_row() {
    let s = Settings::parse(GOOD).unwrap();
    let c = &s.chains[0];
    assert_eq!(c.account_id(), "123456789012");
    assert_eq!(c.role_name(), "Deployer");
    assert_eq!(c.duration_secs(), 1800);
    assert_eq!(c.marker(), "⤷ via AdministratorAccess@111111111111");
    let row = row(c);
    assert_eq!(row.account.account_name, "deploy-prod");
    assert_eq!(row.roles, Some(vec!["Deployer".to_string()]));
    assert!(row.account.chain.is_some());
}

#[test]
fn bad_declarations_are_named() {
    let cases = [
        (GOOD.replace("deploy-prod", "deploy prod"), "name"),
        (GOOD.replace("role/ops/Deployer", "user/x"), "role_arn"),
        (GOOD.replace("111111111111", "1111"), "via.account"),
        (
            GOOD.replace("AdministratorAccess", "Admin Access"),
            "via.role",
        ),
        (GOOD.replace("30m", "2h"), "duration"),
        (GOOD.replace("30m", "5m"), "duration"),
        (
            GOOD.replace("duration = \"30m\"", "session_name = \"a b\""),
            "session_name",
        ),
        (
            GOOD.replace("duration = \"30m\"", "external_id = \"x\""),
            "external_id",
        ),
        (
            GOOD.replace("duration = \"30m\"", "region = \"not a region\""),
            "region",
        ),
        (
            GOOD.replace("duration = \"30m\"", "colour = 1"),
            "unknown field",
        ),
        (format!("{GOOD}{GOOD}"), "twice"),
    ];
    for (text, word) in cases {
        let e = Settings::parse(&text).unwrap_err();
        assert!(e.contains(word), "{word}: {e}");
    }
}

#[test]
fn session_names() {
    assert_eq!(default_session_name("jo doe;rm"), "ssopick-jodoerm");
    assert!(valid_session_name(&default_session_name(&"x".repeat(200))));
    assert!(!valid_session_name("a"));
}

#[test]
fn capped_takes_the_earlier() {
    let (a, b) = (UtcTime(100), UtcTime(50));
    assert_eq!(capped(a, b), b);
    assert_eq!(capped(b, a), b);
}

#[test]
fn rows_go_to_the_session_that_lists_the_via_account() {
    let s = Settings::parse(GOOD).unwrap();
    let cat = |session: &str, ids: &[&str]| {
        let mut c = Catalog::new(session, "https://x", "us-east-1", UtcTime(0));
        c.accounts = ids
            .iter()
            .map(|id| AccountRoles {
                account: Account::new(id.to_string(), id.to_string(), ""),
                roles: None,
            })
            .collect();
        c
    };
    let (mut a, mut b) = (cat("a", &["222222222222"]), cat("b", &["111111111111"]));
    add_rows(&mut [&mut a, &mut b], &s.chains);
    assert_eq!(a.accounts.len(), 1);
    assert_eq!(b.accounts.len(), 2);
    // Nobody lists it: the first session has it.
    let (mut a, mut b) = (cat("a", &[]), cat("b", &[]));
    add_rows(&mut [&mut a, &mut b], &s.chains);
    assert_eq!((a.accounts.len(), b.accounts.len()), (1, 0));
    // A named session wins.
    let named = Settings::parse(&GOOD.replace(
        "role = \"AdministratorAccess\" }",
        "role = \"AdministratorAccess\", session = \"a\" }",
    ))
    .unwrap();
    let (mut a, mut b) = (cat("a", &[]), cat("b", &["111111111111"]));
    add_rows(&mut [&mut a, &mut b], &named.chains);
    assert_eq!((a.accounts.len(), b.accounts.len()), (1, 1));
    assert!(a.accounts[0].account.chain.is_some());
}
