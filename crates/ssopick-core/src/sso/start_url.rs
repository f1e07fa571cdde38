//! Start URLs on a company's own domain ("vanity" URLs), resolved as the
//! AWS CLI resolves them (`awscli/customizations/sso/resolve.py`): a start
//! URL whose host is not AWS-owned is followed for one redirect, and the
//! AWS-owned https URL it lands on is what OIDC is given (`startUrl`,
//! `issuerUrl`); its host may name the region. Pure: the request itself is
//! `edge::start_url`.

/// Hosts ending so are AWS's own (as the CLI lists them).
const AWS_OWNED_SUFFIXES: [&str; 5] = [
    ".app.aws",
    ".portal.amazonaws.com",
    ".portal.amazonaws.com.cn",
    ".awsapps.com",
    ".awsapps.cn",
];
const AWS_OWNED_EXACT: [&str; 2] = [
    "identitycenter.amazonaws.com",
    "identitycenter.amazonaws.com.cn",
];

/// The host of an `https://` or `http://` URL, lower-cased, without port,
/// user info or trailing dot.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']').next()?
    } else {
        host.split(':').next()?
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// True when the start URL's host is AWS's own: used as it is.
pub fn is_aws_owned(url: &str) -> bool {
    let Some(h) = host_of(url) else { return false };
    AWS_OWNED_EXACT.contains(&h.as_str())
        || AWS_OWNED_SUFFIXES
            .iter()
            .any(|s| h.ends_with(s) || h == s.trim_start_matches('.'))
}

/// The region an AWS-owned host names: `ID.portal.REGION.app.aws`,
/// `ID.REGION.portal.amazonaws.com` or `ID.REGION.portal.amazonaws.com.cn`.
pub fn region_in_host(host: &str) -> Option<String> {
    let labels: Vec<&str> = host.split('.').collect();
    let region_ok = |r: &str| {
        !r.is_empty()
            && r.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    let r = match labels.as_slice() {
        [id, "portal", r, "app", "aws"] if !id.is_empty() => *r,
        [id, r, "portal", "amazonaws", "com"] if !id.is_empty() => *r,
        [id, r, "portal", "amazonaws", "com", "cn"] if !id.is_empty() => *r,
        _ => return None,
    };
    region_ok(r).then(|| r.to_string())
}

/// The URL as the CLI normalises a resolved one: no query or fragment, no
/// trailing slash, no default port.
pub fn normalize(url: &str) -> String {
    let cut = url.split(['?', '#']).next().unwrap_or(url);
    let Some((scheme, rest)) = cut.split_once("://") else {
        return cut.trim_end_matches('/').to_string();
    };
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(authority);
    format!("{scheme}://{authority}/{path}")
        .trim_end_matches('/')
        .to_string()
}

/// Where a redirect's `Location` points, taken relative to `base`.
pub fn join(base: &str, location: &str) -> String {
    let location = location.trim();
    if location.starts_with("https://") || location.starts_with("http://") {
        return location.to_string();
    }
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let origin_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    if let Some(abs) = location.strip_prefix('/') {
        format!("{}/{abs}", &base[..origin_end])
    } else {
        let dir_end = base
            .rfind('/')
            .filter(|&i| i >= origin_end)
            .unwrap_or(origin_end);
        format!("{}/{location}", &base[..dir_end])
    }
}

/// The start URL OIDC is given and the region to log in to, from where one
/// redirect led (`landed`): it must be an AWS-owned https URL. The host's
/// region wins over the configured one, as in the CLI.
pub fn resolved(
    configured: &str,
    landed: &str,
    configured_region: Option<&str>,
) -> Result<(String, String), String> {
    let url = normalize(landed);
    if !url.starts_with("https://") || !is_aws_owned(&url) {
        return Err(format!(
            "the start URL {configured} does not lead to an AWS-owned https address (one redirect, to {url}); use the AWS start URL (https://ID.awsapps.com/start) as sso_start_url"
        ));
    }
    let region = host_of(&url)
        .and_then(|h| region_in_host(&h))
        .or_else(|| configured_region.map(str::to_string))
        .ok_or_else(|| {
            format!(
                "the start URL {configured} leads to {url}, which names no region: add sso_region"
            )
        })?;
    Ok((url, region))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_owned_hosts_are_the_clis() {
        for u in [
            "https://d-1234567890.awsapps.com/start",
            "https://ssoins-1.portal.eu-west-1.app.aws",
            "https://x.eu-central-1.portal.amazonaws.com/start/",
            "https://identitycenter.amazonaws.com/ssoins-1",
            "https://D-1.AWSAPPS.CN./start",
        ] {
            assert!(is_aws_owned(u), "{u}");
        }
        for u in [
            "https://sso.example.com/start",
            "https://awsapps.com.evil.example/start",
            "https://evilawsapps.com/start",
            "not a url",
        ] {
            assert!(!is_aws_owned(u), "{u}");
        }
    }

    #[test]
    fn the_region_comes_from_the_host_else_the_config() {
        assert_eq!(
            resolved(
                "https://sso.example.com",
                "https://ssoins-1.portal.eu-west-1.app.aws/",
                None
            ),
            Ok((
                "https://ssoins-1.portal.eu-west-1.app.aws".into(),
                "eu-west-1".into()
            ))
        );
        assert_eq!(
            resolved(
                "https://sso.example.com",
                "https://i.ap-south-1.portal.amazonaws.com:443/start?x=1",
                Some("us-east-1")
            ),
            Ok((
                "https://i.ap-south-1.portal.amazonaws.com/start".into(),
                "ap-south-1".into()
            ))
        );
        assert_eq!(
            resolved(
                "https://sso.example.com",
                "https://d-1.awsapps.com/start",
                Some("eu-north-1")
            ),
            Ok(("https://d-1.awsapps.com/start".into(), "eu-north-1".into()))
        );
        assert!(
            resolved(
                "https://sso.example.com",
                "https://d-1.awsapps.com/start",
                None
            )
            .is_err()
        );
        assert!(
            resolved(
                "https://sso.example.com",
                "http://d-1.awsapps.com/start",
                Some("x")
            )
            .is_err()
        );
        assert!(
            resolved(
                "https://sso.example.com",
                "https://login.example.com/",
                Some("x")
            )
            .is_err()
        );
    }

    #[test]
    fn locations_are_joined_as_browsers_join_them() {
        let b = "https://sso.example.com/a/start";
        assert_eq!(
            join(b, "https://d-1.awsapps.com/start"),
            "https://d-1.awsapps.com/start"
        );
        assert_eq!(join(b, "/other"), "https://sso.example.com/other");
        assert_eq!(join(b, "next"), "https://sso.example.com/a/next");
        assert_eq!(
            join("https://sso.example.com", "next"),
            "https://sso.example.com/next"
        );
    }
}
