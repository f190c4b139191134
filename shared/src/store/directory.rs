//! Tenants, PBXs, agents and public slugs.

use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::keys::{self, Key};
use super::transaction::{item, key_map, Condition, Failure, Item, Transaction};
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

/// Which sort keys of a partition a query reads.
pub(crate) enum SortKeys<'a> {
    Prefix(&'a str),
    /// Inclusive bounds.
    Between(String, String),
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
    pub(crate) async fn get<T: DeserializeOwned>(&self, key: Key, consistent: bool) -> Result<Option<T>, StoreError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_map(key)))
            .consistent_read(consistent)
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        self.metrics.record(out.consumed_capacity());
        match out.item {
            Some(item) => Ok(Some(serde_dynamo::from_item(item)?)),
            None => Ok(None),
        }
    }

    /// Writes one item with a plain PutItem (half a transaction's write units); `false` when
    /// `condition` was not met.
    pub(crate) async fn put(&self, item: Item, condition: Option<Condition>) -> Result<bool, StoreError> {
        let mut put = self
            .client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .return_consumed_capacity(ReturnConsumedCapacity::Total);
        if let Some(c) = &condition {
            put = put
                .condition_expression(&c.expression)
                .set_expression_attribute_names(c.names_map())
                .set_expression_attribute_values(c.values_map());
        }
        match put.send().await {
            Ok(out) => {
                self.metrics.record(out.consumed_capacity());
                Ok(true)
            }
            Err(SdkError::ServiceError(e)) if matches!(e.err(), PutItemError::ConditionalCheckFailedException(_)) => {
                self.metrics.record(None);
                Ok(false)
            }
            Err(e) => Err(StoreError::from_sdk(e)),
        }
    }

    /// Every item of a partition whose sort key starts with `prefix`, all pages.
    pub(crate) async fn query_prefix<T: DeserializeOwned>(
        &self,
        pk: String,
        prefix: &str,
    ) -> Result<Vec<T>, StoreError> {
        self.query(pk, SortKeys::Prefix(prefix)).await
    }

    /// Every item of a partition whose sort key matches `sort_keys`, all pages, strongly consistent.
    pub(crate) async fn query<T: DeserializeOwned>(
        &self,
        pk: String,
        sort_keys: SortKeys<'_>,
    ) -> Result<Vec<T>, StoreError> {
        let (condition, low, high) = match sort_keys {
            SortKeys::Prefix(prefix) => ("pk = :pk AND begins_with(sk, :low)", prefix.to_string(), None),
            SortKeys::Between(low, high) => ("pk = :pk AND sk BETWEEN :low AND :high", low, Some(high)),
        };
        let mut found = Vec::new();
        let mut start = None;
        loop {
            let out = self
                .client
                .query()
                .table_name(&self.table)
                .key_condition_expression(condition)
                .expression_attribute_values(":pk", keys::s(pk.clone()))
                .expression_attribute_values(":low", keys::s(low.clone()))
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .return_consumed_capacity(ReturnConsumedCapacity::Total);
            let out = match &high {
                Some(high) => out.expression_attribute_values(":high", keys::s(high.clone())),
                None => out,
            };
            let out = out.send().await.map_err(StoreError::from_sdk)?;
            self.metrics.record(out.consumed_capacity());
            for item in out.items.unwrap_or_default() {
                found.push(serde_dynamo::from_item(item)?);
            }
            start = out.last_evaluated_key;
            if start.is_none() {
                return Ok(found);
            }
        }
    }

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

    pub(crate) async fn delete(&self, key: Key) -> Result<(), StoreError> {
        let out = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_map(key)))
            .return_consumed_capacity(ReturnConsumedCapacity::Total)
            .send()
            .await
            .map_err(StoreError::from_sdk)?;
        self.metrics.record(out.consumed_capacity());
        Ok(())
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
