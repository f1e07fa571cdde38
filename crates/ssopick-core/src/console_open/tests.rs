use super::*;

fn opts() -> ConsoleOptions {
    ConsoleOptions::default()
}

#[test]
fn services_and_destinations() {
    let with = |service: Option<&str>, dest: Option<&str>| ConsoleOptions {
        service: service.map(str::to_string),
        destination: dest.map(str::to_string),
        ..opts()
    };
    let d = |r: &str, o: &ConsoleOptions| destination(r, o);
    assert_eq!(
        d("eu-west-1", &opts()).unwrap(),
        "https://eu-west-1.console.aws.amazon.com/console/home?region=eu-west-1"
    );
    assert_eq!(
        d("eu-west-1", &with(Some("ec2"), None)).unwrap(),
        "https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1"
    );
    assert_eq!(
        d("eu-west-1", &with(Some("S3"), None)).unwrap(),
        "https://eu-west-1.console.aws.amazon.com/s3/buckets?region=eu-west-1"
    );
    assert_eq!(
        d("us-east-1", &with(Some("logs"), None)).unwrap(),
        "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:"
    );
    assert_eq!(
        d("cn-north-1", &with(Some("lambda"), None)).unwrap(),
        "https://console.amazonaws.cn/lambda/home?region=cn-north-1"
    );
    assert!(d("eu-west-1", &with(Some("ec2/../x"), None)).is_err());
    assert!(d("eu-west-1", &with(Some("a b"), None)).is_err());
    // A path, or a console URL of the partition (multi-session hosts too).
    assert_eq!(
        d("eu-west-1", &with(None, Some("/cloudwatch/home#alarms"))).unwrap(),
        "https://eu-west-1.console.aws.amazon.com/cloudwatch/home#alarms"
    );
    let multi = "https://000000000000-aaaaaaaa.us-east-1.console.aws.amazon.com/console/home";
    assert_eq!(d("us-east-1", &with(None, Some(multi))).unwrap(), multi);
    for bad in [
        "http://eu-west-1.console.aws.amazon.com/",
        "https://evil.example/console.aws.amazon.com",
        "https://console.aws.amazon.com.evil.example/",
        "https://user@console.aws.amazon.com.evil.example/",
        "https://console.amazonaws.cn/",
        "https://eu-west-1.console.aws.amazon.com/\nx",
    ] {
        assert!(d("eu-west-1", &with(None, Some(bad))).is_err(), "{bad}");
    }
}

#[test]
fn logout_portal_and_container_links() {
    assert_eq!(
        logout_first(
            "https://signin.aws.amazon.com/federation",
            "https://x/?a=1&b=2"
        ),
        "https://signin.aws.amazon.com/oauth?Action=logout&redirect_uri=https%3A%2F%2Fx%2F%3Fa%3D1%26b%3D2"
    );
    assert_eq!(
        portal_link(
            "https://d-1.awsapps.com/start/",
            "111122223333",
            "Admin",
            Some("https://c/x?y=1")
        ),
        "https://d-1.awsapps.com/start/#/console?account_id=111122223333&role_name=Admin&destination=https%3A%2F%2Fc%2Fx%3Fy%3D1"
    );
    let c = container_url(
        "payments prod",
        "111122223333",
        true,
        None,
        "https://s/f?a=1&b=2",
    );
    assert_eq!(
        c,
        "ext+container:name=payments%20prod&url=https%3A%2F%2Fs%2Ff%3Fa%3D1%26b%3D2&color=red&icon=fingerprint"
    );
    let other = container_url("dev", "111122223333", false, None, "u");
    assert!(container_url("dev", "1", false, Some("purple"), "u").contains("color=purple"));
    assert!(!other.contains("color=red"));
    assert_eq!(
        other,
        container_url("dev", "111122223333", false, None, "u"),
        "stable"
    );
}

#[test]
fn browser_commands_per_platform_and_profile() {
    let cmd = |b: &str, p: Option<&str>, os| browser_command(b, p, "URL", os);
    assert_eq!(
        cmd("chrome", Some("Profile 2"), Os::Linux).unwrap(),
        (
            "google-chrome".into(),
            vec!["--profile-directory=Profile 2".into(), "URL".into()]
        )
    );
    assert_eq!(
        cmd("firefox", Some("work"), Os::Linux).unwrap(),
        (
            "firefox".into(),
            vec!["-P".into(), "work".into(), "URL".into()]
        )
    );
    assert_eq!(
        cmd("firefox", None, Os::MacOs).unwrap(),
        (
            "open".into(),
            vec!["-a".into(), "Firefox".into(), "URL".into()]
        )
    );
    assert_eq!(
        cmd("brave", Some("Work"), Os::MacOs).unwrap(),
        (
            "open".into(),
            vec![
                "-na".into(),
                "Brave Browser".into(),
                "--args".into(),
                "--profile-directory=Work".into(),
                "URL".into()
            ]
        )
    );
    assert_eq!(
        cmd("/opt/x/chromium-custom", Some("W"), Os::Linux).unwrap(),
        (
            "/opt/x/chromium-custom".into(),
            vec!["--profile-directory=W".into(), "URL".into()]
        )
    );
    assert_eq!(
        cmd("/usr/bin/links", Some("W"), Os::Linux).unwrap(),
        ("/usr/bin/links".into(), vec!["URL".into()])
    );
    assert!(cmd("safari", None, Os::Linux).is_err());
    assert!(cmd("safari", Some("x"), Os::MacOs).is_err());
    assert!(cmd("chrome", None, Os::Windows).is_err());
}
