//! Kubernetes' ExecCredential for an EKS cluster, as the AWS CLI's
//! `aws eks get-token` prints it (`awscli/customizations/eks/get_token.py`):
//! the token is `k8s-aws-v1.` and the unpadded base64url of a presigned STS
//! GetCallerIdentity URL (signed in `edge::eks`). Pure.

use crate::time::UtcTime;
use base64::Engine;

/// The ExecCredential API versions kubectl may ask for.
pub const V1: &str = "client.authentication.k8s.io/v1";
pub const V1BETA1: &str = "client.authentication.k8s.io/v1beta1";
/// Deprecated, still answered as the AWS CLI answers it (kubectl < 1.24).
pub const V1ALPHA1: &str = "client.authentication.k8s.io/v1alpha1";
/// The token is said to expire this long after it is made (the presigned
/// URL itself lives 15 minutes: `X-Amz-Expires=60` is what STS checks
/// against the signing time, as the AWS CLI does).
pub const LIFETIME_SECS: i64 = 14 * 60;
/// The presigned URL's `X-Amz-Expires`.
pub const URL_EXPIRES_SECS: u64 = 60;
/// The header that binds a token to its cluster.
pub const CLUSTER_HEADER: &str = "x-k8s-aws-id";

/// The API version kubectl asks for in `KUBERNETES_EXEC_INFO` (v1,
/// v1beta1, or the deprecated v1alpha1); v1beta1 when it says nothing
/// usable, as the AWS CLI does.
pub fn api_version(exec_info: Option<&str>) -> &'static str {
    let asked = exec_info
        .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
        .and_then(|v| {
            v.get("apiVersion")
                .and_then(|a| a.as_str())
                .map(str::to_string)
        });
    match asked.as_deref() {
        Some(V1) => V1,
        Some(V1ALPHA1) => V1ALPHA1,
        _ => V1BETA1,
    }
}

/// The STS URL to presign for `region` in a partition with `dns_suffix`.
pub fn sts_url(region: &str, dns_suffix: &str) -> String {
    format!("https://sts.{region}.{dns_suffix}/?Action=GetCallerIdentity&Version=2011-06-15")
}

/// The bearer token for a presigned URL.
pub fn token(presigned_url: &str) -> String {
    format!(
        "k8s-aws-v1.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(presigned_url.as_bytes())
    )
}

/// The ExecCredential document, byte for byte as the AWS CLI prints it
/// (its JSON formatter: four-space indent, the keys in this order, a line
/// end; `get-token` then prints one more line end, which the caller adds).
pub fn exec_credential(api_version: &str, token: &str, now: UtcTime) -> String {
    let q = |s: &str| serde_json::Value::from(s).to_string();
    format!(
        "{{\n    \"kind\": \"ExecCredential\",\n    \"apiVersion\": {},\n    \"spec\": {{}},\n    \"status\": {{\n        \"expirationTimestamp\": {},\n        \"token\": {}\n    }}\n}}\n",
        q(api_version),
        q(&now.plus_secs(LIFETIME_SECS).to_rfc3339()),
        q(token)
    )
}

/// A cluster name as EKS allows it (letters, digits, `-`, `_`; 1-100),
/// so it is safe in a header and on a kubectl command line.
pub fn valid_cluster(name: &str) -> bool {
    (1..=100).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Whether a kubeconfig cluster entry `name` (or its server's ARN form)
/// is the EKS cluster `cluster`: the name itself, or an ARN ending
/// `:cluster/NAME`.
pub fn names_cluster(entry: &str, cluster: &str) -> bool {
    entry == cluster || entry.ends_with(&format!(":cluster/{cluster}"))
}

/// The region and account of a cluster entry named by its ARN
/// (`arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME`, as `aws eks
/// update-kubeconfig` names it).
pub fn arn_parts(entry: &str) -> Option<(&str, &str)> {
    let mut p = entry.split(':');
    let (arn, _partition, service, region, account) =
        (p.next()?, p.next()?, p.next()?, p.next()?, p.next()?);
    (arn == "arn" && service == "eks" && p.next()?.starts_with("cluster/"))
        .then_some((region, account))
}

/// The one cluster entry for `cluster` and the chosen `account`: among the
/// entries naming it, the ones of that account (by their ARN) when any
/// are; `Err` with the candidates when more than one is left.
pub fn choose_entry<'a>(
    entries: &'a [String],
    cluster: &str,
    account: &str,
) -> Result<Option<&'a String>, Vec<&'a String>> {
    let named: Vec<&String> = entries
        .iter()
        .filter(|e| names_cluster(e, cluster))
        .collect();
    let ours: Vec<&String> = named
        .iter()
        .copied()
        .filter(|e| arn_parts(e).is_some_and(|(_, a)| a == account))
        .collect();
    let left = if ours.is_empty() { named } else { ours };
    match left.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => Err(left),
    }
}

/// One value for kubectl's `--exec-arg`, which reads its values as CSV:
/// a value with a comma or a quote goes in quotes, its quotes doubled.
pub fn exec_arg_value(v: &str) -> String {
    if v.contains([',', '"']) || v.starts_with(' ') || v.ends_with(' ') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// Who a token is for: a row by its ids, or a `[[chain]]` by name.
pub struct TokenFor<'a> {
    pub session: &'a str,
    pub account_id: &'a str,
    pub role: &'a str,
    pub chain: Option<&'a str>,
}

/// The arguments of `ssopick eks-token` for a row, by ids (so each call
/// takes the warm path): for kubectl's exec and for the picker's copy.
pub fn token_args(cluster: &str, who: &TokenFor<'_>, region: Option<&str>) -> Vec<String> {
    let mut a: Vec<String> = ["eks-token", "--cluster", cluster, "--session", who.session]
        .map(String::from)
        .to_vec();
    match who.chain {
        Some(c) => a.extend(["--chain".into(), c.to_string()]),
        None => a.extend([
            "--account".into(),
            who.account_id.to_string(),
            "--role".into(),
            who.role.to_string(),
        ]),
    }
    if let Some(r) = region {
        a.extend(["--region".into(), r.to_string()]);
    }
    a
}

/// The `ssopick eks-token` command line for a row (the picker's
/// Kubernetes action): `CLUSTER` stands for the cluster's name.
pub fn command_line(who: &TokenFor<'_>) -> String {
    let words: Vec<String> = token_args("CLUSTER", who, None)
        .iter()
        .map(|w| crate::export::shell_word(w))
        .collect();
    format!("ssopick {}", words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_is_the_aws_clis() {
        let now = UtcTime::parse("2026-12-07T10:00:00Z").unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&exec_credential(V1BETA1, "k8s-aws-v1.abc", now)).unwrap();
        assert_eq!(doc["kind"], "ExecCredential");
        assert_eq!(doc["apiVersion"], V1BETA1);
        assert_eq!(doc["spec"], serde_json::json!({}));
        assert_eq!(doc["status"]["expirationTimestamp"], "2026-12-07T10:14:00Z");
        assert_eq!(token("https://x/?a=b"), "k8s-aws-v1.aHR0cHM6Ly94Lz9hPWI");
        assert_eq!(
            exec_credential(V1, "k8s-aws-v1.abc", now),
            "{\n    \"kind\": \"ExecCredential\",\n    \"apiVersion\": \"client.authentication.k8s.io/v1\",\n    \"spec\": {},\n    \"status\": {\n        \"expirationTimestamp\": \"2026-12-07T10:14:00Z\",\n        \"token\": \"k8s-aws-v1.abc\"\n    }\n}\n"
        );
    }

    #[test]
    fn the_api_version_follows_kubectl() {
        assert_eq!(api_version(None), V1BETA1);
        assert_eq!(
            api_version(Some(
                r#"{"apiVersion":"client.authentication.k8s.io/v1","spec":{}}"#
            )),
            V1
        );
        assert_eq!(api_version(Some("not json")), V1BETA1);
    }

    #[test]
    fn entries_are_chosen_by_account_and_read_for_their_region() {
        let e = |s: &str| s.to_string();
        let entries = [
            e("arn:aws:eks:eu-west-1:111111111111:cluster/prod"),
            e("arn:aws-cn:eks:cn-north-1:222222222222:cluster/prod"),
            e("staging"),
        ];
        assert_eq!(arn_parts(&entries[1]), Some(("cn-north-1", "222222222222")));
        assert_eq!(arn_parts("prod"), None);
        assert_eq!(
            choose_entry(&entries, "prod", "222222222222"),
            Ok(Some(&entries[1]))
        );
        assert!(choose_entry(&entries, "prod", "333333333333").is_err());
        assert_eq!(
            choose_entry(&entries, "staging", "1"),
            Ok(Some(&entries[2]))
        );
        assert_eq!(choose_entry(&entries, "dev", "1"), Ok(None));
        assert_eq!(exec_arg_value("Read,Only"), "\"Read,Only\"");
        assert_eq!(exec_arg_value("a\"b"), "\"a\"\"b\"");
        assert_eq!(exec_arg_value("Admin"), "Admin");
    }

    #[test]
    fn the_command_line_and_the_exec_args_are_one_list() {
        let who = TokenFor {
            session: "my corp",
            account_id: "111111111111",
            role: "Read,Only",
            chain: None,
        };
        assert_eq!(
            command_line(&who),
            "ssopick eks-token --cluster CLUSTER --session 'my corp' --account 111111111111 --role Read,Only"
        );
        let chained = TokenFor {
            chain: Some("deploy"),
            ..who
        };
        assert_eq!(
            token_args("prod", &chained, Some("eu-west-1")),
            [
                "eks-token",
                "--cluster",
                "prod",
                "--session",
                "my corp",
                "--chain",
                "deploy",
                "--region",
                "eu-west-1"
            ]
        );
    }

    #[test]
    fn cluster_names_and_entries() {
        assert!(valid_cluster("prod-eks_1"));
        assert!(!valid_cluster("a b") && !valid_cluster("") && !valid_cluster("-x"));
        assert!(names_cluster(
            "arn:aws:eks:eu-west-1:111111111111:cluster/prod",
            "prod"
        ));
        assert!(names_cluster("prod", "prod"));
        assert!(!names_cluster(
            "arn:aws:eks:eu-west-1:111111111111:cluster/preprod",
            "prod"
        ));
    }
}
