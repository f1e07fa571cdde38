//! The target of a login: a start URL on a company's own domain is
//! followed for one redirect, as the AWS CLI does (`core::sso::start_url`),
//! and OIDC is given the AWS-owned URL it leads to.

use crate::app::error::Error;
use crate::app::session::target::Target;
use crate::app::setup::Setup;
use crate::core::sso::session::Session;
use crate::core::sso::start_url::is_aws_owned;

impl<'s> Target<'s> {
    /// The target of a login, and the start URL OIDC is given: a start URL
    /// on a company's own domain is followed for one redirect, as the AWS
    /// CLI does (`core::sso::start_url`), and its host may set the region.
    pub(crate) async fn for_login(setup: &'s Setup) -> Result<(Target<'s>, String), Error> {
        let mut s = setup.chosen_session()?.clone();
        // A bad proxy or CA bundle is said before anything else.
        setup.net()?;
        let landed = resolve_start_url(setup, &s).await?.map(|(url, region)| {
            s.region = region;
            url
        });
        let t = Self::checked(setup, s, landed.as_deref()).await?;
        let url = landed.unwrap_or_else(|| t.session.start_url.clone());
        Ok((t, url))
    }

    /// The start URL a new login of this target gives OIDC (its region
    /// stays the target's).
    pub(crate) async fn oidc_start_url(&self) -> Result<String, Error> {
        Ok(resolve_start_url(self.setup, &self.session)
            .await?
            .map_or_else(|| self.session.start_url.clone(), |(url, _)| url))
    }
}

/// Where a start URL on a company's own domain leads (one redirect) and
/// the region to log in to; `None` for AWS's own start URLs.
async fn resolve_start_url(setup: &Setup, s: &Session) -> Result<Option<(String, String)>, Error> {
    if setup.is_demo() || is_aws_owned(&s.start_url) {
        return Ok(None);
    }
    let agent = setup.net()?.0.ureq_agent(setup.http_timeout());
    let to = crate::edge::start_url::follow_once(s.start_url.clone(), agent)
        .await
        .map_err(Error::Portal)?;
    let configured = Some(s.region.as_str()).filter(|r| !r.is_empty());
    let (url, region) = crate::core::sso::start_url::resolved(&s.start_url, &to, configured)
        .map_err(|message| Error::Config {
            path: setup.paths.aws_config.clone(),
            message,
        })?;
    eprintln!(
        "ssopick: the start URL {} leads to {url} ({region}).",
        s.start_url
    );
    Ok(Some((url, region)))
}
