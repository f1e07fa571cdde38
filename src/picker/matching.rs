//! The matching pipeline between the picker and its matcher thread: a
//! request (query, rows, candidates), the ranking, and staged results.

use crate::core::filter::{Haystacks, Matcher, Query, rank_key};
use std::sync::Arc;

pub struct MatchRequest {
    pub generation: u64,
    pub query: Query,
    pub hays: Arc<Haystacks>,
    pub order: Arc<Vec<u32>>,
    /// Rows to look at; `None` = all.
    pub candidates: Option<Arc<Vec<u32>>>,
}

pub struct MatchResult {
    pub generation: u64,
    pub query: Query,
    pub matches: Vec<u32>,
}

/// Matches whose exact order is sent first; the rest follow, sorted, in a
/// second result of the same generation (nobody scrolls that far that fast).
pub const RANKED_FIRST: usize = 1000;

/// Runs a request: filter, then order by score, frecency, name. With many
/// matches it emits twice: the full set with its first `RANKED_FIRST` rows in
/// their final order, then the fully sorted list.
pub fn run_match_staged(m: &Matcher, req: &MatchRequest, mut emit: impl FnMut(MatchResult)) {
    let all: Vec<u32>;
    let cands: &[u32] = if let Some(c) = &req.candidates {
        c
    } else {
        all = (0..req.hays.len() as u32).collect();
        &all
    };
    let found = m.run(&req.hays, cands, &req.query);
    let mut keys: Vec<u128> = found
        .iter()
        .map(|&(i, score)| rank_key(i, score, req.order[i as usize]))
        .collect();
    let result = |keys: &[u128]| MatchResult {
        generation: req.generation,
        query: req.query.clone(),
        matches: keys.iter().map(|&k| k as u32).collect(),
    };
    if keys.len() > 2 * RANKED_FIRST {
        keys.select_nth_unstable(RANKED_FIRST);
        keys[..RANKED_FIRST].sort_unstable();
        emit(result(&keys));
        keys[RANKED_FIRST..].sort_unstable();
    } else {
        keys.sort_unstable();
    }
    emit(result(&keys));
}

/// The fully ordered result (tests, the snapshot of a final state).
pub fn run_match(m: &Matcher, req: &MatchRequest) -> MatchResult {
    let mut last = None;
    run_match_staged(m, req, |r| last = Some(r));
    last.unwrap_or(MatchResult {
        generation: req.generation,
        query: req.query.clone(),
        matches: Vec::new(),
    })
}
