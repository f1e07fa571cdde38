//! A snapshot read while the picker is open: rows as chunks arrive, a
//! listing's events held until it is read, and a damaged file said.

use super::*;
use ssopick_core::snapshot_stream::StreamError;
use ssopick_core::snapshot_stream::{Head, RoleNames};

fn head() -> Head {
    let mut h = Head::of(&catalog());
    h.roles = Some(3);
    h
}

/// The test catalog's accounts as the reading thread sends them.
fn chunks() -> Vec<Vec<ssopick_core::snapshot_stream::Shared>> {
    let mut names = RoleNames::default();
    let all: Vec<_> = catalog()
        .accounts
        .into_iter()
        .map(|a| names.share_account(a))
        .collect();
    vec![all[..1].to_vec(), all[1..].to_vec()]
}

#[tokio::test]
async fn rows_show_as_the_snapshot_is_read_and_a_listing_waits_for_it() {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut picker = Picker::new("corp", None, History::default(), UtcTime(T0), "");
    picker.stream_snapshot(&head());
    let mut parts = chunks().into_iter();
    tx.send(Loaded::Accounts(parts.next().unwrap())).unwrap();
    let (fx, _, _) = effects();
    let exit = run_picker(
        picker,
        Some(late_arrival_listing()),
        Some(rx),
        fx,
        |h| async move {
            // The first chunk shows at once, with what is still being read.
            let s = h.wait_for("payments-prod").await;
            assert!(s.contains("reading 1/3"), "{s}");
            assert!(
                !s.contains("payments-dev") && !s.contains("late-arrival"),
                "{s}"
            );
            // Typing works meanwhile.
            h.typed("pay");
            h.wait_for("> pay").await;
            tx.send(Loaded::Accounts(parts.next().unwrap())).unwrap();
            tx.send(Loaded::End(Ok(()))).unwrap();
            h.send(ctrl('u'));
            // Read whole: every row, then the listing's own.
            let s = h.wait_for("LateRole").await;
            assert!(s.contains("payments-dev") && !s.contains("reading"), "{s}");
            h.send(key(KeyCode::Esc));
        },
    )
    .await;
    assert_eq!(exit.unwrap(), PickerExit::Cancelled);
}

#[tokio::test]
async fn a_snapshot_damaged_past_its_first_chunks_says_so() {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut picker = Picker::new("corp", None, History::default(), UtcTime(T0), "");
    picker.stream_snapshot(&head());
    tx.send(Loaded::Accounts(chunks().remove(0))).unwrap();
    tx.send(Loaded::End(Err(StreamError::Damaged(
        "EOF while parsing a list at line 1 column 900".into(),
    ))))
    .unwrap();
    drop(tx);
    let (fx, _, _) = effects();
    let exit = run_picker(picker, None, Some(rx), fx, |h| async move {
        let s = h.wait_for("Ctrl-R lists anew").await;
        assert!(s.contains("the snapshot is damaged"), "{s}");
        assert!(s.contains("payments-prod"), "{s}");
        h.send(key(KeyCode::Esc));
    })
    .await;
    assert_eq!(exit.unwrap(), PickerExit::Cancelled);
}

#[tokio::test]
async fn a_reading_thread_that_vanishes_ends_the_reading() {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut picker = Picker::new("corp", None, History::default(), UtcTime(T0), "");
    picker.stream_snapshot(&head());
    tx.send(Loaded::Accounts(chunks().remove(0))).unwrap();
    drop(tx);
    let (fx, _, _) = effects();
    let exit = run_picker(picker, None, Some(rx), fx, |h| async move {
        let s = h.wait_for("its reading stopped").await;
        assert!(!s.contains("reading 1/3"), "{s}");
        h.send(key(KeyCode::Esc));
    })
    .await;
    assert_eq!(exit.unwrap(), PickerExit::Cancelled);
}
