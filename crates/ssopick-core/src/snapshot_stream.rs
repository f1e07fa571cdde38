//! A snapshot's JSON read in pieces, so the picker never waits for a whole
//! large file: its head (format, start URL, age, completeness and counts:
//! what a command needs to decide) without touching the accounts, and its
//! accounts in chunks handed on as they parse. The writer puts the head
//! first (`Stored`); a file that does not is read whole instead. Pure.

use crate::catalog::{Account, AccountRoles, Catalog, SNAPSHOT_VERSION};
use crate::time::UtcTime;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The snapshot as written: the head, with the counts, before the accounts.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Stored<'a> {
    version: u32,
    session: &'a str,
    start_url: &'a str,
    region: &'a str,
    taken_at: UtcTime,
    complete: bool,
    account_count: usize,
    role_count: usize,
    accounts: &'a [AccountRoles],
}

impl<'a> Stored<'a> {
    pub fn of(c: &'a Catalog) -> Stored<'a> {
        Stored {
            version: c.version,
            session: &c.session,
            start_url: &c.start_url,
            region: &c.region,
            taken_at: c.taken_at,
            complete: c.complete,
            account_count: c.accounts.len(),
            role_count: c.role_count(),
            accounts: &c.accounts,
        }
    }
}

/// What a snapshot says of itself before its accounts. The counts are the
/// writer's (untrusted: they only decide whether a picker opens and what
/// its loading line says); `None` in a file from before they were written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub session: String,
    pub start_url: String,
    pub region: String,
    pub taken_at: UtcTime,
    pub complete: bool,
    pub accounts: Option<usize>,
    pub roles: Option<usize>,
}

impl Head {
    /// The head of a catalog already read whole.
    pub fn of(c: &Catalog) -> Head {
        Head {
            session: c.session.clone(),
            start_url: c.start_url.clone(),
            region: c.region.clone(),
            taken_at: c.taken_at,
            complete: c.complete,
            accounts: Some(c.accounts.len()),
            roles: Some(c.role_count()),
        }
    }
}

/// Why a snapshot could not be streamed.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum StreamError {
    #[error("the snapshot is damaged: {0}")]
    Damaged(String),
    #[error("the snapshot is of another format or start URL")]
    NotOurs,
    /// The receiver went away (the picker closed).
    #[error("stopped")]
    Stopped,
}

/// Role names, one allocation each however many accounts have them (a
/// catalog of 100,000 rows has a few dozen distinct role names).
#[derive(Debug, Default)]
pub struct RoleNames(std::collections::HashSet<Arc<str>>);

impl RoleNames {
    pub fn share(&mut self, roles: Vec<String>) -> Vec<Arc<str>> {
        let mut out = Vec::with_capacity(roles.len());
        for r in roles {
            if let Some(shared) = self.0.get(r.as_str()) {
                out.push(Arc::clone(shared));
            } else {
                let shared: Arc<str> = Arc::from(r);
                self.0.insert(Arc::clone(&shared));
                out.push(shared);
            }
        }
        out
    }

    /// `a` with its role names shared.
    pub fn share_account(&mut self, a: AccountRoles) -> Shared {
        Shared {
            account: a.account,
            roles: a.roles.map(|r| self.share(r)),
        }
    }
}

/// An account with its role names shared (`RoleNames`): how the picker
/// holds them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shared {
    pub account: Account,
    pub roles: Option<Vec<Arc<str>>>,
}

/// What a snapshot being read sends: its accounts, chunk by chunk (their
/// role names shared on the reading thread, whose memory the role names
/// of each chunk go back to), then how the reading ended.
#[derive(Debug)]
pub enum Loaded {
    Accounts(Vec<Shared>),
    End(Result<(), StreamError>),
}

const STOP: &str = "\u{0}stop";
const NOT_OURS: &str = "\u{0}not ours";

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "camelCase")]
enum Field {
    Version,
    Session,
    StartUrl,
    Region,
    TakenAt,
    Complete,
    AccountCount,
    RoleCount,
    Accounts,
    #[serde(other)]
    Other,
}

#[derive(Default)]
struct Fields {
    version: Option<u32>,
    session: Option<String>,
    start_url: Option<String>,
    region: Option<String>,
    taken_at: Option<UtcTime>,
    complete: Option<bool>,
    accounts: Option<usize>,
    roles: Option<usize>,
}

impl Fields {
    /// The head, once every field of it has been read and the format is ours.
    fn head(&self) -> Option<Head> {
        (self.version? == SNAPSHOT_VERSION).then_some(())?;
        Some(Head {
            session: self.session.clone()?,
            start_url: self.start_url.clone()?,
            region: self.region.clone()?,
            taken_at: self.taken_at?,
            complete: self.complete?,
            accounts: self.accounts,
            roles: self.roles,
        })
    }
}

/// Chunk sizes: the first small (the first frame needs one screenful),
/// the others large (each hand-over costs the picker a rebuild).
#[derive(Clone, Copy, Debug)]
pub struct Chunks {
    pub first: usize,
    pub rest: usize,
}

impl Default for Chunks {
    fn default() -> Self {
        Chunks {
            first: 100,
            rest: 4096,
        }
    }
}

type Sink<'s> = &'s mut dyn FnMut(Vec<AccountRoles>) -> bool;

struct Reader<'s> {
    fields: Fields,
    /// `None`: the head only.
    stream: Option<(&'s str, Chunks, Sink<'s>)>,
}

impl<'de> Visitor<'de> for &mut Reader<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a snapshot object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<Field>()? {
            let f = &mut self.fields;
            match key {
                Field::Version => f.version = Some(map.next_value()?),
                Field::Session => f.session = Some(map.next_value()?),
                Field::StartUrl => f.start_url = Some(map.next_value()?),
                Field::Region => f.region = Some(map.next_value()?),
                Field::TakenAt => f.taken_at = Some(map.next_value()?),
                Field::Complete => f.complete = Some(map.next_value()?),
                Field::AccountCount => f.accounts = Some(map.next_value()?),
                Field::RoleCount => f.roles = Some(map.next_value()?),
                Field::Accounts => {
                    let Some((url, chunks, sink)) = self.stream.as_mut() else {
                        return Err(de::Error::custom(STOP));
                    };
                    let ours = f.head().is_some_and(|h| h.start_url == *url);
                    if !ours {
                        return Err(de::Error::custom(NOT_OURS));
                    }
                    map.next_value_seed(Accounts {
                        chunks: *chunks,
                        sink: &mut **sink,
                    })?;
                }
                Field::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct Accounts<'s> {
    chunks: Chunks,
    sink: Sink<'s>,
}

impl<'de> DeserializeSeed<'de> for Accounts<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Accounts<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of accounts")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut size = self.chunks.first.max(1);
        let mut chunk = Vec::with_capacity(size);
        while let Some(a) = seq.next_element::<AccountRoles>()? {
            // The file may not be ours: each account is checked as the
            // portal's are.
            if let Some(a) = a.into_valid() {
                chunk.push(a);
            }
            if chunk.len() >= size {
                size = self.chunks.rest.max(1);
                if !(self.sink)(std::mem::replace(&mut chunk, Vec::with_capacity(size))) {
                    return Err(de::Error::custom(STOP));
                }
            }
        }
        if !chunk.is_empty() && !(self.sink)(chunk) {
            return Err(de::Error::custom(STOP));
        }
        Ok(())
    }
}

/// The head of a snapshot from the first bytes of its file (the head comes
/// before the accounts). `None`: not a snapshot of ours, or one whose head
/// is not first; the caller reads it whole.
pub fn head(prefix: &[u8]) -> Option<Head> {
    let mut r = Reader {
        fields: Fields::default(),
        stream: None,
    };
    let mut de = serde_json::Deserializer::from_slice(prefix);
    // Reading stops at the accounts (an error by design) or ends early.
    let _ = de.deserialize_map(&mut r);
    r.fields.head()
}

/// Reads a whole snapshot from `bytes` (a file, buffered), handing its accounts to `sink` in chunks as they
/// parse (`sink` returns false to stop). The head is checked (format, the
/// start URL `url`) before any account is handed on; a damaged file may
/// have handed on some accounts before the error.
pub fn stream(
    bytes: impl std::io::Read,
    url: &str,
    chunks: Chunks,
    sink: &mut dyn FnMut(Vec<AccountRoles>) -> bool,
) -> Result<Head, StreamError> {
    let mut r = Reader {
        fields: Fields::default(),
        stream: Some((url, chunks, sink)),
    };
    // Read as it parses: the file is never held whole.
    let mut de = serde_json::Deserializer::from_reader(bytes);
    let read = de.deserialize_map(&mut r).and_then(|()| de.end());
    match read {
        Ok(()) => r.fields.head().ok_or(StreamError::NotOurs),
        Err(e) if e.to_string().starts_with(STOP) => Err(StreamError::Stopped),
        Err(e) if e.to_string().starts_with(NOT_OURS) => Err(StreamError::NotOurs),
        Err(e) => Err(StreamError::Damaged(e.to_string())),
    }
}

#[cfg(test)]
mod tests;
