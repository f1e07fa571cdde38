//! `ssopick serve [QUERY]`: the role's local credential endpoint, in the
//! foreground, for other processes (Docker, an IDE, a long `make`).

use crate::app::error::Error;
use crate::app::pick::choose::choose_and_deliver;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick serve prod admin --env-file ~/.ssopick-env   # then in other shells: . ~/.ssopick-env\n  \
docker run --network host -e AWS_CONTAINER_CREDENTIALS_FULL_URI -e AWS_CONTAINER_AUTHORIZATION_TOKEN IMAGE\n\n\
Writes export lines for AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN and\n\
AWS_REGION into a new private file (0600), removed when serve stops, then serves the role's\n\
credentials (renewed before they expire, the SSO session refreshed) until Ctrl-C. Every AWS SDK,\n\
the AWS CLI and Terraform read these variables. A logout stops the serving within 2 s; a new\n\
login restarts it."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// Address to listen on (default 127.0.0.1 and a free port). SDKs accept
    /// plain HTTP only on loopback: another address is for special set-ups
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:0")]
    pub listen: std::net::SocketAddr,
    /// Write the export lines (they hold the endpoint's token) to this new
    /// file, mode 0600, removed when serve stops; without it they go to stdout
    #[arg(long, value_name = "PATH")]
    pub env_file: Option<std::path::PathBuf>,
    /// With --env-file: replace a file that is already there
    #[arg(long, requires = "env_file")]
    pub force: bool,
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    choose_and_deliver(
        setup,
        &args.query,
        Delivery::Serve {
            listen: args.listen,
            env_file: args.env_file,
            force: args.force,
        },
    )
    .await
}
