//! Setting up an SSO session without the AWS CLI: the checks on a start URL
//! and a region, the session's name, and the `[sso-session]` block the AWS
//! CLI would write. Pure.

/// `https://` and a host, nothing that could break a config line.
pub fn check_start_url(url: &str) -> Result<String, String> {
    let u = url.trim();
    let host = u
        .strip_prefix("https://")
        .ok_or_else(|| format!("{u:?} is not a start URL: it begins with https:// (e.g. https://d-1234567890.awsapps.com/start)"))?
        .split(['/', '?', '#'])
        .next()
        .unwrap_or("");
    let ok_host = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
        && host.contains('.');
    let ok_chars = u.chars().all(|c| c.is_ascii_graphic());
    if !ok_host || !ok_chars {
        return Err(format!(
            "{u:?} is not a start URL (e.g. https://d-1234567890.awsapps.com/start)"
        ));
    }
    Ok(u.to_string())
}

/// A region name in AWS's form, in a partition the SDKs know
/// (`core::partition`): `eu-west-1`, `us-gov-east-1`, `cn-north-1`,
/// `eusc-de-east-1`.
pub fn check_region(r: &str) -> Result<String, String> {
    if crate::partition::of(r).is_some() {
        Ok(r.to_string())
    } else {
        Err(format!(
            "{r:?} is not an AWS region (e.g. us-east-1, eu-west-1, eusc-de-east-1)"
        ))
    }
}

/// An endpoint override (`AWS_ENDPOINT_URL_SSO`, ...): `http(s)://host[:port]`
/// with a host and, when a colon says so, a port.
pub fn check_endpoint(var: &str, url: &str) -> Result<(), String> {
    let bad = || {
        format!(
            "{var}={url:?} is not an endpoint URL (e.g. https://portal.sso.eu-west-1.amazonaws.com or http://127.0.0.1:8080)"
        )
    };
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(bad)?;
    let authority = rest.split('/').next().unwrap_or("");
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p)),
        _ => (authority, None),
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.parse::<u16>().is_ok_and(|n| n > 0));
    if host.is_empty() || !port_ok || url.chars().any(|c| c.is_control() || c == ' ') {
        return Err(bad());
    }
    Ok(())
}

/// The region a dual-stack start URL names
/// (`https://ssoins-….portal.eu-west-1.app.aws`), if it is one.
pub fn region_in_start_url(url: &str) -> Option<String> {
    let host = url
        .strip_prefix("https://")?
        .split(['/', '?', '#'])
        .next()?;
    let rest = host.strip_suffix(".app.aws")?;
    let region = rest.rsplit_once(".portal.")?.1;
    check_region(region).ok()
}

/// A session name from the start URL's host (`d-1234567890`, `mycorp`).
pub fn session_name_for(url: &str) -> String {
    let host = url
        .trim_start_matches("https://")
        .split(['/', '.'])
        .next()
        .unwrap_or("");
    let name: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if name.is_empty() { "sso".into() } else { name }
}

/// The block `aws configure sso` writes.
pub fn session_block(name: &str, url: &str, region: &str) -> String {
    format!(
        "[sso-session {name}]\nsso_start_url = {url}\nsso_region = {region}\nsso_registration_scopes = sso:account:access\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dual_stack_urls_name_their_region() {
        assert_eq!(
            region_in_start_url("https://ssoins-72abc.portal.eu-west-1.app.aws").as_deref(),
            Some("eu-west-1")
        );
        assert_eq!(region_in_start_url("https://d-123.awsapps.com/start"), None);
        assert_eq!(region_in_start_url("https://x.portal.mars-1.app.aws"), None);
    }

    #[test]
    fn checks_and_names() {
        assert!(check_start_url("https://d-123.awsapps.com/start").is_ok());
        assert!(check_start_url("https://abc.portal.eu-west-1.app.aws").is_ok());
        for bad in [
            "http://x.awsapps.com/start",
            "https://",
            "https://x\ny.com/",
            "d-123",
        ] {
            assert!(check_start_url(bad).is_err(), "{bad:?}");
        }
        for good in [
            "us-east-1",
            "eu-central-2",
            "us-gov-west-1",
            "cn-north-1",
            "ap-southeast-3",
            "eusc-de-east-1",
            "us-isob-east-1",
        ] {
            assert!(check_region(good).is_ok(), "{good}");
        }
        for bad in [
            "mars-north-9",
            "",
            "us-east",
            "US-EAST-1",
            "eu-west-1\n",
            "eusc-fr-east-1",
            "us-east-1.evil",
        ] {
            assert!(check_region(bad).is_err(), "{bad:?}");
        }
        assert_eq!(session_name_for("https://d-123.awsapps.com/start"), "d-123");
        assert!(check_endpoint("X", "http://127.0.0.1:8080").is_ok());
        assert!(check_endpoint("X", "https://portal.sso.eu-west-1.amazonaws.com").is_ok());
        for bad in [
            "http://127.0.0.1:",
            "127.0.0.1:80",
            "http://:80",
            "http://h:0",
            "http://h:99999",
        ] {
            assert!(check_endpoint("X", bad).is_err(), "{bad}");
        }
        assert_eq!(
            session_name_for("https://mycorp.awsapps.com/start"),
            "mycorp"
        );
    }
}
