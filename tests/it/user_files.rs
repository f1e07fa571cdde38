//! Writes to the user's AWS files are locked, checked and exact: two
//! writers at once both land, an edit made between ssopick's read and its
//! write is kept (and is in the backup), symlinks (dangling too) are
//! written through, the lock file is private and never a symlink, and odd
//! files (a FIFO, /dev/null, /dev/zero) neither hang nor break anything.

use crate::common::*;
use ssopick::fake::{FakeOptions, FakePortal};
use std::process::Command;

fn write_profile(home: &Home, portal: &FakePortal, i: usize) -> Command {
    let a = &portal.org().accounts[i];
    let mut c = home.cmd(Some(portal.url()));
    c.args(["profile", "--write", "--name", &format!("p{i}")])
        .args(pick_args(a));
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn two_writers_at_once_both_land() {
    let (portal, home) = logged_in(6, 21, FakeOptions::default()).await;
    home.take_snapshot(portal.url()).await;
    for round in 0..8 {
        let mut kids: Vec<_> = (0..4)
            .map(|i| {
                write_profile(&home, &portal, i)
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for k in &mut kids {
            let s = tokio::task::block_in_place(|| k.wait().unwrap());
            assert!(s.success(), "round {round}");
        }
        let cfg = std::fs::read_to_string(home.config_path()).unwrap();
        for i in 0..4 {
            assert!(
                cfg.contains(&format!("[profile p{i}]")),
                "round {round}: p{i} lost:\n{cfg}"
            );
        }
        std::fs::write(
            home.config_path(),
            cfg.split("\n# generated").next().unwrap(),
        )
        .unwrap();
        home.with_session("corp");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let lock = home.path().join(".aws/.config.ssopick-lock");
        assert_eq!(
            std::fs::metadata(lock).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
}

/// `aws configure set` between ssopick's read and its rename: ssopick sees
/// the file changed, edits again, and both changes are there; the backup
/// holds the file exactly as it was just before ssopick's write.
#[tokio::test(flavor = "multi_thread")]
async fn an_edit_between_read_and_write_is_kept() {
    let (portal, home) = logged_in(3, 22, FakeOptions::default()).await;
    home.take_snapshot(portal.url()).await;
    let marker = home.path().join("pause");
    std::fs::write(&marker, "").unwrap();
    let mut c = write_profile(&home, &portal, 1);
    c.env("SSOPICK_TEST_WRITE_PAUSE", &marker);
    let mut child = c.spawn().unwrap();
    let ready = marker.with_extension("ready");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !ready.exists() {
        assert!(std::time::Instant::now() < deadline, "never paused");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let mut cfg = std::fs::read_to_string(home.config_path()).unwrap();
    cfg.push_str("\n[profile by-hand]\nregion = eu-north-1\n");
    std::fs::write(home.config_path(), &cfg).unwrap();
    std::fs::remove_file(&marker).unwrap();
    let s = tokio::task::block_in_place(|| child.wait().unwrap());
    assert!(s.success());
    let now = std::fs::read_to_string(home.config_path()).unwrap();
    assert!(
        now.contains("[profile by-hand]\nregion = eu-north-1\n"),
        "{now}"
    );
    assert!(now.contains("[profile p1]"), "{now}");
    assert!(now.starts_with(&cfg), "the user's bytes stay as they were");
    let bak = std::fs::read_to_string(home.path().join(".aws/config.bak")).unwrap();
    assert_eq!(
        bak, cfg,
        "the backup is the file just before ssopick's write"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn symlinks_are_written_through_and_lock_symlinks_refused() {
    let (portal, home) = logged_in(3, 23, FakeOptions::default()).await;
    home.take_snapshot(portal.url()).await;
    let real = home.path().join("dotfiles/aws-config");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    std::fs::rename(home.config_path(), &real).unwrap();
    std::os::unix::fs::symlink(&real, home.config_path()).unwrap();
    // Dangling: the link's target does not exist yet; it is created there.
    let text = std::fs::read_to_string(&real).unwrap();
    std::fs::remove_file(&real).unwrap();
    // (A link to an existing file is written through: profile_cli tests it.)
    let o = run(home
        .cmd(Some(portal.url()))
        .args([
            "login",
            "--start-url",
            "https://d-777.awsapps.com/start",
            "--sso-region",
            "eu-west-1",
            "--session",
            "other",
            "--use-device-code",
            "--no-browser",
        ])
        .env("AWS_ENDPOINT_URL_SSO_OIDC", "http://127.0.0.1:9"))
    .await;
    assert!(
        std::fs::symlink_metadata(home.config_path())
            .unwrap()
            .file_type()
            .is_symlink(),
        "{}",
        stderr(&o)
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("[sso-session other]"),
        "{}",
        stderr(&o)
    );
    std::fs::write(&real, text).unwrap();

    // A planted symlink at the lock path is refused, not followed.
    let lock = real.with_file_name(".aws-config.ssopick-lock");
    let _ = std::fs::remove_file(&lock);
    let victim = home.path().join("victim");
    std::os::unix::fs::symlink(&victim, &lock).unwrap();
    let o = run(&mut write_profile(&home, &portal, 1)).await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("lock file"), "{}", stderr(&o));
    assert!(!victim.exists());
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn odd_files_neither_hang_nor_break() {
    let (portal, home) = logged_in(3, 24, FakeOptions::default()).await;
    let fifo = home.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let t = std::time::Instant::now();
    let o = run(home
        .cmd(Some(portal.url()))
        .arg("list")
        .env("AWS_CONFIG_FILE", &fifo))
    .await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("FIFO"), "{}", stderr(&o));
    assert!(t.elapsed() < std::time::Duration::from_secs(10));
    let o = run(home
        .cmd(Some(portal.url()))
        .arg("list")
        .env("AWS_CONFIG_FILE", "/dev/zero"))
    .await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("larger than"), "{}", stderr(&o));
    // /dev/null is an empty config, as in the AWS CLI: the token-only
    // session is still found.
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["list", "--json"])
        .env("AWS_CONFIG_FILE", "/dev/null"))
    .await;
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(home
        .cmd(Some(portal.url()))
        .arg("list")
        .env("AWS_CONFIG_FILE", home.path()))
    .await;
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("directory"), "{}", stderr(&o));
    // Read as empty, but never written: a device stays a device (a private
    // null device, made where only root can make one).
    if unsafe { libc::geteuid() } == 0 {
        let dev = home.path().join("mynull");
        assert!(
            Command::new("mknod")
                .arg(&dev)
                .args(["c", "1", "3"])
                .status()
                .unwrap()
                .success()
        );
        let o = run(home
            .cmd(Some(portal.url()))
            .args([
                "login",
                "--start-url",
                "https://d-1234567890.awsapps.com/start",
                "--sso-region",
                "eu-west-1",
                "--use-device-code",
                "--no-browser",
            ])
            .env("AWS_CONFIG_FILE", &dev))
        .await;
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
        use std::os::unix::fs::FileTypeExt;
        assert!(
            std::fs::symlink_metadata(&dev)
                .unwrap()
                .file_type()
                .is_char_device()
        );
        assert!(!home.path().join("mynull.bak").exists());
    }
}

/// Static keys written into a credentials file others could read: the file
/// (and its backup) become the owner's only.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn static_keys_tighten_a_readable_credentials_file() {
    use std::os::unix::fs::PermissionsExt;
    let (portal, home) = logged_in(3, 25, FakeOptions::default()).await;
    let creds = home.path().join(".aws/credentials");
    std::fs::write(
        &creds,
        "[other]\naws_access_key_id = AKIAOLD\naws_secret_access_key = old\n",
    )
    .unwrap();
    std::fs::set_permissions(&creds, std::fs::Permissions::from_mode(0o644)).unwrap();
    let a = &portal.org().accounts[0];
    let o = run(home
        .cmd(Some(portal.url()))
        .args(["profile", "--style", "static", "--write", "--name", "keys"])
        .args(pick_args(a)))
    .await;
    assert!(o.status.success(), "{}", stderr(&o));
    for f in [creds.clone(), home.path().join(".aws/credentials.bak")] {
        assert_eq!(
            std::fs::metadata(&f).unwrap().permissions().mode() & 0o777,
            0o600,
            "{}",
            f.display()
        );
    }
    assert!(
        std::fs::read_to_string(&creds)
            .unwrap()
            .starts_with("[other]\naws_access_key_id = AKIAOLD\n")
    );
}
