use super::super::config::parse;
use super::*;
use crate::secret::Secret;
use std::path::PathBuf;

const NOW: UtcTime = UtcTime(1_800_000_000);

fn tok(key: &str, url: &str, valid: bool) -> FoundToken {
    FoundToken {
        key: key.into(),
        path: PathBuf::from(format!("{key}.json")),
        token: CachedToken {
            access_token: Secret::new("t"),
            expires_at: NOW.plus_secs(if valid { 3600 } else { -60 }),
            start_url: Some(url.into()),
            region: Some("eu-west-1".into()),
            refresh_token: None,
            client_id: None,
            client_secret: None,
            registration_expires_at: None,
        },
        foreign: false,
    }
}

const CFG: &str = "\
[profile legacy]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
[profile legacy2]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
[profile dev]
sso_session = my-sso
[profile plain]
region = eu-west-1
[sso-session my-sso]
sso_start_url = https://d-xyz.awsapps.com/start
sso_region = eu-central-1
";

#[test]
fn discovers_named_legacy_and_token_only() {
    let cfg = parse(CFG);
    let tokens = vec![
        tok(
            &cache_key("my-sso"),
            "https://d-xyz.awsapps.com/start",
            true,
        ),
        tok("0123abcd", "https://other.awsapps.com/start", true),
        tok("ffff", "https://d-xyz.awsapps.com/start/", true),
    ];
    let s = discover(&cfg, &tokens, "us-east-1");
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].kind, SessionKind::Named("my-sso".into()));
    assert_eq!(s[0].profiles, vec!["dev"]);
    assert_eq!(s[0].region, "eu-central-1");
    assert_eq!(s[1].kind, SessionKind::Legacy);
    assert_eq!(s[1].profiles, vec!["legacy", "legacy2"]);
    assert_eq!(s[1].cache_key(), "40a89917e3175433e361b710a9d43528d7f1890a");
    assert!(
        s[1].login_command()
            .contains("aws sso login --profile legacy")
    );
    assert!(
        s[1].login_command()
            .starts_with("ssopick login --session https://d-abc123.awsapps.com/start")
    );
    assert!(
        s[0].login_command()
            .starts_with("ssopick login --session my-sso")
    );
    assert!(
        s[0].login_command()
            .contains("aws sso login --sso-session my-sso")
    );
    assert_eq!(s[2].kind, SessionKind::TokenOnly("0123abcd".into()));
    assert_eq!(s[2].region, "eu-west-1");
}

#[test]
fn resolution_order() {
    let cfg = parse(CFG);
    let tokens = vec![tok(
        &cache_key("my-sso"),
        "https://d-xyz.awsapps.com/start",
        true,
    )];
    let s = discover(&cfg, &tokens, "us-east-1");
    let r = |w: Option<&str>, p: Option<&str>| {
        resolve(&s, &tokens, w, p, &|| &cfg, NOW).map(|s| s.id().to_string())
    };
    assert_eq!(r(Some("my-sso"), None).unwrap(), "my-sso");
    assert_eq!(
        r(Some("https://d-abc123.awsapps.com/start/"), None).unwrap(),
        "https://d-abc123.awsapps.com/start"
    );
    assert_eq!(
        r(Some("legacy2"), None).unwrap(),
        "https://d-abc123.awsapps.com/start",
        "profile name"
    );
    assert!(matches!(
        r(Some("nope"), None),
        Err(SessionError::NoSuchSession { .. })
    ));
    assert_eq!(
        r(None, Some("legacy")).unwrap(),
        "https://d-abc123.awsapps.com/start",
        "AWS_PROFILE"
    );
    assert_eq!(
        r(None, Some("plain")).unwrap(),
        "my-sso",
        "non-SSO AWS_PROFILE is ignored"
    );
    assert_eq!(r(None, None).unwrap(), "my-sso", "only valid token");
}

#[test]
fn ambiguity_and_nothing() {
    let cfg = parse(CFG);
    let both = vec![
        tok(
            &cache_key("my-sso"),
            "https://d-xyz.awsapps.com/start",
            true,
        ),
        tok(
            &cache_key("https://d-abc123.awsapps.com/start"),
            "https://d-abc123.awsapps.com/start",
            true,
        ),
    ];
    let s = discover(&cfg, &both, "us-east-1");
    match resolve(&s, &both, None, None, &|| &cfg, NOW) {
        Err(SessionError::AmbiguousSession { choices }) => {
            assert!(choices.contains("--session my-sso"));
            assert!(choices.contains("--session https://d-abc123.awsapps.com/start"));
        }
        other => panic!("{other:?}"),
    }
    let expired = vec![tok(
        &cache_key("my-sso"),
        "https://d-xyz.awsapps.com/start",
        false,
    )];
    let s = discover(&cfg, &expired, "us-east-1");
    match resolve(&s, &expired, None, None, &|| &cfg, NOW) {
        Err(SessionError::NoValidSession { choices }) => assert!(choices.contains("expired")),
        other => panic!("{other:?}"),
    }
    let empty = parse("");
    assert!(matches!(
        resolve(&[], &[], None, None, &|| &empty, NOW),
        Err(SessionError::NoSessions)
    ));
    // A single session is chosen even with an expired token (the caller
    // then reports the expiry with the right login command).
    let one = parse("[sso-session a]\nsso_start_url = https://a/start\nsso_region = us-east-1\n");
    let s = discover(&one, &[], "us-east-1");
    assert_eq!(
        resolve(&s, &[], None, None, &|| &one, NOW).unwrap().id(),
        "a"
    );
}

#[test]
fn thousands_of_profiles_are_counted_not_kept() {
    let mut text = String::from(
        "[sso-session corp]\nsso_start_url = https://c.awsapps.com/start\nsso_registration_scopes = sso:account:access\n",
    );
    for i in 0..5000 {
        text.push_str(&format!("[profile p{i}]\nsso_session = corp\n"));
    }
    for i in 0..2 {
        text.push_str(&format!(
            "[profile l{i}]\nsso_start_url = https://l.awsapps.com/start\n"
        ));
    }
    let s = of_config(&parse(&text));
    assert_eq!(s[0].profiles, ["p0", "p1", "p2"]);
    assert_eq!(s[0].more_profiles, 4997);
    assert_eq!(
        s[0].registration_scopes.as_deref(),
        Some("sso:account:access")
    );
    assert_eq!((s[1].profiles.len(), s[1].more_profiles), (2, 0));
    let d = describe(&s, &[], NOW);
    assert!(d.contains("(profiles: p0, p1 and 4998 more)"), "{d}");
    assert!(d.contains("(profiles: l0, l1)"), "{d}");
    // A profile name still chooses its session, from the config itself.
    let cfg = parse(&text);
    let got = resolve(&s, &[], Some("p4321"), None, &|| &cfg, NOW).unwrap();
    assert_eq!(got.id(), "corp");
}

#[test]
fn another_tools_token_is_no_session() {
    let mut q = tok("q", "https://q.awsapps.com/start", true);
    q.foreign = true;
    let s = with_tokens(
        Vec::new(),
        &[q, tok("b", "https://b.awsapps.com/start", true)],
        "us-east-1",
    );
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].start_url, "https://b.awsapps.com/start");
}

#[test]
fn a_session_without_sso_region_names_its_section() {
    let text = "[sso-session corp]\nsso_start_url = https://c.awsapps.com/start\n\
                [profile old]\nsso_start_url = https://l.awsapps.com/start\n\
                [sso-session ok]\nsso_start_url = https://o.awsapps.com/start\nsso_region = eusc-de-east-1\n";
    let s = of_config(&parse(text));
    assert_eq!(s[0].missing_region().as_deref(), Some("[sso-session corp]"));
    assert_eq!(s[2].missing_region().as_deref(), Some("[profile old]"));
    assert_eq!(s[1].missing_region(), None);
    assert_eq!(s[1].region, "eusc-de-east-1");
}
