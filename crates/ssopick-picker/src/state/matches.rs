//! Between the state and the matcher thread: the next request when the
//! query or the rows changed, and the results applied (stale ones dropped,
//! the highlight kept or put on the best match).

use super::Picker;
use crate::matching::{MatchRequest, MatchResult, everything, run_match};
use ssopick_core::filter::{Matcher, Query};
use std::sync::Arc;

impl Picker {
    /// The next matching job, if the query or rows changed since the last.
    pub fn take_match_request(&mut self) -> Option<MatchRequest> {
        self.take_match_request_if(true)
    }

    /// Accounts or roles arrived that the rows do not show yet.
    pub fn needs_rebuild(&self) -> bool {
        self.arrivals.dirty
    }

    /// As `take_match_request`, but arrivals wait (`rebuild` false) while
    /// the query's matches are computed on the rows as they are: the UI
    /// thread rebuilds at a pace it chooses.
    pub fn take_match_request_if(&mut self, rebuild: bool) -> Option<MatchRequest> {
        if rebuild {
            self.rebuild();
        }
        if !self.found.pending {
            return None;
        }
        self.found.pending = false;
        let query = Query::parse(&self.input.query).for_email(|e| {
            self.accounts
                .iter()
                .find(|a| a.account.email_address.eq_ignore_ascii_case(e))
                .map(|a| a.account.account_id.clone())
        });
        // A keystroke that leaves the parsed query as it was (a space
        // between words) needs no matching.
        if self.found.matched_query.as_ref() == Some(&query) {
            return None;
        }
        self.found.generation += 1;
        if query == Query::All {
            let matches = everything(&self.order);
            let generation = self.found.generation;
            self.apply_matches(MatchResult {
                generation,
                query,
                matches,
            });
            return None;
        }
        let candidates = match &self.found.matched_query {
            Some(prev) if query.narrows(prev) => Some(Arc::new(self.found.matches.clone())),
            _ => None,
        };
        Some(MatchRequest {
            generation: self.found.generation,
            query,
            hays: self.hays.clone(),
            order: self.order.clone(),
            candidates,
        })
    }

    /// Takes results; stale ones (an older generation) are dropped.
    pub fn apply_matches(&mut self, r: MatchResult) -> bool {
        if r.generation != self.found.generation {
            return false;
        }
        // A new query puts the best match on top and highlights it (fzf);
        // new results for the same query (live rows, the fully sorted
        // list) keep the highlighted row.
        let query_changed = self.found.shown_query.as_ref() != Some(&r.query);
        let key = if let Some(wanted) = self.found.wanted.take() {
            Some(wanted)
        } else if query_changed || !self.found.moved {
            // The best match is highlighted until the user moves.
            None
        } else {
            self.selected_key()
        };
        self.found.matches = r.matches;
        self.found.shown_query = Some(r.query.clone());
        self.found.matched_query = Some(r.query);
        if key.is_none() {
            self.list.selected = 0;
            self.list.offset = 0;
        }
        self.restore_selection(key);
        true
    }

    /// Matching done synchronously (tests, benchmarks).
    pub fn match_now(&mut self) {
        if let Some(req) = self.take_match_request() {
            let r = run_match(&Matcher::default(), &req);
            self.apply_matches(r);
        }
    }

    pub fn matched_query(&self) -> Option<&Query> {
        self.found.matched_query.as_ref()
    }

    pub fn is_matching(&self) -> bool {
        self.found.pending || self.found.matched_query.is_none()
    }
}
