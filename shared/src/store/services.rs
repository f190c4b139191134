//! Services (call groups) with their members, and the assignment of conversations (S1–S7).

use serde::Serialize;
use thiserror::Error;

use super::conversations::{message_sk, version_is, ConversationItem};
use super::keys;
use super::outbox::OutboxEntry;
use super::transaction::{item, Condition, Failure, Transaction};
use super::{Store, StoreError};
use crate::domain::assignment::{MemberKind, Service};
use crate::domain::conversation::{Conversation, Message};

#[derive(Debug, Error)]
pub enum ServiceError {
    #[error("no such PBX in this tenant")]
    UnknownPbx,
    #[error("no such service in this tenant")]
    UnknownService,
    #[error("no such agent in this tenant")]
    UnknownAgent,
    #[error("the conversation changed meanwhile; read it again and retry")]
    Conflict,
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Purpose {
    Pbx,
    Service,
    Agent,
    Conversation,
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
        tx.check(Purpose::Pbx, &self.table, keys::pbx(tenant_id, &service.pbx_id), Condition::present());
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

    /// Saves an assignment: the conversation only if still at the version read, its system
    /// message and the `ConversationAssigned` event, in one transaction (one consistent result
    /// when two agents assign at once).
    pub async fn save_assignment(
        &self,
        tenant_id: &str,
        before: &Conversation,
        after: &Conversation,
        link_token_hash: &str,
        message: &Message,
        event: &OutboxEntry,
    ) -> Result<(), ServiceError> {
        let (pk, sk) = keys::conversation(tenant_id, &after.id);
        let record = ConversationItem { conversation: after.clone(), link_token_hash: link_token_hash.to_string() };
        let mut tx = Transaction::new();
        tx.put(Purpose::Conversation, &self.table, item((pk.clone(), sk), &record)?, Some(version_is(before.version)));
        tx.put(Purpose::Other, &self.table, item((pk, message_sk(message, &after.id, after.version)), message)?, None);
        event.put_into(&mut tx, Purpose::Other, &self.table)?;
        tx.commit(self).await.map_err(|failure| match failure {
            Failure::Store(err) => ServiceError::Store(err),
            _ => ServiceError::Conflict,
        })
    }
}
