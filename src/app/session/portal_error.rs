//! The one mapping from a failed portal call to the error the user reads,
//! for the listing, single calls and GetRoleCredentials alike.

use crate::app::error::Error;
use crate::app::session::tokens::TokenSource;
use crate::core::export::Chosen;
use crate::core::visible::shown;
use crate::edge::portal::{CallError, MAX_THROTTLED_WAIT, PortalOptions};

/// `row`: the row whose credentials were asked for, when the call was
/// GetRoleCredentials (a 404 then means the assignment is gone).
pub(crate) fn portal_error(
    e: CallError,
    tokens: &TokenSource,
    opts: &PortalOptions,
    row: Option<&Chosen>,
) -> Error {
    match (e, row) {
        (CallError::NotFound(detail), Some(chosen)) => Error::NoAccess {
            account: format!(
                "{} ({})",
                shown(&chosen.account.account_name),
                chosen.account.account_id
            ),
            role: chosen.role.clone(),
            detail: format!("{detail}.\nRun `ssopick list --refresh` to see what you can use now"),
        },
        (CallError::Unauthorized, _) => tokens.expired(None),
        (CallError::Throttled, _) => Error::Portal(format!(
            "still throttled after retrying for {} s; try again later",
            MAX_THROTTLED_WAIT.as_secs()
        )),
        (CallError::Transient(m), _) => Error::Portal(format!(
            "{m} ({}).\nCheck your network (and AWS_ENDPOINT_URL_SSO if set), then try again.",
            opts.shown_host()
        )),
        (CallError::NotFound(m) | CallError::Fatal(m), _) => Error::Portal(m),
    }
}
