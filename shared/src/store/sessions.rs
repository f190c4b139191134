//! Guest sessions and sign-in challenges (G3): a session is the proof, for 30 days, that its
//! holder reads an email address; a sign-in challenge is the code on its way to that address.
//! Both expire by the time they carry, checked on every read; nothing has to delete them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::guests::{index_ending, Ending, IndexKind};
use super::keys;
use super::outbox::put_planned;
use super::places::{self, Claim};
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::identity::Challenge;
use crate::domain::notification::Planned;
use crate::domain::places::PlaceKind;

/// A guest session as stored: its address and its token's hash.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionRecord {
    pub id: String,
    pub email: String,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    /// Epoch seconds.
    pub expires_at: i64,
    /// The hour it was last used (`YYYY-MM-DDTHH`, T4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<String>,
    /// An agent's console session (AC1): the agent. A guest's session has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct SessionItem {
    #[serde(flatten)]
    session: SessionRecord,
}

/// A code sent to an address so its owner can sign in without booking.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignIn {
    pub id: String,
    pub email: String,
    pub challenge: Challenge,
    /// SHA-256 of the secret of the email's one-click link (G8).
    #[serde(default)]
    pub link_hash: String,
    /// An agent signing in to the console (AC1): the agent. A guest's sign-in has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct SignInItem {
    #[serde(flatten)]
    sign_in: SignIn,
    expires_at: i64,
}

pub(crate) fn put_session<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    tenant_id: &str,
    session: &SessionRecord,
) -> Result<(), StoreError> {
    let record = SessionItem { session: session.clone() };
    tx.put(purpose, table, item(keys::session(tenant_id, &session.id), &record)?, Some(Condition::absent()));
    // A guest's session is found from the address's index (T4, T7); an agent's is the agent's.
    if session.agent_id.is_some() {
        return Ok(());
    }
    let ending =
        Ending { email: &session.email, kind: IndexKind::Session, id: &session.id, expires_at: session.expires_at };
    index_ending(tx, purpose, table, tenant_id, &ending)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Purpose {
    Record,
    Place(PlaceKind),
    Outbox,
}

impl Store {
    /// A session, if it exists (expired or not: the caller judges).
    pub async fn session(&self, tenant_id: &str, id: &str) -> Result<Option<SessionRecord>, StoreError> {
        let found: Option<SessionItem> = self.get(keys::session(tenant_id, id), true).await?;
        Ok(found.map(|s| s.session))
    }

    /// See `Store::touch`: a session's last use.
    pub async fn touch_session(&self, tenant_id: &str, session: &SessionRecord, now: DateTime<Utc>) {
        self.touch(keys::session(tenant_id, &session.id), session.last_used.as_deref(), now).await
    }

    /// Signs a session out: it is gone for good.
    pub async fn revoke_session(&self, tenant_id: &str, id: &str) -> Result<(), StoreError> {
        self.delete(keys::session(tenant_id, id)).await
    }

    /// Writes a sign-in challenge with its email and its code places (the address's, the
    /// client's); refused with the kinds of the places that were taken.
    pub async fn start_sign_in(
        &self,
        tenant_id: &str,
        sign_in: &SignIn,
        places: &[Claim<'_>],
        outbox: &[Planned],
        now: DateTime<Utc>,
    ) -> Result<Result<(), Vec<PlaceKind>>, StoreError> {
        let mut tx = Transaction::new();
        let record = SignInItem { sign_in: sign_in.clone(), expires_at: sign_in.challenge.expires_at + 86_400 };
        tx.put(
            Purpose::Record,
            &self.table,
            item(keys::sign_in(tenant_id, &sign_in.id), &record)?,
            Some(Condition::absent()),
        );
        for place in places {
            places::claim(&mut tx, Purpose::Place(place.kind), &self.table, tenant_id, place, now)?;
        }
        for planned in outbox {
            put_planned(&mut tx, Purpose::Outbox, &self.table, planned)?;
        }
        if sign_in.agent_id.is_none() {
            let ending = Ending {
                email: &sign_in.email,
                kind: IndexKind::SignIn,
                id: &sign_in.id,
                expires_at: sign_in.challenge.expires_at,
            };
            index_ending(&mut tx, Purpose::Record, &self.table, tenant_id, &ending)?;
        }
        match tx.commit(self).await {
            Ok(()) => Ok(Ok(())),
            Err(Failure::Refused(refused)) => {
                let taken: Vec<PlaceKind> =
                    refused.iter().filter_map(|p| if let Purpose::Place(k) = p { Some(*k) } else { None }).collect();
                if taken.is_empty() {
                    Err(StoreError::Conflict("sign-in id collision"))
                } else {
                    Ok(Err(taken))
                }
            }
            Err(Failure::Contended) => Ok(Err(Vec::new())),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    pub async fn sign_in(&self, tenant_id: &str, id: &str) -> Result<Option<SignIn>, StoreError> {
        let found: Option<SignInItem> = self.get(keys::sign_in(tenant_id, id), true).await?;
        Ok(found.map(|s| s.sign_in))
    }

    /// Takes one try of a sign-in's code, before the code is compared (see `store::challenges`):
    /// the tries taken before it, or `None` when it is used up or has no tries left.
    pub async fn take_sign_in_try(&self, tenant_id: &str, sign_in: &SignIn) -> Result<Option<u32>, StoreError> {
        self.take_try(keys::sign_in(tenant_id, &sign_in.id), Condition::new("attribute_exists(challenge)")).await
    }

    /// Uses a sign-in up and opens its session, in one transaction: a code signs in once.
    pub async fn finish_sign_in(
        &self,
        tenant_id: &str,
        sign_in: &SignIn,
        session: &SessionRecord,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx = Transaction::new();
        // Deleting it is what makes a code sign in once; its tries were counted before.
        let unused = Condition::new("attribute_exists(pk) AND challenge.expires_at > :now")
            .value(":now", keys::n(now.timestamp()));
        tx.delete(Purpose::Record, &self.table, keys::sign_in(tenant_id, &sign_in.id), Some(unused));
        put_session(&mut tx, Purpose::Record, &self.table, tenant_id, session)?;
        match tx.commit(self).await {
            Ok(()) => Ok(true),
            Err(Failure::Refused(_)) | Err(Failure::Contended) => Ok(false),
            Err(Failure::Store(err)) => Err(err),
        }
    }
}
