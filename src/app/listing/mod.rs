//! A session's catalog: the snapshot or a listing of the portal
//! (`catalog_source`: its progress kept by `keeper`, another run's followed
//! by `follow`), and a query answered before the listing ends (`straight`).
pub(crate) mod catalog_source;
mod follow;
mod keeper;
pub(crate) mod straight;
