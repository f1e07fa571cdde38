//! Straight in during a listing: a query that names an account exactly
//! (the selection rule's first case) is answered as soon as every account
//! is listed and that account's roles are, before any other account's
//! roles (`edge::portal::listing::Focus`). Used off a terminal (where an
//! account that lacks the role also ends it: exit 6), and by the picker's
//! opening listing.

use crate::app::error::Error;
use crate::app::pick::rows::{ask, history, with_chains};
use crate::app::setup::Setup;
use crate::core::catalog::{Account, Catalog};
use crate::core::export::Chosen;
use crate::core::select::{self, Frecency, Listed, Selection, Wanted};
use crate::edge::portal::listing::Focus;
use std::sync::Arc;

pub(crate) struct Straight<'s> {
    setup: &'s Setup,
    query: Vec<String>,
    wanted: Wanted,
    /// The row the rule chose, once it chose one.
    pub chosen: Option<Chosen>,
    /// Off a terminal: the named account lacks the role, so the listing
    /// can stop there too (the picker lists on instead).
    pub refuse: bool,
    /// Why nothing can be chosen, once that is certain (`refuse`).
    pub refused: Option<Error>,
}

impl<'s> Straight<'s> {
    /// `None` when the command asks nothing that could name an account.
    pub(crate) fn new(setup: &'s Setup, query: &[String]) -> Option<Straight<'s>> {
        Some(Straight {
            setup,
            wanted: Wanted::of(&ask(setup, query))?,
            query: query.to_vec(),
            chosen: None,
            refuse: false,
            refused: None,
        })
    }

    fn wants(&self) -> impl Fn(&Account) -> bool + Send + Sync + 'static {
        let wanted = self.wanted.clone();
        let entries = self.setup.settings.accounts.clone();
        move |a: &Account| {
            let meta = crate::core::account_meta::resolve(&entries, &a.account_id, &a.account_name);
            wanted.wants(a, meta.as_ref().and_then(|m| m.alias.as_deref()))
        }
    }

    /// The listing's focus: the accounts the query may name.
    pub(crate) fn focus(&self) -> Focus {
        Focus {
            wanted: Arc::new(self.wants()),
            go_on: Arc::new(tokio::sync::Notify::new()),
        }
    }

    /// The rule on every account listed so far and the named accounts'
    /// roles: `true` (and `chosen` set) when it chooses a row now.
    pub(crate) fn decide(&mut self, fresh: &Catalog) -> bool {
        let wants = self.wants();
        let mut mini = Catalog::new(
            &fresh.session,
            &fresh.start_url,
            &fresh.region,
            fresh.taken_at,
        );
        mini.accounts = fresh
            .accounts
            .iter()
            .filter(|a| wants(&a.account))
            .cloned()
            .collect();
        let cats = with_chains(self.setup, vec![(0, mini)]);
        let refs: Vec<&Catalog> = cats.iter().map(|(_, c)| c).collect();
        let h = history(self.setup);
        let f = Frecency {
            history: &h,
            now: self.setup.clock.now(),
        };
        let listed = Listed {
            accounts: true,
            roles: false,
        };
        match select::select(&refs, &ask(self.setup, &self.query), &f, listed) {
            Selection::One(e) => {
                self.chosen = Some(Chosen::of(&e));
                true
            }
            Selection::Lacks { named, words } if self.refuse => {
                self.refused = Some(crate::app::pick::refusals::lacks(&named, &words, false));
                true
            }
            _ => false,
        }
    }
}
