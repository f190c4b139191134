//! Services (call groups) with their members, and the assignment of conversations (S1–S7).

use serde::Serialize;
use thiserror::Error;

use super::keys;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::assignment::{MemberKind, Service};

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
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Pbx,
    Service,
    Agent,
    Other,
}

fn service_failure(failure: Failure<Purpose>) -> ServiceError {
    match failure {
        Failure::Refused(p) if p.contains(&Purpose::Pbx) => ServiceError::UnknownPbx,
        Failure::Refused(p) if p.contains(&Purpose::Agent) => ServiceError::UnknownAgent,
        Failure::Refused(p) if p.contains(&Purpose::Service) => ServiceError::UnknownService,
        Failure::Refused(_) | Failure::Contended => ServiceError::Conflict,
        Failure::Store(err) => ServiceError::Store(err),
    }
}

impl Store {
    /// A new service on an existing PBX of the tenant.
    pub async fn create_service(&self, tenant_id: &str, service: &Service) -> Result<(), ServiceError> {
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
    ) -> Result<(), ServiceError> {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        struct Kind(MemberKind);
        let kind = serde_dynamo::to_attribute_value(Kind(kind)).map_err(StoreError::from)?;
        let mut tx = Transaction::new();
        tx.check(Purpose::Agent, &self.table, keys::agent(tenant_id, agent_id), Condition::present());
        let condition = Condition::new("attribute_exists(pk)").name("#agent", agent_id).value(":kind", kind);
        tx.update(
            Purpose::Service,
            &self.table,
            keys::service(tenant_id, service_id),
            "SET members.#agent = :kind",
            condition,
        );
        tx.commit(self).await.map_err(service_failure)
    }

    /// Removes a service (its PBX counts one less belonging to it).
    pub async fn delete_service(&self, tenant_id: &str, service: &Service) -> Result<(), ServiceError> {
        let mut tx = Transaction::new();
        tx.delete(Purpose::Service, &self.table, keys::service(tenant_id, &service.id), Some(Condition::present()));
        super::directory::count_on_pbx(&mut tx, Purpose::Other, &self.table, tenant_id, &service.pbx_id, -1);
        match tx.commit(self).await {
            Ok(()) | Err(Failure::Refused(_)) => Ok(()),
            Err(failure) => Err(service_failure(failure)),
        }
    }

    /// Removes the agent from the service; `UnknownAgent` if they were not a member.
    pub async fn remove_member(&self, tenant_id: &str, service_id: &str, agent_id: &str) -> Result<(), ServiceError> {
        let mut tx = Transaction::new();
        let condition = Condition::new("attribute_exists(members.#agent)").name("#agent", agent_id);
        tx.update(
            Purpose::Agent,
            &self.table,
            keys::service(tenant_id, service_id),
            "REMOVE members.#agent",
            condition,
        );
        tx.commit(self).await.map_err(service_failure)
    }
}
