//! The picker's effects on the world (`picker::run::Effects`): copying a
//! row's exports, profile block, account ids or role ARNs; listing the
//! sessions in turn, one listing streaming into the picker at a time; and
//! the command's own rule once a listing settles.

use crate::app::deliver::copy_exports;
use crate::app::error::Error;
use crate::app::listing::catalog_source::Observers;
use crate::app::listing::straight::Straight;
use crate::app::pick::rows::{ask, history};
use crate::app::session::target::Target;
use crate::core::catalog::Catalog;
use crate::core::delivery::{Action, Delivery};
use crate::core::export::Chosen;
use crate::core::profile::Style;
use crate::core::select::{self, Frecency, Listed, Selection};
use crate::edge::clipboard;
use crate::picker::run::{Effects, Listing, ListingEnd, LocalFuture};
use tokio::sync::mpsc;

/// The status line for a session whose token is not usable: the login
/// command first, so a narrow screen still shows it.
pub(super) fn problem_line(t: &Target<'_>) -> Option<String> {
    if !t.has_session() {
        return None;
    }
    let what = match t.tokens.problem()? {
        Error::NotLoggedIn { .. } => "is not logged in",
        _ => "expired",
    };
    Some(format!(
        "Ctrl-L logs in (or run {}): session {} {what}",
        t.session.login_command(),
        t.id()
    ))
}

fn listing_end(t: &Target<'_>, e: Error) -> ListingEnd {
    match e {
        Error::SessionExpired { .. } | Error::NotLoggedIn { .. } => {
            ListingEnd::Expired(problem_line(t).unwrap_or_else(|| e.first_line()))
        }
        other => ListingEnd::Failed(other.first_line()),
    }
}

/// A listing of `t` in the background, streaming into the picker. With
/// `straight` (a query that may name an account exactly), its named
/// accounts' roles come first, and the listing ends as soon as the rule
/// chooses a row (`ListingEnd::Settled`).
pub(super) fn start_listing<'t>(t: &'t Target<'_>, straight: Option<Straight<'t>>) -> Listing<'t> {
    let (ev_tx, ev_rx) = mpsc::unbounded_channel();
    let (pr_tx, pr_rx) = mpsc::unbounded_channel();
    let done = Box::pin(async move {
        let client = match t.client().await {
            Ok(c) => c,
            Err(e) => return listing_end(t, e),
        };
        let mut straight = straight;
        let focus = straight.as_ref().map(Straight::focus);
        let mut decide = |c: &Catalog| straight.as_mut().is_some_and(|s| s.decide(c));
        let obs = Observers {
            forward: Some(ev_tx),
            priority: Some(pr_rx),
            focus: focus.map(|f| (f, &mut decide as &mut dyn FnMut(&Catalog) -> bool)),
            ..Observers::default()
        };
        let listed = t.catalog.list(client, obs).await;
        if let Some(chosen) = straight.and_then(|s| s.chosen) {
            return ListingEnd::Settled(chosen);
        }
        match listed {
            Ok(_) if !t.catalog.cut().is_empty() => ListingEnd::Failed(format!(
                "the portal's answers were cut short: {}",
                t.catalog.cut_text()
            )),
            Ok(c) => ListingEnd::Finished {
                taken_at: c.taken_at,
            },
            Err(e) => listing_end(t, t.call_error(e)),
        }
    });
    Listing {
        session: t.id().to_string(),
        events: ev_rx,
        priority: pr_tx,
        done,
    }
}

pub(super) struct AppEffects<'t, 's> {
    pub(super) targets: &'t [&'t Target<'s>],
    /// The command's QUERY words, for `settle`.
    pub(super) query: &'t [String],
    /// Sessions still to list, one after another.
    pub(super) queue: std::cell::RefCell<std::collections::VecDeque<&'t Target<'s>>>,
}

/// The role ARN of each row, in order (`Action::CopyRoleArn`).
pub(crate) async fn role_arns(
    targets: &[&Target<'_>],
    rows: &[Chosen],
) -> Result<Vec<String>, Error> {
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        let t = target_of(targets, &c.session);
        out.push(role_arn(t, c).await?);
    }
    Ok(out)
}

/// A row's IAM role ARN (`RoleFeed::role_arn`); the demo has no STS to ask.
pub(crate) async fn role_arn(t: &Target<'_>, c: &Chosen) -> Result<String, Error> {
    if t.setup.is_demo() && !c.account.added() {
        return Err(Error::Usage(
            "the demo has no STS to ask for an SSO role's ARN (it works after a real login)".into(),
        ));
    }
    t.feed(c).role_arn(&t.session.region).await
}

/// A session the picker may list now: logged in and online.
pub(super) fn can_list(t: &Target<'_>) -> bool {
    !t.catalog.offline && t.tokens.problem().is_none()
}

fn target_of<'t, 's>(targets: &[&'t Target<'s>], session: &str) -> &'t Target<'s> {
    targets
        .iter()
        .copied()
        .find(|t| t.id() == session)
        .unwrap_or(targets[0])
}

impl<'t, 's: 't> Effects<'t> for AppEffects<'t, 's> {
    fn copy(&self, rows: Vec<Chosen>, what: Action) -> LocalFuture<'t, String> {
        let targets = self.targets;
        Box::pin(async move {
            let Some(chosen) = rows.first().cloned() else {
                return "nothing to copy".to_string();
            };
            let t = target_of(targets, &chosen.session);
            let done = match what {
                Action::CopyProfile => {
                    let d = &t.setup.defaults;
                    crate::app::deliver::profiles::block_text(
                        t,
                        &chosen,
                        Style::Sso,
                        d.profile_name.as_deref(),
                    )
                    .and_then(|text| {
                        Ok(clipboard::copy(&text, &t.setup.env, 0, "the profile block")?.1)
                    })
                }
                Action::CopyAccountId if rows.iter().any(|c| c.account.account_id.is_empty()) => {
                    Err(Error::Usage(
                        "an AWS profile's row that names no account has no account id to copy"
                            .into(),
                    ))
                }
                Action::CopyAccountId => {
                    let ids: Vec<&str> =
                        rows.iter().map(|c| c.account.account_id.as_str()).collect();
                    let what = if ids.len() > 1 {
                        "the account ids"
                    } else {
                        "the account id"
                    };
                    clipboard::copy(&(ids.join("\n") + "\n"), &t.setup.env, 0, what)
                        .map(|(_, said)| said)
                        .map_err(Error::from)
                }
                Action::CopyEksToken => {
                    // Another profile's row: the AWS CLI's own command
                    // serves it as it serves any profile.
                    let line = match &chosen.account.profile {
                        Some(p) => format!(
                            "aws eks get-token --cluster-name CLUSTER --profile {}",
                            crate::core::export::shell_word(&p.name)
                        ),
                        None => crate::core::eks::command_line(&crate::core::eks::TokenFor {
                            session: &chosen.session,
                            account_id: &chosen.account.account_id,
                            role: &chosen.role,
                            chain: chosen.account.chain.as_ref().map(|c| c.name.as_str()),
                        }),
                    };
                    clipboard::copy(
                        &(line + "\n"),
                        &t.setup.env,
                        0,
                        "the eks-token command (put the cluster's name for CLUSTER)",
                    )
                    .map(|(_, said)| said)
                    .map_err(Error::from)
                }
                Action::CopyRoleArn => role_arns(targets, &rows).await.and_then(|arns| {
                    let what = if arns.len() > 1 {
                        "the role ARNs"
                    } else {
                        "the role ARN"
                    };
                    Ok(clipboard::copy(&(arns.join("\n") + "\n"), &t.setup.env, 0, what)?.1)
                }),
                _ => {
                    let Delivery::Copy {
                        format,
                        clear_after,
                    } = Delivery::quick_copy(&t.setup.defaults)
                    else {
                        unreachable!("quick_copy is a copy")
                    };
                    copy_exports(t, &chosen, format, clear_after).await
                }
            };
            match done {
                Ok(said) => said,
                Err(e) => format!("copy failed: {}", e.first_line()),
            }
        })
    }

    fn refresh(&self) -> Result<Listing<'t>, String> {
        if let [t] = self.targets
            && let Some(line) = t.no_session_line()
        {
            return Err(line.into());
        }
        if self.targets.iter().all(|t| t.catalog.offline) {
            return Err("offline (--offline): not listing; the snapshot stays as it was".into());
        }
        // Every session, one after another.
        let mut q = self.queue.borrow_mut();
        q.clear();
        q.extend(self.targets.iter().copied().filter(|t| can_list(t)));
        let first = q
            .pop_front()
            .ok_or_else(|| "no session can list now (log in first)".to_string())?;
        Ok(start_listing(first, None))
    }

    fn next_listing(&self) -> Option<Listing<'t>> {
        let next = self.queue.borrow_mut().pop_front()?;
        Some(start_listing(next, None))
    }

    /// The command's own rule on the catalogs the listings just saved.
    fn settle(&self) -> Option<Chosen> {
        let setup = self.targets.first()?.setup;
        let mut cats: Vec<Catalog> = self
            .targets
            .iter()
            .filter_map(|t| t.catalog.snapshot())
            .collect();
        setup.row_settings().additions().apply(cats.iter_mut());
        let refs: Vec<&Catalog> = cats.iter().collect();
        let h = history(setup);
        let f = Frecency {
            history: &h,
            now: setup.clock.now(),
        };
        match select::select(&refs, &ask(setup, self.query), &f, Listed::of(&refs)) {
            Selection::One(e) => Some(Chosen::of(&e)),
            _ => None,
        }
    }
}
