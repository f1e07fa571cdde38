//! One run: set-up, choosing a role, carrying out what was asked.
pub mod context;
pub mod error;
pub mod login;
