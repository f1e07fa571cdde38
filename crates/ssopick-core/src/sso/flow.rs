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

/// Where a login runs, as far as the flow's choice cares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// A browser can be opened (`$BROWSER`, or a display and no SSH).
    pub browser_usable: bool,
    /// `$BROWSER` names the browser (trusted to reach this side, as VS
    /// Code's devcontainer helper does).
    pub browser_named: bool,
    /// Inside a container (`/.dockerenv`, `/run/.containerenv`, `$container`).
    pub container: bool,
    /// Under WSL: `Some(true)` with `wslview` (which opens the Windows
    /// browser), `Some(false)` without it.
    pub wsl: Option<bool>,
}

/// The AWS CLI's choice (authorization code for `[sso-session]` sessions,
/// unless `--use-device-code` or the profile's or session's
/// `sso_use_device_code = true`), plus fallbacks: inside a container or
/// under WSL without `wslview` (unless `$BROWSER` names a browser), or
/// with no browser here (SSH, no display), the redirect could never reach
/// this side, so the device code is used and said. A fixed redirect port
/// (forwarded by the user) keeps the browser flow.
pub fn flow(
    kind: &SessionKind,
    opts: &LoginOptions,
    wants_device_code: bool,
    place: Place,
) -> Flow {
    if !matches!(kind, SessionKind::Named(_)) {
        return Flow::DeviceCode(None);
    }
    if opts.use_device_code || wants_device_code {
        return Flow::DeviceCode(None);
    }
    if opts.redirect_port.is_some() {
        return Flow::AuthCode;
    }
    if !place.browser_named {
        match place.wsl {
            Some(false) => {
                return Flow::DeviceCode(Some(
                    "under WSL without wslview nothing opens the Windows browser, so this login uses a device code.\n  (Install wslu for the browser flow.)",
                ));
            }
            Some(true) => return Flow::AuthCode,
            None if place.container => {
                return Flow::DeviceCode(Some(
                    "inside a container no browser can reach this login's redirect, so it uses a device code.\n  (For the browser flow: --redirect-port 8400 with the port published, or set $BROWSER.)",
                ));
            }
            None => {}
        }
    }
    if place.browser_usable {
        return Flow::AuthCode;
    }
    Flow::DeviceCode(Some(
        "no browser can be opened here (SSH or no display), so this login uses a device code.\n  (For the browser flow over SSH: --redirect-port 8400 with `ssh -L 8400:127.0.0.1:8400`.)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESK: Place = Place {
        browser_usable: true,
        browser_named: false,
        container: false,
        wsl: None,
    };

    #[test]
    fn the_flow_follows_the_cli_and_falls_back_without_a_browser() {
        let named = SessionKind::Named("corp".into());
        let o = LoginOptions::default();
        assert_eq!(flow(&named, &o, false, DESK), Flow::AuthCode);
        assert_eq!(
            flow(&SessionKind::Legacy, &o, false, DESK),
            Flow::DeviceCode(None)
        );
        let dev = LoginOptions {
            use_device_code: true,
            ..o.clone()
        };
        assert_eq!(flow(&named, &dev, false, DESK), Flow::DeviceCode(None));
        assert_eq!(flow(&named, &o, true, DESK), Flow::DeviceCode(None));
        let none = Place {
            browser_usable: false,
            ..DESK
        };
        assert!(matches!(
            flow(&named, &o, false, none),
            Flow::DeviceCode(Some(_))
        ));
        let port = LoginOptions {
            redirect_port: Some(8400),
            ..o
        };
        assert_eq!(flow(&named, &port, false, none), Flow::AuthCode);
    }

    #[test]
    fn containers_and_wsl_without_wslview_take_the_device_code_unless_a_browser_is_named() {
        let named = SessionKind::Named("corp".into());
        let o = LoginOptions::default();
        for place in [
            Place {
                container: true,
                ..DESK
            },
            Place {
                wsl: Some(false),
                ..DESK
            },
        ] {
            assert!(matches!(
                flow(&named, &o, false, place),
                Flow::DeviceCode(Some(_))
            ));
            let named_browser = Place {
                browser_named: true,
                ..place
            };
            assert_eq!(flow(&named, &o, false, named_browser), Flow::AuthCode);
        }
        let wslview = Place {
            wsl: Some(true),
            container: true,
            ..DESK
        };
        assert_eq!(flow(&named, &o, false, wslview), Flow::AuthCode);
    }
}
