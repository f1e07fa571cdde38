//! Kubernetes: `eks-token` for a chosen row (the ExecCredential, from the
//! role's credentials) and `kubeconfig` (a kubectl user that runs
//! `ssopick eks-token` for the row, and the cluster's contexts pointed at
//! it, through kubectl's own `config` commands).

use crate::app::error::Error;
use crate::app::output::print;
use crate::app::session::target::Target;
use crate::core::credentials::RoleCredentials;
use crate::core::eks;
use crate::core::export::Chosen;
use crate::core::time::UtcTime;
use crate::edge::kubectl;

/// What an EKS token is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct EksAsk {
    pub cluster: String,
    /// `--region` or `AWS_REGION`; else the role's region (full path only).
    pub region: Option<String>,
    /// What kubectl asked for (`KUBERNETES_EXEC_INFO`).
    pub api_version: &'static str,
}

/// The ExecCredential for `e` with the role's credentials `c`.
pub(crate) fn eks_document(
    c: &RoleCredentials,
    e: &EksAsk,
    region: &str,
    now: UtcTime,
) -> Result<String, Error> {
    let partition = crate::core::partition::of(region).ok_or_else(|| {
        Error::Usage(format!(
            "eks-token: {:?} is no region of a known partition (--region names the cluster's)",
            crate::core::catalog::clean_text(region)
        ))
    })?;
    let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(now.0.max(0).unsigned_abs());
    let url = crate::edge::eks::presigned_url(c, &e.cluster, region, partition.dns_suffix, at)
        .map_err(|why| Error::Usage(format!("eks-token: cannot sign the token: {why}")))?;
    Ok(crate::core::eks::exec_credential(
        e.api_version,
        &crate::core::eks::token(&url),
        now,
    ))
}

/// The ExecCredential for `chosen`.
pub(crate) async fn token(t: &Target<'_>, chosen: &Chosen, ask: EksAsk) -> Result<i32, Error> {
    let c = t.credentials(chosen).await?;
    let region = ask.region.clone().unwrap_or_else(|| t.region(chosen));
    let doc = eks_document(&c, &ask, &region, t.setup.clock.now())?;
    print(&format!("{doc}\n"))
}

/// Who the row is, for `eks-token`'s arguments.
fn token_for<'a>(t: &'a Target<'_>, chosen: &'a Chosen) -> eks::TokenFor<'a> {
    eks::TokenFor {
        session: t.id(),
        account_id: &chosen.account.account_id,
        role: &chosen.role,
        chain: chosen.account.chain.as_ref().map(|c| c.name.as_str()),
    }
}

/// Writes the user and points the cluster's contexts at it.
pub(crate) fn kubeconfig(
    t: &Target<'_>,
    chosen: &Chosen,
    cluster: &str,
    region: Option<&str>,
) -> Result<i32, Error> {
    if t.setup.is_demo() {
        return Err(Error::Usage(
            "kubeconfig writes your real kubeconfig, for a real session: not with --demo".into(),
        ));
    }
    if let Some(p) = &chosen.account.profile {
        return Err(Error::Usage(format!(
            "AWS profile {} is not an SSO role: the AWS CLI's own entry serves it (aws eks update-kubeconfig --name {cluster} --profile {})",
            p.name,
            crate::core::export::shell_word(&p.name)
        )));
    }
    let kubectl::View { clusters, contexts } = kubectl::view().map_err(Error::Usage)?;
    let entry = match eks::choose_entry(&clusters, cluster, &chosen.account.account_id) {
        Ok(Some(e)) => e,
        Ok(None) => {
            let region = region.map_or(String::new(), |r| format!(" --region {r}"));
            return Err(Error::Usage(format!(
                "no cluster {cluster:?} in the kubeconfig; add it first, then run this again:\n  aws eks update-kubeconfig --name {cluster}{region}"
            )));
        }
        Err(several) => {
            return Err(Error::Usage(format!(
                "several kubeconfig clusters are {cluster:?} and none is of account {} alone: {}",
                chosen.account.account_id,
                several
                    .iter()
                    .map(|e| e.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    };
    // The cluster's own region (its ARN) before the role's.
    let region = region
        .map(str::to_string)
        .or_else(|| eks::arn_parts(entry).map(|(r, _)| r.to_string()))
        .unwrap_or_else(|| t.region(chosen));
    let user = format!(
        "ssopick-{cluster}-{}-{}",
        chosen.account.account_id,
        chosen
            .account
            .chain
            .as_ref()
            .map_or(chosen.role.as_str(), |c| c.name.as_str())
    );
    let program = crate::edge::process::stable_own_path(
        t.setup.env.get(crate::core::env_vars::PATH).as_deref(),
    )
    .map_err(Error::OwnPath)?;
    let mut set = vec![
        "config".to_string(),
        "set-credentials".into(),
        format!("--exec-command={program}"),
        format!("--exec-api-version={}", eks::V1BETA1),
    ];
    set.extend(
        eks::token_args(cluster, &token_for(t, chosen), Some(&region))
            .iter()
            .map(|a| format!("--exec-arg={}", eks::exec_arg_value(a))),
    );
    // Names after `--`: a context called `--current` is a name, not a flag.
    set.extend(["--".into(), user.clone()]);
    kubectl::run(&set).map_err(Error::Usage)?;
    let mut pointed: Vec<String> = contexts
        .iter()
        .filter(|(_, c)| c == entry)
        .map(|(name, _)| name.clone())
        .collect();
    if pointed.is_empty() {
        // A new context named after the entry, unless another cluster's
        // context has that name.
        let taken = contexts.iter().any(|(name, _)| name == entry);
        pointed.push(if taken {
            format!("ssopick-{cluster}")
        } else {
            entry.clone()
        });
    }
    for ctx in &pointed {
        kubectl::run(&[
            "config".into(),
            "set-context".into(),
            format!("--cluster={entry}"),
            format!("--user={user}"),
            "--".into(),
            ctx.clone(),
        ])
        .map_err(Error::Usage)?;
    }
    eprintln!(
        "ssopick: kubectl user {user} runs `ssopick eks-token --cluster {cluster} --region {region}` as {} ({}) {}; context(s) {} use it.",
        crate::core::visible::shown(&chosen.account.account_name),
        chosen.account.account_id,
        chosen.role,
        pointed.join(", ")
    );
    Ok(0)
}
