//! Role credentials as they travel through ssopick. Every secret part is a
//! `Secret`, so `Debug` never shows them.

use crate::core::secret::Secret;
use crate::core::time::UtcTime;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleCredentials {
    pub access_key_id: Secret,
    pub secret_access_key: Secret,
    pub session_token: Secret,
    pub expiration: UtcTime,
}
