//! Tenants, PBXs, agents, their calendar-feed tokens and public slugs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::credentials::{Credential, CredentialKind};
use super::keys;
use super::places::Claim;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::directory::{Agent, BookingPage, Pbx, Tenant};

/// Refusals of directory writes, each a distinct problem for the caller.
#[derive(Debug, Error)]
pub enum DirectoryError {
    #[error("that booking slug is already in use")]
    SlugTaken,
    #[error("no such PBX in this tenant")]
    UnknownPbx,
    #[error("the record changed since it was read; read it again and retry")]
    VersionConflict,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Serialize, Deserialize)]
struct TenantItem {
    #[serde(flatten)]
    tenant: Tenant,
    /// The first key of a tenant made before named admin keys (T4); empty for every later tenant,
    /// whose keys are credentials of their own.
    #[serde(default)]
    admin_key_hash: String,
}

#[derive(Serialize, Deserialize)]
struct AgentItem {
    #[serde(flatten)]
    agent: Agent,
    /// The API token of an agent made before tokens were credentials of their own (T4); empty
    /// for every later agent, and once the token is reissued.
    #[serde(default)]
    token_hash: String,
}

/// An agent an address leads to (AC1), as its row in `keys::agent_email` holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentByEmail {
    pub tenant_id: String,
    pub agent_id: String,
}

#[derive(Serialize, Deserialize)]
struct CalendarFeedTokenItem {
    token_hash: String,
    /// The hour it was last used (`Store::touch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    last_used: Option<String>,
}

/// An agent's calendar-feed token as stored: its hash and the hour it was last used.
pub struct FeedToken {
    pub hash: String,
    pub last_used: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Record,
    Pbx,
    NewSlug,
    OldSlug,
}

impl Store {
    /// A new tenant with its first admin key (in the first of its admin-key places).
    pub async fn create_tenant(
        &self,
        tenant: &Tenant,
        first_key: &Credential,
        place: &Claim<'_>,
    ) -> Result<(), StoreError> {
        let record = TenantItem { tenant: tenant.clone(), admin_key_hash: String::new() };
        let mut tx: Transaction<()> = Transaction::new();
        tx.put((), &self.table, item(keys::tenant(&tenant.id), &record)?, Some(Condition::absent()));
        let key = keys::credential(&tenant.id, first_key.kind, &first_key.id);
        tx.put((), &self.table, item(key, first_key)?, Some(Condition::absent()));
        super::places::claim(&mut tx, (), &self.table, &tenant.id, place, tenant.created_at)?;
        tx.commit(self).await.map_err(|failure| match failure {
            Failure::Store(err) => err,
            Failure::Refused(_) | Failure::Contended => StoreError::Conflict("tenant id collision"),
        })
    }

    /// Revokes the first key of a tenant made before named admin keys.
    pub async fn revoke_first_admin_key(&self, tenant_id: &str) -> Result<(), StoreError> {
        let condition = Condition::new("attribute_exists(pk)").value(":none", keys::s(""));
        self.update_one(keys::tenant(tenant_id), "SET admin_key_hash = :none", condition).await?;
        Ok(())
    }

    /// The tenant as read at most a minute ago by this process (its bound on bookings a minute).
    pub async fn tenant_recent(&self, tenant_id: &str) -> Result<Option<std::sync::Arc<Tenant>>, StoreError> {
        if let Some(seen) = self.tenants_seen.get(tenant_id) {
            return Ok(Some(seen));
        }
        let found: Option<TenantItem> = self.get(keys::tenant(tenant_id), false).await?;
        Ok(found.map(|t| {
            let tenant = std::sync::Arc::new(t.tenant);
            self.tenants_seen.put(tenant_id, tenant.clone());
            tenant
        }))
    }

    /// Changes the tenant settings that were sent, and only those (a concurrent change of the
    /// other one stands): its retention (`Some(None)` keeps everything), its guests' default
    /// language.
    pub async fn save_tenant_settings(
        &self,
        tenant_id: &str,
        retention_days: Option<Option<u16>>,
        default_language: Option<crate::i18n::Lang>,
    ) -> Result<(), StoreError> {
        self.tenants_seen.forget(tenant_id);
        let mut condition = Condition::new("attribute_exists(pk)");
        let mut sets = Vec::new();
        if let Some(days) = retention_days {
            condition = condition.value(":days", serde_dynamo::to_attribute_value(days)?);
            sets.push("retention_days = :days");
        }
        if let Some(language) = default_language {
            condition = condition.value(":language", serde_dynamo::to_attribute_value(language)?);
            sets.push("default_language = :language");
        }
        if sets.is_empty() {
            return Ok(());
        }
        self.update_one(keys::tenant(tenant_id), &format!("SET {}", sets.join(", ")), condition).await?;
        Ok(())
    }

    /// The tenant and the hash of its first admin key of before named keys (empty if none).
    pub async fn tenant(&self, tenant_id: &str) -> Result<Option<(Tenant, String)>, StoreError> {
        let found: Option<TenantItem> = self.get(keys::tenant(tenant_id), true).await?;
        Ok(found.map(|t| (t.tenant, t.admin_key_hash)))
    }

    pub async fn create_pbx(&self, tenant_id: &str, pbx: &Pbx) -> Result<(), StoreError> {
        let written = self.put(item(keys::pbx(tenant_id, &pbx.id), pbx)?, Some(Condition::absent())).await?;
        written.then_some(()).ok_or(StoreError::Conflict("pbx id collision"))
    }

    pub async fn pbxs(&self, tenant_id: &str) -> Result<Vec<Pbx>, StoreError> {
        self.query_prefix(keys::tenant_partition(tenant_id), keys::PBX_PREFIX).await
    }

    /// Removes a PBX, only while nothing belongs to it (its count of agents and services is
    /// zero, or was never kept: the caller has checked that none names it); `false` otherwise.
    pub async fn delete_pbx(&self, tenant_id: &str, pbx_id: &str) -> Result<bool, StoreError> {
        let empty = Condition::new("attribute_exists(pk) AND (attribute_not_exists(refs) OR refs = :zero)")
            .value(":zero", keys::n(0));
        let mut tx: Transaction<()> = Transaction::new();
        tx.delete((), &self.table, keys::pbx(tenant_id, pbx_id), Some(empty));
        match tx.commit(self).await {
            Ok(()) => Ok(true),
            Err(Failure::Refused(_)) | Err(Failure::Contended) => Ok(false),
            Err(Failure::Store(err)) => Err(err),
        }
    }

    /// The API tokens of the tenant's agents (when each was last used).
    pub async fn agent_tokens(&self, tenant_id: &str) -> Result<Vec<Credential>, StoreError> {
        let (pk, prefix) = keys::credentials_of(tenant_id, super::credentials::CredentialKind::Agent);
        self.query_prefix(pk, &prefix).await
    }

    /// Creates the agent with its API token and claims its public slug in one transaction; the
    /// PBX must exist.
    pub async fn create_agent(&self, tenant_id: &str, agent: &Agent, token: &Credential) -> Result<(), DirectoryError> {
        let record = AgentItem { agent: agent.clone(), token_hash: String::new() };
        let page = BookingPage::for_agent(tenant_id, agent);
        let mut tx = Transaction::new();
        count_on_pbx(&mut tx, Purpose::Pbx, &self.table, tenant_id, &agent.pbx_id, 1);
        tx.put(
            Purpose::Record,
            &self.table,
            item(keys::agent(tenant_id, &agent.id), &record)?,
            Some(Condition::absent()),
        );
        tx.put(Purpose::NewSlug, &self.table, item(keys::slug(&agent.slug), &page)?, Some(Condition::absent()));
        let credential = item(keys::credential(tenant_id, token.kind, &token.id), token)?;
        tx.put(Purpose::Record, &self.table, credential, Some(Condition::absent()));
        let by_email = AgentByEmail { tenant_id: tenant_id.into(), agent_id: agent.id.clone() };
        tx.put(
            Purpose::Record,
            &self.table,
            item(keys::agent_email(&agent.email, tenant_id, &agent.id), &by_email)?,
            None,
        );
        tx.commit(self).await.map_err(directory_failure)
    }

    /// The agents an address leads to (AC1), at most `limit`.
    pub async fn agents_by_email(&self, email: &str, limit: usize) -> Result<Vec<AgentByEmail>, StoreError> {
        let items = self.query_page(keys::agent_emails(email), keys::every_sort_key(), false, limit).await?;
        items.into_iter().map(|i| serde_dynamo::from_item(i).map_err(StoreError::from)).collect()
    }

    /// The agent and the hash of its API token of before tokens were credentials (empty if none).
    pub async fn agent(&self, tenant_id: &str, agent_id: &str) -> Result<Option<(Agent, String)>, StoreError> {
        let found: Option<AgentItem> = self.get(keys::agent(tenant_id, agent_id), true).await?;
        Ok(found.map(|a| (a.agent, a.token_hash)))
    }

    /// An agent, the token hash it carries from before credentials, and its token's credential:
    /// one request (the two items read together), as every agent call starts with it.
    pub async fn agent_with_credential(
        &self,
        tenant_id: &str,
        agent_id: &str,
    ) -> Result<Option<(Agent, String, Option<Credential>)>, StoreError> {
        let wanted =
            vec![keys::agent(tenant_id, agent_id), keys::credential(tenant_id, CredentialKind::Agent, agent_id)];
        let (_, credential_prefix) = keys::credentials_of(tenant_id, CredentialKind::Agent);
        let corrupt = |err: serde_json::Error| StoreError::Corrupt(err.to_string());
        let (mut agent, mut credential) = (None, None);
        for found in self.batch_get::<serde_json::Value>(wanted).await? {
            let is_credential = found["sk"].as_str().is_some_and(|sk| sk.starts_with(&credential_prefix));
            match is_credential {
                true => credential = Some(serde_json::from_value::<Credential>(found).map_err(corrupt)?),
                false => agent = Some(serde_json::from_value::<AgentItem>(found).map_err(corrupt)?),
            }
        }
        Ok(agent.map(|a| (a.agent, a.token_hash, credential)))
    }

    /// The agents with these ids that exist (a service's hosts): one batch read per hundred.
    pub async fn agents_by_id(&self, tenant_id: &str, ids: &[&str]) -> Result<Vec<Agent>, StoreError> {
        let wanted = ids.iter().map(|id| keys::agent(tenant_id, id)).collect();
        Ok(self.batch_get::<AgentItem>(wanted).await?.into_iter().map(|a| a.agent).collect())
    }

    pub async fn agents(&self, tenant_id: &str) -> Result<Vec<Agent>, StoreError> {
        let items: Vec<AgentItem> = self.query_prefix(keys::tenant_partition(tenant_id), keys::AGENT_PREFIX).await?;
        Ok(items.into_iter().map(|a| a.agent).collect())
    }

    /// Writes a changed agent (its `version` already advanced past `previous.version`) and
    /// refreshes the booking page snapshot under its slug, moving the slug if it changed.
    pub async fn save_agent(
        &self,
        tenant_id: &str,
        agent: &Agent,
        previous: &Agent,
        token_hash: &str,
    ) -> Result<(), DirectoryError> {
        // One slug, one item: the agent's own and its links' slugs must all differ (a transaction
        // may not touch an item twice, and two pages cannot share an address).
        let mut slugs: Vec<&str> = agent.links.iter().map(|l| l.slug.as_str()).chain([agent.slug.as_str()]).collect();
        slugs.sort_unstable();
        if slugs.windows(2).any(|pair| pair[0] == pair[1]) {
            return Err(DirectoryError::SlugTaken);
        }
        let record = AgentItem { agent: agent.clone(), token_hash: token_hash.to_string() };
        let owned_by_agent = || {
            Condition::new("agent_id = :agent AND tenant_id = :tenant")
                .value(":agent", keys::s(&agent.id))
                .value(":tenant", keys::s(tenant_id))
        };
        let page = BookingPage::for_agent(tenant_id, agent);
        let mut tx = Transaction::new();
        tx.put(
            Purpose::Record,
            &self.table,
            item(keys::agent(tenant_id, &agent.id), &record)?,
            Some(Condition::new("version = :version").value(":version", keys::n(previous.version))),
        );
        if agent.pbx_id != previous.pbx_id {
            count_on_pbx(&mut tx, Purpose::Pbx, &self.table, tenant_id, &agent.pbx_id, 1);
            count_on_pbx(&mut tx, Purpose::Record, &self.table, tenant_id, &previous.pbx_id, -1);
        }
        if agent.slug != previous.slug {
            tx.delete(Purpose::OldSlug, &self.table, keys::slug(&previous.slug), Some(owned_by_agent()));
            tx.put(Purpose::NewSlug, &self.table, item(keys::slug(&agent.slug), &page)?, Some(Condition::absent()));
        } else {
            tx.put(Purpose::OldSlug, &self.table, item(keys::slug(&agent.slug), &page)?, Some(owned_by_agent()));
        }
        // Every booking link's page is a snapshot of the agent too: refresh them all, claim new
        // ones, release removed ones.
        for link in &agent.links {
            let page = item(keys::slug(&link.slug), &BookingPage::for_link(tenant_id, agent, link))?;
            if previous.links.iter().any(|l| l.slug == link.slug) {
                tx.put(Purpose::OldSlug, &self.table, page, Some(owned_by_agent()));
            } else {
                tx.put(Purpose::NewSlug, &self.table, page, Some(Condition::absent()));
            }
        }
        for gone in previous.links.iter().filter(|l| !agent.links.iter().any(|k| k.slug == l.slug)) {
            tx.delete(Purpose::OldSlug, &self.table, keys::slug(&gone.slug), Some(owned_by_agent()));
        }
        // Where the address leads (written again on every save, so an agent of before has it too).
        let by_email = AgentByEmail { tenant_id: tenant_id.into(), agent_id: agent.id.clone() };
        tx.put(
            Purpose::Record,
            &self.table,
            item(keys::agent_email(&agent.email, tenant_id, &agent.id), &by_email)?,
            None,
        );
        if !agent.email.eq_ignore_ascii_case(&previous.email) {
            tx.delete(Purpose::Record, &self.table, keys::agent_email(&previous.email, tenant_id, &agent.id), None);
        }
        tx.commit(self).await.map_err(directory_failure)
    }

    /// Issues (replacing any earlier one) or, with `None`, revokes the hash of the agent's
    /// calendar-feed token.
    pub async fn set_calendar_feed_token(
        &self,
        tenant_id: &str,
        agent_id: &str,
        hash: Option<&str>,
    ) -> Result<(), StoreError> {
        let key = keys::calendar_feed_token(tenant_id, agent_id);
        match hash {
            Some(hash) => {
                let record = CalendarFeedTokenItem { token_hash: hash.to_string(), last_used: None };
                self.put(item(key, &record)?, None).await.map(|_| ())
            }
            None => self.delete(key).await,
        }
    }

    /// See `Store::touch`: the calendar-feed token's last use.
    pub async fn touch_calendar_feed_token(
        &self,
        tenant_id: &str,
        agent_id: &str,
        token: &FeedToken,
        now: DateTime<Utc>,
    ) {
        self.touch(keys::calendar_feed_token(tenant_id, agent_id), token.last_used.as_deref(), now).await
    }

    /// The agent's calendar-feed token, if one is issued.
    pub async fn calendar_feed_token(&self, tenant_id: &str, agent_id: &str) -> Result<Option<FeedToken>, StoreError> {
        let found: Option<CalendarFeedTokenItem> =
            self.get(keys::calendar_feed_token(tenant_id, agent_id), true).await?;
        Ok(found.map(|f| FeedToken { hash: f.token_hash, last_used: f.last_used }))
    }
}

/// What belongs to a PBX (its agents and services) is counted on it (T6: a PBX is removed only
/// when nothing belongs to it), in the transaction that adds or takes away; the PBX must exist.
pub(crate) fn count_on_pbx<P: Copy>(
    tx: &mut Transaction<P>,
    purpose: P,
    table: &str,
    tenant_id: &str,
    pbx_id: &str,
    by: i64,
) {
    let condition = Condition::new("attribute_exists(pk)").value(":zero", keys::n(0)).value(":by", keys::n(by));
    tx.update(purpose, table, keys::pbx(tenant_id, pbx_id), "SET refs = if_not_exists(refs, :zero) + :by", condition);
}

fn directory_failure(failure: Failure<Purpose>) -> DirectoryError {
    match failure {
        Failure::Refused(purposes) if purposes.contains(&Purpose::NewSlug) => DirectoryError::SlugTaken,
        Failure::Refused(purposes) if purposes.contains(&Purpose::Pbx) => DirectoryError::UnknownPbx,
        Failure::Refused(_) | Failure::Contended => DirectoryError::VersionConflict,
        Failure::Store(err) => DirectoryError::Store(err),
    }
}
