use super::*;

/// The shape of aws-sso-cli's documented `config.yaml` (docs/config.md),
/// filled in: two accounts, one written as a number that lost a zero.
pub(crate) const AWS_SSO_CLI: &str = r#"
SSOConfig:
    Default:
        SSORegion: us-east-1
        StartUrl: https://d-754545454.awsapps.com/start
        DefaultRegion: us-east-1
        Accounts:
            "182347455":
                Name: Main Account
                DefaultRegion: us-east-2
                Tags:
                    Type: Main Account
                    Environment: prod
            025611129853:
                Name: Dev Account
                Tags:
                    Environment: dev
                Roles:
                    AdministratorAccess:
                        Profile: dev-admin
    Lab Setup:
        SSORegion: eu-west-1
        StartUrl: https://lab.awsapps.com/start
DefaultSSO: Default
DefaultRegion: us-east-1
"#;

#[test]
fn aws_sso_cli_sessions_and_accounts() {
    let p = from_aws_sso_cli(AWS_SSO_CLI).unwrap();
    assert_eq!(
        p.sessions,
        [
            SessionToAdd {
                name: "Default".into(),
                start_url: "https://d-754545454.awsapps.com/start".into(),
                region: "us-east-1".into()
            },
            SessionToAdd {
                name: "lab".into(),
                start_url: "https://lab.awsapps.com/start".into(),
                region: "eu-west-1".into()
            }
        ]
    );
    assert_eq!(p.accounts.len(), 2);
    let main = &p.accounts[0];
    assert_eq!(main.id, "000182347455");
    assert_eq!(main.alias.as_deref(), Some("Main-Account"));
    assert_eq!(main.tags, ["Environment=prod", "Type=Main-Account"]);
    assert_eq!(main.region.as_deref(), Some("us-east-2"));
    assert_eq!(p.accounts[1].id, "025611129853");
    assert!(from_aws_sso_cli("just: text").is_err());
}

#[test]
fn granted_aliases_only_for_an_accounts_only_profile() {
    let g = |name: &str, account: &str| GrantedProfile {
        name: name.into(),
        start_url: "https://d-1234567890.awsapps.com/start".into(),
        region: "us-east-1".into(),
        account_id: account.into(),
    };
    let p = from_granted(&[
        g("payments-prod", "111111111111"),
        g("core-admin", "222222222222"),
        g("core-read", "222222222222"),
    ]);
    assert_eq!(p.sessions.len(), 1);
    assert_eq!(p.sessions[0].name, "d-1234567890");
    assert_eq!(p.accounts.len(), 1);
    assert_eq!(p.accounts[0].alias.as_deref(), Some("payments-prod"));
    assert!(
        p.notes[0].contains("core-admin, core-read"),
        "{:?}",
        p.notes
    );
}

#[test]
fn config_toml_keeps_its_bytes_and_its_fields_unless_forced() {
    let old = "# mine\ndefault_session = \"corp\"   # kept\n\n[[account]]\nid = \"111111111111\"\nalias = \"pay\"  # mine\n";
    let facts = [
        AccountFacts {
            id: "111111111111".into(),
            alias: Some("Payments".into()),
            tags: vec!["team=pay".into()],
            region: None,
        },
        AccountFacts {
            id: "222222222222".into(),
            alias: Some("Core".into()),
            ..AccountFacts::default()
        },
    ];
    let m = merge_accounts(old, &facts, false).unwrap();
    assert!(
        m.text
            .starts_with("# mine\ndefault_session = \"corp\"   # kept\n"),
        "{}",
        m.text
    );
    assert!(m.text.contains("alias = \"pay\"  # mine"), "{}", m.text);
    assert!(m.text.contains("tags = [\"team=pay\"]"), "{}", m.text);
    assert!(
        m.text.contains("id = \"222222222222\"\nalias = \"Core\""),
        "{}",
        m.text
    );
    assert_eq!(m.kept.len(), 1, "{:?}", m.kept);
    let forced = merge_accounts(old, &facts, true).unwrap();
    assert!(
        forced.text.contains("alias = \"Payments\""),
        "{}",
        forced.text
    );
    assert!(forced.kept.is_empty());
    // Parsed back, it is still config.toml.
    let parsed = crate::settings::Settings::parse(&m.text);
    assert!(parsed.is_ok(), "{parsed:?}\n{}", m.text);
    // Nothing to say: the text is left as it was.
    assert_eq!(merge_accounts(old, &[], false).unwrap().text, old);
}

#[test]
fn crlf_a_bom_and_comments_stay() {
    let old =
        "\u{feff}# mine\r\n[[account]]\r\nid = \"111111111111\"\r\nalias = \"main\"   # short\r\n";
    let facts = [AccountFacts {
        id: "111111111111".into(),
        alias: Some("Main".into()),
        ..AccountFacts::default()
    }];
    let m = merge_accounts(old, &facts, true).unwrap();
    assert_eq!(
        m.text,
        "\u{feff}# mine\r\n[[account]]\r\nid = \"111111111111\"\r\nalias = \"Main\"   # short\r\n"
    );
    let kept = merge_accounts(old, &facts, false).unwrap();
    assert_eq!(kept.text, old);
    assert_eq!(
        kept.kept,
        [
            "[[account]] id = \"111111111111\" keeps alias = \"main\" (the import says \"Main\"; --force replaces it)"
        ]
    );
}

#[test]
fn one_portal_twice_is_one_session() {
    let yaml = "SSOConfig:\n  A:\n    SSORegion: us-east-1\n    StartUrl: https://x.awsapps.com/start\n  B:\n    SSORegion: us-east-1\n    StartUrl: https://x.awsapps.com/start/\n";
    assert_eq!(from_aws_sso_cli(yaml).unwrap().sessions.len(), 1);
}
