//! `ssopick kubeconfig --cluster NAME [QUERY]`: a kubectl user that runs
//! `ssopick eks-token` for the chosen role, and the cluster's contexts
//! pointed at it (through `kubectl config`). The cluster must already be
//! in the kubeconfig (`aws eks update-kubeconfig --name NAME` adds it).

use crate::app::error::Error;
use crate::app::pick::choose::choose_and_deliver;
use crate::app::setup::Setup;
use crate::core::delivery::Delivery;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick kubeconfig --cluster prod prod admin\n  ssopick kubeconfig --cluster prod --session corp --account 123456789012 --role Admin --region eu-west-1\n\n\
The kubeconfig is $KUBECONFIG, else ~/.kube/config, changed by kubectl itself."
)]
pub struct Args {
    /// Words that must all match; several matches open the picker
    pub query: Vec<String>,
    /// The EKS cluster's name
    #[arg(long, value_name = "NAME")]
    pub cluster: String,
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    if !crate::core::eks::valid_cluster(&args.cluster) {
        return Err(Error::Usage(format!(
            "--cluster {:?} is not an EKS cluster name (letters, digits, - and _)",
            crate::core::catalog::clean_text(&args.cluster)
        )));
    }
    let what = Delivery::Kubeconfig {
        cluster: args.cluster,
        region: setup.globals.region.clone(),
    };
    choose_and_deliver(setup, &args.query, what).await
}
