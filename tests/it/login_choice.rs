//! Which flow a login takes where the browser flow cannot work: inside a
//! container, under WSL without `wslview`, and where `~/.aws/config`
//! says `sso_use_device_code = true` (the AWS CLI's key); and `wslview`
//! opening the browser under WSL.

use crate::common::*;
use crate::login::fakes;
use ssopick::fake::OidcOptions;

/// A login with a display, no `$BROWSER`, no SSH, and `extra` set; its
/// stderr and how many authorize requests and device polls the OIDC saw.
async fn login_with(config: Option<&str>, extra: &[(&str, &str)]) -> (String, u64, u64, Home) {
    let (portal, oidc) = fakes(OidcOptions::default()).await;
    let home = Home::new();
    match config {
        Some(text) => home.write_config(text),
        None => home.with_session("corp"),
    }
    let mut c = home.cmd(Some(portal.url()));
    c.env("AWS_ENDPOINT_URL_SSO_OIDC", oidc.url())
        .env_remove("SSOPICK_NO_BROWSER")
        .env_remove("BROWSER")
        .env_remove("SSH_CONNECTION")
        .env_remove("SSH_TTY")
        .env_remove("WSL_DISTRO_NAME")
        .env_remove("WSL_INTEROP")
        .env_remove("container")
        .env("DISPLAY", ":99");
    for (k, v) in extra {
        c.env(k, v);
    }
    let o = run(c.args(["login", "--session", "corp"])).await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = oidc.stats();
    (stderr(&o), s.authorize_requests, s.polls, home)
}

#[tokio::test(flavor = "multi_thread")]
async fn inside_a_container_the_device_code_is_chosen_and_said() {
    let (err, authorize, polls, _) = login_with(None, &[("container", "docker")]).await;
    assert!(err.contains("inside a container"), "{err}");
    assert_eq!((authorize, polls), (0, 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn under_wsl_without_wslview_the_device_code_is_chosen_and_said() {
    let empty = tempfile::tempdir().unwrap();
    let path = format!("{}:/usr/bin:/bin", empty.path().display());
    let (err, authorize, polls, _) =
        login_with(None, &[("WSL_DISTRO_NAME", "Ubuntu"), ("PATH", &path)]).await;
    assert!(err.contains("WSL without wslview"), "{err}");
    assert_eq!((authorize, polls), (0, 1));
}

/// `sso_use_device_code = true` in the `[sso-session]` or in a profile of
/// the session: the device code, even with a browser named.
#[tokio::test(flavor = "multi_thread")]
async fn sso_use_device_code_is_read_from_the_session_and_its_profiles() {
    let section = format!(
        "[sso-session corp]\nsso_start_url = {URL}\nsso_region = us-east-1\nsso_use_device_code = true\n"
    );
    let in_profile = format!(
        "[profile dev]\nsso_session = corp\nsso_use_device_code = TRUE\n\n\
         [sso-session corp]\nsso_start_url = {URL}\nsso_region = us-east-1\n"
    );
    for config in [section, in_profile] {
        let (err, authorize, polls, _) =
            login_with(Some(&config), &[("BROWSER", "/bin/false")]).await;
        assert_eq!((authorize, polls), (0, 1), "{config}\n{err}");
    }
}

/// Under WSL with `wslview` on `PATH`, the browser flow runs and
/// `wslview` is what opens the page.
#[tokio::test(flavor = "multi_thread")]
async fn under_wsl_wslview_opens_the_browser_flow() {
    let home_bin = tempfile::tempdir().unwrap();
    let wslview = home_bin.path().join("wslview");
    std::fs::write(
        &wslview,
        format!(
            "#!/bin/sh\n{FOLLOW_PAGE}echo \"$u\" > '{}/opened'\ncurl -sS -L -o /dev/null \"$u\"\n",
            home_bin.path().display()
        ),
    )
    .unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wslview, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        home_bin.path().display(),
        std::env::var("PATH").unwrap()
    );
    let (err, authorize, polls, _) =
        login_with(None, &[("WSL_DISTRO_NAME", "Ubuntu"), ("PATH", &path)]).await;
    assert_eq!((authorize, polls), (1, 0), "{err}");
    let opened = std::fs::read_to_string(home_bin.path().join("opened")).unwrap();
    assert!(opened.contains("/authorize"), "{opened}");
}
