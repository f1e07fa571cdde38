//! One SSO session a command works on: its token source, its catalog source,
//! and what needs both (a portal client, role credentials; `catalog`: the
//! catalog with progress on stderr, and the listing behind a child).
//! Portal failures become the errors the user reads.

mod catalog;

use crate::app::deliver::feed::RoleFeed;
use crate::app::error::Error;
use crate::app::listing::catalog_source::CatalogSource;
use crate::app::session::tokens::TokenSource;
use crate::app::setup::Setup;
use crate::core::catalog::Catalog;
use crate::core::credentials::RoleCredentials;
use crate::core::export::Chosen;
use crate::core::sso::session::{self, Session, SessionError, SessionKind};
use crate::core::sso::start_url::is_aws_owned;
use crate::edge::portal::{CallError, PortalClient, PortalOptions};
use crate::edge::token_cache;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use std::sync::Arc;

/// The session id of a target with no SSO session (`without_session`).
const NO_SESSION: &str = "none";
/// Its start URL: `.invalid` can be no real portal's.
const NO_SESSION_URL: &str = "https://none.invalid/start";

pub(crate) struct Target<'s> {
    pub setup: &'s Setup,
    pub session: Session,
    /// Shared: a credential server keeps using it after the command returns.
    pub tokens: Arc<TokenSource>,
    pub catalog: CatalogSource,
    /// FIPS and dual-stack (`core::sso::endpoints`; checked in `chosen`).
    pub variant: crate::core::sso::endpoints::Variant,
    /// `without_session`'s target: why there is no session (none set up,
    /// none logged in, several and none chosen); `None` for a session's.
    pub no_session: Option<SessionError>,
}

impl<'s> Target<'s> {
    pub(crate) fn new(setup: &'s Setup, session: Session, mut tokens: TokenSource) -> Target<'s> {
        let variant = setup.endpoint_variant(&session).unwrap_or_default();
        tokens.variant = variant;
        let catalog = CatalogSource::new(
            session.clone(),
            &setup.paths.cache,
            setup.clock.clone(),
            setup.settings.snapshot,
            setup.globals.offline,
            setup.globals.refresh,
        );
        Target {
            setup,
            session,
            tokens: Arc::new(tokens),
            catalog,
            variant,
            no_session: None,
        }
    }

    /// The target of this run: the chosen session with its token (refreshed
    /// when close to expiry, unless offline) and its catalog.
    pub(crate) async fn chosen(setup: &'s Setup) -> Result<Target<'s>, Error> {
        if setup.globals.session.as_deref() == Some("all") && !setup.is_demo() {
            return Err(Error::Usage(
                "--session all works with list and the commands that pick a role; name one session (--session NAME) for this one".into(),
            ));
        }
        let mut s = setup.chosen_session()?.clone();
        // A vanity start URL's region is the one its login found.
        if s.region.is_empty()
            && !is_aws_owned(&s.start_url)
            && let Some(r) = session::token_for(&s, &setup.tokens).and_then(|t| t.region.clone())
        {
            s.region = r;
        }
        Self::checked(setup, s, None).await
    }

    /// The target of session `s`, its region and endpoint settings checked;
    /// `oidc_url`: the start URL OIDC is given, when not the configured one
    /// (a `*.app.aws` one turns dual-stack on).
    pub(super) async fn checked(
        setup: &'s Setup,
        s: Session,
        oidc_url: Option<&str>,
    ) -> Result<Target<'s>, Error> {
        // A bad proxy or CA bundle is said before anything else.
        setup.net()?;
        // The session's region comes from a file: a junk one is named
        // there, not left to the SDK's wording at the first call.
        if let (false, Some(section)) = (setup.is_demo(), s.missing_region()) {
            return Err(Error::Config {
                path: setup.paths.aws_config.clone(),
                message: format!(
                    "{section} has no sso_region: add `sso_region = REGION` (the region of your IAM Identity Center, e.g. eu-west-1), as the AWS CLI requires"
                ),
            });
        }
        if !setup.is_demo()
            && let Err(e) = crate::core::sso::setup::check_region(&s.region)
        {
            return Err(Error::Config {
                path: setup.paths.aws_config.clone(),
                message: format!("the SSO region of session {}: {e}", s.id()),
            });
        }
        setup.endpoint_variant(&s)?;
        let mut t = Self::of(setup, s);
        if let Some(url) = oidc_url {
            let mut as_resolved = t.session.clone();
            as_resolved.start_url = url.to_string();
            t.variant = setup.endpoint_variant(&as_resolved)?;
            if let Some(tokens) = Arc::get_mut(&mut t.tokens) {
                tokens.variant = t.variant;
            }
        }
        t.tokens.refresh_if_needed().await;
        Ok(t)
    }

    /// The target of session `id` (a chain's own `via.session`), unless
    /// `--session` names one.
    pub(crate) async fn named_or_chosen(
        setup: &'s Setup,
        id: Option<&str>,
    ) -> Result<Target<'s>, Error> {
        let found = id
            .filter(|_| setup.globals.session.is_none() && !setup.is_demo())
            .map(|id| {
                setup
                    .sessions
                    .iter()
                    .find(|s| s.id() == id)
                    .cloned()
                    .ok_or_else(|| {
                        Error::Usage(format!(
                            "no SSO session named {id:?} in the AWS config (a [[chain]]'s via.session)"
                        ))
                    })
            })
            .transpose()?;
        let Some(s) = found else {
            return Self::chosen(setup).await;
        };
        let t = Self::of(setup, s);
        t.tokens.refresh_if_needed().await;
        Ok(t)
    }

    /// One target per SSO session (`--session all`).
    pub(crate) async fn all(setup: &'s Setup) -> Result<Vec<Target<'s>>, Error> {
        if setup.sessions.is_empty() {
            return Err(SessionError::NoSessions.into());
        }
        setup.net()?;
        let mut out: Vec<Target<'s>> = Vec::new();
        for s in &setup.sessions {
            if out.iter().any(|t| t.session.id() == s.id()) {
                continue;
            }
            let t = Self::of(setup, s.clone());
            t.tokens.refresh_if_needed().await;
            out.push(t);
        }
        Ok(out)
    }

    /// A target with no SSO session behind it, for the AWS files' other
    /// profiles when no session is configured at all: their keys never
    /// come through a session, and nothing is listed (its catalog is
    /// empty and complete, so only the profiles' rows are offered).
    pub(crate) fn without_session(setup: &'s Setup, why: SessionError) -> Target<'s> {
        let session = Session {
            kind: SessionKind::Named(NO_SESSION.into()),
            start_url: NO_SESSION_URL.into(),
            region: crate::app::setup::default_region(&setup.env),
            profiles: Vec::new(),
            more_profiles: 0,
            registration_scopes: None,
            endpoint_keys: crate::core::sso::endpoints::EndpointKeys::default(),
        };
        let mut t = Self::of(setup, session);
        t.catalog = t.catalog.held(Catalog::complete_empty(
            NO_SESSION,
            NO_SESSION_URL,
            "",
            setup.clock.now(),
        ));
        t.no_session = Some(why);
        t
    }

    /// What `without_session`'s target lacks, and what to run (`None` for
    /// a session's).
    pub(crate) fn no_session_line(&self) -> Option<&'static str> {
        Some(match self.no_session.as_ref()? {
            SessionError::NoSessions => "no SSO session is set up: `ssopick configure` adds one",
            _ => "no SSO session is logged in: ssopick login --session NAME",
        })
    }

    /// The picker's status line for `without_session`'s target.
    pub(crate) fn no_session_title(&self) -> Option<&'static str> {
        Some(match self.no_session.as_ref()? {
            SessionError::NoSessions => "no SSO session: the AWS files' profiles",
            _ => "no SSO session logged in: the AWS files' profiles",
        })
    }

    /// Whether this is a session's target (not `without_session`'s).
    pub(crate) fn has_session(&self) -> bool {
        self.no_session.is_none()
    }

    fn of(setup: &'s Setup, session: Session) -> Target<'s> {
        let http = setup.sdk_http();
        let found = session::token_for(&session, &setup.tokens).cloned();
        let path =
            (!setup.is_demo()).then(|| token_cache::token_path(&setup.paths.sso_cache, &session));
        let scopes = match &session.kind {
            SessionKind::Named(_) => session.registration_scopes.clone(),
            _ => None,
        };
        let tokens = TokenSource::new(
            session.clone(),
            path,
            found,
            &setup.env,
            setup.paths.cache.clone(),
            scopes,
            setup.clock.clone(),
            setup.globals.offline,
            http,
        );
        Target::new(setup, session, tokens)
    }

    pub(crate) fn id(&self) -> &str {
        self.session.id()
    }

    /// A portal client with a token that is valid now.
    pub(crate) async fn client(&self) -> Result<PortalClient, Error> {
        let token = self.tokens.access().await?;
        let http = self.setup.net()?.1.clone();
        Ok(PortalClient::new(&self.portal_options(Some(http)), token))
    }

    /// How this session's portal is reached.
    fn portal_options(&self, http: Option<SharedHttpClient>) -> PortalOptions {
        PortalOptions {
            region: self.session.region.clone(),
            endpoint: self.setup.portal_endpoint(),
            attempt_timeout: self.setup.http_timeout(),
            http,
            variant: self.variant,
        }
    }

    /// Maps a failed portal call to the error the user sees.
    pub(crate) fn call_error(&self, e: CallError) -> Error {
        crate::app::session::portal_error::portal_error(
            e,
            &self.tokens,
            &self.portal_options(None),
            None,
        )
    }

    /// Where the role's credentials come from (owned: it can outlive this
    /// command, for a renewal task).
    pub(crate) fn feed(&self, chosen: &Chosen) -> RoleFeed {
        RoleFeed {
            tokens: self.tokens.clone(),
            portal: self.portal_options(self.setup.sdk_http()),
            chosen: chosen.clone(),
            clock: self.setup.clock.clone(),
            sts: crate::edge::sts::StsOptions {
                region: self.region(chosen),
                endpoint: self
                    .setup
                    .env
                    .endpoint(crate::core::env_vars::AWS_ENDPOINT_URL_STS),
                timeout: self.setup.http_timeout(),
                http: self.setup.sdk_http(),
                variant: self.variant,
            },
            demo: self.setup.is_demo(),
            profiles: self.setup.profile_options(self.region(chosen)),
            may_prompt: true,
            session_name: crate::core::chain::default_session_name(
                &self
                    .setup
                    .env
                    .get(crate::core::env_vars::USER)
                    .or_else(|| self.setup.env.get(crate::core::env_vars::USERNAME))
                    .unwrap_or_default(),
            ),
        }
    }

    /// The role's credentials from GetRoleCredentials.
    pub(crate) async fn credentials(&self, chosen: &Chosen) -> Result<RoleCredentials, Error> {
        self.feed(chosen).fetch().await
    }

    /// `--region`; the region chosen in the picker (Ctrl-G); a chain's own;
    /// the account's (config.toml `[[account]]`); `AWS_REGION`,
    /// `AWS_DEFAULT_REGION`; the region of a profile for this account and
    /// role; else the session's SSO region.
    pub(crate) fn region(&self, chosen: &Chosen) -> String {
        let a = &chosen.account;
        self.setup
            .globals
            .region
            .clone()
            .and_then(|r| crate::app::setup::valid_region("--region", Some(r)))
            .or_else(|| chosen.region.clone())
            .or_else(|| a.chain.as_ref().and_then(|c| c.region.clone()))
            .or_else(|| {
                let p = a.profile.as_ref()?;
                p.region.clone().or_else(|| {
                    // Said once, then the next source decides.
                    let from = format!("AWS profile {}", p.name);
                    crate::app::setup::valid_region(&from, p.bad_region.clone())
                })
            })
            .or_else(|| a.meta.as_ref().and_then(|m| m.region.clone()))
            .or_else(|| self.setup.region_override())
            .or_else(|| self.setup.profile_region(&a.account_id, &chosen.role))
            .unwrap_or_else(|| self.session.region.clone())
    }
}
