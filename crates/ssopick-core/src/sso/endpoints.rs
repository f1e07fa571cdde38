//! Which endpoint variant the SDK clients use: FIPS and dual-stack, as the
//! AWS CLI decides them. Pure: the endpoints themselves come from the
//! SDKs' own rules (`edge::endpoints`).
//!
//! Order: `AWS_USE_FIPS_ENDPOINT` / `AWS_USE_DUALSTACK_ENDPOINT`, else the
//! active profile's `use_fips_endpoint` / `use_dualstack_endpoint`, else
//! the session's own section's. A dual-stack start URL (`*.app.aws`) turns
//! dual-stack on for SSO OIDC and the portal (aws-cli #10507).

use super::config::Profile;
use super::session::Session;

pub use super::config::EndpointKeys;

/// The variant of every SDK endpoint for one session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Variant {
    pub fips: bool,
    pub dual_stack: bool,
    /// Dual-stack for SSO OIDC and the portal only (a `*.app.aws` start
    /// URL), not for STS.
    pub sso_dual_stack: bool,
}

impl Variant {
    /// Dual-stack for SSO OIDC or the portal: an endpoint override set for
    /// it takes the place of the start URL's hint (only an explicit
    /// setting still asks for dual-stack, which the SDK then refuses).
    pub fn sso_dual_stack_for(&self, overridden: bool) -> bool {
        if overridden {
            self.dual_stack
        } else {
            self.sso_dual_stack
        }
    }
}

/// `true`/`false` (any case), else an error naming where it was read.
fn flag(value: &str, source: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("{source} = {value:?}: give true or false")),
    }
}

/// The first of `choices` that is set, as a flag.
fn first(choices: [(Option<&str>, String); 3]) -> Result<bool, String> {
    for (v, source) in choices {
        if let Some(v) = v {
            return flag(v, &source);
        }
    }
    Ok(false)
}

/// True for a dual-stack start URL: its host ends in `.app.aws`.
pub fn dual_stack_start_url(url: &str) -> bool {
    let url = url.trim();
    url.starts_with("https://")
        && super::start_url::host_of(url).is_some_and(|h| h.ends_with(".app.aws"))
}

/// The session's variant from the environment's two values, the active
/// profile and the session's keys.
pub fn variant(
    env_fips: Option<&str>,
    env_dual: Option<&str>,
    profile: Option<&Profile>,
    session: &Session,
) -> Result<Variant, String> {
    let p_name = profile.map_or_else(String::new, |p| format!("[profile {}] ", p.name));
    let s_name = format!("the section of session {} ", session.id());
    let keys = &session.endpoint_keys;
    let fips = first([
        (env_fips, "AWS_USE_FIPS_ENDPOINT".into()),
        (
            profile.and_then(|p| p.use_fips_endpoint.as_deref()),
            format!("{p_name}use_fips_endpoint"),
        ),
        (
            keys.use_fips_endpoint.as_deref(),
            format!("{s_name}use_fips_endpoint"),
        ),
    ])?;
    let dual_stack = first([
        (env_dual, "AWS_USE_DUALSTACK_ENDPOINT".into()),
        (
            profile.and_then(|p| p.use_dualstack_endpoint.as_deref()),
            format!("{p_name}use_dualstack_endpoint"),
        ),
        (
            keys.use_dualstack_endpoint.as_deref(),
            format!("{s_name}use_dualstack_endpoint"),
        ),
    ])?;
    Ok(Variant {
        fips,
        dual_stack,
        sso_dual_stack: dual_stack || dual_stack_start_url(&session.start_url),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sso::session::SessionKind;

    fn session(url: &str, keys: EndpointKeys) -> Session {
        Session {
            kind: SessionKind::Named("corp".into()),
            start_url: url.into(),
            region: "us-east-1".into(),
            profiles: Vec::new(),
            more_profiles: 0,
            registration_scopes: None,
            endpoint_keys: keys,
        }
    }

    #[test]
    fn environment_then_profile_then_session() {
        let s = session(
            "https://d-1.awsapps.com/start",
            EndpointKeys {
                use_fips_endpoint: Some("true".into()),
                use_dualstack_endpoint: Some("TRUE".into()),
                sso_use_device_code: None,
            },
        );
        let v = variant(None, None, None, &s).unwrap();
        assert_eq!((v.fips, v.dual_stack, v.sso_dual_stack), (true, true, true));
        let p = Profile {
            name: "dev".into(),
            use_fips_endpoint: Some("false".into()),
            ..Profile::default()
        };
        let v = variant(None, Some("false"), Some(&p), &s).unwrap();
        assert_eq!((v.fips, v.dual_stack), (false, false));
        let e = variant(Some("yes"), None, None, &s).unwrap_err();
        assert!(e.contains("AWS_USE_FIPS_ENDPOINT"), "{e}");
        let bad = Profile {
            name: "dev".into(),
            use_dualstack_endpoint: Some("1".into()),
            ..Profile::default()
        };
        let e = variant(None, None, Some(&bad), &s).unwrap_err();
        assert!(e.contains("[profile dev] use_dualstack_endpoint"), "{e}");
    }

    #[test]
    fn an_app_aws_start_url_is_dual_stack_for_sso_only() {
        let s = session(
            "https://d-1.portal.us-east-1.app.aws/",
            EndpointKeys::default(),
        );
        let v = variant(None, None, None, &s).unwrap();
        assert_eq!((v.dual_stack, v.sso_dual_stack), (false, true));
        assert!(!dual_stack_start_url("https://d-1.awsapps.com/start"));
        assert!(!dual_stack_start_url("https://app.aws.evil.com/"));
    }
}
