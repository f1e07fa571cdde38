use super::*;

#[test]
fn shell_words_are_bare_only_when_safe() {
    assert_eq!(shell_word("corp"), "corp");
    assert_eq!(
        shell_word("https://d-1.awsapps.com/start"),
        "https://d-1.awsapps.com/start"
    );
    assert_eq!(shell_word("my corp"), "'my corp'");
    assert_eq!(shell_word("lab;x"), "'lab;x'");
    assert_eq!(shell_word(""), "''");
}
use crate::secret::Secret;
use crate::time::UtcTime;

fn sample() -> (Chosen, RoleCredentials) {
    (
        Chosen::new(
            Account::new("123456789012", "prod's \"main\"", ""),
            "Admin",
            "corp",
        ),
        RoleCredentials {
            access_key_id: Secret::new("ASIAEXAMPLE"),
            secret_access_key: Secret::new(r#"a'b"c$d\e%f g`h!"#),
            session_token: Secret::new("tok/+=="),
            expiration: UtcTime(1_800_000_000),
            expiry_stated: true,
        },
    )
}

#[test]
fn posix_and_fish_and_powershell_quoting() {
    assert_eq!(quote_posix("a'b"), r"'a'\''b'");
    assert_eq!(quote_fish(r"a'b\c"), r"'a\'b\\c'");
    assert_eq!(quote_powershell("a'b"), "'a''b'");
    assert_eq!(quote_dotenv("plain $x").as_deref(), Some("'plain $x'"));
    assert_eq!(
        quote_dotenv("it's \"x\"").as_deref(),
        Some(r#""it's \"x\"""#)
    );
    assert_eq!(quote_dotenv("ends\\").as_deref(), Some(r#""ends\\""#));
    assert_eq!(quote_dotenv("it's $x"), None);
}

#[test]
fn formats() {
    let (c, r) = sample();
    let vars = credential_env(&c, &r, "eu-west-1");
    let bash = render(Format::Bash, &vars, &r).unwrap();
    assert!(bash.starts_with("unset AWS_PROFILE AWS_DEFAULT_PROFILE\n"));
    assert!(bash.contains("export AWS_CREDENTIAL_EXPIRATION='2027-01-15T08:00:00Z'\n"));
    assert!(
        render(Format::Fish, &vars, &r)
            .unwrap()
            .contains("set -e AWS_PROFILE\n")
    );
    assert!(
        render(Format::Powershell, &vars, &r)
            .unwrap()
            .contains("$Env:AWS_REGION = 'eu-west-1'\n")
    );
    assert!(
        render(Format::Cmd, &vars, &r).is_err(),
        "a double quote cannot be set in cmd"
    );
    let (c2, mut r2) = sample();
    r2.secret_access_key = Secret::new("50%off");
    let cmd = render(
        Format::Cmd,
        &credential_env(
            &Chosen {
                account: Account {
                    account_name: "x".into(),
                    ..c2.account.clone()
                },
                ..c2
            },
            &r2,
            "r",
        ),
        &r2,
    )
    .unwrap();
    assert!(cmd.contains("set \"AWS_SECRET_ACCESS_KEY=50%%off\"\r\n"));
    let j: serde_json::Value =
        serde_json::from_str(&render(Format::Json, &vars, &r).unwrap()).unwrap();
    assert_eq!(j["Version"], 1);
    assert_eq!(j["SecretAccessKey"], r#"a'b"c$d\e%f g`h!"#);
    assert_eq!(j["Expiration"], "2027-01-15T08:00:00Z");
    let env: Vec<_> = vars.iter().map(|(k, _)| *k).collect();
    for k in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_CREDENTIAL_EXPIRATION",
        "SSOPICK_ACCOUNT_ID",
        "SSOPICK_ACCOUNT_NAME",
        "SSOPICK_ROLE_NAME",
        "SSOPICK_SESSION",
    ] {
        assert!(env.contains(&k), "{k}");
    }
}

#[test]
fn keys_with_no_stated_expiry_export_none() {
    let (c, mut r) = sample();
    r.expiry_stated = false;
    let vars = credential_env(&c, &r, "eu-west-1");
    let bash = render(Format::Bash, &vars, &r).unwrap();
    // A stale expiry from before is unset, none is made up, the token stays.
    assert!(
        bash.starts_with("unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_CREDENTIAL_EXPIRATION\n"),
        "{bash}"
    );
    assert!(!bash.contains("export AWS_CREDENTIAL_EXPIRATION"), "{bash}");
    assert!(
        bash.contains("export AWS_SESSION_TOKEN='tok/+=='\n"),
        "{bash}"
    );
    let j: serde_json::Value = serde_json::from_str(&process_json(&r)).unwrap();
    assert_eq!(j["SessionToken"], "tok/+==");
    assert!(j.get("Expiration").is_none(), "{j}");
    let lines = crate::profile::static_lines(&r);
    assert!(lines.iter().any(|l| l.starts_with("aws_session_token")));
    assert!(
        !lines.iter().any(|l| l.starts_with("expiration")),
        "{lines:?}"
    );
}
