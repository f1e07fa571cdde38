//! Spawned tasks that never outlive their owner: `Owned` aborts its task
//! when dropped (a `tokio::task::JoinHandle` alone lets it run on, calling
//! the portal after the caller has reported an error and moved on).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::task::{JoinError, JoinHandle};

/// A spawned task, aborted when this is dropped; awaiting it awaits the
/// task.
#[derive(Debug)]
pub struct Owned<T>(JoinHandle<T>);

impl<T: Send + 'static> Owned<T> {
    /// Spawns `f` on the current runtime, owned.
    pub fn spawn<F>(f: F) -> Owned<T>
    where
        F: Future<Output = T> + Send + 'static,
    {
        Owned(tokio::spawn(f))
    }
}

impl<T> Owned<T> {
    /// Stops the task now.
    pub fn abort(&self) {
        self.0.abort();
    }
}

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> Future for Owned<T> {
    type Output = Result<T, JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[tokio::test]
    async fn a_dropped_task_stops() {
        let ran_on = Arc::new(AtomicBool::new(false));
        let flag = ran_on.clone();
        let t = Owned::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            flag.store(true, Ordering::SeqCst);
        });
        drop(t);
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        assert!(!ran_on.load(Ordering::SeqCst));
        assert_eq!(Owned::spawn(async { 7 }).await.unwrap(), 7);
    }
}
