//! Role chaining (config.toml `[[chain]]`) end to end: the built binary
//! against the fake portal for the SSO half and a real STS implementation,
//! moto's server, for AssumeRole; then botocore, through the profile
//! ssopick wrote, gets the chained identity from moto by itself.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
use std::process::Command;

const TARGET: &str = "arn:aws:iam::123456789012:role/ops/Deployer";

fn org() -> FakeOrg {
    let acct = fake_account;
    FakeOrg {
        accounts: vec![
            acct(
                "111111111111",
                "tooling",
                &["AdministratorAccess", "ReadOnly"],
            ),
            // The chain's target account is in the organisation too.
            acct("123456789012", "payments-prod", &["ReadOnly"]),
        ],
    }
}

fn chain_toml(extra: &str) -> String {
    format!(
        "[[chain]]\nname = \"deploy-prod\"\nrole_arn = \"{TARGET}\"\nvia = {{ account = \"111111111111\", role = \"AdministratorAccess\" }}\n{extra}"
    )
}

async fn setup(extra: &str) -> (FakePortal, Home) {
    setup_with(extra, FakeOptions::default()).await
}

async fn setup_with(extra: &str, opts: FakeOptions) -> (FakePortal, Home) {
    let (portal, home) = logged_in_to(org(), opts).await;
    let dir = home.path().join("xdg-config/ssopick");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), chain_toml(extra)).unwrap();
    (portal, home)
}

fn cmd(home: &Home, portal: &FakePortal, moto: &Moto) -> Command {
    let mut c = home.cmd(Some(portal.url()));
    c.env("AWS_ENDPOINT_URL_STS", &moto.url).env("USER", "jo");
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn chained_rows_are_listed_and_marked() {
    let (portal, home) = setup("").await;
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.lines().any(|l| l.starts_with("deploy-prod")
            && l.contains("123456789012")
            && l.contains("Deployer  ⤷ via AdministratorAccess@111111111111")),
        "{out}"
    );
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["list", "--json", "deploy"]))
    .await;
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v[0]["chain"]["roleArn"], TARGET);
    assert_eq!(v[0]["chain"]["viaAccountId"], "111111111111");
    // Never in the snapshot: the portal did not list it.
    let snaps = std::fs::read_dir(home.cache().join("catalog")).unwrap();
    for s in snaps {
        let text = std::fs::read_to_string(s.unwrap().path()).unwrap();
        assert!(!text.contains("deploy-prod"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn export_exec_and_credential_process_get_the_chained_identity() {
    let Some(moto) = Moto::start() else { return };
    let (portal, home) = setup("duration = \"30m\"\n").await;
    let want = "arn:aws:sts::123456789012:assumed-role/Deployer/ssopick-jo";

    let o = run(cmd(&home, &portal, &moto).args(["export", "deploy-prod"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let vars = exports(&stdout(&o));
    assert_eq!(moto.caller_arn(&vars), want);
    let issued = portal.last_issued().unwrap();
    assert_eq!(
        (issued.account_id.as_str(), issued.role.as_str()),
        ("111111111111", "AdministratorAccess"),
        "the SSO half goes through the via row"
    );
    let key = vars.iter().find(|(k, _)| k == "AWS_ACCESS_KEY_ID").unwrap();
    assert_ne!(key.1, issued.access_key_id, "STS's keys, not the portal's");

    // exec: the child's SDK reads the renewing endpoint.
    let py = format!(
        "import boto3\nprint(boto3.client('sts', region_name='us-east-1', endpoint_url='{}').get_caller_identity()['Arn'])",
        moto.url
    );
    let o =
        run(cmd(&home, &portal, &moto).args(["exec", "deploy-prod", "--", "python3", "-c", &py]))
            .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), want);

    // credential-process --chain: STS once, then the cache (no portal call).
    let cp = [
        "--session",
        "corp",
        "credential-process",
        "--chain",
        "deploy-prod",
    ];
    let o = run(cmd(&home, &portal, &moto).args(cp)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let first: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let exp = ssopick::core::time::UtcTime::parse(first["Expiration"].as_str().unwrap()).unwrap();
    let left = now().secs_until(exp);
    assert!((1700..=1800).contains(&left), "30 minutes asked: {left} s");
    let calls = portal.stats().get_credentials;
    let o = run(cmd(&home, &portal, &moto).args(cp)).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let second: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(first["AccessKeyId"], second["AccessKeyId"], "cached");
    assert_eq!(portal.stats().get_credentials, calls);
    let env = [
        ("AWS_ACCESS_KEY_ID", &second["AccessKeyId"]),
        ("AWS_SECRET_ACCESS_KEY", &second["SecretAccessKey"]),
        ("AWS_SESSION_TOKEN", &second["SessionToken"]),
    ]
    .map(|(k, v)| (k.to_string(), v.as_str().unwrap().to_string()));
    assert_eq!(moto.caller_arn(&env), want);
}

#[tokio::test(flavor = "multi_thread")]
async fn botocore_chains_by_itself_from_the_written_profiles() {
    let Some(moto) = Moto::start() else { return };
    let (portal, home) = setup("external_id = \"ext-42\"\n").await;
    home.write_config(&format!(
        "[sso-session corp]\nsso_start_url = {URL}\nsso_region = us-east-1\n"
    ));
    for (style, name) in [
        ("sso", "sso-{account_name}"),
        ("process", "proc-{account_name}"),
    ] {
        let o = run(cmd(&home, &portal, &moto).args([
            "profile",
            "deploy-prod",
            "--write",
            "--style",
            style,
            "--name",
            name,
        ]))
        .await;
        assert_eq!(o.status.code(), Some(0), "{style}: {}", stderr(&o));
    }
    let config = std::fs::read_to_string(home.config_path()).unwrap();
    assert!(
        config.contains(&format!(
            "[profile sso-deploy-prod]\n# generated by ssopick for deploy-prod (123456789012) Deployer\nsource_profile = sso-tooling\nrole_arn = {TARGET}\nexternal_id = ext-42\n"
        )),
        "{config}"
    );
    assert!(config.contains("[profile sso-tooling]\n"), "{config}");
    assert!(config.contains("--chain deploy-prod"), "{config}");
    for profile in ["sso-deploy-prod", "proc-deploy-prod"] {
        let py = "import boto3, sys\ns = boto3.session.Session(profile_name=sys.argv[1])\nprint(s.client('sts', region_name='us-east-1').get_caller_identity()['Arn'])";
        let mut c = Command::new("python3");
        c.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .args(["-c", py, profile]);
        for (k, v) in cmd(&home, &portal, &moto).get_envs() {
            if let (Some(k), Some(v)) = (k.to_str(), v) {
                c.env(k, v);
            }
        }
        c.env("AWS_CONFIG_FILE", home.config_path());
        let o = run(&mut c).await;
        assert!(o.status.success(), "{profile}: {}", stderr(&o));
        assert!(
            stdout(&o)
                .trim()
                .starts_with("arn:aws:sts::123456789012:assumed-role/Deployer/"),
            "{profile}: {}",
            stdout(&o)
        );
    }
}

/// The SSO role's credentials have 10 minutes left: the chained ones say
/// so too (an SDK refreshes them in time), and the console signs in with
/// the chained keys.
#[tokio::test(flavor = "multi_thread")]
async fn chained_credentials_never_outlive_their_source_and_sign_in_to_the_console() {
    let Some(moto) = Moto::start() else { return };
    let opts = FakeOptions {
        credential_ttl: std::time::Duration::from_mins(10),
        ..FakeOptions::default()
    };
    let (portal, home) = setup_with("", opts).await;
    let o = run(cmd(&home, &portal, &moto).args([
        "--session",
        "corp",
        "credential-process",
        "--chain",
        "deploy-prod",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let exp = ssopick::core::time::UtcTime::parse(v["Expiration"].as_str().unwrap()).unwrap();
    let source = portal.last_issued().unwrap().expiration_ms / 1000;
    assert!(exp.0 <= source, "{} > the source's {source}", exp.0);
    assert!(now().secs_until(exp) <= 600);
    // The console: getSigninToken gets the chained keys, not the SSO ones,
    // and never a SessionDuration (the federation endpoint refuses it for
    // role-chained credentials: the fake answers 400 to it).
    let signin = ssopick::fake::FakeSignin::for_portal(&portal)
        .await
        .unwrap();
    let o = run(cmd(&home, &portal, &moto)
        .env("SSOPICK_SIGNIN_ENDPOINT", signin.url())
        .args(["console", "deploy-prod", "--print"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let key = signin.last_session().unwrap()["sessionId"].clone();
    assert_ne!(key, portal.last_issued().unwrap().access_key_id.as_str());
    assert!(
        signin
            .last_session()
            .unwrap()
            .get("SessionDuration")
            .is_none()
    );
    // --duration for it is refused, naming why.
    let o = run(cmd(&home, &portal, &moto).args([
        "console",
        "deploy-prod",
        "--print",
        "--duration",
        "1h",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("SessionDuration"), "{}", stderr(&o));
    // config.toml's default duration is left out for it.
    let dir = home.path().join("xdg-config/ssopick");
    let toml = std::fs::read_to_string(dir.join("config.toml")).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!("[console]\nduration = \"4h\"\n\n{toml}"),
    )
    .unwrap();
    let o = run(cmd(&home, &portal, &moto)
        .env("SSOPICK_SIGNIN_ENDPOINT", signin.url())
        .args(["console", "deploy-prod", "--print"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        signin
            .last_session()
            .unwrap()
            .get("SessionDuration")
            .is_none()
    );
    // An SSO role's console gets it; the fake takes it from SSO keys.
    let o = run(cmd(&home, &portal, &moto)
        .env("SSOPICK_SIGNIN_ENDPOINT", signin.url())
        .args([
            "console",
            "--account",
            "111111111111",
            "--role",
            "AdministratorAccess",
            "--print",
        ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(signin.last_session().unwrap()["SessionDuration"], "14400");
}

/// A via row in the chain's own account: a name template that gives both
/// the same name must not make the profile its own source; the via
/// profile keeps its account's region; `--account ID --role NAME` finds
/// the chained row; the demo refuses chains clearly (it has no STS).
#[tokio::test(flavor = "multi_thread")]
async fn same_account_chains_profiles_exact_rows_and_the_demo() {
    let (portal, home) = setup("").await;
    let dir = home.path().join("xdg-config/ssopick");
    std::fs::write(
        dir.join("config.toml"),
        format!(
            "[[account]]\nid = \"123456789012\"\nregion = \"eu-north-1\"\n\n[[chain]]\nname = \"deploy-prod\"\nrole_arn = \"{TARGET}\"\nvia = {{ account = \"123456789012\", role = \"ReadOnly\" }}\n"
        ),
    )
    .unwrap();
    home.take_snapshot(portal.url()).await;
    let o = run(home.cmd(Some(portal.url())).args([
        "profile",
        "deploy-prod",
        "--name",
        "{account_id}",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("[profile 123456789012-source]\n"), "{out}");
    assert!(
        out.contains("source_profile = 123456789012-source\n"),
        "{out}"
    );
    assert_eq!(out.matches("region = eu-north-1").count(), 2, "{out}");
    let o = run(home.cmd(Some(portal.url())).args([
        "pick",
        "--account",
        "123456789012",
        "--role",
        "Deployer",
        "-f",
        "{account_name} {role_arn}",
    ]))
    .await;
    assert_eq!(
        stdout(&o),
        format!("deploy-prod {TARGET}\n"),
        "{}",
        stderr(&o)
    );
    let o = run(home.cmd(None).args(["--demo", "export", "deploy-prod"])).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("the demo has no STS"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_are_named_with_their_exit_codes() {
    let (portal, home) = setup("").await;
    // STS unreachable: an API failure (4) that names the override.
    let o = run(home
        .cmd(Some(portal.url()))
        .env("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:9")
        .args(["export", "deploy-prod"]))
    .await;
    assert_eq!(o.status.code(), Some(4), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("chain deploy-prod") && e.contains("AWS_ENDPOINT_URL_STS"),
        "{e}"
    );
    // An unknown chain, and a bad declaration (exit 2, the file named).
    let o = run(home.cmd(Some(portal.url())).args([
        "--session",
        "corp",
        "credential-process",
        "--chain",
        "nope",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("it has: deploy-prod"), "{}", stderr(&o));
    let dir = home.path().join("xdg-config/ssopick");
    std::fs::write(dir.join("config.toml"), chain_toml("duration = \"2h\"\n")).unwrap();
    let o = run(home.cmd(Some(portal.url())).arg("list")).await;
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("config.toml") && stderr(&o).contains("one hour"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_picker_shows_a_chained_row_and_delivers_it() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let Some(moto) = Moto::start() else { return };
    let (portal, home) = setup("").await;
    home.take_snapshot(portal.url()).await;
    let d = home.path().display();
    let body = format!(
        "export AWS_ENDPOINT_URL_STS='{sts}' USER=jo\n'{exe}' export > {d}/out; echo $? > {d}/rc\nsleep 120\n",
        sts = moto.url,
        exe = env!("CARGO_BIN_EXE_ssopick")
    );
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 110, 30);
    let screen = tokio::task::block_in_place(|| {
        t.wait_for("the chained row", |s| {
            s.contains("⤷ via AdministratorAccess@1")
        })
    });
    assert!(screen.contains("deploy-prod"), "{screen}");
    t.literal("deploy");
    let screen = tokio::task::block_in_place(|| {
        t.wait_for("the details of the chain", |s| {
            s.contains("arn:aws:iam::123456789012:role/")
        })
    });
    assert!(screen.contains("chained role"), "{screen}");
    t.keys(&["Enter"]);
    let rc = tokio::task::block_in_place(|| wait_file(&home.path().join("rc")));
    assert_eq!(rc.trim(), "0");
    let out = std::fs::read_to_string(home.path().join("out")).unwrap();
    assert_eq!(
        moto.caller_arn(&exports(&out)),
        "arn:aws:sts::123456789012:assumed-role/Deployer/ssopick-jo"
    );
}
