//! A running endpoint in the register `status` reads (`edge::running`):
//! registered when it starts, its `serving` flag kept true to the renewer
//! each second, removed when it stops.

use crate::app::session::target::Target;
use crate::core::export::Chosen;
use crate::core::status::EndpointEntry;
use crate::edge::running::Registered;
use crate::edge::task::Owned;
use std::time::Duration;

/// How often `serving` is looked at.
const EVERY: Duration = Duration::from_secs(1);

/// Registers the endpoint of `kind` (`serve`, `shell`, `exec`) on `port`
/// for `chosen`; the entry lives as long as the returned task. `None`
/// when the run folder cannot be used (the endpoint works all the same).
pub(crate) fn register(
    t: &Target<'_>,
    chosen: &Chosen,
    kind: &str,
    port: u16,
    serving: impl Fn() -> bool + Send + Sync + 'static,
) -> Option<Owned<()>> {
    // The demo's endpoints are not the user's.
    if t.setup.is_demo() {
        return None;
    }
    let dir = t.setup.run_dir().ok()?;
    let entry = EndpointEntry {
        pid: 0,
        kind: kind.to_string(),
        session: t.id().to_string(),
        account_id: chosen.account.account_id.clone(),
        role: chosen.role.clone(),
        port,
        started_at: t.setup.clock.now().to_rfc3339(),
        serving: serving(),
    };
    let mut registered = Registered::new(&dir, entry).ok()?;
    Some(Owned::spawn(async move {
        loop {
            tokio::time::sleep(EVERY).await;
            registered.set_serving(serving());
        }
    }))
}
