//! Several rows at once: Ctrl-T marks rows in the picker (tmux), Enter
//! prints one line per marked row (`pick --multi`) or a profile block each,
//! the Tab menu copies their account ids or role ARNs (OSC 52 into tmux's
//! buffer), and `{role_arn}` is the real `AWSReservedSSO_` ARN that STS
//! (moto) reports for the role's credentials.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal};
use std::process::Command;

fn org() -> FakeOrg {
    FakeOrg {
        accounts: vec![
            fake_account(
                "111111111111",
                "payments-prod",
                &["AdministratorAccess", "ReadOnly"],
            ),
            fake_account("222222222222", "payments-dev", &["AdministratorAccess"]),
            fake_account("333333333333", "search", &["ReadOnly"]),
        ],
    }
}

async fn setup(opts: FakeOptions) -> (FakePortal, Home) {
    let (portal, home) = logged_in_to(org(), opts).await;
    home.take_snapshot(portal.url()).await;
    (portal, home)
}

/// Runs `args` in tmux (ssopick's stdout to `out`, its exit code to `rc`).
fn in_tmux(home: &Home, portal: &FakePortal, env: &str, args: &str) -> Tmux {
    let d = home.path().display();
    let body = format!(
        "{env}'{exe}' {args} > {d}/out 2> {d}/err; echo $? > {d}/rc\nsleep 120\n",
        exe = env!("CARGO_BIN_EXE_ssopick")
    );
    let t = Tmux::start(&home.script(Some(portal.url()), &body), 110, 30);
    t.run(&["set-option", "-g", "set-clipboard", "on"]);
    t
}

/// Waits for the picker, narrows it to `query`, and marks the first
/// `marks` rows with Ctrl-T.
fn mark(t: &Tmux, query: &str, marks: usize) {
    t.wait_for("the picker", |s| s.contains("4/4"));
    t.literal(query);
    t.wait_for("the query's rows", |s| s.contains("3/4"));
    for n in 1..=marks {
        t.keys(&["C-t"]);
        t.wait_for("the mark", |s| s.contains(&format!("{n} marked")));
    }
}

fn done(home: &Home) -> (String, String) {
    let rc = wait_file(&home.path().join("rc"));
    let out = std::fs::read_to_string(home.path().join("out")).unwrap();
    let err = std::fs::read_to_string(home.path().join("err")).unwrap_or_default();
    assert_eq!(rc.trim(), "0", "{err}");
    (out, err)
}

#[tokio::test(flavor = "multi_thread")]
async fn pick_multi_prints_each_marked_row_in_order() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = setup(FakeOptions::default()).await;
    let t = in_tmux(
        &home,
        &portal,
        "",
        "pick --multi --format '{account_name} {role_name}'",
    );
    tokio::task::block_in_place(|| {
        mark(&t, "payments", 2);
        let s = t.capture();
        assert_eq!(s.matches('✓').count(), 2, "{s}");
        t.keys(&["Enter"]);
    });
    let (out, _) = tokio::task::block_in_place(|| done(&home));
    assert_eq!(
        out,
        "payments-dev AdministratorAccess\npayments-prod AdministratorAccess\n"
    );
    assert_eq!(portal.stats().get_credentials, 0, "printing needs no keys");
}

#[tokio::test(flavor = "multi_thread")]
async fn marked_rows_get_a_profile_block_each_and_a_shell_refuses_them() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let (portal, home) = setup(FakeOptions::default()).await;
    let t = in_tmux(
        &home,
        &portal,
        "",
        "profile --name '{account_name}.{role_name}'",
    );
    tokio::task::block_in_place(|| {
        mark(&t, "payments", 3);
        t.keys(&["Enter"]);
    });
    let (out, _) = tokio::task::block_in_place(|| done(&home));
    for p in [
        "[profile payments-dev.AdministratorAccess]",
        "[profile payments-prod.AdministratorAccess]",
        "[profile payments-prod.ReadOnly]",
    ] {
        assert!(out.contains(p), "{p}: {out}");
    }
    // `ssopick` alone opens a shell: one row only; the picker says so.
    let home2 = Home::new();
    home2.with_session("corp");
    home2.write_token("corp", portal.token(), 3600);
    home2.take_snapshot(portal.url()).await;
    let t = in_tmux(&home2, &portal, "", "");
    tokio::task::block_in_place(|| {
        mark(&t, "payments", 2);
        t.keys(&["Enter"]);
        t.wait_for("the refusal", |s| s.contains("Ctrl-T unmarks"));
        t.keys(&["Escape"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&home2.path().join("rc")));
    assert_eq!(rc.trim(), "130");
    assert_eq!(portal.stats().get_credentials, 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_terminal_pick_multi_prints_every_match() {
    let (portal, home) = setup(FakeOptions::default()).await;
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["pick", "--multi", "payments", "admin"]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "222222222222 AdministratorAccess\n111111111111 AdministratorAccess\n"
    );
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["pick", "--multi", "nothing-like-it"]))
    .await;
    assert_eq!(o.status.code(), Some(6));
}

/// moto's credentials for an SSO-style role of account 111111111111.
fn moto_role_credentials(moto: &Moto) -> [String; 3] {
    let py = "import boto3, sys\nc = boto3.client('sts', region_name='us-east-1', endpoint_url=sys.argv[1], aws_access_key_id='AKIAEXAMPLE', aws_secret_access_key='x').assume_role(RoleArn=sys.argv[2], RoleSessionName='jo@example.com')['Credentials']\nprint(c['AccessKeyId']); print(c['SecretAccessKey']); print(c['SessionToken'])";
    let o = Command::new("python3")
        .args([
            "-c",
            py,
            &moto.url,
            "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let l: Vec<&str> = out.lines().collect();
    [l[0].into(), l[1].into(), l[2].into()]
}

const SSO_ARN: &str = "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef";

#[tokio::test(flavor = "multi_thread")]
async fn role_arns_come_from_sts_and_the_tab_menu_copies_ids_and_arns() {
    let Some(moto) = Moto::start() else { return };
    let opts = FakeOptions {
        fixed_credentials: Some(moto_role_credentials(&moto)),
        ..FakeOptions::default()
    };
    let (portal, home) = setup(opts).await;
    let sts = |c: &mut Command| {
        c.env("AWS_ENDPOINT_URL_STS", &moto.url);
    };
    // {role_arn}: STS's answer, with IAM Identity Center's path (no region
    // part for a us-east-1 instance).
    let mut c = home.cmd(Some(portal.url()));
    sts(&mut c);
    let o = run(c.args([
        "pick",
        "--account",
        "111111111111",
        "--role",
        "AdministratorAccess",
        "--format",
        "{account_id} {role_arn}",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), format!("111111111111 {SSO_ARN}\n"));
    // Another instance region: the path carries it.
    let eu = Home::new();
    eu.write_config(&format!(
        "[sso-session corp]\nsso_start_url = {URL}\nsso_region = eu-west-2\n"
    ));
    eu.write_token("corp", portal.token(), 3600);
    let mut c = eu.cmd(Some(portal.url()));
    sts(&mut c);
    let o = run(c.args([
        "pick",
        "--account",
        "111111111111",
        "--role",
        "AdministratorAccess",
        "-f",
        "{role_arn}",
    ]))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        SSO_ARN.replace("sso.amazonaws.com/", "sso.amazonaws.com/eu-west-2/")
    );

    // The Tab menu: 7 copies the marked rows' account ids, 8 their ARNs
    // (over SSH, in a tmux no terminal is attached to: into tmux's buffer).
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let env = format!(
        "export SSH_CONNECTION='10.0.0.1 1 10.0.0.2 22' AWS_ENDPOINT_URL_STS='{}'\n",
        moto.url
    );
    let t = in_tmux(&home, &portal, &env, "pick");
    tokio::task::block_in_place(|| {
        mark(&t, "payments", 2);
        t.keys(&["Tab"]);
        t.keys(&["7"]);
        t.wait_for("the ids copied", |s| {
            s.contains("the account ids") && s.contains("tmux's buffer")
        });
        let buffer = String::from_utf8_lossy(&t.run(&["show-buffer"]).stdout).into_owned();
        assert_eq!(buffer, "222222222222\n111111111111\n");
        // The highlight is on search now; 8 copies the ARN of each marked row.
        t.keys(&["Tab"]);
        t.keys(&["8"]);
        t.wait_for("the ARNs copied", |s| s.contains("role ARNs"));
        let buffer = String::from_utf8_lossy(&t.run(&["show-buffer"]).stdout).into_owned();
        assert_eq!(buffer.lines().count(), 2, "{buffer}");
        assert!(buffer.lines().all(|l| l == SSO_ARN), "{buffer}");
        t.keys(&["Escape"]);
    });
}
