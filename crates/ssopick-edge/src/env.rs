//! The process environment, captured once at start so that the rest of the
//! program is handed a copy (and tests can hand it their own). The names of
//! the variables are in `core::env_vars`.

use ssopick_core::env_vars as var;
use std::collections::HashMap;

/// The process environment, captured once so the core can be handed a copy.
#[derive(Clone, Debug, Default)]
pub struct Env(pub HashMap<String, String>);

impl Env {
    pub fn capture() -> Env {
        Env(std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.to_string_lossy().into_owned())))
            .collect())
    }
    /// An environment made of the given pairs (tests, benchmarks).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Env {
        Env(pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect())
    }

    pub fn get(&self, k: &str) -> Option<String> {
        self.0.get(k).filter(|v| !v.is_empty()).cloned()
    }

    /// The endpoint override for a service in the standard order:
    /// `service_var` (e.g. `AWS_ENDPOINT_URL_SSO`), then `AWS_ENDPOINT_URL`;
    /// neither when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true.
    pub fn endpoint(&self, service_var: &str) -> Option<String> {
        if self
            .get(var::AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        {
            return None;
        }
        self.get(service_var)
            .or_else(|| self.get(var::AWS_ENDPOINT_URL))
            .filter(|v| !v.trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_order() {
        let sso = var::AWS_ENDPOINT_URL_SSO;
        assert_eq!(Env::from_pairs(&[]).endpoint(sso), None);
        assert_eq!(
            Env::from_pairs(&[
                ("AWS_ENDPOINT_URL", "http://a"),
                ("AWS_ENDPOINT_URL_SSO", "http://b")
            ])
            .endpoint(sso)
            .as_deref(),
            Some("http://b")
        );
        assert_eq!(
            Env::from_pairs(&[("AWS_ENDPOINT_URL", "http://a")])
                .endpoint(sso)
                .as_deref(),
            Some("http://a")
        );
        assert_eq!(
            Env::from_pairs(&[
                ("AWS_ENDPOINT_URL_SSO", "http://b"),
                ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE")
            ])
            .endpoint(sso),
            None
        );
    }
}
