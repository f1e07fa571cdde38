//! The portal's three read operations and pagination, in the wire format of
//! the reference (paths, query names, JSON bodies, error types).

use super::{BEARER_HEADER, DEFAULT_PAGE, IssuedCredentials, Request, Response, State, error};
use serde_json::json;
use std::sync::atomic::Ordering::Relaxed;
use std::time::Instant;

fn page_size(req: &Request) -> Result<usize, Response> {
    match req.param("max_result") {
        None => Ok(DEFAULT_PAGE),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=100).contains(&n) => Ok(n),
            _ => Err(error(
                400,
                "InvalidRequestException",
                "max_result must be between 1 and 100",
            )),
        },
    }
}

fn page_start(req: &Request) -> Result<usize, Response> {
    match req.param("next_token") {
        None | Some("") => Ok(0),
        Some(t) => t
            .strip_prefix("page-")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| error(400, "InvalidRequestException", "invalid next_token")),
    }
}

fn paginate<T: Clone>(items: &[T], start: usize, size: usize) -> (Vec<T>, Option<String>) {
    let end = (start + size).min(items.len());
    let page = items.get(start.min(end)..end).unwrap_or_default().to_vec();
    let next = (end < items.len()).then(|| format!("page-{end}"));
    (page, next)
}

pub(super) fn route(st: &State, req: &Request, throttled: bool) -> Response {
    let op = (req.method.as_str(), req.path.as_str());
    st.log
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(super::Call {
            op: match op {
                ("GET", "/assignment/accounts") => "ListAccounts",
                ("GET", "/assignment/roles") => "ListAccountRoles",
                ("GET", "/federation/credentials") => "GetRoleCredentials",
                ("POST", "/logout") => "Logout",
                _ => "other",
            },
            account_id: req.param("account_id").map(str::to_string),
            role: req.param("role_name").map(str::to_string),
        });
    match op {
        ("GET", "/assignment/accounts") => st.list_accounts.fetch_add(1, Relaxed),
        ("GET", "/assignment/roles") => st.list_roles.fetch_add(1, Relaxed),
        ("GET", "/federation/credentials") => st.get_credentials.fetch_add(1, Relaxed),
        ("POST", "/logout") => 0,
        _ => return error(404, "ResourceNotFoundException", "no such operation"),
    };
    if throttled {
        st.throttled.fetch_add(1, Relaxed);
        return error(429, "TooManyRequestsException", "Rate exceeded");
    }
    let accepted = st
        .accepted
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
        .unwrap_or_else(|| st.opts.token.clone());
    let authorized =
        !st.revoked.load(Relaxed) && req.header(BEARER_HEADER) == Some(accepted.as_str());
    if !authorized {
        st.unauthorized.fetch_add(1, Relaxed);
        return error(
            401,
            "UnauthorizedException",
            "Session token not found or invalid",
        );
    }
    let resp = match op {
        ("GET", "/assignment/accounts") => list_accounts(st, req),
        ("GET", "/assignment/roles") => list_roles(st, req),
        ("GET", "/federation/credentials") => credentials(st, req),
        _ => {
            st.revoked.store(true, Relaxed);
            Ok(Response {
                status: 200,
                headers: Vec::new(),
                body: Vec::new(),
            })
        }
    };
    let resp = resp.unwrap_or_else(|e| e);
    if resp.status == 200 {
        st.ok.fetch_add(1, Relaxed);
        if op.1 == "/assignment/roles" {
            st.list_roles_ok.fetch_add(1, Relaxed);
        }
    }
    resp
}

/// The next token of a portal that cycles between two pages.
fn alternate(start: usize) -> &'static str {
    if start == 0 { "page-1" } else { "page-0" }
}

fn list_accounts(st: &State, req: &Request) -> Result<Response, Response> {
    let (size, start) = (page_size(req)?, page_start(req)?);
    let (page, next) = paginate(&st.org.accounts, start, size);
    let list: Vec<_> = page
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let name = match st.opts.oversized_name() {
                Some(n) if i + start == 0 => "x".repeat(n),
                _ => a.account_name.clone(),
            };
            json!({"accountId": a.account_id, "accountName": name, "emailAddress": a.email_address})
        })
        .collect();
    let mut body = json!({"accountList": list});
    if st.opts.repeat_page_token() {
        body["nextToken"] = json!("page-0");
    } else if st.opts.alternate_page_tokens() {
        body["nextToken"] = json!(alternate(start));
    } else if let Some(n) = next {
        body["nextToken"] = json!(n);
    }
    Ok(Response::json(200, &body))
}

fn list_roles(st: &State, req: &Request) -> Result<Response, Response> {
    if let Some(s) = st.opts.roles_status() {
        return Err(error(s, "InvalidRequestException", "refused (test)"));
    }
    let (size, start) = (page_size(req)?, page_start(req)?);
    let id = req
        .param("account_id")
        .ok_or_else(|| error(400, "InvalidRequestException", "account_id is required"))?;
    if st.opts.refuses_roles_of(id) {
        return Err(error(
            400,
            "ValidationException",
            "1 validation error detected (test)",
        ));
    }
    let acct = st
        .org
        .find(id)
        .ok_or_else(|| error(404, "ResourceNotFoundException", "account not found"))?;
    let (page, next) = paginate(&acct.roles, start, size);
    let list: Vec<_> = page
        .iter()
        .map(|r| json!({"roleName": r, "accountId": acct.account_id}))
        .collect();
    let mut body = json!({"roleList": list});
    if st.opts.alternate_page_tokens() {
        body["nextToken"] = json!(alternate(start));
    } else if let Some(n) = next {
        body["nextToken"] = json!(n);
    }
    Ok(Response::json(200, &body))
}

/// Random-looking but unique values in the shape of real STS credentials.
fn credentials(st: &State, req: &Request) -> Result<Response, Response> {
    let (Some(role), Some(id)) = (req.param("role_name"), req.param("account_id")) else {
        return Err(error(
            400,
            "InvalidRequestException",
            "role_name and account_id are required",
        ));
    };
    if st.opts.refuses_roles_of(id) {
        return Err(error(
            400,
            "ValidationException",
            "1 validation error detected (test)",
        ));
    }
    let acct = st
        .org
        .find(id)
        .ok_or_else(|| error(404, "ResourceNotFoundException", "No access"))?;
    if !acct.roles.iter().any(|r| r == role) {
        return Err(error(403, "ForbiddenException", "No access"));
    }
    let n = st.issued.fetch_add(1, Relaxed);
    let seed =
        ssopick_core::sso::token::cache_key(&format!("{id}/{role}/{n}/{:?}", Instant::now()));
    let key_id = format!("ASIA{}", seed[..16].to_ascii_uppercase());
    let mut secret = format!(
        "{}{}",
        &seed[..20],
        ssopick_core::sso::token::cache_key(&seed)[..20].to_ascii_uppercase()
    );
    if st.opts.hostile_secrets() {
        secret = format!("it's \"q\" $HOME `x` \\n %PATH% !{secret}");
    }
    let mut session_token = format!(
        "IQoJb3JpZ2luX2VjE{}/{}+{}==",
        seed,
        id,
        seed.to_ascii_uppercase()
    );
    let mut key_id = key_id;
    if let Some([k, s, t]) = st.opts.fixed_credentials() {
        (key_id, secret, session_token) = (k.clone(), s.clone(), t.clone());
    }
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis() as i64;
    let expiration = now_ms + st.opts.credential_ttl.as_millis() as i64;
    st.issued_keys
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(key_id.clone());
    *st.last_issued
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(IssuedCredentials {
        account_id: id.to_string(),
        role: role.to_string(),
        access_key_id: key_id.clone(),
        secret_access_key: secret.clone(),
        session_token: session_token.clone(),
        expiration_ms: expiration,
    });
    Ok(Response::json(
        200,
        &json!({"roleCredentials": {
            "accessKeyId": key_id,
            "secretAccessKey": secret,
            "sessionToken": session_token,
            "expiration": expiration
        }}),
    ))
}
