//! `console`'s options, checked on the links it prints and the commands it
//! starts (a stand-in browser that records its arguments), never opening a
//! real browser: the page (`--service`, `--destination`), the session
//! length, the logout before a federation sign-in, the access portal's
//! link, a named browser and profile, Firefox containers, config.toml's
//! `[console]`, and several accounts at once from the picker.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal, FakeSignin};
use std::process::Command;

fn org() -> FakeOrg {
    FakeOrg {
        accounts: vec![
            fake_account("111111111111", "payments-prod", &["Admin"]),
            fake_account("222222222222", "payments-dev", &["Admin"]),
        ],
    }
}

const PICK: [&str; 4] = ["--account", "111111111111", "--role", "Admin"];

struct Fx {
    portal: FakePortal,
    signin: FakeSignin,
    home: Home,
}

async fn setup() -> Fx {
    let (portal, home) = logged_in_to(org(), FakeOptions::default()).await;
    home.take_snapshot(portal.url()).await;
    let signin = FakeSignin::start().await.unwrap();
    Fx {
        portal,
        signin,
        home,
    }
}

impl Fx {
    fn cmd(&self) -> Command {
        let mut c = self.home.cmd(Some(self.portal.url()));
        c.env("SSOPICK_SIGNIN_ENDPOINT", self.signin.url());
        c
    }
    /// A stand-in browser at `name` that appends its arguments to `log`.
    fn browser(&self, name: &str) -> (String, std::path::PathBuf) {
        let log = self.home.path().join(format!("{name}.log"));
        let exe = self.home.path().join(name);
        std::fs::write(
            &exe,
            format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\necho --- >> '{}'\n",
                log.display(),
                log.display()
            ),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        (exe.display().to_string(), log)
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// The value of `key` in a URL's query.
fn param(url: &str, key: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&')
        .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
        .map(decode)
}

async fn printed(fx: &Fx, args: &[&str]) -> String {
    let o = run(fx.cmd().args(["console", "--print"]).args(PICK).args(args)).await;
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    stdout(&o).trim().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn printed_links_for_every_page_and_sign_in_option() {
    let fx = setup().await;
    let base = fx.signin.url().trim_end_matches("/federation").to_string();
    // By default the browser first logs out of another account's console.
    let url = printed(&fx, &["--region", "eu-west-1"]).await;
    assert!(
        url.starts_with(&format!("{base}/oauth?Action=logout&redirect_uri=")),
        "{url}"
    );
    let login = param(&url, "redirect_uri").unwrap();
    assert!(
        login.starts_with(&format!("{}?Action=login&Issuer=ssopick&", fx.signin.url())),
        "{login}"
    );
    assert_eq!(
        param(&login, "SigninToken").as_deref(),
        Some("fake-signin-token")
    );
    assert_eq!(
        param(&login, "Destination").as_deref(),
        Some("https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1")
    );
    // --keep-session: the sign-in link itself.
    let url = printed(
        &fx,
        &["--keep-session", "--service", "s3", "--region", "eu-west-1"],
    )
    .await;
    assert!(
        url.starts_with(&format!("{}?Action=login", fx.signin.url())),
        "{url}"
    );
    assert_eq!(
        param(&url, "Destination").as_deref(),
        Some("https://eu-west-1.console.aws.amazon.com/s3/buckets?region=eu-west-1")
    );
    let url = printed(
        &fx,
        &[
            "--keep-session",
            "--destination",
            "/cloudwatch/home#alarms",
            "--region",
            "us-east-2",
        ],
    )
    .await;
    assert_eq!(
        param(&url, "Destination").as_deref(),
        Some("https://us-east-2.console.aws.amazon.com/cloudwatch/home#alarms")
    );
    // --duration reaches getSigninToken as SessionDuration.
    printed(&fx, &["--duration", "4h"]).await;
    assert_eq!(
        fx.signin.last_session().unwrap()["SessionDuration"],
        "14400"
    );
    // The portal's link needs no keys and no sign-in call.
    let calls = fx.portal.stats().get_credentials;
    let url = printed(
        &fx,
        &["--portal-link", "--service", "ec2", "--region", "eu-west-1"],
    )
    .await;
    assert_eq!(
        url,
        format!(
            "{URL}/#/console?account_id=111111111111&role_name=Admin&destination=https%3A%2F%2Feu-west-1.console.aws.amazon.com%2Fec2%2Fhome%3Fregion%3Deu-west-1"
        )
    );
    assert_eq!(fx.portal.stats().get_credentials, calls);
    // Refused before any call: a page outside the console, a bad length.
    for bad in [
        &[
            "--destination",
            "https://evil.example/console.aws.amazon.com",
        ][..],
        &["--service", "ec2/../x"],
        &["--duration", "13h"],
        &["--service", "ec2", "--destination", "/x"],
    ] {
        let o = run(fx.cmd().args(["console", "--print"]).args(PICK).args(bad)).await;
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_named_browser_profile_and_firefox_containers() {
    let fx = setup().await;
    // A Chrome in a profile: the link goes through a private page, so no
    // process list shows the sign-in token.
    let (chrome, log) = fx.browser("fake-chrome");
    let o = run(fx
        .cmd()
        .env_remove("SSOPICK_NO_BROWSER")
        .args([
            "console",
            "--browser",
            &chrome,
            "--browser-profile",
            "Profile 2",
        ])
        .args(PICK))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let args = wait_file(&log);
    let lines: Vec<&str> = args.lines().collect();
    assert_eq!(lines[0], "--profile-directory=Profile 2", "{args}");
    assert!(
        lines[1].starts_with("file:///") && lines[1].ends_with(".html"),
        "{args}"
    );
    assert!(
        !args.contains("SigninToken"),
        "the link is not in argv: {args}"
    );
    let page = std::fs::read_to_string(decode(lines[1].trim_start_matches("file://"))).unwrap();
    assert!(page.contains("Action=logout"), "{page}");
    // A Firefox container per account: the extension's link, named for it,
    // red for a production account (config.toml).
    let (firefox, log) = fx.browser("fake-firefox");
    let dir = fx.home.path().join("xdg-config/ssopick");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!("[production]\npatterns = [\"*-prod\"]\n\n[console]\nbrowser = \"{firefox}\"\nbrowser_profile = \"work\"\nfirefox_containers = true\n"),
    )
    .unwrap();
    let o = run(fx
        .cmd()
        .env_remove("SSOPICK_NO_BROWSER")
        .args(["console", "--yes"])
        .args(PICK))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let args = wait_file(&log);
    let lines: Vec<&str> = args.lines().collect();
    assert_eq!(&lines[..2], ["-P", "work"], "{args}");
    // The container link carries the sign-in token: the browser gets a
    // private page that goes on to it.
    assert!(
        !args.contains("SigninToken"),
        "the link is not in argv: {args}"
    );
    let link = page_link(lines[2]);
    let c = link.as_str();
    assert!(
        c.starts_with("ext+container:name=payments-prod&url="),
        "{c}"
    );
    assert!(c.ends_with("&color=red&icon=fingerprint"), "{c}");
    let inner = param(&c.replacen("ext+container:", "x?", 1), "url").unwrap();
    assert!(inner.contains("Action=logout"), "{inner}");
}

#[tokio::test(flavor = "multi_thread")]
async fn marked_accounts_each_get_their_own_container() {
    if !Tmux::available() {
        skip_or_fail("tmux");
        return;
    }
    let fx = setup().await;
    let (firefox, log) = fx.browser("fake-firefox");
    let d = fx.home.path().display();
    let body = format!(
        "export SSOPICK_SIGNIN_ENDPOINT='{}'\nunset SSOPICK_NO_BROWSER\n'{}' console --firefox-container --browser '{firefox}' 2> {d}/err; echo $? > {d}/rc\nsleep 120\n",
        fx.signin.url(),
        env!("CARGO_BIN_EXE_ssopick")
    );
    let t = Tmux::start(&fx.home.script(Some(fx.portal.url()), &body), 110, 30);
    tokio::task::block_in_place(|| {
        t.wait_for("the picker", |s| s.contains("2/2"));
        t.keys(&["C-t"]);
        t.wait_for("one mark", |s| s.contains("1 marked"));
        t.keys(&["C-t"]);
        t.wait_for("two marks", |s| s.contains("2 marked"));
        t.keys(&["Enter"]);
    });
    let rc = tokio::task::block_in_place(|| wait_file(&fx.home.path().join("rc")));
    assert_eq!(
        rc.trim(),
        "0",
        "{:?}",
        std::fs::read_to_string(fx.home.path().join("err"))
    );
    let args = std::fs::read_to_string(&log).unwrap();
    assert!(
        !args.contains("SigninToken"),
        "the link is not in argv: {args}"
    );
    let links: Vec<String> = args
        .lines()
        .filter(|l| l.starts_with("file://"))
        .map(page_link)
        .collect();
    let names: Vec<&str> = links
        .iter()
        .filter_map(|l| l.strip_prefix("ext+container:name="))
        .map(|l| l.split('&').next().unwrap())
        .collect();
    assert_eq!(names, ["payments-dev", "payments-prod"], "{args}");
}

/// Writes `text` at `path` (its folders made), executable when `exec`.
fn put(path: &std::path::Path, text: &str, exec: bool) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    if exec {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

/// `console` ended well, having handed its browser (which saved its argv
/// and the fetch's headers in `d`) a loopback link and not the token.
fn handed_a_one_time_link(o: &std::process::Output, d: &std::path::Path) {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    let argv = std::fs::read_to_string(d.join("argv")).unwrap();
    assert!(
        argv.starts_with("http://127.0.0.1:") && !argv.contains("SigninToken"),
        "{argv}"
    );
    let headers = tokio::task::block_in_place(|| {
        wait_file_until(&d.join("headers"), |s| s.contains("\r\n\r\n"))
    });
    assert!(headers.starts_with("HTTP/1.1 302"), "{headers}");
    assert!(headers.contains("SigninToken"), "{headers}");
}

/// Where a private `file://` page sends the browser (its link, unescaped).
fn page_link(file_url: &str) -> String {
    let page = std::fs::read_to_string(decode(file_url.trim_start_matches("file://"))).unwrap();
    let start = page.find("<a href=\"").unwrap() + "<a href=\"".len();
    let end = start + page[start..].find('"').unwrap();
    page[start..end]
        .replace("&lt;", "<")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// A confined browser (a snap) cannot read the private page: it gets a
/// one-time loopback link instead, answered only to a peer of this user
/// (another user's fetch gets nothing) and only once; `console` waits for
/// the fetch. The argv holds no sign-in token.
#[tokio::test(flavor = "multi_thread")]
async fn a_confined_browser_gets_a_one_time_link_for_this_user_only() {
    // SAFETY: geteuid(2) has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        return skip_or_fail("root, to fetch the link as another user (uid 65534)");
    }
    let fx = setup().await;
    let d = fx.home.path();
    let exe = d.join("snap/bin/firefox");
    put(
        &exe,
        &format!(
            "#!/bin/sh\nprintf '%s' \"$1\" > '{d}/argv'\n\
             (setpriv --reuid 65534 --regid 65534 --clear-groups curl -s -m 3 -o /dev/null -w '%{{http_code}}' \"$1\" > '{d}/stranger'\n \
             curl -s -m 3 -D '{d}/headers' -o /dev/null \"$1\"\n \
             curl -s -m 3 -o /dev/null -w '%{{http_code}}' \"$1\" > '{d}/again') &\n",
            d = d.display()
        ),
        true,
    );
    let o = run(fx
        .cmd()
        .env_remove("SSOPICK_NO_BROWSER")
        .args(["console", "--browser", exe.to_str().unwrap()])
        .args(PICK))
    .await;
    handed_a_one_time_link(&o, d);
    let stranger = std::fs::read_to_string(d.join("stranger")).unwrap_or_default();
    assert_eq!(stranger, "000", "another user got an answer");
    let again = tokio::task::block_in_place(|| wait_file_until(&d.join("again"), |s| s.len() == 3));
    assert_eq!(again, "000", "answered twice");
}

/// With no `$BROWSER`, the system's default browser is looked up as
/// `xdg-open` finds it; a flatpak default gets the one-time loopback link
/// (it could not read the private page), and `xdg-open` is handed nothing
/// secret.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn a_confined_default_browser_gets_the_one_time_link() {
    let fx = setup().await;
    let d = fx.home.path();
    let bin = d.join("bin");
    put(
        &bin.join("xdg-open"),
        &format!(
            "#!/bin/sh\nprintf '%s' \"$1\" > '{d}/argv'\n\
             (curl -s -m 3 -D '{d}/headers' -o /dev/null \"$1\") &\n",
            d = d.display()
        ),
        true,
    );
    put(
        &d.join("xdg-config/mimeapps.list"),
        "[Default Applications]\ntext/html=org.mozilla.firefox.desktop\n",
        false,
    );
    put(
        &d.join("data/applications/org.mozilla.firefox.desktop"),
        "[Desktop Entry]\nName=Firefox\nExec=/usr/bin/flatpak run org.mozilla.firefox @@u %u @@\nX-Flatpak=org.mozilla.firefox\n",
        false,
    );
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let o = run(fx
        .cmd()
        .env_remove("SSOPICK_NO_BROWSER")
        .env_remove("BROWSER")
        .env_remove("SSH_CONNECTION")
        .env_remove("SSH_TTY")
        .env("DISPLAY", ":99")
        .env("XDG_DATA_HOME", d.join("data"))
        .env("XDG_DATA_DIRS", d.join("none"))
        .env("XDG_CONFIG_DIRS", d.join("none"))
        .env("PATH", path)
        .arg("console")
        .args(PICK))
    .await;
    handed_a_one_time_link(&o, d);
}
