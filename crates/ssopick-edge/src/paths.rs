//! Where things live, from the environment captured once at start: the AWS
//! files (standard variables) and ssopick's own XDG folders.

use crate::env::Env;
use ssopick_core::env_vars as var;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Paths {
    pub aws_config: PathBuf,
    pub aws_credentials: PathBuf,
    pub sso_cache: PathBuf,
    /// `$XDG_CACHE_HOME/ssopick`: catalog snapshots, cached role credentials.
    pub cache: PathBuf,
    /// `$XDG_STATE_HOME/ssopick`: pick history.
    pub state: PathBuf,
    /// `$XDG_CONFIG_HOME/ssopick`: the optional config file.
    pub config: PathBuf,
}

impl Paths {
    pub fn from_env(env: &Env) -> Result<Paths, String> {
        let home = env
            .get(var::HOME)
            .or_else(|| env.get(var::USERPROFILE))
            .map(PathBuf::from)
            .ok_or("neither HOME nor USERPROFILE is set; set HOME to your home folder")?;
        let xdg = |var: &str, default: &str| {
            env.get(var)
                .map(PathBuf::from)
                .filter(|p| p.is_absolute())
                .unwrap_or_else(|| home.join(default))
                .join("ssopick")
        };
        Ok(Paths {
            aws_config: env
                .get(var::AWS_CONFIG_FILE)
                .map_or_else(|| home.join(".aws/config"), PathBuf::from),
            aws_credentials: env
                .get(var::AWS_SHARED_CREDENTIALS_FILE)
                .map_or_else(|| home.join(".aws/credentials"), PathBuf::from),
            sso_cache: home.join(".aws/sso/cache"),
            cache: xdg(var::XDG_CACHE_HOME, ".cache"),
            state: xdg(var::XDG_STATE_HOME, ".local/state"),
            config: xdg(var::XDG_CONFIG_HOME, ".config"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Env {
        Env::from_pairs(pairs)
    }

    #[test]
    fn defaults_and_overrides() {
        let p = Paths::from_env(&env(&[("HOME", "/h")])).unwrap();
        assert_eq!(p.aws_config, PathBuf::from("/h/.aws/config"));
        assert_eq!(p.sso_cache, PathBuf::from("/h/.aws/sso/cache"));
        assert_eq!(p.cache, PathBuf::from("/h/.cache/ssopick"));
        assert_eq!(p.state, PathBuf::from("/h/.local/state/ssopick"));
        let p = Paths::from_env(&env(&[
            ("HOME", "/h"),
            ("AWS_CONFIG_FILE", "/c"),
            ("XDG_CACHE_HOME", "/x"),
            ("XDG_STATE_HOME", "relative/ignored"),
        ]))
        .unwrap();
        assert_eq!(p.aws_config, PathBuf::from("/c"));
        assert_eq!(p.cache, PathBuf::from("/x/ssopick"));
        assert_eq!(p.state, PathBuf::from("/h/.local/state/ssopick"));
        assert!(Paths::from_env(&env(&[])).is_err());
    }
}
