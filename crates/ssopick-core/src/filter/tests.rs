//! Matching: words in any order, part-wise scoring equal to whole-row
//! matching, pasted ids and ARNs, narrowing, highlights, shared account texts.
use super::*;

fn hays() -> Haystacks {
    Haystacks::build([
        ("payments-prod", "111111111111", "AdministratorAccess"),
        ("payments-dev", "222222222222", "ReadOnlyAccess"),
        ("search-prod", "333333333333", "AdministratorAccess"),
        ("eu-payroll", "444444444444", "PowerUserAccess"),
    ])
}

fn names(h: &Haystacks, m: &[(u32, i64)]) -> Vec<String> {
    let mut v: Vec<_> = m
        .iter()
        .map(|(i, _)| {
            h.text(*i as usize)
                .split(' ')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    v.sort();
    v
}

#[test]
fn words_in_any_order_all_must_match() {
    let h = hays();
    let m = Matcher::default();
    let all: Vec<u32> = (0..h.len() as u32).collect();
    assert_eq!(
        names(&h, &m.run(&h, &all, &Query::parse("prodadm"))),
        vec!["payments-prod", "search-prod"]
    );
    assert_eq!(
        names(&h, &m.run(&h, &all, &Query::parse("adm pay"))),
        vec!["payments-prod"]
    );
    assert_eq!(
        names(&h, &m.run(&h, &all, &Query::parse("pay eu"))),
        vec!["eu-payroll"]
    );
    assert!(m.run(&h, &all, &Query::parse("zzz")).is_empty());
    // A word spanning the account id and the role still matches.
    assert_eq!(
        names(&h, &m.run(&h, &all, &Query::parse("4444pow"))),
        vec!["eu-payroll"]
    );
}

#[test]
fn part_scoring_finds_exactly_what_whole_row_scoring_finds() {
    // 300 accounts named as organisations name them, 1 to 4 roles each.
    let teams = ["payments", "search", "data-lake", "mobile", "security"];
    let envs = ["prod", "staging", "dev", "qa"];
    let roles = [
        "AdministratorAccess",
        "ReadOnlyAccess",
        "PowerUserAccess",
        "SecurityAudit",
    ];
    let accounts: Vec<(String, String, Vec<&str>)> = (0..300)
        .map(|i| {
            let name = format!("{}-{}-{}", teams[i % 5], envs[(i / 5) % 4], i / 20);
            let id = format!("{:012}", 100_000_000_123u64 + i as u64 * 7_919);
            (name, id, roles[..=(i % 4)].to_vec())
        })
        .collect();
    let hs =
        Haystacks::build(accounts.iter().flat_map(|(name, id, roles)| {
            roles.iter().map(move |r| (name.as_str(), id.as_str(), *r))
        }));
    let all: Vec<u32> = (0..hs.len() as u32).collect();
    let m = Matcher::default();
    for q in [
        "p", "prodadm", "pay eu", "ROA", "00123", "dev ro", "xq", "sec aud",
    ] {
        let query = Query::parse(q);
        let mut got: Vec<u32> = m
            .run(&hs, &all, &query)
            .into_iter()
            .map(|(i, _)| i)
            .collect();
        let mut want: Vec<u32> = all
            .iter()
            .copied()
            .filter(|&i| m.score(&hs, i as usize, &query).is_some())
            .collect();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "{q}");
    }
}

#[test]
fn pasted_ids_and_arns_are_exact() {
    let h = hays();
    let m = Matcher::default();
    let all: Vec<u32> = (0..h.len() as u32).collect();
    assert_eq!(
        names(&h, &m.run(&h, &all, &Query::parse(" 333333333333 "))),
        vec!["search-prod"]
    );
    let arn = "arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnlyAccess_abc123";
    assert_eq!(
        names(&h, &m.run(&h, &all, &Query::parse(arn))),
        vec!["payments-dev"]
    );
    // What `aws sts get-caller-identity` prints selects the same row.
    let sts = "arn:aws:sts::222222222222:assumed-role/AWSReservedSSO_ReadOnlyAccess_0123abcd/me@example.com";
    assert_eq!(
        names(&h, &m.run(&h, &all, &Query::parse(sts))),
        vec!["payments-dev"]
    );
    assert_eq!(
        Query::parse(sts),
        Query::Role {
            account_id: "222222222222".into(),
            role: "ReadOnlyAccess".into()
        }
    );
    assert_eq!(h.account_id(2), "333333333333");
    assert_eq!(h.role(2), "AdministratorAccess");
    assert_eq!(h.text(2), "search-prod 333333333333 AdministratorAccess");
    assert_eq!((h.account_id_at(2), h.role_at(2)), (12, 25));
}

#[test]
fn a_rebuild_with_the_same_accounts_shares_their_texts_and_scores() {
    let one = std::sync::Arc::new(Haystacks::build([
        ("payments-prod", "111111111111", ""),
        ("search-prod", "333333333333", "Admin"),
    ]));
    // Roles arrived for the first account: same accounts, new rows.
    let two = std::sync::Arc::new(Haystacks::build_after(
        Some(one.clone()),
        [
            ("payments-prod", "111111111111", "Admin"),
            ("payments-prod", "111111111111", "ReadOnly"),
            ("search-prod", "333333333333", "Admin"),
        ],
    ));
    assert!(std::sync::Arc::ptr_eq(&one.accounts, &two.accounts));
    let m = Matcher::default();
    let q = Query::parse("pay adm");
    let all = |h: &Haystacks| (0..h.len() as u32).collect::<Vec<u32>>();
    assert!(m.run(&one, &all(&one), &q).is_empty());
    // The cached scores of `pay` and `adm` on the accounts carry over;
    // the rows they join are new.
    let got: Vec<u32> = m
        .run(&two, &all(&two), &q)
        .iter()
        .map(|(i, _)| *i)
        .collect();
    let fresh: Vec<u32> = Matcher::default()
        .run(&two, &all(&two), &q)
        .iter()
        .map(|(i, _)| *i)
        .collect();
    assert_eq!(got, vec![0]);
    assert_eq!(got, fresh);
    // A renamed account is a new set of texts.
    let three = Haystacks::build_after(
        Some(two.clone()),
        [
            ("payments-prd", "111111111111", "Admin"),
            ("search-prod", "333333333333", "Admin"),
        ],
    );
    assert!(!std::sync::Arc::ptr_eq(&two.accounts, &three.accounts));
    assert!(
        m.run(&three, &all(&three), &Query::parse("prod pay"))
            .is_empty()
    );
}

#[test]
fn narrowing_rule() {
    let p = |s| Query::parse(s);
    assert!(p("pro").narrows(&p("pr")));
    assert!(p("pro adm").narrows(&p("pro")));
    assert!(p("x").narrows(&p("")));
    assert!(!p("pr").narrows(&p("pro")));
    assert!(!p("px").narrows(&p("py")));
    assert!(!p("111111111111").narrows(&p("11111111111")));
}

#[test]
fn highlight_positions() {
    let h = Haystacks::build([("payments-prod", "111111111111", "Admin")]);
    let m = Matcher::default();
    let pos = m.positions(&h, 0, &Query::parse("pay adm"));
    let chars: Vec<char> = h.text(0).chars().collect();
    let hl: String = pos.iter().map(|&i| chars[i]).collect();
    assert_eq!(hl.to_lowercase(), "payadm");
    assert_eq!(m.positions(&h, 0, &Query::parse("111111111111")).len(), 12);
    let arn = "arn:aws:iam::111111111111:role/Admin";
    let hl: String = m
        .positions(&h, 0, &Query::parse(arn))
        .iter()
        .map(|&i| chars[i])
        .collect();
    assert_eq!(hl, "111111111111Admin");
}

/// Rows by score, best first (ties in row order), as names and roles.
fn ranked(h: &Haystacks, q: &str) -> Vec<String> {
    let m = Matcher::default();
    let all: Vec<u32> = (0..h.len() as u32).collect();
    let mut found = m.run(h, &all, &Query::parse(q));
    found.sort_by_key(|&(i, s)| (std::cmp::Reverse(s), i));
    found
        .iter()
        .map(|(i, _)| {
            let t = h.text(*i as usize);
            let mut w = t.split(' ');
            format!("{} {}", w.next().unwrap_or(""), w.nth(1).unwrap_or(""))
        })
        .collect()
}

/// `query` ranks `row` ("name role") last of its matches.
fn assert_ranked_last(h: &Haystacks, query: &str, row: &str) {
    let r = ranked(h, query);
    assert_eq!(r.last().map(String::as_str), Some(row), "{r:?}");
}

#[test]
fn a_word_inside_one_field_beats_one_split_across_fields() {
    let h = Haystacks::build([
        ("audit-dev-eu-1703", "111111111111", "PowerUserAccess"),
        ("audit-dev-ap-1976", "222222222222", "ReadOnlyAccess"),
        ("prod-ap-south", "333333333333", "ReadOnlyAccess"),
    ]);
    // `ap` fits audit-dev-eu-1703 only as a…P across name and role.
    assert_ranked_last(&h, "ap", "audit-dev-eu-1703 PowerUserAccess");
    // The words a user typed for audit-dev-ap-1976 pick it first.
    assert_eq!(
        ranked(&h, "audit dev ap 976").first().map(String::as_str),
        Some("audit-dev-ap-1976 ReadOnlyAccess")
    );
    // The reference scorer agrees.
    let m = Matcher::default();
    let q = Query::parse("ap");
    assert!(m.score(&h, 2, &q) > m.score(&h, 0, &q));
}

#[test]
fn contiguous_and_boundary_matches_beat_scattered_ones() {
    let h = Haystacks::build([
        ("sandbox-team-alpha", "111111111111", "ReadOnlyAccess"),
        ("test-exam-mgmt", "222222222222", "ReadOnlyAccess"),
        ("team", "333333333333", "ReadOnlyAccess"),
    ]);
    assert_ranked_last(&h, "team", "test-exam-mgmt ReadOnlyAccess");
}

#[test]
fn fzf_extended_terms() {
    let h = Haystacks::build([
        ("payments-prod", "111111111111", "AdministratorAccess"),
        ("payments-dev", "222222222222", "ReadOnlyAccess"),
        ("search-prod", "333333333333", "AdministratorAccess"),
        ("team-a-prod", "444444444444", "ReadOnlyAccess"),
        ("steam-dev", "555555555555", "PowerUserAccess"),
        ("tiny-eagle-amber-mint", "666666666666", "ReadOnlyAccess"),
    ]);
    let m = Matcher::default();
    let all: Vec<u32> = (0..h.len() as u32).collect();
    let names_of = |q: &str| names(&h, &m.run(&h, &all, &Query::parse(q)));
    // Fuzzy `team` also finds t…e…a…m; exact does not.
    assert!(names_of("team").contains(&"tiny-eagle-amber-mint".to_string()));
    assert_eq!(names_of("'team"), vec!["steam-dev", "team-a-prod"]);
    assert_eq!(names_of("^team"), vec!["team-a-prod"]);
    assert_eq!(
        names_of("prod$"),
        vec!["payments-prod", "search-prod", "team-a-prod"]
    );
    assert_eq!(names_of("prod$ !admin"), vec!["team-a-prod"]);
    assert_eq!(names_of("!^pay !^team !^search !^tiny"), vec!["steam-dev"]);
    assert_eq!(names_of("!dev$ 'dev"), Vec::<String>::new());
    assert_eq!(
        names_of("^search | ^steam"),
        vec!["search-prod", "steam-dev"]
    );
    assert_eq!(names_of("^222 | Power"), vec!["payments-dev", "steam-dev"]);
    // Smart case: a capital makes the term case-sensitive.
    assert_eq!(names_of("'Power"), vec!["steam-dev"]);
    assert_eq!(names_of("'power"), vec!["steam-dev"]);
    assert_eq!(names_of("'POWER"), Vec::<String>::new());
    // Highlights cover what the terms matched, not negated terms.
    let i = h.len() - 3; // team-a-prod
    assert_eq!(h.text(i).split(' ').next(), Some("team-a-prod"));
    assert_eq!(
        m.positions(&h, i, &Query::parse("^team !admin")),
        vec![0, 1, 2, 3]
    );
}
