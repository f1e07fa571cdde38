//! The system clock: the one place that reads the time of day.

use ssopick_core::time::{Clock, UtcTime};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> UtcTime {
        let d = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        UtcTime(i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }
}

/// The system clock, shared.
pub fn system() -> Arc<dyn Clock> {
    Arc::new(SystemClock)
}
