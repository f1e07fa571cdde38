//! The shapes AWS gives account ids and role names; what the boundary
//! checks portal and config input against. Pure.

/// A 12-digit AWS account id (what AWS issues; anything else is refused at
/// the boundary, so it can go into files and command lines as it is).
pub fn valid_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// An MFA device's ARN or serial number as STS takes it
/// (`SerialNumber`: `[\w+=/:,.@-]{9,256}`).
pub fn valid_mfa_serial(s: &str) -> bool {
    (9..=256).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_+=/:,.@-".contains(&b))
}

/// A permission-set name as AWS allows it: `[\w+=,.@-]{1,64}`.
pub fn valid_role_name(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}

/// The AWS partitions an ARN can name.
pub const PARTITIONS: &[&str] = &[
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",
];

/// The IAM role ARN of an SSO role, from the ARN STS says its session acts
/// as (`arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_Admin_0123/USER`):
/// IAM Identity Center puts its roles under
/// `/aws-reserved/sso.amazonaws.com/`, then the instance's region unless it
/// is us-east-1 (the IAM Identity Center user guide, "Referencing
/// permission sets in resource policies").
pub fn sso_role_arn(assumed: &str, sso_region: &str) -> Option<String> {
    let rest = assumed.strip_prefix("arn:")?;
    let (partition, rest) = rest.split_once(':')?;
    let rest = rest.strip_prefix("sts::")?;
    let (account, resource) = rest.split_once(':')?;
    let role = resource.strip_prefix("assumed-role/")?.split('/').next()?;
    let ok = valid_account_id(account)
        && role.starts_with("AWSReservedSSO_")
        && valid_role_name(role)
        && partition.starts_with("aws")
        && partition
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'-')
        && sso_region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !ok {
        return None;
    }
    let region = if sso_region == "us-east-1" || sso_region.is_empty() {
        String::new()
    } else {
        format!("{sso_region}/")
    };
    Some(format!(
        "arn:{partition}:iam::{account}:role/aws-reserved/sso.amazonaws.com/{region}{role}"
    ))
}

/// `*` matches any run of characters, `?` one; everything else itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sso_role_arns_carry_the_region_path_except_us_east_1() {
        let a = "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_DatabaseAdministrator_1234567890abcdef/jo@example.com";
        assert_eq!(
            sso_role_arn(a, "eu-west-2").as_deref(),
            Some(
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-2/AWSReservedSSO_DatabaseAdministrator_1234567890abcdef"
            )
        );
        assert_eq!(
            sso_role_arn(a, "us-east-1").as_deref(),
            Some(
                "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DatabaseAdministrator_1234567890abcdef"
            )
        );
        for bad in [
            "arn:aws:sts::111122223333:assumed-role/Deployer/x",
            "arn:aws:iam::111122223333:user/x",
            "arn:aws:sts::1111:assumed-role/AWSReservedSSO_A_1/x",
            "junk",
        ] {
            assert_eq!(sso_role_arn(bad, "us-east-1"), None, "{bad}");
        }
    }
}
