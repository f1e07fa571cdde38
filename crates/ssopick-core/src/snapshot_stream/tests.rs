use super::*;
use crate::catalog::Account;

const URL: &str = "https://x.awsapps.com/start";

fn catalog(n: usize) -> Catalog {
    let mut c = Catalog::new("s", URL, "eu-west-1", UtcTime(1_700_000_000));
    c.complete = true;
    c.accounts = (0..n)
        .map(|i| AccountRoles {
            account: Account::new(
                format!("{:012}", 100_000_000_000 + i),
                format!("acct-{i:03}"),
                format!("a{i}@example.com"),
            ),
            roles: Some(vec!["Admin".into(), "ReadOnly".into()]),
        })
        .collect();
    c
}

fn stored(c: &Catalog) -> Vec<u8> {
    serde_json::to_vec(&Stored::of(c)).unwrap()
}

fn collect(
    bytes: &[u8],
    url: &str,
    chunks: Chunks,
) -> (Result<Head, StreamError>, Vec<usize>, Vec<AccountRoles>) {
    let (mut sizes, mut all) = (Vec::new(), Vec::new());
    let r = stream(bytes, url, chunks, &mut |c| {
        sizes.push(c.len());
        all.extend(c);
        true
    });
    (r, sizes, all)
}

#[test]
fn the_stored_form_reads_back_as_the_catalog_and_its_head_comes_first() {
    let c = catalog(5);
    let bytes = stored(&c);
    let back: Catalog = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(back, c);
    // The head parses from the bytes before the first account alone.
    let cut = bytes
        .windows(11)
        .position(|w| w == b"\"accounts\":")
        .unwrap()
        + 12;
    let h = head(&bytes[..cut]).unwrap();
    assert_eq!(h, Head::of(&c));
    assert_eq!((h.accounts, h.roles), (Some(5), Some(10)));
}

#[test]
fn a_file_without_counts_has_a_head_without_them() {
    let c = catalog(2);
    let h = head(&serde_json::to_vec(&c).unwrap()).unwrap();
    assert_eq!((h.accounts, h.roles, h.complete), (None, None, true));
}

#[test]
fn a_head_after_the_accounts_or_of_another_format_is_no_head() {
    let c = catalog(1);
    let accounts = serde_json::to_string(&c.accounts).unwrap();
    let late = format!(
        r#"{{"accounts":{accounts},"version":1,"session":"s","startUrl":"{URL}","region":"r","takenAt":"2024-01-01T00:00:00Z","complete":true}}"#
    );
    assert_eq!(head(late.as_bytes()), None);
    let other = String::from_utf8(stored(&c))
        .unwrap()
        .replace("\"version\":1", "\"version\":9");
    assert_eq!(head(other.as_bytes()), None);
    assert_eq!(head(b""), None);
    assert_eq!(head(b"[1,2]"), None);
    assert_eq!(head(b"{\"version\":1,\"session\":\"s\""), None);
}

#[test]
fn accounts_arrive_in_chunks_a_small_one_first() {
    let c = catalog(8);
    let (r, sizes, all) = collect(&stored(&c), URL, Chunks { first: 2, rest: 3 });
    assert_eq!(r, Ok(Head::of(&c)));
    assert_eq!(sizes, vec![2, 3, 3]);
    assert_eq!(all, c.accounts);
}

#[test]
fn accounts_aws_would_never_send_are_dropped_and_names_cleaned() {
    let mut c = catalog(3);
    c.accounts[0].account.account_id = "12345".into();
    c.accounts[1].account.account_name = "evil\u{1b}[2Jname\u{202e}".into();
    c.accounts[2].roles = Some(vec!["ok".into(), "bad role;rm".into()]);
    let (r, _, all) = collect(&stored(&c), URL, Chunks::default());
    assert!(r.is_ok());
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].account.account_name, "evil\u{fffd}[2Jname\u{fffd}");
    assert_eq!(all[1].roles, Some(vec!["ok".to_string()]));
}

#[test]
fn another_start_url_or_format_hands_on_nothing() {
    let c = catalog(3);
    let (r, sizes, _) = collect(&stored(&c), "https://other/start", Chunks::default());
    assert_eq!((r, sizes.len()), (Err(StreamError::NotOurs), 0));
    let v2 = String::from_utf8(stored(&c))
        .unwrap()
        .replace("\"version\":1", "\"version\":2");
    let (r, sizes, _) = collect(v2.as_bytes(), URL, Chunks::default());
    assert_eq!((r, sizes.len()), (Err(StreamError::NotOurs), 0));
}

#[test]
fn a_damaged_file_says_so_after_what_it_could_hand_on() {
    let c = catalog(6);
    let text = String::from_utf8(stored(&c)).unwrap();
    let cut = text.find("acct-004").unwrap();
    let (r, sizes, _) = collect(&text.as_bytes()[..cut], URL, Chunks { first: 2, rest: 2 });
    assert!(matches!(r, Err(StreamError::Damaged(_))), "{r:?}");
    assert_eq!(sizes, vec![2, 2]);
    let trailing = format!("{text} x");
    assert!(matches!(
        collect(trailing.as_bytes(), URL, Chunks::default()).0,
        Err(StreamError::Damaged(_))
    ));
    for junk in [&b"{garbage"[..], b"", b"null", b"{\"accounts\":5}"] {
        assert!(collect(junk, URL, Chunks::default()).0.is_err());
    }
}

#[test]
fn a_sink_that_says_stop_stops_the_reading() {
    let c = catalog(9);
    let mut calls = 0;
    let r = stream(
        &stored(&c)[..],
        URL,
        Chunks { first: 1, rest: 2 },
        &mut |_| {
            calls += 1;
            calls < 2
        },
    );
    assert_eq!((r, calls), (Err(StreamError::Stopped), 2));
}
