//! How the fake portal answers: its typed errors, its token bucket and,
//! with `testing`, the faults it can be told to inject.

use super::State;
use serde_json::json;
use ssopick_edge::http::{self, Response};
#[cfg(feature = "testing")]
use std::time::Duration;
use std::time::Instant;

/// A misbehaviour for the next requests that reach the fake.
#[cfg(feature = "testing")]
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer normally (to let a request through before later faults).
    Pass,
    /// Answer with this status and a typed error body.
    Status(u16),
    /// Close the connection without answering.
    Reset,
    /// Send half of a valid body, then close.
    Truncate,
    /// Wait this long before answering normally.
    Hang(Duration),
}

pub(super) struct Bucket {
    pub(super) tokens: f64,
    pub(super) last: Instant,
    /// (requests per second, burst), changeable mid-run.
    pub(super) throttle: Option<(f64, f64)>,
}

pub(super) fn error(status: u16, kind: &str, message: &str) -> Response {
    let mut r = Response::json(
        status,
        &json!({"message": message, "__type": format!("com.amazonaws.switchboard.portal#{kind}")}),
    );
    {
        let headers = &mut r.headers;
        headers.push((
            "x-amzn-errortype".into(),
            format!("{kind}:http://internal.amazon.com/coral/com.amazonaws.switchboard.portal/"),
        ));
    }
    r
}

pub(super) fn refill(b: &mut Bucket, now: Instant) {
    if let Some((rate, burst)) = b.throttle {
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * rate).min(burst.max(1.0));
    }
    b.last = now;
}

pub(super) fn take_token(st: &State) -> bool {
    let mut b = st
        .bucket
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if b.throttle.is_none() {
        return true;
    }
    refill(&mut b, Instant::now());
    if b.tokens >= 1.0 {
        b.tokens -= 1.0;
        true
    } else {
        false
    }
}

/// The portal's answer, or (with `testing`) a misbehaving one.
pub(super) enum FakeAnswer {
    Normal(Response),
    /// The connection closed without an answer (a reset to the client).
    #[cfg(feature = "testing")]
    Reset,
    /// The whole length announced, half the body sent, then closed.
    #[cfg(feature = "testing")]
    Truncated(Response),
}

impl http::Answer for FakeAnswer {
    fn into_wire(self) -> http::Wire {
        match self {
            FakeAnswer::Normal(r) => r.into_wire(),
            #[cfg(feature = "testing")]
            FakeAnswer::Reset => http::Wire::Close,
            #[cfg(feature = "testing")]
            FakeAnswer::Truncated(r) => {
                let body = &r.body;
                let cut = body.len() - body.len() / 2;
                match r.into_wire() {
                    http::Wire::Send { mut bytes, .. } => {
                        bytes.truncate(bytes.len() - cut);
                        http::Wire::Send { bytes, close: true }
                    }
                    close @ http::Wire::Close => close,
                }
            }
        }
    }
}
