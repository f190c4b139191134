//! Assigning a conversation (S2–S8, C3): to the assigner ("assign to me") or to an agent of a
//! service, the service named or found from the assignee. Only a member of the conversation or a
//! static member of its service may assign it (S8); the assignee must be a static member of a
//! service of the conversation's PBX (S5–S7). The conversation, its system message and the
//! `ConversationAssigned` event are one conditional write, so two agents assigning at once leave
//! one consistent result.

use rand::Rng;
use thiserror::Error;

use super::deliver::deliver_now;
use super::Deps;
use crate::domain::assignment::{assign as assigned, choose_service, may_assign, AssignRefusal};
use crate::domain::conversation::{Author, Conversation, Message};
use crate::domain::directory::Agent;
use crate::domain::notification;
use crate::secrets;
use crate::store::StoreError;

/// The services and static members an assigner may assign a conversation to (the console's
/// lists), active agents only; empty when they may not assign it.
pub async fn options(
    deps: &Deps,
    tenant_id: &str,
    conversation_id: &str,
    assigner: &Agent,
) -> Result<Vec<(crate::domain::assignment::Service, Vec<Agent>)>, AssignError> {
    let (found, services, agents) = tokio::join!(
        deps.store.conversation(tenant_id, conversation_id),
        deps.store.services(tenant_id),
        deps.store.agents(tenant_id)
    );
    let (conversation, _) = found?.ok_or(AssignError::NotFound)?;
    let (services, agents) = (services?, agents?);
    let choices = crate::domain::assignment::assignable(&conversation, assigner, &services);
    if choices.is_empty() && !conversation.has_agent(&assigner.id) {
        return Err(AssignError::NotFound);
    }
    Ok(choices
        .into_iter()
        .map(|(service, members)| {
            let people = agents.iter().filter(|a| a.active && members.contains(&a.id.as_str())).cloned().collect();
            (service.clone(), people)
        })
        .collect())
}

/// An assignment as asked for.
pub struct Assignment<'a> {
    pub tenant_id: &'a str,
    pub conversation_id: &'a str,
    pub assigner: &'a Agent,
    /// The assignee, if not the assigner ("assign to me").
    pub assignee_id: Option<&'a str>,
    /// The service to assign through; found from the assignee when omitted (S2, S6).
    pub service_id: Option<&'a str>,
}

#[derive(Debug, Error)]
pub enum AssignError {
    /// No such conversation, or one the assigner may not touch (S8): the same answer, so ids
    /// cannot be probed.
    #[error("no such conversation")]
    NotFound,
    #[error("no such agent in this tenant")]
    UnknownAgent,
    #[error(transparent)]
    Refused(#[from] AssignRefusal),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub async fn assign(deps: &Deps, a: Assignment<'_>) -> Result<Conversation, AssignError> {
    let (found, services) =
        tokio::join!(deps.store.conversation(a.tenant_id, a.conversation_id), deps.store.services(a.tenant_id));
    let (conversation, link_token_hash) = found?.ok_or(AssignError::NotFound)?;
    let services = services?;
    if !may_assign(&conversation, a.assigner, &services) {
        return Err(AssignError::NotFound);
    }
    let assignee = match a.assignee_id {
        None => a.assigner.clone(),
        Some(id) if id == a.assigner.id => a.assigner.clone(),
        Some(id) => deps.store.agent(a.tenant_id, id).await?.ok_or(AssignError::UnknownAgent)?.0,
    };
    let service = choose_service(&services, &conversation.pbx_id, a.assigner, &assignee, a.service_id, |n| {
        rand::rng().random_range(0..n)
    })?;

    let now = deps.clock.now();
    let by = Author::agent(&a.assigner.id);
    let (after, event) = assigned(&conversation, &assignee, service, &by, now);
    let message = Message::event(now, by, event);
    let planned = notification::assignment(secrets::new_id(), a.tenant_id, &after, assignee.contact(), now);
    deps.store
        .save_conversation(a.tenant_id, &conversation, &after, &link_token_hash, &message, Some(&planned))
        .await?;
    deliver_now(deps, a.tenant_id, &planned.notification.id).await;
    Ok(after)
}
