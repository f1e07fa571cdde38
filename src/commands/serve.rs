//! `ssopick serve [QUERY]`: the role's local credential endpoint, in the
//! foreground, for other processes (Docker, an IDE, a long `make`).

use crate::app::choose::choose_and_deliver;
use crate::app::error::Error;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  eval \"$(ssopick serve prod admin)\" &   # no: serve stays in the foreground; instead:\n  \
ssopick serve prod admin > ~/.ssopick-env   # then in other shells: . ~/.ssopick-env\n  \
docker run --network host -e AWS_CONTAINER_CREDENTIALS_FULL_URI -e AWS_CONTAINER_AUTHORIZATION_TOKEN IMAGE\n\n\
Prints export lines for AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN,\n\
then serves the role's credentials (renewed before they expire, the SSO session refreshed) until\n\
Ctrl-C. Every AWS SDK, the AWS CLI and Terraform read these variables."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// Address to listen on (default 127.0.0.1 and a free port). SDKs accept
    /// plain HTTP only on loopback: another address is for special set-ups
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:0")]
    pub listen: std::net::SocketAddr,
}

pub async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    choose_and_deliver(
        setup,
        &args.query,
        Delivery::Serve {
            listen: args.listen,
        },
    )
    .await
}
