use super::*;

#[test]
fn continued_values_join_as_configparser_joins_them() {
    let text = "[sso-session corp]\nsso_start_url = https://c.awsapps.com/start\nsso_registration_scopes =\n    sso:account:access,\n    codewhisperer:completions\ns3 =\n  max_concurrent_requests = 20\nsso_region = eu-west-1\nuse_fips_endpoint = true\n";
    let s = &parse(text).sso_sessions[0];
    assert_eq!(
        s.registration_scopes.as_deref(),
        Some("sso:account:access,\ncodewhisperer:completions")
    );
    assert_eq!(s.region.as_deref(), Some("eu-west-1"));
    assert_eq!(s.use_fips_endpoint.as_deref(), Some("true"));
    assert_eq!(sso_session_only(text, "corp").as_ref(), Some(s));
    assert_eq!(
        split_scopes(s.registration_scopes.as_deref().unwrap()),
        ["sso:account:access", "codewhisperer:completions"]
    );
}

const REFERENCE: &str = "\
[profile legacy]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
sso_account_id = 012345678901
sso_role_name = SampleRole

[profile dev]
sso_session = my-sso
sso_account_id = 012345678901
sso_role_name = SampleRole
region = eu-west-1

[sso-session my-sso]
sso_start_url = https://d-abc123.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access
";

#[test]
fn reference_example() {
    let c = parse(REFERENCE);
    assert_eq!(c.profiles.len(), 2);
    let legacy = c.profile("legacy").unwrap();
    assert_eq!(
        legacy.sso_start_url.as_deref(),
        Some("https://d-abc123.awsapps.com/start")
    );
    assert_eq!(legacy.sso_region.as_deref(), Some("us-east-1"));
    let dev = c.profile("dev").unwrap();
    assert_eq!(dev.sso_session.as_deref(), Some("my-sso"));
    assert_eq!(dev.region.as_deref(), Some("eu-west-1"));
    let s = c.sso_session("my-sso").unwrap();
    assert_eq!(s.region.as_deref(), Some("us-east-1"));
    assert_eq!(s.registration_scopes.as_deref(), Some("sso:account:access"));
}

#[test]
fn odd_but_valid_files() {
    let text = "\u{feff}# comment\r\n; other comment\r\n[default]\r\nregion=eu-west-1\r\n\
        [profile  spaced ]   # trailing comment\r\nsso_session=a\r\ns3 =\r\n  max_concurrent_requests = 10\r\n\
        [sso-session a]\r\nSSO_START_URL = https://a.awsapps.com/start\r\nsso_region = eu-central-1\r\n\
        [services x]\r\nsso_region = ignored\r\n[profile spaced]\r\nregion = us-west-2\r\n[not a header\r\nkey_without_section = 1";
    let c = parse(text);
    assert_eq!(
        c.profile("default").unwrap().region.as_deref(),
        Some("eu-west-1")
    );
    let p = c.profile("spaced").unwrap();
    assert_eq!(p.sso_session.as_deref(), Some("a"));
    assert_eq!(
        p.region.as_deref(),
        Some("us-west-2"),
        "duplicate sections merge"
    );
    let s = c.sso_session("a").unwrap();
    assert_eq!(s.start_url.as_deref(), Some("https://a.awsapps.com/start"));
    assert_eq!(s.region.as_deref(), Some("eu-central-1"));
    assert_eq!(c.sso_sessions.len(), 1);
}

#[test]
fn profile_default_beats_bare_default() {
    let c = parse("[profile default]\nregion = a\n[default]\nregion = b\n");
    assert_eq!(c.profile("default").unwrap().region.as_deref(), Some("a"));
    let c = parse("[default]\nregion = b\n[profile default]\nregion = a\n");
    assert_eq!(c.profile("default").unwrap().region.as_deref(), Some("a"));
}

#[test]
fn garbage_never_panics() {
    for t in [
        "[",
        "]",
        "[]",
        "=",
        "[profile]",
        "[sso-session]\n=x",
        "\u{0}\u{ffff}[é]\nä=ö",
    ] {
        let _ = parse(t);
    }
}

#[test]
fn one_session_read_alone_equals_the_full_parse() {
    let text = format!(
        "{REFERENCE}\n[sso-session other]\nsso_start_url = https://o/start\n[sso-session my-sso]\nsso_region = eu-west-1\n  sso_region = nope\n"
    );
    let full = parse(&text);
    for name in ["my-sso", "other"] {
        assert_eq!(
            sso_session_only(&text, name).as_ref(),
            full.sso_session(name),
            "{name}"
        );
    }
    assert_eq!(sso_session_only(&text, "missing"), None);
}

/// A header with a `]` inside names one section (botocore's greedy
/// reading): its keys never land in the section before it.
#[test]
fn a_bracket_inside_a_header_keeps_its_keys_apart() {
    let text = "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n\n\
                [sso-session a]b]\nsso_start_url = https://attacker.awsapps.com/start\n\
                [profile x] # note ]\nregion = us-east-1\n";
    let c = parse(text);
    let corp = c.sso_session("corp").unwrap();
    assert_eq!(
        corp.start_url.as_deref(),
        Some("https://corp.awsapps.com/start")
    );
    assert_eq!(
        c.sso_session("a]b").unwrap().start_url.as_deref(),
        Some("https://attacker.awsapps.com/start")
    );
    assert_eq!(
        header_of("[profile x] # note ]"),
        Some("profile x] # note ")
    );
    assert_eq!(header_of("[]"), None);
}
