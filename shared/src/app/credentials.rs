//! Credentials (T4): a tenant's admin keys (up to five, named, each shown once and revoked at
//! once) and an agent's API token (reissued by the admin: the old one is refused from then on).

use thiserror::Error;

use super::places::Claims;
use super::Deps;
use crate::domain::places::PlaceKind;
use crate::secrets::{self, TokenKind};
use crate::store::{Credential, CredentialKind, Scope, StoreError};

#[derive(Debug, Error)]
pub enum CredentialError {
    #[error("a tenant has at most five admin keys; revoke one first")]
    TooMany,
    #[error("no such key")]
    NotFound,
    #[error("this is the tenant's last admin key; create another before revoking it")]
    Last,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new admin key: its record and the token to show once.
pub fn new_admin_key(tenant_id: &str, name: &str, now: chrono::DateTime<chrono::Utc>) -> (Credential, String) {
    let id = secrets::new_id();
    let issued = secrets::issue(TokenKind::Admin, tenant_id, &id);
    let key = Credential {
        kind: CredentialKind::Admin,
        id,
        name: name.to_string(),
        hash: issued.hash,
        created_at: now,
        last_used: None,
        place: Some(0),
    };
    (key, issued.token)
}

/// Creates an admin key in a free one of the tenant's five places.
pub async fn create_admin_key(
    deps: &Deps,
    tenant_id: &str,
    name: &str,
) -> Result<(Credential, String), CredentialError> {
    let now = deps.clock.now();
    let (mut key, token) = new_admin_key(tenant_id, name, now);
    let mut claims = Claims::new(tenant_id);
    claims.add_capped(PlaceKind::AdminKey, Scope::Tenant, PlaceKind::AdminKey.cap().unwrap_or(5), held_for_good());
    for _ in 0..4 {
        key.place = claims.place_of(PlaceKind::AdminKey);
        let claim = claims.claims(&key.id)[0];
        if deps.store.create_admin_key(tenant_id, &key, &claim, now).await? {
            return Ok((key, token));
        }
        if claims.repair(&deps.store, &[PlaceKind::AdminKey], now).await?.is_err() {
            return Err(CredentialError::TooMany);
        }
    }
    Err(CredentialError::TooMany)
}

/// An admin key holds its place until it is revoked: the last day of year 9999 (a date the
/// place's own arithmetic, a day past it, still holds).
fn held_for_good() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(253_402_214_400, 0).unwrap_or_default()
}

/// Revokes an admin key (the tenant's first key of before named keys is `id` = the tenant's id);
/// the last key standing is not revoked, so a tenant is never locked out of itself.
pub async fn revoke_admin_key(deps: &Deps, tenant_id: &str, id: &str) -> Result<(), CredentialError> {
    let (keys, tenant) = tokio::join!(deps.store.admin_keys(tenant_id), deps.store.tenant(tenant_id));
    let keys = keys?;
    let first_of_before = tenant?.map(|(_, hash)| !hash.is_empty()).unwrap_or(false);
    let standing = keys.len() + usize::from(first_of_before);
    if id == tenant_id && first_of_before {
        if standing <= 1 {
            return Err(CredentialError::Last);
        }
        deps.store.revoke_first_admin_key(tenant_id).await?;
        return Ok(());
    }
    let key = keys.iter().find(|k| k.id == id).ok_or(CredentialError::NotFound)?;
    if standing <= 1 {
        return Err(CredentialError::Last);
    }
    match deps.store.revoke_credential(tenant_id, key).await? {
        true => Ok(()),
        false => Err(CredentialError::NotFound),
    }
}

/// A new API token for an agent, replacing the old one at once; the token to show once.
pub async fn reissue_agent_token(deps: &Deps, tenant_id: &str, agent_id: &str) -> Result<String, StoreError> {
    let issued = secrets::issue(TokenKind::Agent, tenant_id, agent_id);
    let credential = agent_token(agent_id, issued.hash, deps.clock.now());
    deps.store.replace_credential(tenant_id, &credential).await?;
    Ok(issued.token)
}

/// Ends every console session of an agent (T4): those opened before now are refused from the
/// next request. `None` when there is no such agent.
pub async fn end_agent_sessions(deps: &Deps, tenant_id: &str, agent_id: &str) -> Result<Option<()>, StoreError> {
    loop {
        let Some((agent, token_hash)) = deps.store.agent(tenant_id, agent_id).await? else { return Ok(None) };
        let after = crate::domain::directory::Agent {
            sessions_after: Some(deps.clock.now()),
            version: agent.version + 1,
            ..agent.clone()
        };
        match deps.store.save_agent(tenant_id, &after, &agent, &token_hash).await {
            Ok(()) => return Ok(Some(())),
            Err(crate::store::DirectoryError::VersionConflict) => continue,
            Err(crate::store::DirectoryError::Store(err)) => return Err(err),
            Err(_) => return Err(StoreError::Conflict("the agent changed meanwhile")),
        }
    }
}

/// An agent's API token record.
pub fn agent_token(agent_id: &str, hash: String, now: chrono::DateTime<chrono::Utc>) -> Credential {
    Credential {
        kind: CredentialKind::Agent,
        id: agent_id.to_string(),
        name: String::new(),
        hash,
        created_at: now,
        last_used: None,
        place: None,
    }
}
