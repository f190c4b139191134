//! Services (call groups) with their members, and the assignment of conversations (S1–S7).

use std::sync::Arc;

use aws_sdk_dynamodb::types::AttributeValue;
use serde::Serialize;
use thiserror::Error;

use super::keys;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::assignment::{MemberKind, Service};
use crate::domain::directory::BookingPage;
use crate::domain::service_page::ServicePage;

/// What a public slug resolves to: an agent's page (or one of their links), or a service's (S9).
#[derive(Clone, Debug)]
pub enum Page {
    Agent(Box<BookingPage>),
    Service(Box<ServicePage>),
}

/// How long an inbox trusts this process's copy of a tenant's services.
pub const SERVICES_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("no such PBX in this tenant")]
    UnknownPbx,
    #[error("no such service in this tenant")]
    UnknownService,
    #[error("no such agent in this tenant")]
    UnknownAgent,
    #[error("the service changed meanwhile; retry")]
    Conflict,
    #[error("that booking slug is already in use")]
    SlugTaken,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Pbx,
    Service,
    Agent,
    Slug,
    Other,
}

fn service_failure(failure: Failure<Purpose>) -> ServiceError {
    match failure {
        Failure::Refused(p) if p.contains(&Purpose::Pbx) => ServiceError::UnknownPbx,
        Failure::Refused(p) if p.contains(&Purpose::Agent) => ServiceError::UnknownAgent,
        Failure::Refused(p) if p.contains(&Purpose::Slug) => ServiceError::SlugTaken,
        Failure::Refused(p) if p.contains(&Purpose::Service) => ServiceError::UnknownService,
        Failure::Refused(_) | Failure::Contended => ServiceError::Conflict,
        Failure::Store(err) => ServiceError::Store(err),
    }
}

impl Store {
    /// A new service on an existing PBX of the tenant.
    pub async fn create_service(&self, tenant_id: &str, service: &Service) -> Result<(), ServiceError> {
        self.services_changed(tenant_id);
        let mut tx = Transaction::new();
        super::directory::count_on_pbx(&mut tx, Purpose::Pbx, &self.table, tenant_id, &service.pbx_id, 1);
        tx.put(
            Purpose::Other,
            &self.table,
            item(keys::service(tenant_id, &service.id), service)?,
            Some(Condition::absent()),
        );
        tx.commit(self).await.map_err(service_failure)
    }

    /// What a slug resolves to, if it takes guests now (an active agent's page, a bookable
    /// service's); `consistent` for a booking, eventual for browsing.
    pub async fn page(&self, slug: &str, consistent: bool) -> Result<Option<Page>, StoreError> {
        let Some(found) = self.get::<serde_json::Value>(keys::slug(slug), consistent).await? else { return Ok(None) };
        let corrupt = |err: serde_json::Error| StoreError::Corrupt(err.to_string());
        Ok(match found.get("service_id").is_some() {
            true => Some(serde_json::from_value::<ServicePage>(found).map_err(corrupt)?)
                .filter(ServicePage::is_open)
                .map(|p| Page::Service(Box::new(p))),
            false => Some(serde_json::from_value::<BookingPage>(found).map_err(corrupt)?)
                .filter(BookingPage::is_open)
                .map(|p| Page::Agent(Box::new(p))),
        })
    }

    pub async fn service(&self, tenant_id: &str, service_id: &str) -> Result<Option<Service>, StoreError> {
        self.get(keys::service(tenant_id, service_id), true).await
    }

    /// Writes a service's changed settings (`after`, read as `before`), its page moving with its
    /// slug: one transaction, refused if the service changed meanwhile or the slug is taken.
    pub async fn save_service(&self, tenant_id: &str, after: &Service, before: &Service) -> Result<(), ServiceError> {
        self.services_changed(tenant_id);
        let mut tx = Transaction::new();
        let unchanged = Condition::new("attribute_exists(pk) AND (attribute_not_exists(revision) OR revision = :rev)")
            .value(":rev", keys::n(i64::try_from(before.revision).unwrap_or(i64::MAX)));
        tx.put(Purpose::Service, &self.table, item(keys::service(tenant_id, &after.id), after)?, Some(unchanged));
        let owned = || Condition::new("service_id = :service").value(":service", keys::s(&after.id));
        if let Some(old) = before.slug.as_deref().filter(|old| Some(*old) != after.slug.as_deref()) {
            tx.delete(Purpose::Other, &self.table, keys::slug(old), Some(owned()));
        }
        if let Some(page) = ServicePage::of(tenant_id, after) {
            let claim = if before.slug == after.slug { owned() } else { Condition::absent() };
            tx.put(Purpose::Slug, &self.table, item(keys::slug(&page.slug), &page)?, Some(claim));
        }
        tx.commit(self).await.map_err(service_failure)
    }

    /// After a member change: the service's page copies the service as it now is, unless a newer
    /// copy is there already.
    pub async fn refresh_service_page(&self, tenant_id: &str, service_id: &str) -> Result<(), StoreError> {
        let Some(service) = self.service(tenant_id, service_id).await? else { return Ok(()) };
        let Some(page) = ServicePage::of(tenant_id, &service) else { return Ok(()) };
        let newer_or_same =
            Condition::new("service_id = :service AND (attribute_not_exists(revision) OR revision < :rev)")
                .value(":service", keys::s(&service.id))
                .value(":rev", keys::n(i64::try_from(page.revision).unwrap_or(i64::MAX)));
        self.put(item(keys::slug(&page.slug), &page)?, Some(newer_or_same)).await?;
        Ok(())
    }

    /// The tenant's services as read at most [`SERVICES_FRESH_FOR`] ago by this process (an
    /// inbox page's view of who serves what): a warm instance reads them once in a while, not on
    /// every page. A change made through this process is seen at once; one made elsewhere within
    /// that time. Assigning reads them afresh, so no rule is decided on an old copy.
    pub async fn services_recent(&self, tenant_id: &str) -> Result<Arc<Vec<Service>>, StoreError> {
        if let Some(seen) = self.services_seen.get(tenant_id) {
            return Ok(seen);
        }
        let read: Vec<Service> =
            self.query_prefix_eventually(keys::tenant_partition(tenant_id), keys::SERVICE_PREFIX).await?;
        let read = Arc::new(read);
        self.services_seen.put(tenant_id, read.clone());
        Ok(read)
    }

    /// Forgets this process's copy of a tenant's services (it changed them).
    fn services_changed(&self, tenant_id: &str) {
        self.services_seen.forget(tenant_id);
    }

    pub async fn services(&self, tenant_id: &str) -> Result<Vec<Service>, StoreError> {
        self.query_prefix(keys::tenant_partition(tenant_id), keys::SERVICE_PREFIX).await
    }

    /// Adds the agent to the service, or changes how they are a member; one atomic update of the
    /// members map, so concurrent changes to other members are never lost.
    pub async fn set_member(
        &self,
        tenant_id: &str,
        service_id: &str,
        agent_id: &str,
        kind: MemberKind,
        priority: Option<i32>,
    ) -> Result<(), ServiceError> {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        struct Kind(MemberKind);
        let kind = serde_dynamo::to_attribute_value(Kind(kind)).map_err(StoreError::from)?;
        self.services_changed(tenant_id);
        let mut tx = Transaction::new();
        tx.check(Purpose::Agent, &self.table, keys::agent(tenant_id, agent_id), Condition::present());
        let mut condition = Condition::new("attribute_exists(pk)").name("#agent", agent_id).value(":kind", kind);
        let mut update = "SET members.#agent = :kind".to_string();
        if let Some(priority) = priority {
            // The priorities map exists once any priority was set (made here if not).
            let empty = Condition::new("attribute_exists(pk)").value(":none", AttributeValue::M(Default::default()));
            self.update_one(
                keys::service(tenant_id, service_id),
                "SET priorities = if_not_exists(priorities, :none)",
                empty,
            )
            .await?;
            update.push_str(", priorities.#agent = :priority");
            condition = condition.value(":priority", keys::n(i64::from(priority)));
        }
        tx.update(
            Purpose::Service,
            &self.table,
            keys::service(tenant_id, service_id),
            &format!("{update} ADD revision :one"),
            condition.value(":one", keys::n(1)),
        );
        tx.commit(self).await.map_err(service_failure)?;
        self.refresh_service_page(tenant_id, service_id).await?;
        Ok(())
    }

    /// Removes a service (its PBX counts one less belonging to it).
    pub async fn delete_service(&self, tenant_id: &str, service: &Service) -> Result<(), ServiceError> {
        self.services_changed(tenant_id);
        let mut tx = Transaction::new();
        tx.delete(Purpose::Service, &self.table, keys::service(tenant_id, &service.id), Some(Condition::present()));
        super::directory::count_on_pbx(&mut tx, Purpose::Other, &self.table, tenant_id, &service.pbx_id, -1);
        if let Some(slug) = &service.slug {
            let owned = Condition::new("service_id = :service").value(":service", keys::s(&service.id));
            tx.delete(Purpose::Other, &self.table, keys::slug(slug), Some(owned));
        }
        match tx.commit(self).await {
            Ok(()) | Err(Failure::Refused(_)) => Ok(()),
            Err(failure) => Err(service_failure(failure)),
        }
    }

    /// Removes the agent from the service; `UnknownAgent` if they were not a member.
    pub async fn remove_member(&self, tenant_id: &str, service_id: &str, agent_id: &str) -> Result<(), ServiceError> {
        self.services_changed(tenant_id);
        let mut tx = Transaction::new();
        let condition = Condition::new("attribute_exists(members.#agent)").name("#agent", agent_id);
        tx.update(
            Purpose::Agent,
            &self.table,
            keys::service(tenant_id, service_id),
            "REMOVE members.#agent ADD revision :one",
            condition.value(":one", keys::n(1)),
        );
        tx.commit(self).await.map_err(service_failure)?;
        self.refresh_service_page(tenant_id, service_id).await?;
        Ok(())
    }
}
