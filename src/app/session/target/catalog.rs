//! A target's catalog: the snapshot or a listing, with progress on
//! stderr and a stale snapshot said as such when the portal cannot be
//! reached; and the silent listing behind a child or `serve`.

use super::Target;
use crate::app::error::Error;
use crate::app::listing::catalog_source::{Decide, Observers};
use crate::core::catalog::Catalog;
use crate::core::listing::Progress;
use crate::core::time::human_duration;
use crate::edge::portal::CallError;
use crate::edge::portal::listing::Focus;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

impl Target<'_> {
    /// A listing to run behind a child or `serve` when the session has no
    /// complete snapshot (and may list): silent, its failures ignored. The
    /// flag turns true once it has accounts to keep.
    pub(crate) fn background_listing(
        &self,
    ) -> Option<(impl std::future::Future<Output = ()> + '_, Arc<AtomicBool>)> {
        if self.catalog.offline
            || self.tokens.problem().is_some()
            || self.catalog.head().is_some_and(|h| h.complete)
        {
            return None;
        }
        let some = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&some);
        let listing = async move {
            let Ok(client) = self.client().await else {
                return;
            };
            let mut seen = |p: &Progress| {
                if p.accounts > 0 {
                    flag.store(true, Ordering::Relaxed);
                }
            };
            let obs = Observers {
                on_progress: Some(&mut seen),
                ..Observers::default()
            };
            let _ = self.catalog.list(client, obs).await;
        };
        Some((listing, some))
    }

    /// The catalog as `--offline`/`--refresh` and the snapshot's age decide;
    /// a listing shows its progress on stderr when that is a terminal.
    pub(crate) async fn catalog(&self) -> Result<Catalog, Error> {
        self.catalog_focused(None).await
    }

    /// As `catalog`, a listing focused on some accounts (`Observers::focus`):
    /// it may end early, with an incomplete catalog, when the caller's
    /// question is answered.
    pub(crate) async fn catalog_focused(
        &self,
        focus: Option<(Focus, Decide<'_>)>,
    ) -> Result<Catalog, Error> {
        let snap = self.catalog.snapshot();
        if self.catalog.offline {
            return snap.ok_or_else(|| Error::NoSnapshot(self.id().to_string()));
        }
        if let Some(s) = snap
            && self
                .catalog
                .usable_without_listing(&crate::core::snapshot_stream::Head::of(&s))
        {
            return Ok(s);
        }
        let show = std::io::stderr().is_terminal();
        let mut progress = |p: &Progress| {
            if show {
                print_progress(p);
            }
        };
        let client = self.client().await?;
        // The caller's question, asked through a closure of this scope.
        let (focus, mut ask) = match focus {
            Some((f, d)) => (Some(f), Some(d)),
            None => (None, None),
        };
        let mut decide = |c: &Catalog| ask.as_mut().is_some_and(|d| d(c));
        let focus = focus.map(|f| (f, &mut decide as &mut dyn FnMut(&Catalog) -> bool));
        // Ctrl-C, SIGTERM or SIGHUP end the listing, and what it learned
        // is saved as it stops.
        let listing = self.catalog.list(
            client,
            Observers {
                on_progress: Some(&mut progress),
                focus,
                ..Observers::default()
            },
        );
        let result = tokio::select! {
            r = listing => r,
            n = crate::edge::process::stop_signal() => {
                if show {
                    eprint!("\r\x1b[2K");
                }
                return Err(Error::Signal(n));
            }
        };
        if show {
            eprint!("\r\x1b[2K");
        }
        let e = match result {
            Ok(c) => {
                let cut = self.catalog.cut();
                if !cut.is_empty() {
                    eprintln!(
                        "ssopick: warning: the portal's answers were cut short: {}. The catalog is incomplete.",
                        self.catalog.cut_text()
                    );
                }
                return Ok(c);
            }
            Err(e) => e,
        };
        let expired = e == CallError::Unauthorized;
        let err = self.call_error(e);
        let Some(s) = self.catalog.snapshot().filter(|_| !expired) else {
            return Err(err);
        };
        let age = human_duration(s.taken_at.secs_until(self.setup.clock.now()));
        if self.catalog.refresh {
            // Asked for a fresh listing and did not get one: a failure,
            // but the user should know the old answer is still there.
            eprintln!(
                "ssopick: the snapshot taken {age} ago is still there; run without --refresh to use it."
            );
            return Err(err);
        }
        // The portal cannot be reached: the snapshot still answers, marked
        // as stale on stderr so nobody mistakes it for a fresh listing.
        eprintln!(
            "ssopick: {err}\nssopick: STALE: using the snapshot taken {age} ago ({}){}",
            s.taken_at,
            if s.complete { "" } else { ", incomplete" }
        );
        Ok(s)
    }
}

fn print_progress(p: &Progress) {
    let accounts = if p.accounts_complete {
        format!("{}", p.accounts)
    } else {
        format!("{}+", p.accounts)
    };
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "\r\x1b[2Klisting: {accounts} accounts, roles {}/{} ({} in flight{})",
        p.roles_done,
        p.accounts,
        p.in_flight,
        if p.throttled > 0 {
            format!(", {} throttled and retried", p.throttled)
        } else {
            String::new()
        }
    );
    let _ = err.flush();
}
