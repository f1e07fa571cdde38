use super::*;

#[test]
fn case_insensitive_order_equals_lowercased_order() {
    let words = [
        "alpha", "Alpha", "ALPHA-2", "beta", "Beta_1", "élan", "Éclair", "zulu", "ß", "SS", "",
        "a", "A0",
    ];
    for a in words {
        for b in words {
            assert_eq!(
                cmp_ignoring_case(a, b),
                a.to_lowercase().cmp(&b.to_lowercase()),
                "{a} vs {b}"
            );
        }
    }
}

#[test]
fn untrusted_text_is_cleaned_and_ids_checked() {
    assert_eq!(clean_text("prod\n[default]"), "prod\u{FFFD}[default]");
    assert_eq!(
        clean_text("a\x1b]0;pwned\x07b"),
        "a\u{FFFD}]0;pwned\u{FFFD}b"
    );
    assert_eq!(clean_text("evil\u{202E}gnp.exe"), "evil\u{FFFD}gnp.exe");
    assert_eq!(clean_text("東京-prod é"), "東京-prod é");
    assert!(valid_account_id("123456789012"));
    assert!(!valid_account_id("12345678901x") && !valid_account_id("1234"));
    assert!(valid_role_name("AWSAdministratorAccess") && valid_role_name("a.b@c-d_e+f=g,h"));
    assert!(!valid_role_name("Admin $(id)") && !valid_role_name("") && !valid_role_name("a\nb"));
}

#[test]
fn numbers_sort_as_numbers() {
    let mut v = vec![
        "audit-1189",
        "audit-116",
        "audit-1152",
        "ap-10",
        "AP-9",
        "ap-09b",
        "ap-9a",
        "x2y10",
        "x2y9",
        "x10",
        "x007",
    ];
    v.sort_by(|a, b| cmp_ignoring_case(a, b));
    assert_eq!(
        v,
        [
            "AP-9",
            "ap-9a",
            "ap-09b",
            "ap-10",
            "audit-116",
            "audit-1152",
            "audit-1189",
            "x2y9",
            "x2y10",
            "x007",
            "x10"
        ]
    );
}

fn acct(id: &str, name: &str) -> Account {
    Account::new(id, name, format!("{name}@example.com"))
}

fn sample() -> Catalog {
    let mut c = Catalog::new("s", "https://x/start", "us-east-1", UtcTime(0));
    c.upsert_accounts([
        acct("111111111111", "payments-prod"),
        acct("222222222222", "Payments-Dev"),
    ]);
    c.set_roles(
        "111111111111",
        vec![
            "ReadOnly".into(),
            "AdministratorAccess".into(),
            "ReadOnly".into(),
        ],
    );
    c
}

#[test]
fn entries_skip_unknown_roles_and_dedup() {
    let c = sample();
    let e: Vec<_> = c
        .entries()
        .map(|e| (e.account.account_id.as_str(), e.role))
        .collect();
    assert_eq!(
        e,
        vec![
            ("111111111111", "AdministratorAccess"),
            ("111111111111", "ReadOnly")
        ]
    );
    assert_eq!(c.role_count(), 2);
}

#[test]
fn words_all_must_match_in_any_order() {
    let c = sample();
    let m = |q: &str| {
        c.entries()
            .filter(|e| entry_matches(e, &query_words(&[q.to_string()])))
            .count()
    };
    assert_eq!(m("pay"), 2);
    assert_eq!(m("ADMIN prod"), 1);
    assert_eq!(m("prod admin dev"), 0);
    assert_eq!(m("1111"), 2);
    assert_eq!(m("arn:aws:iam::111111111111:role/ReadOnly"), 1);
    assert_eq!(
        m(
            "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_AdministratorAccess_0123abcd"
        ),
        1
    );
}

#[test]
fn merge_partial_keeps_what_was_not_rechecked() {
    let mut old = sample();
    old.complete = true;
    let mut fresh = Catalog::new("s", "https://x/start", "us-east-1", UtcTime(10));
    fresh.upsert_accounts([
        acct("222222222222", "payments-dev-renamed"),
        acct("333333333333", "new"),
    ]);
    fresh.set_roles("222222222222", vec!["Dev".into()]);
    old.merge_partial(&fresh);
    assert!(!old.complete);
    assert_eq!(old.accounts.len(), 3);
    assert_eq!(
        old.accounts[0].roles.as_ref().unwrap().len(),
        2,
        "unchecked roles kept"
    );
    assert_eq!(old.accounts[1].account.account_name, "payments-dev-renamed");
    assert_eq!(old.accounts[1].roles, Some(vec!["Dev".to_string()]));
    assert_eq!(old.accounts[2].roles, None);
}

#[test]
fn snapshot_json_round_trip() {
    let c = sample();
    let json = serde_json::to_string(&c).unwrap();
    assert!(json.contains("\"takenAt\":\"1970-01-01T00:00:00Z\""));
    assert!(json.contains("\"accountId\":\"111111111111\""));
    let back: Catalog = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
}

#[test]
fn role_spelling_is_corrected_only_in_case() {
    let c = Catalog::from_rows(
        "s",
        [("111111111111", "a", vec!["Billing", "billing-2"])],
        |_| String::new(),
    );
    assert_eq!(c.role_spelled("111111111111", "billing"), Some("Billing"));
    assert_eq!(c.role_spelled("111111111111", "Billing"), Some("Billing"));
    assert_eq!(c.role_spelled("111111111111", "bill"), None);
    assert_eq!(c.role_spelled("222222222222", "billing"), None);
}
