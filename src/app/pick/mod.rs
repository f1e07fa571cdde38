//! Choosing the row a command acts on: the selection rule over the
//! targets (`choose`), the rows ranked for a query (`rows`), why nothing
//! was chosen (`refusals`), and the picker on the terminal (`picker`) with
//! its effects on the world (`effects`).
pub(crate) mod choose;
mod effects;
pub(crate) mod picker;
pub(crate) mod refusals;
pub(crate) mod rows;
