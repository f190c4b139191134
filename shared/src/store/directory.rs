//! Tenants, PBXs, agents, their calendar-feed tokens and public slugs.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::keys;
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
    admin_key_hash: String,
}

#[derive(Serialize, Deserialize)]
struct AgentItem {
    #[serde(flatten)]
    agent: Agent,
    token_hash: String,
}

#[derive(Serialize, Deserialize)]
struct CalendarFeedTokenItem {
    token_hash: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Record,
    Pbx,
    NewSlug,
    OldSlug,
}

impl Store {
    pub async fn create_tenant(&self, tenant: &Tenant, admin_key_hash: &str) -> Result<(), StoreError> {
        let record = TenantItem { tenant: tenant.clone(), admin_key_hash: admin_key_hash.to_string() };
        let written = self.put(item(keys::tenant(&tenant.id), &record)?, Some(Condition::absent())).await?;
        written.then_some(()).ok_or(StoreError::Conflict("tenant id collision"))
    }

    /// The tenant and its admin key hash.
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

    /// Creates the agent and claims its public slug in one transaction; the PBX must exist.
    pub async fn create_agent(&self, tenant_id: &str, agent: &Agent, token_hash: &str) -> Result<(), DirectoryError> {
        let record = AgentItem { agent: agent.clone(), token_hash: token_hash.to_string() };
        let page = BookingPage::for_agent(tenant_id, agent);
        let mut tx = Transaction::new();
        tx.check(Purpose::Pbx, &self.table, keys::pbx(tenant_id, &agent.pbx_id), Condition::present());
        tx.put(
            Purpose::Record,
            &self.table,
            item(keys::agent(tenant_id, &agent.id), &record)?,
            Some(Condition::absent()),
        );
        tx.put(Purpose::NewSlug, &self.table, item(keys::slug(&agent.slug), &page)?, Some(Condition::absent()));
        tx.commit(self).await.map_err(directory_failure)
    }

    /// The agent and its token hash.
    pub async fn agent(&self, tenant_id: &str, agent_id: &str) -> Result<Option<(Agent, String)>, StoreError> {
        let found: Option<AgentItem> = self.get(keys::agent(tenant_id, agent_id), true).await?;
        Ok(found.map(|a| (a.agent, a.token_hash)))
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
            tx.check(Purpose::Pbx, &self.table, keys::pbx(tenant_id, &agent.pbx_id), Condition::present());
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
                let record = CalendarFeedTokenItem { token_hash: hash.to_string() };
                self.put(item(key, &record)?, None).await.map(|_| ())
            }
            None => self.delete(key).await,
        }
    }

    /// The hash of the agent's calendar-feed token, if one is issued.
    pub async fn calendar_feed_token(&self, tenant_id: &str, agent_id: &str) -> Result<Option<String>, StoreError> {
        let found: Option<CalendarFeedTokenItem> =
            self.get(keys::calendar_feed_token(tenant_id, agent_id), true).await?;
        Ok(found.map(|f| f.token_hash))
    }

    /// The booking page a public slug opens; `consistent` for a booking, eventual for browsing.
    pub async fn booking_page(&self, slug: &str, consistent: bool) -> Result<Option<BookingPage>, StoreError> {
        self.get(keys::slug(slug), consistent).await
    }
}

fn directory_failure(failure: Failure<Purpose>) -> DirectoryError {
    match failure {
        Failure::Refused(purposes) if purposes.contains(&Purpose::NewSlug) => DirectoryError::SlugTaken,
        Failure::Refused(purposes) if purposes.contains(&Purpose::Pbx) => DirectoryError::UnknownPbx,
        Failure::Refused(_) | Failure::Contended => DirectoryError::VersionConflict,
        Failure::Store(err) => DirectoryError::Store(err),
    }
}
