//! The real SDK client against the fake portal over real HTTP on 127.0.0.1.

use ssopick::core::catalog::Catalog;
use ssopick::core::listing::{Applier, FetchEvent, FetchOptions};
use ssopick::core::secret::Secret;
use ssopick::core::time::UtcTime;
use ssopick::edge::portal::listing::fetch_all;
use ssopick::edge::portal::{CallError, PortalClient, PortalOptions};
use ssopick::fake::{FakeOptions, FakeOrg, FakePortal, Fault};
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

fn client(fake: &FakePortal, token: &str) -> Arc<PortalClient> {
    let opts = PortalOptions {
        region: "us-east-1".into(),
        endpoint: Some(fake.url().into()),
        attempt_timeout: Duration::from_secs(5),
        http: None,
        variant: ssopick::core::sso::endpoints::Variant::default(),
    };
    Arc::new(PortalClient::new(&opts, Secret::new(token)))
}

async fn fetch(
    fake: &FakePortal,
    opts: FetchOptions,
) -> (
    Result<ssopick::core::listing::Progress, CallError>,
    Vec<FetchEvent>,
) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let r = fetch_all(client(fake, fake.token()), opts, tx, None).await;
    let mut evs = Vec::new();
    while let Ok(e) = rx.try_recv() {
        evs.push(e);
    }
    (r, evs)
}

fn assert_complete(org: &FakeOrg, evs: Vec<FetchEvent>) {
    let mut cat = Catalog::new("s", "u", "r", UtcTime(0));
    let mut applier = Applier::default();
    let mut seen_accounts = HashSet::new();
    for e in evs {
        match &e {
            FetchEvent::Accounts(a) => seen_accounts.extend(a.iter().map(|a| a.account_id.clone())),
            FetchEvent::Roles { account_id, .. } => {
                assert!(
                    seen_accounts.contains(account_id),
                    "roles of {account_id} arrived before the account"
                );
            }
            _ => {}
        }
        applier.apply(&mut cat, e);
    }
    assert_eq!(cat.accounts.len(), org.accounts.len());
    for a in &org.accounts {
        let got = cat
            .accounts
            .iter()
            .find(|x| x.account.account_id == a.account_id)
            .expect("account present");
        assert_eq!(got.account.account_name, a.account_name);
        assert_eq!(
            got.roles.as_ref().expect("roles fetched"),
            &a.roles,
            "roles of {}",
            a.account_name
        );
    }
}

#[tokio::test]
async fn paginates_250_accounts() {
    let org = FakeOrg::generated(260, 3);
    let fake = FakePortal::start(org.clone(), FakeOptions::default())
        .await
        .unwrap();
    let (r, evs) = fetch(&fake, FetchOptions::default()).await;
    let p = r.unwrap();
    assert_eq!(p.accounts, 260);
    assert_eq!(p.roles_done, 260);
    assert_eq!(fake.stats().list_accounts, 3, "100 per page");
    assert_complete(&org, evs);
}

#[tokio::test]
async fn accounts_with_more_than_a_page_of_roles() {
    let mut org = FakeOrg::generated(3, 1);
    org.accounts[1].roles = (0..230).map(|i| format!("Role{i:03}")).collect();
    let fake = FakePortal::start(org.clone(), FakeOptions::default())
        .await
        .unwrap();
    let (r, evs) = fetch(&fake, FetchOptions::default()).await;
    r.unwrap();
    assert_complete(&org, evs);
}

#[tokio::test]
async fn throttle_far_below_request_rate_loses_nothing() {
    let org = FakeOrg::generated(120, 5);
    let opts = FakeOptions {
        throttle: Some((40.0, 5.0)),
        latency: Duration::from_millis(5),
        ..Default::default()
    };
    let fake = FakePortal::start(org.clone(), opts).await.unwrap();
    let (r, evs) = fetch(&fake, FetchOptions::default()).await;
    let p = r.unwrap();
    let s = fake.stats();
    assert!(s.throttled > 0, "the throttle must have bitten: {s:?}");
    assert_eq!(p.throttled, s.throttled, "every 429 seen and retried");
    assert_complete(&org, evs);
}

#[tokio::test]
async fn unauthorized_mid_run_stops_with_401() {
    let org = FakeOrg::generated(300, 2);
    let fake = FakePortal::start(org, FakeOptions::default())
        .await
        .unwrap();
    fake.revoke_after(50);
    let (r, _) = fetch(&fake, FetchOptions::default()).await;
    assert_eq!(r.unwrap_err(), CallError::Unauthorized);
    let wrong = FakePortal::start(FakeOrg::generated(3, 2), FakeOptions::default())
        .await
        .unwrap();
    let (tx, _rx) = mpsc::unbounded_channel();
    let r = fetch_all(
        client(&wrong, "not-the-token"),
        FetchOptions::default(),
        tx,
        None,
    )
    .await;
    assert_eq!(r.unwrap_err(), CallError::Unauthorized);
}

#[tokio::test]
async fn latency_is_overlapped_by_concurrency() {
    let org = FakeOrg::generated(200, 9);
    let opts = FakeOptions {
        latency: Duration::from_millis(50),
        ..Default::default()
    };
    let fake = FakePortal::start(org.clone(), opts).await.unwrap();
    let (r, evs) = fetch(&fake, FetchOptions::default()).await;
    r.unwrap();
    // 202 requests at 50 ms each would take 10 s one at a time.
    assert!(fake.stats().peak_in_flight >= 16, "{:?}", fake.stats());
    assert_complete(&org, evs);
}

#[tokio::test]
async fn server_errors_and_resets_are_retried() {
    let org = FakeOrg::generated(40, 4);
    let fake = FakePortal::start(org.clone(), FakeOptions::default())
        .await
        .unwrap();
    fake.inject(Fault::Status(503), 3);
    fake.inject(Fault::Pass, 1); // ListAccounts gets through on its 4th try
    fake.inject(Fault::Status(500), 2);
    fake.inject(Fault::Reset, 2);
    fake.inject(Fault::Truncate, 2);
    let (r, evs) = fetch(&fake, FetchOptions::default()).await;
    let p = r.unwrap();
    assert!(p.retries >= 9, "{p:?}");
    assert_complete(&org, evs);
}

#[tokio::test]
async fn a_server_that_keeps_failing_ends_the_run_with_an_api_error() {
    let fake = FakePortal::start(FakeOrg::generated(2, 4), FakeOptions::default())
        .await
        .unwrap();
    fake.inject(Fault::Status(500), 1000);
    let opts = FetchOptions {
        backoff_base: Duration::from_millis(1),
        backoff_cap: Duration::from_millis(5),
        ..Default::default()
    };
    let (r, _) = fetch(&fake, opts).await;
    assert!(matches!(r, Err(CallError::Transient(_))), "{r:?}");
}

#[tokio::test]
async fn responses_slower_than_the_timeout_are_retried() {
    let org = FakeOrg::generated(30, 6);
    let fake = FakePortal::start(org.clone(), FakeOptions::default())
        .await
        .unwrap();
    fake.inject(Fault::Pass, 1);
    fake.inject(Fault::Hang(Duration::from_secs(3)), 3);
    let opts = PortalOptions {
        region: "us-east-1".into(),
        endpoint: Some(fake.url().into()),
        attempt_timeout: Duration::from_millis(400),
        http: None,
        variant: ssopick::core::sso::endpoints::Variant::default(),
    };
    let client = Arc::new(PortalClient::new(&opts, Secret::new(fake.token())));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let p = fetch_all(client, FetchOptions::default(), tx, None)
        .await
        .unwrap();
    assert!(p.retries >= 3, "{p:?}");
    let mut evs = Vec::new();
    while let Ok(e) = rx.try_recv() {
        evs.push(e);
    }
    assert_complete(&org, evs);
}

/// A permanent 429 on ListAccountRoles: retries stop once no call has
/// succeeded for the stall limit (60 s by default), with what was listed.
#[tokio::test]
async fn a_429_storm_ends_at_the_stall_limit() {
    let fake = FakePortal::start(FakeOrg::generated(6, 8), FakeOptions::default())
        .await
        .unwrap();
    fake.inject(Fault::Pass, 1); // ListAccounts
    fake.inject(Fault::Status(429), 1_000_000);
    let opts = FetchOptions {
        backoff_base: Duration::from_millis(5),
        backoff_cap: Duration::from_millis(50),
        stall_limit: Duration::from_millis(800),
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let (r, _) = fetch(&fake, opts).await;
    assert!(
        matches!(&r, Err(CallError::Transient(m)) if m.contains("no call has succeeded")),
        "{r:?}"
    );
    assert!(t.elapsed() < Duration::from_secs(5), "{:?}", t.elapsed());
}

/// Throttled but making progress: a listing far longer than the stall
/// limit still completes.
#[tokio::test]
async fn a_throttled_listing_that_progresses_completes() {
    let org = FakeOrg::generated(25, 9);
    let fake = FakePortal::start(
        org.clone(),
        FakeOptions {
            throttle: Some((12.0, 2.0)),
            ..FakeOptions::default()
        },
    )
    .await
    .unwrap();
    let opts = FetchOptions {
        stall_limit: Duration::from_millis(700),
        ..Default::default()
    };
    let t = std::time::Instant::now();
    let (r, evs) = fetch(&fake, opts).await;
    assert!(r.is_ok(), "{r:?}");
    assert!(
        t.elapsed() > Duration::from_millis(1400),
        "took {:?}: not longer than the limit",
        t.elapsed()
    );
    assert_complete(&org, evs);
}

/// A listing's tasks are its own: when it ends with an error, or its
/// caller drops it half way, its ListAccounts pages stop too (the fake sees
/// no page requested afterwards).
#[tokio::test(flavor = "multi_thread")]
async fn a_listing_leaves_no_task_calling_the_portal() {
    let pages = |f: &FakePortal| f.calls().iter().filter(|c| c.op == "ListAccounts").count();
    for roles_status in [Some(400), None] {
        let fake = FakePortal::start(
            FakeOrg::generated(3000, 2),
            FakeOptions {
                latency: Duration::from_millis(30),
                roles_status,
                ..FakeOptions::default()
            },
        )
        .await
        .unwrap();
        let (tx, _rx) = mpsc::unbounded_channel();
        let run = fetch_all(
            client(&fake, fake.token()),
            FetchOptions::default(),
            tx,
            None,
        );
        match tokio::time::timeout(Duration::from_millis(300), run).await {
            Ok(r) => assert!(matches!(r, Err(CallError::Fatal(_))), "{r:?}"),
            // Dropped half way by its caller.
            Err(_) => assert!(roles_status.is_none()),
        }
        // A page already on its way may still arrive; then nothing more.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let at_end = pages(&fake);
        assert!(at_end < 30, "the listing went on: {at_end} pages");
        tokio::time::sleep(Duration::from_millis(600)).await;
        assert_eq!(
            pages(&fake),
            at_end,
            "ListAccounts was called after the listing ended"
        );
    }
}
