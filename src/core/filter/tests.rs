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
    let org = crate::fake::FakeOrg::generated(300, 4);
    let hs = Haystacks::build(org.accounts.iter().flat_map(|a| {
        a.roles
            .iter()
            .map(move |r| (a.account_name.as_str(), a.account_id.as_str(), r.as_str()))
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
    assert_eq!(h.account_id(2), "333333333333");
    assert_eq!(h.role(2), "AdministratorAccess");
    assert_eq!(h.text(2), "search-prod 333333333333 AdministratorAccess");
    assert_eq!((h.account_id_at(2), h.role_at(2)), (12, 25));
}

#[test]
fn a_rebuild_with_the_same_accounts_shares_their_texts_and_scores() {
    let one = Haystacks::build([
        ("payments-prod", "111111111111", ""),
        ("search-prod", "333333333333", "Admin"),
    ]);
    // Roles arrived for the first account: same accounts, new rows.
    let two = Haystacks::build_after(
        Some(&one),
        [
            ("payments-prod", "111111111111", "Admin"),
            ("payments-prod", "111111111111", "ReadOnly"),
            ("search-prod", "333333333333", "Admin"),
        ],
    );
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
        Some(&two),
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
