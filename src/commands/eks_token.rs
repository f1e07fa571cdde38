//! `ssopick eks-token --cluster NAME`: the ExecCredential kubectl reads,
//! as `aws eks get-token` prints it. With `--account ID --role NAME` (or
//! `--chain`) it answers from the credential cache as `credential-process`
//! does; a query chooses as every command does. Never interactive.

use crate::app::deliver::answer::{self, Ask, Shape};
use crate::app::deliver::kube::EksAsk;
use crate::app::error::Error;
use crate::app::pick::choose::choose_and_deliver;
use crate::app::setup::{Globals, Setup};
use crate::core::delivery::Delivery;
use crate::core::env_vars as var;
use crate::edge::env::Env;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Examples:\n  ssopick eks-token --cluster prod --session corp --account 123456789012 --role Admin --region eu-west-1\n  ssopick kubeconfig --cluster prod prod admin   # writes the kubectl user that runs it\n\n\
The token lives 15 minutes (said as 14); the role's credentials are reused from the 0600 cache."
)]
pub struct Args {
    /// Words that must all match (or --account ID --role NAME)
    pub query: Vec<String>,
    /// The EKS cluster's name
    #[arg(long, value_name = "NAME")]
    pub cluster: String,
    /// When the session has ended and a browser can be opened: one login
    /// in the background first (as credential-process --login)
    #[arg(long)]
    pub login: bool,
    /// A role chain of config.toml ([[chain]] name) instead of --account/--role
    #[arg(long, value_name = "NAME", conflicts_with_all = ["account", "role"])]
    pub chain: Option<String>,
}

impl Args {
    fn eks(&self, g: &Globals, env: &Env) -> EksAsk {
        EksAsk {
            cluster: self.cluster.clone(),
            region: g
                .region
                .clone()
                .or_else(|| env.get(var::AWS_REGION))
                .or_else(|| env.get(var::AWS_DEFAULT_REGION)),
            api_version: crate::core::eks::api_version(
                env.get(var::KUBERNETES_EXEC_INFO).as_deref(),
            ),
        }
    }

    /// One role by ids (or a chain), no query: the cached path.
    pub(crate) fn by_ids(&self, g: &Globals, env: &Env) -> Option<(Ask, Shape)> {
        let ids = answer::by_ids(g);
        // A bad cluster name takes the full path, which refuses it.
        let named = crate::core::eks::valid_cluster(&self.cluster);
        (named && self.query.is_empty() && (ids || self.chain.is_some())).then(|| {
            let ask = Ask {
                login: self.login,
                chain: self.chain.clone(),
                ..Ask::default()
            };
            (ask, Shape::Eks(self.eks(g, env)))
        })
    }
}

pub(crate) async fn run(setup: &Setup, args: Args) -> Result<i32, Error> {
    if !crate::core::eks::valid_cluster(&args.cluster) {
        return Err(Error::Usage(format!(
            "--cluster {:?} is not an EKS cluster name (letters, digits, - and _)",
            crate::core::catalog::clean_text(&args.cluster)
        )));
    }
    if let Some((ask, shape)) = args.by_ids(&setup.globals, &setup.env) {
        return answer::run(setup, ask, shape).await;
    }
    let e = args.eks(&setup.globals, &setup.env);
    let what = Delivery::EksToken {
        cluster: e.cluster,
        region: e.region,
        api_version: e.api_version,
    };
    choose_and_deliver(setup, &args.query, what).await
}
