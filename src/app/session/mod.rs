//! One SSO session a command works on: the `target` (its token source and
//! catalog source, a portal client, role credentials), the access token
//! kept fresh (`tokens`), what a failed portal call tells the user
//! (`portal_error`), writing an `[sso-session]` block (`configure`), and a
//! login's target, its start URL resolved (`login_target`).
pub(crate) mod configure;
mod login_target;
pub(crate) mod portal_error;
pub(crate) mod target;
pub(crate) mod tokens;
