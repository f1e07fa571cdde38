//! A session's catalog: the snapshot or a listing of the portal
//! (`catalog_source`), and a query answered before the listing ends
//! (`straight`).
pub(crate) mod catalog_source;
pub(crate) mod straight;
