//! Several entries match: ask the user in the picker when a terminal is
//! available, else say which entries matched and how to narrow them.

use crate::core::catalog::Entry;
use crate::app::context::Context;
use crate::app::error::Error;
use crate::core::export::Chosen;
use crate::picker::Action;
use crate::picker::runtime::{pick, terminal_available};
use crate::core::select::describe;

pub fn ambiguous(query: &[String], found: &[Entry<'_>]) -> Error {
    let mut m = format!(
        "{} entries match {:?}; add words, or name one with --account ID --role NAME:",
        found.len(),
        query.join(" ")
    );
    for e in found.iter().take(10) {
        m.push_str(&format!("\n  {}", describe(e)));
    }
    if found.len() > 10 {
        m.push_str(&format!("\n  ... and {} more", found.len() - 10));
    }
    Error::Usage(m)
}

pub async fn pick_one(
    ctx: &Context,
    query: &[String],
    found: &[Entry<'_>],
    enter_label: &str,
) -> Result<(Chosen, Action), Error> {
    if !terminal_available() {
        return Err(ambiguous(query, found));
    }
    pick(ctx, &query.join(" "), enter_label)
        .await?
        .ok_or(Error::Cancelled)
}
