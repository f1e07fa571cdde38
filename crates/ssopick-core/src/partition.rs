//! AWS partitions: which one a region belongs to, its DNS suffixes, and its
//! console sign-in and console hosts. Pure.
//!
//! Sources:
//! - Regions and suffixes: the partition table every Rust SDK crate embeds
//!   (`endpoint_lib.rs` in aws-sdk-ssooidc, `partitions.json` 1.1): each
//!   partition's `regionRegex` is copied below as `prefixes` (the pattern
//!   is `^PREFIX-\w+-\d+$` for each), and a test checks every region the
//!   crate names against it.
//! - Sign-in: botocore's `signin` endpoint rules (`{Region}.signin.{domain}`
//!   per partition) and aws-sso-cli's `internal/uri/uri.go` (the federation
//!   hosts: the global host in aws, aws-us-gov and aws-cn,
//!   `eusc-de-east-1.signin.amazonaws-eusc.eu` in the sovereign cloud).
//! - Consoles: the same file (`console.aws.amazon.com`,
//!   `console.amazonaws-us-gov.com`, `console.amazonaws.cn`,
//!   `console.amazonaws-eusc.eu`). The isolated partitions have no public
//!   console: `console` refuses them.

/// A partition, with what ssopick needs of it.
#[derive(Debug, PartialEq, Eq)]
pub struct Partition {
    /// As ARNs name it: `aws`, `aws-cn`, `aws-us-gov`, `aws-eusc`, ...
    pub id: &'static str,
    /// The region pattern: `^(PREFIX)-\w+-\d+$`, one of these prefixes.
    prefixes: &'static [&'static str],
    pub dns_suffix: &'static str,
    pub dual_stack_dns_suffix: &'static str,
    /// The federation endpoint's host (getSigninToken and the login link);
    /// `None`: no public console.
    pub signin_host: Option<&'static str>,
    /// The console's domain; in `aws` each region has its own host
    /// (`{region}.console.aws.amazon.com`).
    pub console_domain: Option<&'static str>,
}

pub const AWS: Partition = Partition {
    id: "aws",
    prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
    dns_suffix: "amazonaws.com",
    dual_stack_dns_suffix: "api.aws",
    signin_host: Some("signin.aws.amazon.com"),
    console_domain: Some("console.aws.amazon.com"),
};

/// Every partition, in the SDK table's order.
pub const ALL: &[Partition] = &[
    AWS,
    Partition {
        id: "aws-cn",
        prefixes: &["cn"],
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        signin_host: Some("signin.amazonaws.cn"),
        console_domain: Some("console.amazonaws.cn"),
    },
    Partition {
        id: "aws-eusc",
        prefixes: &["eusc-de"],
        dns_suffix: "amazonaws.eu",
        dual_stack_dns_suffix: "api.amazonwebservices.eu",
        signin_host: Some("eusc-de-east-1.signin.amazonaws-eusc.eu"),
        console_domain: Some("console.amazonaws-eusc.eu"),
    },
    Partition {
        id: "aws-iso",
        prefixes: &["us-iso"],
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "api.aws.ic.gov",
        signin_host: None,
        console_domain: None,
    },
    Partition {
        id: "aws-iso-b",
        prefixes: &["us-isob"],
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "api.aws.scloud",
        signin_host: None,
        console_domain: None,
    },
    Partition {
        id: "aws-iso-e",
        prefixes: &["eu-isoe"],
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "api.cloud-aws.adc-e.uk",
        signin_host: None,
        console_domain: None,
    },
    Partition {
        id: "aws-iso-f",
        prefixes: &["us-isof"],
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "api.aws.hci.ic.gov",
        signin_host: None,
        console_domain: None,
    },
    Partition {
        id: "aws-us-gov",
        prefixes: &["us-gov"],
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        signin_host: Some("signin.amazonaws-us-gov.com"),
        console_domain: Some("console.amazonaws-us-gov.com"),
    },
];

/// `^PREFIX-\w+-\d+$` for one of `p`'s prefixes.
fn matches(p: &Partition, region: &str) -> bool {
    p.prefixes.iter().any(|prefix| {
        let Some(rest) = region
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('-'))
        else {
            return false;
        };
        let Some((word, digits)) = rest.split_once('-') else {
            return false;
        };
        !word.is_empty()
            && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// A valid DNS host label (RFC 1123): 1-63 letters, digits and hyphens,
/// not starting or ending with a hyphen.
pub fn valid_host_label(s: &str) -> bool {
    (1..=63).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// The partition a region belongs to; `None` for what is not a region.
pub fn of(region: &str) -> Option<&'static Partition> {
    if !valid_host_label(region) {
        return None;
    }
    ALL.iter().find(|p| matches(p, region))
}

/// The partition of a region already checked (`check_region`); the
/// commercial one for anything else.
pub fn of_checked(region: &str) -> &'static Partition {
    of(region).unwrap_or(&ALL[0])
}

impl Partition {
    /// The federation endpoint (getSigninToken, the login link).
    pub fn federation_endpoint(&self) -> Option<String> {
        Some(format!("https://{}/federation", self.signin_host?))
    }

    /// The console's host for a region (regional in `aws`).
    pub fn console_host(&self, region: &str) -> Option<String> {
        let domain = self.console_domain?;
        Some(if self.id == "aws" {
            format!("{region}.{domain}")
        } else {
            domain.to_string()
        })
    }

    /// The host the browser is logged out and signed in on when another
    /// account's console session is to be ended first: only `aws` has one
    /// (its regional us-east-1 host; the global host ignores
    /// `redirect_uri`, as aws-vault, kion-cli and saml2aws report).
    pub fn logout_host(&self) -> Option<&'static str> {
        (self.id == "aws").then_some("us-east-1.signin.aws.amazon.com")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_map_to_their_partitions() {
        for (r, id) in [
            ("us-east-1", "aws"),
            ("eu-central-2", "aws"),
            ("mx-central-1", "aws"),
            ("cn-north-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("eusc-de-east-1", "aws-eusc"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
        ] {
            assert_eq!(of(r).map(|p| p.id), Some(id), "{r}");
        }
        for bad in [
            "",
            "us-east",
            "useast1",
            "eusc-fr-east-1",
            "zz-east-1",
            "us-east-1 ",
            "us-east-1.evil.com",
            "us-east-x",
            "-us-east-1",
            "us--1",
            "aws-global",
        ] {
            assert_eq!(of(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn hosts_per_partition() {
        let eusc = of_checked("eusc-de-east-1");
        assert_eq!(
            eusc.federation_endpoint().as_deref(),
            Some("https://eusc-de-east-1.signin.amazonaws-eusc.eu/federation")
        );
        assert_eq!(
            eusc.console_host("eusc-de-east-1").as_deref(),
            Some("console.amazonaws-eusc.eu")
        );
        assert_eq!(eusc.logout_host(), None);
        assert_eq!(
            of_checked("eu-west-1").console_host("eu-west-1").as_deref(),
            Some("eu-west-1.console.aws.amazon.com")
        );
        assert_eq!(
            of_checked("eu-west-1").logout_host(),
            Some("us-east-1.signin.aws.amazon.com")
        );
        assert_eq!(of_checked("us-iso-east-1").federation_endpoint(), None);
    }
}
