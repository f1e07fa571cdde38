//! The shapes AWS gives account ids and role names; what the boundary
//! checks portal and config input against. Pure.

/// A 12-digit AWS account id (what AWS issues; anything else is refused at
/// the boundary, so it can go into files and command lines as it is).
pub fn valid_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A permission-set name as AWS allows it: `[\w+=,.@-]{1,64}`.
pub fn valid_role_name(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c))
}
