//! The organisation a fake portal serves: the demo one from `assets/`, or a
//! generated one of any size for tests and benchmarks.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct FakeAccount {
    pub account_id: String,
    pub account_name: String,
    pub email_address: String,
    pub roles: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct FakeOrg {
    pub accounts: Vec<FakeAccount>,
}

const DEMO_ORG: &str = include_str!("../assets/demo-org.json");

#[cfg(feature = "testing")]
const TEAMS: &[&str] = &[
    "payments",
    "checkout",
    "search",
    "identity",
    "billing",
    "data-lake",
    "analytics",
    "mobile",
    "web",
    "platform",
    "network",
    "security",
    "observability",
    "ml",
    "catalog",
    "shipping",
    "inventory",
    "support",
    "marketing",
    "finance",
];
#[cfg(feature = "testing")]
const ENVS: &[&str] = &["prod", "staging", "dev", "qa", "sandbox", "perf", "dr"];
#[cfg(feature = "testing")]
const REGIONS: &[&str] = &["us", "eu", "ap", "ca"];
#[cfg(feature = "testing")]
const ROLES: &[&str] = &[
    "AdministratorAccess",
    "ReadOnlyAccess",
    "PowerUserAccess",
    "ViewOnlyAccess",
    "DeveloperAccess",
    "BillingAccess",
    "SecurityAudit",
];

/// A small deterministic generator (xorshift64) from a non-zero state.
#[cfg(feature = "testing")]
fn xorshift(mut x: u64) -> impl FnMut() -> u64 {
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}

/// Account `i` of a generated organisation: ids spaced from `base`.
#[cfg(feature = "testing")]
fn numbered_account(
    base: u64,
    i: usize,
    seed: u64,
    name: String,
    roles: Vec<String>,
) -> FakeAccount {
    FakeAccount {
        account_id: format!("{:012}", base + (i as u64) * 7_919 + seed % 1000),
        email_address: format!("aws+{name}@example.com"),
        account_name: name,
        roles,
    }
}

impl FakeOrg {
    pub fn demo() -> FakeOrg {
        serde_json::from_str(DEMO_ORG).unwrap_or(FakeOrg {
            accounts: Vec::new(),
        })
    }

    #[cfg(feature = "testing")]
    /// `n` accounts with 1 to 7 roles each, the same for the same `seed`.
    pub fn generated(n: usize, seed: u64) -> FakeOrg {
        let mut next = xorshift(
            seed.wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407)
                | 1,
        );
        let accounts = (0..n)
            .map(|i| {
                let team = TEAMS[i % TEAMS.len()];
                let env = ENVS[(i / TEAMS.len()) % ENVS.len()];
                let region = REGIONS[(i / (TEAMS.len() * ENVS.len())) % REGIONS.len()];
                let serial = i / (TEAMS.len() * ENVS.len() * REGIONS.len());
                let name = if serial == 0 {
                    format!("{team}-{env}-{region}")
                } else {
                    format!("{team}-{env}-{region}-{serial}")
                };
                let k = 1 + (next() % ROLES.len() as u64) as usize;
                let start = (next() % ROLES.len() as u64) as usize;
                let mut roles: Vec<String> = (0..k)
                    .map(|j| ROLES[(start + j) % ROLES.len()].to_string())
                    .collect();
                roles.sort();
                numbered_account(100_000_000_000, i, seed, name, roles)
            })
            .collect();
        FakeOrg { accounts }
    }

    #[cfg(feature = "testing")]
    /// `n` accounts named `word-env-region-N`: ten prefixes, each with
    /// N = 0, 1, 2, ... (so `x-1`, `x-19` and `x-198` coexist at 2,000
    /// accounts), with 1 to 5 roles each, the same for the same `seed`.
    pub fn numbered(n: usize, seed: u64) -> FakeOrg {
        const PREFIXES: [&str; 10] = [
            "core-dev-eu",
            "core-prod-us",
            "ml-qa-eu",
            "ml-dev-us",
            "mobile-qa-us",
            "mobile-dev-ap",
            "data-prod-eu",
            "data-qa-ap",
            "web-dev-eu",
            "web-prod-ap",
        ];
        const ROLES: [&str; 8] = [
            "AdministratorAccess",
            "ReadOnlyAccess",
            "NetworkAdministrator",
            "DatabaseAdministrator",
            "SecurityAudit",
            "BillingAccess",
            "PowerUserAccess",
            "ViewOnlyAccess",
        ];
        let mut next = xorshift(seed.wrapping_mul(6_364_136_223_846_793_005) | 1);
        let accounts = (0..n)
            .map(|i| {
                let name = format!("{}-{}", PREFIXES[i % PREFIXES.len()], i / PREFIXES.len());
                let k = 1 + (next() % 5) as usize;
                let start = (next() % ROLES.len() as u64) as usize;
                let mut roles: Vec<String> = (0..k)
                    .map(|j| ROLES[(start + j * 3) % ROLES.len()].to_string())
                    .collect();
                roles.sort();
                roles.dedup();
                numbered_account(300_000_000_000, i, seed, name, roles)
            })
            .collect();
        FakeOrg { accounts }
    }

    pub fn find(&self, account_id: &str) -> Option<&FakeAccount> {
        self.accounts.iter().find(|a| a.account_id == account_id)
    }

    /// The complete catalog a listing of this organisation yields.
    pub fn to_catalog(
        &self,
        session: &str,
        start_url: &str,
        taken_at: ssopick_core::time::UtcTime,
    ) -> ssopick_core::catalog::Catalog {
        let mut c = ssopick_core::catalog::Catalog::new(session, start_url, "us-east-1", taken_at);
        c.accounts = self
            .accounts
            .iter()
            .map(|a| {
                let mut roles = a.roles.clone();
                roles.sort();
                roles.dedup();
                ssopick_core::catalog::AccountRoles {
                    account: ssopick_core::catalog::Account::new(
                        a.account_id.clone(),
                        a.account_name.clone(),
                        a.email_address.clone(),
                    ),
                    roles: Some(roles),
                }
            })
            .collect();
        c.sort();
        c.complete = true;
        c
    }

    pub fn role_count(&self) -> usize {
        self.accounts.iter().map(|a| a.roles.len()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_org_is_realistic() {
        let org = FakeOrg::demo();
        assert!((35..=50).contains(&org.accounts.len()));
        assert!(
            org.accounts
                .iter()
                .all(|a| (1..=6).contains(&a.roles.len()) && a.account_id.len() == 12)
        );
    }

    #[cfg(feature = "testing")]
    #[test]
    fn generated_is_deterministic_and_unique() {
        let a = FakeOrg::generated(2000, 1);
        assert_eq!(a, FakeOrg::generated(2000, 1));
        let mut ids: Vec<_> = a.accounts.iter().map(|x| &x.account_id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 2000);
        assert!(
            a.accounts
                .iter()
                .all(|x| (1..=7).contains(&x.roles.len()) && x.account_id.len() == 12)
        );
    }
}
