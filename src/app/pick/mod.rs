//! Choosing the row a command acts on: the selection rule over the
//! targets (`choose`), the rows a request names without a listing
//! (`named`: an account id and role, an AWS profile), the rows ranked for a query (`rows`), why nothing
//! was chosen (`refusals`), and the picker on the terminal (`picker`) with
//! its effects on the world (`effects`).
pub(crate) mod choose;
mod effects;
pub(crate) mod named;
pub(crate) mod picker;
pub(crate) mod refusals;
pub(crate) mod rows;
