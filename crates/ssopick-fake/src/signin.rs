//! A fake of the AWS federation sign-in endpoint (`getSigninToken`), as
//! strict as the IAM guide: `SessionDuration` from 900 to 43200 seconds,
//! and refused for role-chained credentials ("you must call it as an IAM
//! user with long-term credentials. Otherwise, the call to the federation
//! endpoint fails"; aws-sso-cli PR #1247) when the fake knows which keys
//! are SSO role sessions (`for_portal`).

use serde_json::json;
use ssopick_edge::http::{self, Request, Response};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

pub struct FakeSignin {
    url: String,
    last_session: Arc<Mutex<Option<serde_json::Value>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeSignin {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Tells an SSO role session's access key id from a role-chained one.
type SsoKeys = Arc<dyn Fn(&str) -> bool + Send + Sync>;

impl FakeSignin {
    /// Every session counts as an SSO role session.
    pub async fn start() -> std::io::Result<FakeSignin> {
        FakeSignin::start_with(Arc::new(|_: &str| true)).await
    }

    /// Sessions whose keys `portal` did not issue count as role-chained:
    /// `SessionDuration` gets a 400 for them.
    pub async fn for_portal(portal: &crate::FakePortal) -> std::io::Result<FakeSignin> {
        FakeSignin::start_with(Arc::new(portal.issued_keys())).await
    }

    async fn start_with(sso_keys: SsoKeys) -> std::io::Result<FakeSignin> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}/federation", listener.local_addr()?);
        let last_session = Arc::new(Mutex::new(None));
        let last = last_session.clone();
        let task = tokio::spawn(http::serve(listener, move |req: Request| {
            let last = last.clone();
            let sso_keys = sso_keys.clone();
            async move {
                if req.path != "/federation" || req.param("Action") != Some("getSigninToken") {
                    return Response::json(400, &json!({"message": "bad request"}));
                }
                let session: Option<serde_json::Value> = req
                    .param("Session")
                    .and_then(|s| serde_json::from_str(s).ok());
                let ok = session.as_ref().is_some_and(|s| {
                    ["sessionId", "sessionKey", "sessionToken"]
                        .iter()
                        .all(|k| s[k].is_string())
                });
                if !ok {
                    return Response::json(400, &json!({"message": "missing session credentials"}));
                }
                let mut session = session;
                if let Some(d) = req.param("SessionDuration") {
                    let in_range = d.parse::<i64>().is_ok_and(|d| (900..=43_200).contains(&d));
                    if !in_range {
                        return Response::json(
                            400,
                            &json!({"message": "SessionDuration out of range"}),
                        );
                    }
                    let key = session
                        .as_ref()
                        .and_then(|s| s["sessionId"].as_str())
                        .unwrap_or_default();
                    if !sso_keys(key) {
                        return Response::json(
                            400,
                            &json!({"message": "SessionDuration is not allowed for role-chained credentials"}),
                        );
                    }
                }
                // The console session's length asked for, beside the keys.
                if let (Some(s), Some(d)) = (session.as_mut(), req.param("SessionDuration")) {
                    s["SessionDuration"] = serde_json::Value::String(d.to_string());
                }
                *last
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = session;
                Response::json(200, &json!({"SigninToken": "fake-signin-token"}))
            }
        }));
        Ok(FakeSignin {
            url,
            last_session,
            task,
        })
    }

    /// `http://127.0.0.1:PORT/federation`
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn last_session(&self) -> Option<serde_json::Value> {
        self.last_session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}
