//! Work split across the cores when there is enough of it.

pub(super) const PAR_MIN: usize = 1_024;

pub(super) fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8)
}

/// `f` over `items`, split across cores when there are many.
pub(super) fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_chunks(items, |c| c.iter().map(&f).collect())
}

/// `f` over `items`, keeping the `Some`s, split across cores.
pub(super) fn par_map_filter<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> Option<R> + Sync,
) -> Vec<R> {
    par_chunks(items, |c| {
        // Room for every item: untouched room costs address space, not
        // memory, where growing by doubling would copy.
        let mut out = Vec::with_capacity(c.len());
        out.extend(c.iter().filter_map(&f));
        out
    })
}

/// `f` over chunks of `items` (one per core when there are many), results
/// joined in order.
pub(super) fn par_chunks<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&[T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let n = threads();
    if items.len() < PAR_MIN || n < 2 {
        return f(items);
    }
    let f = &f;
    std::thread::scope(|s| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(n))
            .map(|c| s.spawn(move || f(c)))
            .collect();
        let parts: Vec<Vec<R>> = parts
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect();
        let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        for p in parts {
            out.extend(p);
        }
        out
    })
}
