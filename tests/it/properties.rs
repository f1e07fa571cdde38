//! Property tests over hostile input: the parsers never panic, export
//! quoting survives bash unchanged, and a profile merge changes only its
//! section.

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use ssopick::core::inifile::{FileKind, newline_of, upsert};
use ssopick::core::sso::{config, token};

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// `ssopick list QUERY` prints exactly the rows the picker shows for
    /// QUERY, in the same order: plain words, fzf's extended terms, pasted
    /// ids, with a pick history that reorders equal matches.
    #[test]
    fn the_picker_and_the_commands_rank_alike(
        words in proptest::collection::vec("[a-eps0-3'^!$|-]{1,5}|[|]|[a-z]{1,3}[$]", 1..4),
        picks in proptest::collection::vec((0usize..400, 1u32..5), 0..6),
        seed in 0u64..4,
    ) {
        use ssopick::core::filter::Query;
        use ssopick::core::history::History;
        use ssopick::core::select::{Ask, Frecency, rank};
        use ssopick::core::time::UtcTime;
        use ssopick::picker::Picker;
        let query = words.join(" ");
        prop_assume!(Query::parse(&query) != Query::All);
        let now = UtcTime(1_800_000_000);
        let cat = ssopick::fake::FakeOrg::generated(80, seed).to_catalog("corp", "u", now);
        let entries: Vec<_> = cat.entries().collect();
        let mut history = History::default();
        for (i, n) in &picks {
            let e = &entries[i % entries.len()];
            for _ in 0..*n {
                history.record("corp", &e.account.account_id, e.role, UtcTime(now.0 - 3600));
            }
        }
        let mut p = Picker::new("corp", Some(&cat), history.clone(), now, &query);
        p.match_now();
        let shown: Vec<(String, String)> = p
            .found
            .matches
            .iter()
            .map(|&i| {
                let r = &p.rows[i as usize];
                (p.account_of(r).account_id.clone(), r.role.as_deref().unwrap_or("").to_string())
            })
            .collect();
        let q = vec![query.clone()];
        let listed: Vec<(String, String)> = rank(
            &[&cat],
            &Ask { account: None, role: None, query: &q },
            &Frecency { history: &history, now },
        )
        .iter()
        .map(|e| (e.account.account_id.clone(), e.role.to_string()))
        .collect();
        prop_assert_eq!(shown, listed, "query {:?}", query);
    }

    /// The picker's part-wise matcher (scores per account and per role,
    /// words spanning both from cached prefixes) finds exactly the rows
    /// whole-row matching finds, whatever the case, digits or non-ASCII
    /// letters. (Scores are per part by design: a role's first letter
    /// scores as the start of a word either way.)
    #[test]
    fn part_matching_equals_whole_row_matching(
        accounts in proptest::collection::vec(("[a-cA-Cé0-2-]{1,8}", "[0-2]{3}", proptest::collection::vec("[a-cA-CÉ_]{1,6}", 1..4)), 1..12),
        query in "[a-cA-Cé0-2 ]{1,7}",
        prefix_len in 0usize..7,
    ) {
        use ssopick::core::filter::{Haystacks, Matcher, Query};
        let rows: Vec<(String, String, String)> = accounts
            .iter()
            .enumerate()
            .flat_map(|(n, (name, id, roles))| {
                roles.iter().map(move |r| (name.clone(), format!("{id}{n:03}"), r.clone()))
            })
            .collect();
        let hs = Haystacks::build(rows.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())));
        let m = Matcher::default();
        let all: Vec<u32> = (0..hs.len() as u32).collect();
        // Type a prefix of the query first, as a user does: the word cache
        // and narrowing must not change the outcome.
        let cut = query.char_indices().nth(prefix_len).map_or(query.len(), |(b, _)| b);
        let q1 = Query::parse(&query[..cut]);
        let first: Vec<u32> = m.run(&hs, &all, &q1).into_iter().map(|(i, _)| i).collect();
        let q2 = Query::parse(&query);
        let cands = if q2.narrows(&q1) { first } else { all.clone() };
        let mut got: Vec<u32> = m.run(&hs, &cands, &q2).into_iter().map(|(i, _)| i).collect();
        let mut want: Vec<u32> = all
            .iter()
            .copied()
            .filter(|&i| m.score(&hs, i as usize, &q2).is_some())
            .collect();
        got.sort_unstable();
        want.sort_unstable();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn token_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = token::parse_token(&bytes);
    }

    #[test]
    fn token_parser_on_json_shaped_input(key in "[a-zA-Z]{0,12}", exp in ".{0,40}", tok in ".{0,40}") {
        let doc = serde_json::json!({ key.clone(): tok, "expiresAt": exp, "accessToken": "x" }).to_string();
        let _ = token::parse_token(doc.as_bytes());
    }

    #[test]
    fn config_parser_never_panics(text in "(\\[|\\]|=|#|;| |\\t|\\r|\\n|profile|sso-session|default|sso_[a-z_]+|[a-z0-9:/.-]{1,8}){0,60}") {
        let _ = config::parse(&text);
    }

    #[test]
    fn merge_changes_only_the_target_section(
        sections in proptest::collection::vec(("[a-z]{1,6}", proptest::collection::vec(("[a-z_]{1,8}", "[ -~]{0,12}"), 0..4)), 0..6),
        crlf in any::<bool>(),
        final_newline in any::<bool>(),
        comments in any::<bool>(),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut text = String::new();
        for (name, keys) in &sections {
            if comments { text.push_str(&format!("# about {name}{nl}")); }
            text.push_str(&format!("[profile {name}]{nl}"));
            for (k, v) in keys {
                text.push_str(&format!("{k} = {}{nl}", v.trim()));
            }
            text.push_str(nl);
        }
        if !final_newline { while text.ends_with(['\r', '\n']) { text.pop(); } }
        let section = "[profile ssopick-target]\n# generated by ssopick for a (1) R\nregion = eu-west-1\n";
        let new = upsert(&text, FileKind::Config, "profile ssopick-target", section, false).unwrap();
        // Appended: the old text is a prefix (up to the final newline it gained).
        let kept = text.trim_end_matches(['\r', '\n']);
        prop_assert!(new.starts_with(kept));
        if text.contains('\n') { prop_assert_eq!(newline_of(&new), nl); }
        // Replacing it again changes only its own line.
        let again = upsert(&new, FileKind::Config, "profile ssopick-target", &section.replace("eu-west-1", "us-east-2"), false).unwrap();
        prop_assert_eq!(again, new.replace("region = eu-west-1", "region = us-east-2"));
        // Every other profile reads the same as before.
        let (before, after) = (config::parse(&text), config::parse(&new));
        for p in &before.profiles { prop_assert_eq!(after.profile(&p.name), Some(p)); }
    }
}

/// Arbitrary strings survive `export` quoting through a real bash, in one
/// bash run for the whole batch.
#[test]
fn export_quoting_round_trips_through_bash() {
    if std::process::Command::new("bash")
        .arg("-c")
        .arg("exit 0")
        .output()
        .is_err()
    {
        assert!(std::env::var_os("CI").is_none(), "bash is required in CI");
        eprintln!("skipped: bash is not installed");
        return;
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 1,
        ..ProptestConfig::default()
    });
    let strat = proptest::collection::vec("(\\PC|[\\n\\t'\"$`\\\\%!*?~{}()<>|&;#])*", 300);
    let values = strat.new_tree(&mut runner).unwrap().current();
    let mut values: Vec<String> = values.into_iter().filter(|v| !v.contains('\0')).collect();
    values.extend([
        "'".into(),
        "''".into(),
        "\\'".into(),
        "$(touch /tmp/ssopick-pwned)".into(),
        "`id`".into(),
        "a\nb".into(),
        " ".into(),
        String::new(),
    ]);
    let mut script = String::new();
    for (i, v) in values.iter().enumerate() {
        script.push_str(&format!(
            "V{i}={}\nprintf '%s\\0' \"$V{i}\"\n",
            ssopick::core::export::quote_posix(v)
        ));
    }
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Vec<String> = out
        .stdout
        .split(|b| *b == 0)
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for (i, v) in values.iter().enumerate() {
        assert_eq!(&got[i], v, "value {i}");
    }
    assert!(!std::path::Path::new("/tmp/ssopick-pwned").exists());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// No text (names from the portal, a region, a template) can add a line,
    /// a section or a CR to a profile block: one header, one marker line,
    /// then exactly the value lines.
    #[test]
    fn profile_blocks_never_gain_lines(
        name in "\\PC*|[\\r\\n\\u{0}\\u{1b}\\u{85}\\u{2028}\\u{202e}\\[\\]=a-z ]{0,24}",
        role in "\\PC*|[\\r\\n\\u{0}\\u{2029}\\[\\]=a-z ]{0,24}",
        region in "[\\r\\na-z0-9-]{0,12}",
        secret in "\\PC*|[\\r\\n\\u{0}\\u{85}\\u{2028}\\[\\]=a-z ]{0,24}",
    ) {
        use ssopick::core::catalog::Account;
        use ssopick::core::export::Chosen;
        use ssopick::core::profile::{ProfileInput, process_lines, section, sso_lines, static_lines};
        use ssopick::core::credentials::RoleCredentials;
        use ssopick::core::secret::Secret;
        use ssopick::core::sso::session::{Session, SessionKind};
        let chosen = Chosen {
            account: Account { account_id: "123456789012".into(), account_name: name, email_address: String::new(), chain: None, profile: None, meta: None },
            role,
            session: "corp".into(),
            region: None,
        };
        let session = Session { kind: SessionKind::Named("corp".into()), start_url: "https://x/start".into(), region: "eu-west-1".into(), profiles: Vec::new(), registration_scopes: None, more_profiles: 0, endpoint_keys: ssopick::core::sso::endpoints::EndpointKeys::default() };
        let input = ProfileInput { name: "p", chosen: &chosen, session: &session, region: &region, source_profile: None };
        // Static keys that never passed the check: still one line each.
        let keys = RoleCredentials {
            access_key_id: Secret::new(secret.clone()),
            secret_access_key: Secret::new(format!("{secret}\n[default]\ncredential_process = x")),
            session_token: Secret::new(secret),
            expiration: ssopick::core::time::UtcTime(0),
            expiry_stated: true,
        };
        for lines in [sso_lines(&input), process_lines(&input, "/opt/my tools/ssopick", &[], true), static_lines(&keys)] {
            let text = section("profile p", &chosen, &lines);
            prop_assert!(!text.contains('\r') && !text.contains('\0'));
            let got: Vec<&str> = text.lines().collect();
            prop_assert_eq!(got.len(), 2 + lines.len(), "{}", text);
            prop_assert_eq!(got.iter().filter(|l| l.trim_start().starts_with('[')).count(), 1, "{}", text);
            let parsed = config::parse(&text);
            prop_assert!(parsed.profile("default").is_none());
        }
    }

    /// `credential_process` arguments survive `sh -c` (how the Go, JS and
    /// Rust SDKs run the line) exactly, whatever they hold.
    #[test]
    fn process_arguments_survive_sh(args in proptest::collection::vec("[^\\u{0}]{0,12}", 1..4)) {
        use ssopick::core::profile::quote_arg;
        let line = args.iter().map(|a| quote_arg(a)).collect::<Vec<_>>().join(" ");
        let o = std::process::Command::new("sh")
            .args(["-c", &format!("for a in {line}; do printf '%s\\0' \"$a\"; done")])
            .output()
            .unwrap();
        let got: Vec<String> = String::from_utf8_lossy(&o.stdout)
            .split('\0')
            .filter(|_| true)
            .map(str::to_string)
            .collect();
        let want: Vec<String> = args.iter().cloned().chain(std::iter::once(String::new())).collect();
        prop_assert_eq!(got, want, "{}", line);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Terminal text: whatever a portal sends (C0/C1 controls, ESC and OSC
    /// sequences, bidi overrides, line separators), what reaches a terminal
    /// has none of them; plain text passes unchanged, and cleaning twice
    /// changes nothing.
    #[test]
    fn terminal_text_never_carries_controls(
        s in "\\PC*|[\\u{0}-\\u{1f}\\u{7f}-\\u{9f}\\u{1b}\\[\\]0-9;a-z\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{200e}\\u{200f}\\u{61c}\\u{2028}\\u{2029} ]{0,40}",
    ) {
        use ssopick::core::catalog::clean_text;
        let c = clean_text(&s);
        let bad = |ch: char| {
            ch.is_control()
                || matches!(ch, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
                || ('\u{202a}'..='\u{202e}').contains(&ch)
                || ('\u{2066}'..='\u{2069}').contains(&ch)
        };
        prop_assert!(!c.chars().any(bad), "{:?} -> {:?}", s, c);
        prop_assert_eq!(clean_text(&c), c.clone());
        if !s.chars().any(bad) {
            prop_assert_eq!(c, s);
        }
    }
}

/// dotenv lines read back the same through python-dotenv's `dotenv_values`
/// and `sh -c '. FILE'`, or are refused: one python and one sh run for a
/// batch of arbitrary values.
#[test]
fn dotenv_values_round_trip_through_python_dotenv_and_sh() {
    let have = std::process::Command::new("python3")
        .args(["-c", "import dotenv"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            std::env::var_os("CI").is_none(),
            "python-dotenv is required in CI (.ci/run installs it)"
        );
        eprintln!("skipped: python-dotenv is not installed");
        return;
    }
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 1,
        ..ProptestConfig::default()
    });
    let strat = proptest::collection::vec("(\\PC|[\\n\\t'\"$`\\\\#={} ])*", 400);
    let mut values: Vec<String> = strat
        .new_tree(&mut runner)
        .unwrap()
        .current()
        .into_iter()
        .filter(|v| !v.contains('\0'))
        .collect();
    values.extend(
        [
            "ends\\",
            "\\'",
            "it's",
            "a\\nb",
            "a\nb",
            "${HOME}",
            "$HOME",
            "\"q\"",
            "#x",
            " lead",
            "trail ",
            "",
            "it's \\ $x",
        ]
        .map(String::from),
    );
    let dir = tempfile::tempdir().unwrap();
    let mut kept = Vec::new();
    for (i, v) in values.iter().enumerate() {
        match ssopick::core::export::dotenv_line(&format!("V{i}"), v) {
            Some(line) => {
                std::fs::write(dir.path().join(format!("{i}.env")), line).unwrap();
                kept.push(i);
            }
            // Refused only where no quoting can serve both readers.
            None => assert!(
                v.contains('\r')
                    || v.contains("${")
                    || (v.contains(['\'', '\\']) && v.contains(['$', '`'])),
                "{v:?} was refused"
            ),
        }
    }
    assert!(kept.len() > values.len() / 2, "most values are kept");
    let py = format!(
        "import sys, json, dotenv\nout = {{}}\nfor i in {kept:?}:\n    out[str(i)] = dotenv.dotenv_values('{d}/%d.env' % i).get('V%d' % i)\nsys.stdout.write(json.dumps(out))",
        d = dir.path().display()
    );
    let o = std::process::Command::new("python3")
        .args(["-c", &py])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let by_python: std::collections::HashMap<String, Option<String>> =
        serde_json::from_slice(&o.stdout).unwrap();
    let mut sh = String::new();
    for i in &kept {
        sh.push_str(&format!(
            ". '{}/{i}.env'; printf '%s\\0' \"$V{i}\"\n",
            dir.path().display()
        ));
    }
    let o = std::process::Command::new("sh")
        .args(["-c", &sh])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let by_sh: Vec<String> = o
        .stdout
        .split(|b| *b == 0)
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .collect();
    for (n, i) in kept.iter().enumerate() {
        let v = &values[*i];
        assert_eq!(
            by_python[&i.to_string()].as_deref(),
            Some(v.as_str()),
            "python-dotenv, value {i}"
        );
        assert_eq!(&by_sh[n], v, "sh, value {i}");
    }
}
