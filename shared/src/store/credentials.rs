//! Credentials (T4): each admin key and each agent's API token is a random secret kept as a hash
//! in an item of its own, beside the tenant, with when it was last used (to the hour). Replacing
//! one is one put; revoking one is one delete; every auth path reads the item it needs, so a
//! revoked or replaced secret is refused at once.
//!
//! Admin keys are at most five per tenant: each holds one of the tenant's five admin-key places
//! (`domain::places`), taken in the transaction that creates it and given back by its revocation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::keys;
use super::places::{self, Claim, PlaceOf, Scope};
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::places::PlaceKind;

/// What a credential opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// A tenant admin key (its id is the key's own).
    Admin,
    /// An agent's API token (its id is the agent's).
    Agent,
}

/// A credential as stored: never the secret, only its hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credential {
    pub kind: CredentialKind,
    pub id: String,
    /// What the admin called it (an admin key); empty for an agent's token.
    #[serde(default)]
    pub name: String,
    pub hash: String,
    pub created_at: DateTime<Utc>,
    /// The hour it was last used, as `YYYY-MM-DDTHH` (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used: Option<String>,
    /// The admin-key place it holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<u16>,
}

/// The hour a use is recorded under: to the hour, so a credential used all day is written once
/// an hour at most.
pub fn use_hour(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H").to_string()
}

fn place_of(c: &Credential) -> Option<PlaceOf<'_>> {
    c.place.map(|number| PlaceOf { kind: PlaceKind::AdminKey, scope: Scope::Tenant, number, holder: &c.id })
}

impl Store {
    /// A credential, if it exists (revoked ones do not).
    pub async fn credential(
        &self,
        tenant_id: &str,
        kind: CredentialKind,
        id: &str,
    ) -> Result<Option<Credential>, StoreError> {
        self.get(keys::credential(tenant_id, kind, id), true).await
    }

    /// An admin key, new, in the admin-key place of `claim` (refused when it is held: the tenant
    /// has its five keys).
    pub async fn create_admin_key(
        &self,
        tenant_id: &str,
        key: &Credential,
        claim: &Claim<'_>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let mut tx: Transaction<bool> = Transaction::new();
        let record = item(keys::credential(tenant_id, key.kind, &key.id), key)?;
        tx.put(false, &self.table, record, Some(Condition::absent()));
        places::claim(&mut tx, true, &self.table, tenant_id, claim, now)?;
        match tx.commit(self).await {
            Ok(()) => Ok(true),
            Err(Failure::Refused(refused)) if refused.contains(&true) => Ok(false),
            Err(Failure::Refused(_)) | Err(Failure::Contended) => Err(StoreError::Conflict("admin key id collision")),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    /// Every admin key of the tenant.
    pub async fn admin_keys(&self, tenant_id: &str) -> Result<Vec<Credential>, StoreError> {
        let (pk, prefix) = keys::credentials_of(tenant_id, CredentialKind::Admin);
        self.query_prefix(pk, &prefix).await
    }

    /// Puts a credential whatever was there: an agent's token replaced (the old one is refused
    /// from this write on).
    pub async fn replace_credential(&self, tenant_id: &str, credential: &Credential) -> Result<(), StoreError> {
        self.put(item(keys::credential(tenant_id, credential.kind, &credential.id), credential)?, None).await?;
        Ok(())
    }

    /// Revokes a credential (its place given back); `false` when it did not exist.
    pub async fn revoke_credential(&self, tenant_id: &str, credential: &Credential) -> Result<bool, StoreError> {
        let mut tx: Transaction<()> = Transaction::new();
        tx.delete(
            (),
            &self.table,
            keys::credential(tenant_id, credential.kind, &credential.id),
            Some(Condition::present()),
        );
        if let Some(place) = place_of(credential) {
            places::release(&mut tx, (), &self.table, tenant_id, &place);
        }
        match tx.commit(self).await {
            Ok(()) => Ok(true),
            Err(Failure::Refused(_)) => Ok(false),
            Err(Failure::Contended) => Err(StoreError::Conflict("the credential is busy")),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    /// Records that the item at `key` (a credential, a session, a feed token), last used in hour
    /// `last_used` as read, was used now: nothing when that is this hour already, so one write an
    /// hour at most; the write conditional (racing requests write once), and never a failure for
    /// the request that used it.
    pub(crate) async fn touch(&self, key: keys::Key, last_used: Option<&str>, now: DateTime<Utc>) {
        let hour = use_hour(now);
        if last_used.is_some_and(|last| last >= hour.as_str()) {
            return;
        }
        let condition =
            Condition::new("attribute_exists(pk) AND (attribute_not_exists(last_used) OR last_used < :hour)")
                .value(":hour", keys::s(&hour));
        if let Err(err) = self.update_one(key, "SET last_used = :hour", condition).await {
            tracing::warn!(%err, "the last use of a credential was not recorded");
        }
    }

    /// See [`Store::touch`]: a credential's.
    pub async fn touch_credential(&self, tenant_id: &str, credential: &Credential, now: DateTime<Utc>) {
        self.touch(keys::credential(tenant_id, credential.kind, &credential.id), credential.last_used.as_deref(), now)
            .await
    }
}
