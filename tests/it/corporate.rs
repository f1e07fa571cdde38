//! A corporate network: no `AWS_ENDPOINT_URL_*`, a mandatory proxy with
//! Basic auth (`HTTPS_PROXY`), TLS inspected by a private CA
//! (`AWS_CA_BUNDLE`, no `SSL_CERT_FILE`). Device login, browser (PKCE)
//! login, `list`, `export`, `console --print`, `credential-process`, a
//! role chain and an assume-role profile reach the fakes only through the
//! proxy, by the AWS host names the SDKs' endpoint rules give; the loopback
//! redirect stays direct (`NO_PROXY`).

use crate::common::*;
use crate::netlab::NetLab;
use ssopick::fake::{FakeOidc, FakeOptions, FakeOrg, FakePortal, FakeSignin, OidcOptions};
use std::collections::BTreeSet;
use std::process::Command;

/// The hosts, from the services' endpoint rules for us-east-1 (not from
/// ssopick's code): SSO `portal.sso.{Region}.amazonaws.com`, SSO OIDC
/// `oidc.{Region}.amazonaws.com`, STS `sts.{Region}.amazonaws.com`, and
/// the federation endpoint `signin.aws.amazon.com`.
const PORTAL: &str = "portal.sso.us-east-1.amazonaws.com";
const OIDC: &str = "oidc.us-east-1.amazonaws.com";
const STS: &str = "sts.us-east-1.amazonaws.com";
const SIGNIN: &str = "signin.aws.amazon.com";

fn port(url: &str) -> u16 {
    url.trim_start_matches("http://")
        .split(['/', ':'])
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap()
}

fn org() -> FakeOrg {
    FakeOrg {
        accounts: vec![
            fake_account(
                "111111111111",
                "tooling",
                &["AdministratorAccess", "ReadOnly"],
            ),
            fake_account("123456789012", "payments-prod", &["ReadOnly"]),
        ],
    }
}

/// The portal, OIDC and sign-in fakes every test here talks to.
async fn fakes() -> (FakePortal, FakeOidc, FakeSignin) {
    let portal = FakePortal::start(org(), FakeOptions::default())
        .await
        .unwrap();
    let oidc = FakeOidc::start(OidcOptions {
        access_token: portal.token().into(),
        ..OidcOptions::default()
    })
    .await
    .unwrap();
    (portal, oidc, FakeSignin::start().await.unwrap())
}

fn corp_cmd(home: &Home, lab: &NetLab) -> Command {
    let mut c = home.cmd(None);
    c.envs(lab.env())
        .env("USER", "jo")
        .env_remove("SSL_CERT_FILE");
    c
}

/// The European Sovereign Cloud: the hosts from its partition
/// (`amazonaws.eu`; sign-in `eusc-de-east-1.signin.amazonaws-eusc.eu`),
/// for device and browser login, `list`, `export` and `console --print`.
#[tokio::test(flavor = "multi_thread")]
async fn the_sovereign_cloud_goes_to_its_own_hosts() {
    const REGION: &str = "eusc-de-east-1";
    const PORTAL: &str = "portal.sso.eusc-de-east-1.amazonaws.eu";
    const OIDC: &str = "oidc.eusc-de-east-1.amazonaws.eu";
    const SIGNIN: &str = "eusc-de-east-1.signin.amazonaws-eusc.eu";
    let (portal, oidc, signin) = fakes().await;
    let home = Home::new();
    home.write_config(&format!(
        "[sso-session corp]\nsso_start_url = {URL}\nsso_region = {REGION}\nsso_registration_scopes = sso:account:access\n"
    ));
    let routes = [
        (PORTAL, port(portal.url())),
        (OIDC, port(oidc.url())),
        (SIGNIN, port(signin.url())),
    ];
    let lab = NetLab::start(home.path(), &routes).await;
    let (_, pick) = login_list_export(&home, &lab).await;
    let o = run(corp_cmd(&home, &lab)
        .args(["console", "--print"])
        .args(pick))
    .await;
    assert_eq!(o.status.code(), Some(0), "console: {}", stderr(&o));
    let link = stdout(&o);
    assert!(
        link.starts_with(&format!("https://{SIGNIN}/federation?Action=login"))
            && link.contains("console.amazonaws-eusc.eu"),
        "no logout wrapper outside aws, the partition's hosts: {link}"
    );
    let browser = curl_browser(&home, &lab);
    let o = run(corp_cmd(&home, &lab)
        .args(["login", "--force"])
        .env_remove("SSOPICK_NO_BROWSER")
        .env("BROWSER", &browser))
    .await;
    assert_eq!(o.status.code(), Some(0), "PKCE login: {}", stderr(&o));
    assert!(oidc.stats().code_grants >= 1, "{:?}", oidc.stats());
    let seen: BTreeSet<String> = lab.connects().into_iter().collect();
    let want: BTreeSet<String> = [PORTAL, OIDC, SIGNIN]
        .iter()
        .map(|h| format!("{h}:443"))
        .collect();
    assert_eq!(seen, want);
}

/// Device-code login, `list` (which must show payments-prod) and `export`
/// of one role through the lab: export's output, and the role's arguments.
async fn login_list_export(home: &Home, lab: &NetLab) -> (std::process::Output, [&'static str; 4]) {
    let o = run(corp_cmd(home, lab).args(["login", "--use-device-code"])).await;
    assert_eq!(o.status.code(), Some(0), "device login: {}", stderr(&o));
    let o = run(corp_cmd(home, lab).arg("list")).await;
    assert_eq!(o.status.code(), Some(0), "list: {}", stderr(&o));
    assert!(stdout(&o).contains("payments-prod"), "{}", stdout(&o));
    let pick = ["--account", "111111111111", "--role", "ReadOnly"];
    let o = run(corp_cmd(home, lab).arg("export").args(pick)).await;
    assert_eq!(o.status.code(), Some(0), "export: {}", stderr(&o));
    (o, pick)
}

/// A "browser" that fetches the link with curl through the lab's proxy
/// (the loopback redirect direct).
fn curl_browser(home: &Home, lab: &NetLab) -> std::path::PathBuf {
    let browser = home.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\n{}curl -sS -L --proxy '{}' --proxy-user '{}:{}' --cacert '{}' --noproxy 127.0.0.1 -o '{}/page.html' \"$u\" 2>'{}/curl.err'\n",
            crate::common::FOLLOW_PAGE,
            lab.proxy_addr,
            crate::netlab::PROXY_USER,
            crate::netlab::PROXY_PASSWORD,
            lab.ca_pem.display(),
            home.path().display(),
            home.path().display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    browser
}

#[tokio::test(flavor = "multi_thread")]
async fn every_flow_goes_through_the_proxy_by_the_aws_host_names() {
    let (portal, oidc, signin) = fakes().await;
    let moto = Moto::start();
    let home = Home::new();
    home.with_session("corp");
    let mut routes = vec![
        (PORTAL, port(portal.url())),
        (OIDC, port(oidc.url())),
        (SIGNIN, port(signin.url())),
    ];
    if let Some(m) = &moto {
        routes.push((STS, port(&m.url)));
    }
    let lab = NetLab::start(home.path(), &routes).await;
    let mut want: BTreeSet<String> = [PORTAL, OIDC, SIGNIN]
        .iter()
        .map(|h| format!("{h}:443"))
        .collect();

    // Device-code login, list, export; then credential-process, console
    // --print.
    let (o, pick) = login_list_export(&home, &lab).await;
    assert!(stdout(&o).contains(&portal.last_issued().unwrap().access_key_id));
    let o = run(corp_cmd(&home, &lab).arg("credential-process").args(pick)).await;
    assert_eq!(
        o.status.code(),
        Some(0),
        "credential-process: {}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("\"Version\":1"), "{}", stdout(&o));
    let o = run(corp_cmd(&home, &lab)
        .args(["console", "--print"])
        .args(pick))
    .await;
    assert_eq!(o.status.code(), Some(0), "console: {}", stderr(&o));
    assert!(stdout(&o).contains("fake-signin-token"), "{}", stdout(&o));
    assert!(signin.last_session().is_some());
    // The logout wrapper and the login inside it are on the regional
    // us-east-1 host (the global one ignores redirect_uri).
    assert!(
        stdout(&o).starts_with("https://us-east-1.signin.aws.amazon.com/oauth?Action=logout&redirect_uri=https%3A%2F%2Fus-east-1.signin.aws.amazon.com%2Ffederation%3FAction%3Dlogin"),
        "{}",
        stdout(&o)
    );
    // `[console] logout_first = false`: the plain link on the global host.
    let dir = home.path().join("xdg-config/ssopick");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config.toml"), "[console]\nlogout_first = false\n").unwrap();
    let o = run(corp_cmd(&home, &lab)
        .args(["console", "--print"])
        .args(pick))
    .await;
    assert_eq!(o.status.code(), Some(0), "console: {}", stderr(&o));
    assert!(
        stdout(&o).starts_with("https://signin.aws.amazon.com/federation?Action=login"),
        "{}",
        stdout(&o)
    );
    // A role chain: STS through the proxy too.
    if moto.is_some() {
        let dir = home.path().join("xdg-config/ssopick");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("config.toml"),
            "[[chain]]\nname = \"deploy-prod\"\nrole_arn = \"arn:aws:iam::123456789012:role/ops/Deployer\"\nvia = { account = \"111111111111\", role = \"AdministratorAccess\" }\n",
        )
        .unwrap();
        let o = run(corp_cmd(&home, &lab).args(["export", "deploy-prod"])).await;
        assert_eq!(o.status.code(), Some(0), "chain: {}", stderr(&o));
        assert!(
            stdout(&o).contains("SSOPICK_ACCOUNT_ID='123456789012'"),
            "{}",
            stdout(&o)
        );
        want.insert(format!("{STS}:443"));
    }
    // Browser login (PKCE): the "browser" is curl through the same proxy,
    // and the loopback redirect stays direct.
    let browser = curl_browser(&home, &lab);
    let o = run(corp_cmd(&home, &lab)
        .args(["login", "--force"])
        .env_remove("SSOPICK_NO_BROWSER")
        .env("BROWSER", &browser))
    .await;
    assert_eq!(
        o.status.code(),
        Some(0),
        "PKCE login: {} / {}",
        stderr(&o),
        std::fs::read_to_string(home.path().join("curl.err")).unwrap_or_default()
    );
    assert!(oidc.stats().code_grants >= 1, "{:?}", oidc.stats());
    // Every connection went through the proxy, authenticated, to the AWS
    // host names, and to nothing else.
    let seen: BTreeSet<String> = lab.connects().into_iter().collect();
    assert_eq!(seen, want);
}

/// An assume-role profile (issue 35's profile rows): aws-config's own STS
/// client goes through the proxy and trusts the private CA too, with no
/// SSO session set up at all.
#[tokio::test(flavor = "multi_thread")]
async fn a_profiles_assume_role_goes_through_the_proxy() {
    let Some(moto) = Moto::start() else { return };
    let home = Home::new();
    home.write_config(
        "[profile sandbox]\nsource_profile = client\nrole_arn = arn:aws:iam::123456789012:role/Sandbox\nrole_session_name = jo-corp\nregion = us-east-1\n",
    );
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[client]\naws_access_key_id = AKIACORPSTATICKEY001\naws_secret_access_key = corpStaticSecretKey00000000000000000001\n",
    )
    .unwrap();
    let lab = NetLab::start(home.path(), &[(STS, port(&moto.url))]).await;
    let o = run(corp_cmd(&home, &lab).args(["export", "--account", "sandbox"])).await;
    assert_eq!(o.status.code(), Some(0), "export: {}", stderr(&o));
    let v = exports(&stdout(&o));
    assert_eq!(
        moto.caller_arn(&v),
        "arn:aws:sts::123456789012:assumed-role/Sandbox/jo-corp"
    );
    let seen: BTreeSet<String> = lab.connects().into_iter().collect();
    assert_eq!(seen, BTreeSet::from([format!("{STS}:443")]));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_ca_bundle_is_exit_2_naming_the_file() {
    let home = Home::new();
    home.with_session("corp");
    home.write_token("corp", "t", 3600);
    let bundle = home.path().join("broken.pem");
    std::fs::write(
        &bundle,
        "-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    for args in [&["list"][..], &["login", "--use-device-code"][..]] {
        let o = run(home
            .cmd(None)
            .args(args)
            .env("AWS_CA_BUNDLE", &bundle)
            .env("SSOPICK_NO_BROWSER", "1"))
        .await;
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("broken.pem"), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
    // The profile's `ca_bundle` counts too.
    let mut cfg = std::fs::read_to_string(home.config_path()).unwrap();
    cfg.push_str(&format!("\n[default]\nca_bundle = {}\n", bundle.display()));
    home.write_config(&cfg);
    let o = run(home.cmd(None).arg("list")).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("ca_bundle"), "{}", stderr(&o));
}

/// A start URL on the company's own domain, with no `sso_region`: one
/// redirect (HEAD) to an AWS-owned URL whose host names the region, as the
/// AWS CLI resolves it; OIDC gets the AWS URL as issuer, the token file the
/// configured one, and later runs use the region the login found.
#[tokio::test(flavor = "multi_thread")]
async fn a_vanity_start_url_is_resolved_through_the_proxy() {
    const VANITY: &str = "sso.corp.example";
    const LANDED: &str = "https://d-abc123.eu-central-1.portal.amazonaws.com/start";
    const OIDC_EU: &str = "oidc.eu-central-1.amazonaws.com";
    const PORTAL_EU: &str = "portal.sso.eu-central-1.amazonaws.com";
    let (portal, oidc, _signin) = fakes().await;
    let redirects = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let redirect_port = redirects.local_addr().unwrap().port();
    let methods = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = methods.clone();
    let server = tokio::spawn(ssopick::edge::http::serve(redirects, move |req| {
        seen.lock()
            .unwrap()
            .push(format!("{} {}", req.method, req.path));
        async move {
            ssopick::edge::http::Response {
                status: 302,
                headers: vec![("location".into(), format!("{LANDED}/"))],
                body: Vec::new(),
            }
        }
    }));
    let home = Home::new();
    home.write_config(&format!(
        "[sso-session corp]\nsso_start_url = https://{VANITY}/start\nsso_registration_scopes = sso:account:access\n"
    ));
    let routes = [
        (VANITY, redirect_port),
        (PORTAL_EU, port(portal.url())),
        (OIDC_EU, port(oidc.url())),
    ];
    let lab = NetLab::start(home.path(), &routes).await;
    let browser = curl_browser(&home, &lab);
    let o = run(corp_cmd(&home, &lab)
        .arg("login")
        .env_remove("SSOPICK_NO_BROWSER")
        .env("BROWSER", &browser))
    .await;
    assert_eq!(o.status.code(), Some(0), "login: {}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("leads to {LANDED} (eu-central-1)")),
        "{}",
        stderr(&o)
    );
    assert_eq!(methods.lock().unwrap().as_slice(), ["HEAD /start"]);
    let issuer = oidc
        .registered_clients()
        .last()
        .and_then(|c| c.issuer_url.clone());
    assert_eq!(issuer.as_deref(), Some(LANDED));
    let token: serde_json::Value = serde_json::from_slice(
        &std::fs::read(home.sso_cache().join(format!(
            "{}.json",
            ssopick::core::sso::token::cache_key("corp")
        )))
        .unwrap(),
    )
    .unwrap();
    assert_eq!(token["startUrl"], format!("https://{VANITY}/start"));
    assert_eq!(token["region"], "eu-central-1");
    let o = run(corp_cmd(&home, &lab).arg("list")).await;
    assert_eq!(o.status.code(), Some(0), "list: {}", stderr(&o));
    assert!(stdout(&o).contains("payments-prod"), "{}", stdout(&o));
    let hosts: BTreeSet<String> = lab.connects().into_iter().collect();
    let want: BTreeSet<String> = [VANITY, OIDC_EU, PORTAL_EU]
        .iter()
        .map(|h| format!("{h}:443"))
        .collect();
    assert_eq!(hosts, want);
    // A redirect off AWS's domains is refused, naming the file.
    server.abort();
    let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let p2 = elsewhere.local_addr().unwrap().port();
    let _server = tokio::spawn(ssopick::edge::http::serve(elsewhere, |_req| async {
        ssopick::edge::http::Response {
            status: 301,
            headers: vec![("location".into(), "https://login.corp.example/".into())],
            body: Vec::new(),
        }
    }));
    let lab2 = NetLab::start(home.path(), &[(VANITY, p2)]).await;
    let o = run(corp_cmd(&home, &lab2).args(["login", "--force", "--use-device-code"])).await;
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("does not lead to an AWS-owned https address")
            && stderr(&o).contains(".aws/config"),
        "{}",
        stderr(&o)
    );
}
