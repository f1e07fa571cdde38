//! Which login flow a session takes. Pure.

use super::session::SessionKind;

#[derive(Clone, Debug, Default)]
pub struct LoginOptions {
    /// Never open a browser: print the URL.
    pub no_browser: bool,
    /// The device-code flow even where the browser flow would work.
    pub use_device_code: bool,
    /// A fixed port for the browser flow's redirect (SSH forwarding).
    pub redirect_port: Option<u16>,
}

impl LoginOptions {
    /// config.toml's `[login]` settings.
    pub fn from_settings(s: &crate::settings::LoginSettings) -> LoginOptions {
        LoginOptions {
            no_browser: false,
            use_device_code: s.use_device_code,
            redirect_port: s.redirect_port,
        }
    }
}

/// Which flow a login takes, and why (said on stderr when it is not the
/// one the user would expect).
#[derive(Debug, PartialEq, Eq)]
pub enum Flow {
    AuthCode,
    DeviceCode(Option<&'static str>),
}

/// The AWS CLI's choice (authorization code for `[sso-session]` sessions,
/// unless `--use-device-code`), plus a fallback: with no browser here (SSH,
/// no display) and no fixed redirect port to forward, the redirect could
/// never reach this machine, so the device code is used.
pub fn flow(kind: &SessionKind, opts: &LoginOptions, browser_usable: bool) -> Flow {
    if !matches!(kind, SessionKind::Named(_)) {
        return Flow::DeviceCode(None);
    }
    if opts.use_device_code {
        return Flow::DeviceCode(None);
    }
    if browser_usable || opts.redirect_port.is_some() {
        return Flow::AuthCode;
    }
    Flow::DeviceCode(Some(
        "no browser can be opened here (SSH or no display), so this login uses a device code.\n  (For the browser flow over SSH: --redirect-port 8400 with `ssh -L 8400:127.0.0.1:8400`.)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flow_follows_the_cli_and_falls_back_without_a_browser() {
        let named = SessionKind::Named("corp".into());
        let o = LoginOptions::default();
        assert_eq!(flow(&named, &o, true), Flow::AuthCode);
        assert_eq!(flow(&SessionKind::Legacy, &o, true), Flow::DeviceCode(None));
        let dev = LoginOptions {
            use_device_code: true,
            ..o.clone()
        };
        assert_eq!(flow(&named, &dev, true), Flow::DeviceCode(None));
        assert!(matches!(flow(&named, &o, false), Flow::DeviceCode(Some(_))));
        let port = LoginOptions {
            redirect_port: Some(8400),
            ..o
        };
        assert_eq!(flow(&named, &port, false), Flow::AuthCode);
    }
}
