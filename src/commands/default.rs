//! `ssopick [QUERY]` with no subcommand: pick a role, then do config.toml's
//! `default_action` (a shell unless set otherwise).

use crate::app::error::Error;
use crate::app::pick::choose::choose_and_deliver;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;

pub(crate) async fn run(setup: &Setup, query: &[String]) -> Result<i32, Error> {
    choose_and_deliver(setup, query, Delivery::default_action(&setup.defaults)).await
}
