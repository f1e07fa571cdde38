//! The matching pipeline between the picker and its matcher thread: a
//! request (query, rows, candidates), the ranking, and staged results.

use ssopick_core::filter::{Haystacks, Matcher, Query, rank_key};
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
    let mut keys: Vec<u128> = Vec::with_capacity(found.len());
    keys.extend(
        found
            .into_iter()
            .map(|(i, score)| rank_key(i, score, req.order[i as usize])),
    );
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

/// Every row in the order an empty query ranks them (`rank_key` with equal
/// scores: frecency first, then row order), without the matcher: the
/// picker shows it at once, however many rows there are.
pub fn everything(order: &[u32]) -> Vec<u32> {
    let mut picked: Vec<u32> = (0..order.len() as u32)
        .filter(|&i| order[i as usize] > 0)
        .collect();
    picked.sort_by_key(|&i| (std::cmp::Reverse(order[i as usize]), i));
    let mut all = Vec::with_capacity(order.len());
    all.extend_from_slice(&picked);
    all.extend((0..order.len() as u32).filter(|&i| order[i as usize] == 0));
    all
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_ranks_as_the_matcher_ranks_the_empty_query() {
        let names: Vec<(String, String)> = (0..3000)
            .map(|i| (format!("acct-{}", i / 4), format!("{:012}", i / 4)))
            .collect();
        let hays = Arc::new(Haystacks::build(
            names
                .iter()
                .map(|(n, id)| (n.as_str(), id.as_str(), "Admin")),
        ));
        for frecency in [
            vec![0; 3000],
            (0..3000u32).map(|i| (i * 7919) % 13 % 3).collect(),
        ] {
            let order = Arc::new(frecency);
            let req = MatchRequest {
                generation: 1,
                query: Query::All,
                hays: hays.clone(),
                order: order.clone(),
                candidates: None,
            };
            assert_eq!(
                everything(&order),
                run_match(&Matcher::default(), &req).matches
            );
        }
    }
}
