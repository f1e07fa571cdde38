//! Service endpoints as the SDK crates' own rules resolve them (the
//! partition table, FIPS, dual-stack, an endpoint override): the PKCE
//! login's `/authorize` host is the SSO OIDC client's endpoint, as the AWS
//! CLI derives it (`botocore/utils.py`), and errors name the portal host
//! the SDK calls.

use ssopick_core::sso::endpoints::Variant;

/// SSO OIDC's base URL for `region` (no trailing slash).
pub async fn oidc_base(region: &str, v: Variant, endpoint: Option<&str>) -> Result<String, String> {
    use aws_sdk_ssooidc::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
    let params = Params::builder()
        .region(region)
        .use_fips(v.fips)
        .use_dual_stack(v.sso_dual_stack_for(endpoint.is_some()))
        .set_endpoint(endpoint.map(str::to_string))
        .build()
        .map_err(|e| e.to_string())?;
    let ep = DefaultResolver::new()
        .resolve_endpoint(&params)
        .await
        .map_err(|e| format!("no SSO OIDC endpoint for region {region}: {e}"))?;
    Ok(ep.url().trim_end_matches('/').to_string())
}

/// The portal's base URL for `region` (no trailing slash).
pub async fn portal_base(
    region: &str,
    v: Variant,
    endpoint: Option<&str>,
) -> Result<String, String> {
    use aws_sdk_sso::config::endpoint::{DefaultResolver, Params, ResolveEndpoint};
    let params = Params::builder()
        .region(region)
        .use_fips(v.fips)
        .use_dual_stack(v.sso_dual_stack_for(endpoint.is_some()))
        .set_endpoint(endpoint.map(str::to_string))
        .build()
        .map_err(|e| e.to_string())?;
    let ep = DefaultResolver::new()
        .resolve_endpoint(&params)
        .await
        .map_err(|e| format!("no SSO portal endpoint for region {region}: {e}"))?;
    Ok(ep.url().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(fips: bool, dual: bool) -> Variant {
        Variant {
            fips,
            dual_stack: dual,
            sso_dual_stack: dual,
        }
    }

    async fn oidc(region: &str, fips: bool, dual: bool) -> String {
        oidc_base(region, v(fips, dual), None).await.unwrap()
    }

    #[tokio::test]
    async fn the_sdk_rules_give_every_partition_and_variant() {
        assert_eq!(
            oidc("eu-west-1", false, false).await,
            "https://oidc.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            oidc("cn-north-1", false, false).await,
            "https://oidc.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            oidc("eusc-de-east-1", false, false).await,
            "https://oidc.eusc-de-east-1.amazonaws.eu"
        );
        assert_eq!(
            oidc("us-east-1", true, false).await,
            "https://oidc-fips.us-east-1.amazonaws.com"
        );
        assert_eq!(
            oidc("us-east-1", false, true).await,
            "https://oidc.us-east-1.api.aws"
        );
        assert_eq!(
            portal_base("eusc-de-east-1", v(false, false), None)
                .await
                .unwrap(),
            "https://portal.sso.eusc-de-east-1.amazonaws.eu"
        );
        assert_eq!(
            oidc_base("us-east-1", v(false, false), Some("http://127.0.0.1:9/"))
                .await
                .unwrap(),
            "http://127.0.0.1:9"
        );
        assert!(
            oidc_base("us-east-1", v(true, false), Some("http://127.0.0.1:9"))
                .await
                .is_err()
        );
    }

    /// Every region the SDK crate's partition table names maps, in
    /// `core::partition`, to the partition the SDK's rules put it in (its
    /// DNS suffix in the resolved host).
    #[tokio::test]
    async fn the_copied_partition_table_agrees_with_the_sdk() {
        let table = crate_partition_table();
        let mut checked = 0;
        for p in table["partitions"].as_array().unwrap() {
            let id = p["id"].as_str().unwrap();
            for region in p["regions"].as_object().unwrap().keys() {
                if region.ends_with("-global") {
                    continue;
                }
                let ours = ssopick_core::partition::of(region)
                    .unwrap_or_else(|| panic!("{region} is not a region to ssopick"));
                assert_eq!(ours.id, id, "{region}");
                let url = oidc(region, false, false).await;
                assert_eq!(url, format!("https://oidc.{region}.{}", ours.dns_suffix));
                let dual = oidc(region, false, true).await;
                assert_eq!(
                    dual,
                    format!("https://oidc.{region}.{}", ours.dual_stack_dns_suffix)
                );
                checked += 1;
            }
        }
        assert!(checked > 40, "{checked} regions");
    }

    /// The partition JSON embedded in aws-sdk-ssooidc's `endpoint_lib.rs`:
    /// the version Cargo.lock names, in Cargo's registry sources.
    fn crate_partition_table() -> serde_json::Value {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
        let version = lock
            .split("[[package]]")
            .find(|p| p.contains("name = \"aws-sdk-ssooidc\""))
            .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
            .unwrap()
            .trim_matches('"')
            .to_string();
        let home = std::env::var_os("CARGO_HOME").map_or_else(
            || std::path::PathBuf::from(std::env::var_os("HOME").unwrap()).join(".cargo"),
            std::path::PathBuf::from,
        );
        let src = std::fs::read_dir(home.join("registry/src"))
            .unwrap()
            .filter_map(Result::ok)
            .map(|d| {
                d.path()
                    .join(format!("aws-sdk-ssooidc-{version}/src/endpoint_lib.rs"))
            })
            .find(|p| p.exists())
            .expect("aws-sdk-ssooidc's sources in Cargo's registry");
        let text = std::fs::read_to_string(src).unwrap();
        let start = text.find("new_from_json(b\"").unwrap() + "new_from_json(b\"".len();
        let end = start + text[start..].find("\").expect").unwrap();
        let json = text[start..end]
            .replace("\\\\", "\u{0}")
            .replace("\\\"", "\"")
            .replace('\u{0}', "\\");
        serde_json::from_str(&json).unwrap()
    }
}
