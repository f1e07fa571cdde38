//! The rule on small catalogs; `exhaustive` proves it on generated
//! organisations.
use super::*;

fn cat() -> Catalog {
    Catalog::from_rows(
        "s",
        [
            (
                "111111111111",
                "payments-prod",
                vec!["AdministratorAccess", "ReadOnlyAccess"],
            ),
            ("222222222222", "payments-dev", vec!["AdministratorAccess"]),
            ("333333333333", "search-prod", vec!["ReadOnlyAccess"]),
        ],
        |_| String::new(),
    )
}

fn q(s: &str) -> Vec<String> {
    vec![s.to_string()]
}

fn sel<'a>(
    c: &'a Catalog,
    account: Option<&str>,
    role: Option<&str>,
    query: &[String],
) -> Selection<'a> {
    let h = History::default();
    select(
        &[c],
        &Ask {
            account,
            role,
            query,
        },
        &Frecency {
            history: &h,
            now: UtcTime(0),
        },
        Listed::of(&[c]),
    )
}

#[test]
fn typos_of_commands() {
    let cmds = ["list", "export", "profile", "console", "shell"];
    assert_eq!(meant_command("lsit", &cmds), Some("list"));
    assert_eq!(meant_command("exprot", &cmds), Some("export"));
    assert_eq!(meant_command("proifle", &cmds), Some("profile"));
    assert_eq!(meant_command("ops", &cmds), None, "short words are queries");
    assert_eq!(meant_command("payments", &cmds), None);
    assert_eq!(meant_command("list", &cmds), None);
    assert_eq!(edit_distance("kitten", "sitting"), 3);
    assert_eq!(edit_distance("lsit", "list"), 1);
}

#[test]
fn rule() {
    let c = cat();
    assert!(
        matches!(sel(&c, None, None, &q("search")), Selection::One(e) if e.account.account_id == "333333333333")
    );
    assert!(
        matches!(sel(&c, None, None, &q("payments admin")), Selection::Many { rows, .. } if rows.len() == 2)
    );
    assert!(matches!(
        sel(&c, Some("payments-PROD"), Some("readonlyaccess"), &[]),
        Selection::One(_)
    ));
    assert!(
        matches!(sel(&c, Some("222222222222"), None, &[]), Selection::One(e) if e.role == "AdministratorAccess")
    );
    // A scattered match ranks, but never selects.
    assert!(matches!(
        sel(&c, None, None, &q("paymnts prd read")),
        Selection::Many { rows, pending: false } if rows.len() == 1
    ));
    // Both words start a part of one field each, in one row only.
    assert!(
        matches!(sel(&c, None, None, &q("prod admin")), Selection::One(e) if e.account.account_name == "payments-prod")
    );
    match sel(&c, None, None, &q("paymnts qqq")) {
        Selection::None { closest } => {
            assert_eq!(closest[0].account.account_name, "payments-prod");
        }
        other => panic!("{other:?}"),
    }
    let msg = no_match_message("'x'", &[]);
    assert!(msg.contains("ssopick list"));
}

#[test]
fn an_exact_name_is_the_only_candidate() {
    let c = cat();
    // search-prod lacks AdministratorAccess: no other account's row.
    match sel(&c, None, None, &["search-prod".into(), "Admin".into()]) {
        Selection::Lacks { named, words } => {
            assert_eq!(named.len(), 1);
            assert_eq!(named[0].account.account_name, "search-prod");
            assert_eq!(named[0].roles, Some(&["ReadOnlyAccess".to_string()][..]));
            assert_eq!(words, "Admin");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        sel(&c, None, None, &["PAYMENTS-prod".into(), "read".into()]),
        Selection::One(e) if e.role == "ReadOnlyAccess"
    ));
    assert!(matches!(
        sel(&c, None, None, &["111111111111".into()]),
        Selection::Many { rows, .. } if rows.len() == 2
    ));
    // Incomplete: every account must be in before a name settles it.
    let mut part = cat();
    part.complete = false;
    let h = History::default();
    let f = Frecency {
        history: &h,
        now: UtcTime(0),
    };
    let ask = Ask {
        account: None,
        role: None,
        query: &["payments-prod".into(), "read".into()],
    };
    assert!(matches!(
        select(&[&part], &ask, &f, Listed::of(&[&part])),
        Selection::Many { pending: true, .. }
    ));
    let accounts_in = Listed {
        accounts: true,
        roles: false,
    };
    assert!(matches!(
        select(&[&part], &ask, &f, accounts_in),
        Selection::One(_)
    ));
}

#[test]
fn a_word_ending_in_a_digit_ends_a_part() {
    let c = Catalog::from_rows(
        "s",
        [
            ("111111111111", "core-dev-eu-10", vec!["Admin"]),
            ("222222222222", "core-dev-eu-1", vec!["Billing"]),
            ("333333333333", "core-dev-eu-119", vec!["Admin"]),
        ],
        |_| String::new(),
    );
    assert!(
        matches!(sel(&c, None, None, &q("eu-10 admin")), Selection::One(e) if e.account.account_id == "111111111111")
    );
    // `eu-1` is in none of the others: only core-dev-eu-1 qualifies, and
    // it lacks Admin.
    assert!(matches!(
        sel(&c, None, None, &q("eu-1 admin")),
        Selection::Many { .. }
    ));
    assert!(matches!(
        sel(&c, None, None, &["core-dev-eu-1".into(), "admin".into()]),
        Selection::Lacks { .. }
    ));
}
