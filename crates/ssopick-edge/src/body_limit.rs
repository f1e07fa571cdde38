//! A cap on what an AWS answer may hold: 16 MiB. The SDK clients read a
//! whole answer before parsing it; an endpoint (or an override) that sends
//! more, or never stops, would fill memory. Past the cap the answer is an
//! error, as a broken connection is.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;

/// The most an answer's body may hold.
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// An answer past the cap (by its Content-Length).
#[derive(Debug, thiserror::Error)]
#[error("the answer is larger than 16 MiB; refused")]
pub struct Oversized;

/// True when `e` is an answer refused for its size (here, or by the
/// capped body as it was read).
pub fn is_over(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut cur = Some(e);
    while let Some(x) = cur {
        if x.is::<Oversized>() || x.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cur = x.source();
    }
    false
}

/// The interceptor every SDK client gets.
#[derive(Debug, Default)]
pub struct BodyLimit;

impl Intercept for BodyLimit {
    fn name(&self) -> &'static str {
        "ssopick::BodyLimit"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let response = context.response_mut();
        if response
            .headers()
            .get("content-length")
            .and_then(|v| v.parse::<u64>().ok())
            .is_some_and(|n| n > MAX_BODY as u64)
        {
            return Err(Box::new(Oversized));
        }
        let body = std::mem::replace(response.body_mut(), SdkBody::taken());
        *response.body_mut() = SdkBody::from_body_1_x(http_body_util::Limited::new(body, MAX_BODY));
        Ok(())
    }
}
