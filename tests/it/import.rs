//! `import aws-sso-cli` and `import granted` on set-ups shaped as each
//! project documents them: a dry run shows the diffs and writes nothing;
//! `--write` adds the sessions and the account facts (with backups);
//! config.toml's own fields stay unless `--force`.

use crate::common::*;

/// aws-sso-cli's documented `config.yaml` shape (docs/config.md), filled in.
const AWS_SSO_CLI: &str = r#"
SSOConfig:
    Default:
        SSORegion: us-east-1
        StartUrl: https://d-754545454.awsapps.com/start
        DefaultRegion: us-east-1
        Accounts:
            182347455:
                Name: Main Account
                DefaultRegion: us-east-2
                Tags:
                    Type: Main Account
                    Environment: prod
            "025611129853":
                Name: Dev Account
                Tags:
                    Environment: dev
                Roles:
                    AdministratorAccess:
                        Profile: dev-admin
DefaultSSO: Default
DefaultRegion: us-east-1
UrlAction: open
"#;

/// Profiles as `granted sso generate` writes them (granted's docs).
const GRANTED: &str = "[profile payments-prod]\n\
granted_sso_start_url      = https://d-1234567890.awsapps.com/start\n\
granted_sso_region         = eu-west-1\n\
granted_sso_account_id     = 111111111111\n\
granted_sso_role_name      = AdministratorAccess\n\
common_fate_generated_from = aws-sso\n\
credential_process         = granted credential-process --profile payments-prod\n\n\
[profile core-admin]\n\
granted_sso_start_url      = https://d-1234567890.awsapps.com/start\n\
granted_sso_region         = eu-west-1\n\
granted_sso_account_id     = 222222222222\n\
granted_sso_role_name      = AdministratorAccess\n\
credential_process         = granted credential-process --profile core-admin\n\n\
[profile core-read]\n\
granted_sso_start_url      = https://d-1234567890.awsapps.com/start\n\
granted_sso_region         = eu-west-1\n\
granted_sso_account_id     = 222222222222\n\
granted_sso_role_name      = ReadOnlyAccess\n\
credential_process         = granted credential-process --profile core-read\n";

fn config_toml(home: &Home) -> std::path::PathBuf {
    home.path().join("xdg-config/ssopick/config.toml")
}

#[test]
fn aws_sso_cli_dry_run_then_write_then_force() {
    let home = Home::new();
    home.write_config("[profile mine]\nregion = eu-west-1\n");
    let yaml = home.path().join("aws-sso.yaml");
    std::fs::write(&yaml, AWS_SSO_CLI).unwrap();
    let toml = config_toml(&home);
    std::fs::create_dir_all(toml.parent().unwrap()).unwrap();
    let mine = "# my settings\n[[account]]\nid = \"000182347455\"\nalias = \"main\"\n";
    std::fs::write(&toml, mine).unwrap();
    let aws_before = std::fs::read_to_string(home.config_path()).unwrap();
    let import = |extra: &[&str]| {
        home.cmd(None)
            .args(["import", "aws-sso-cli", "--file"])
            .arg(&yaml)
            .args(extra)
            .output()
            .unwrap()
    };
    let o = import(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let diff = stdout(&o);
    assert!(diff.contains("+[sso-session Default]"), "{diff}");
    assert!(
        diff.contains("+sso_start_url = https://d-754545454.awsapps.com/start"),
        "{diff}"
    );
    assert!(
        diff.contains("+tags = [\"Environment=prod\", \"Type=Main-Account\"]"),
        "{diff}"
    );
    assert!(diff.contains("+id = \"025611129853\""), "{diff}");
    assert!(
        stderr(&o).contains("keeps alias = \"main\""),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("dry run"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(home.config_path()).unwrap(),
        aws_before
    );
    assert_eq!(std::fs::read_to_string(&toml).unwrap(), mine);

    let o = import(&["--write"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let aws = std::fs::read_to_string(home.config_path()).unwrap();
    assert!(aws.starts_with(&aws_before), "{aws}");
    assert!(aws.contains("[sso-session Default]\nsso_start_url = https://d-754545454.awsapps.com/start\nsso_region = us-east-1\n"), "{aws}");
    let t = std::fs::read_to_string(&toml).unwrap();
    assert!(
        t.starts_with("# my settings\n[[account]]\nid = \"000182347455\"\nalias = \"main\"\n"),
        "{t}"
    );
    assert!(t.contains("region = \"us-east-2\""), "{t}");
    assert_eq!(
        std::fs::read_to_string(toml.with_file_name("config.toml.bak")).unwrap(),
        mine
    );
    // ssopick reads both back: the session, and the alias in config.toml.
    let o = home.cmd(None).args(["status", "--json"]).output().unwrap();
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(
        j["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Default"),
        "{j}"
    );
    // Again: nothing left to do.
    let o = import(&[]);
    assert!(stdout(&o).contains("nothing to import"), "{}", stdout(&o));
    // --force: the import's alias wins.
    let o = import(&["--write", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = std::fs::read_to_string(&toml).unwrap();
    assert!(t.contains("alias = \"Main-Account\""), "{t}");
}

#[test]
fn granted_profiles_give_a_session_and_the_only_profiles_alias() {
    let home = Home::new();
    home.write_config(GRANTED);
    let o = home
        .cmd(None)
        .args(["import", "granted", "--write"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let aws = std::fs::read_to_string(home.config_path()).unwrap();
    assert!(aws.starts_with(GRANTED), "granted's profiles untouched");
    assert!(
        aws.contains("[sso-session d-1234567890]\nsso_start_url = https://d-1234567890.awsapps.com/start\nsso_region = eu-west-1\n"),
        "{aws}"
    );
    let t = std::fs::read_to_string(config_toml(&home)).unwrap();
    assert!(
        t.contains("id = \"111111111111\"\nalias = \"payments-prod\""),
        "{t}"
    );
    assert!(!t.contains("222222222222"), "{t}");
    assert!(
        stderr(&o).contains("core-admin, core-read"),
        "{}",
        stderr(&o)
    );
    // No granted profiles: said, exit 2.
    let other = Home::new();
    other.write_config("[profile x]\nregion = eu-west-1\n");
    let o = other
        .cmd(None)
        .args(["import", "granted"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}
