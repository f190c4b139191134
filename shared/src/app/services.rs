//! Removing a service (T6): its conversations go back to their agents' queues (the unassigned
//! ones waiting in its queue, and those assigned through it), then the service goes. A run
//! stops before its budget of time is spent; the same call again carries on.

use std::time::{Duration as StdDuration, Instant};

use super::Deps;
use crate::domain::assignment::{release, Service};
use crate::domain::conversation::{Author, Message};
use crate::domain::hosts::joining_count;
use crate::store::{keys, ServiceError, StoreError};

const RUN_BUDGET: StdDuration = StdDuration::from_secs(5);
const PAGE: usize = 50;

/// Adds a member (or changes how they are one, and their priority; a priority left out stays).
/// S10: a member joining a service mid-month starts at the fewest meetings any member has this
/// month, so they are neither flooded nor left idle. Returns the member's priority.
pub async fn set_member(
    deps: &Deps,
    tenant_id: &str,
    service_id: &str,
    agent_id: &str,
    kind: crate::domain::assignment::MemberKind,
    priority: Option<i32>,
) -> Result<i32, ServiceError> {
    let month = crate::domain::time::billing_month(deps.clock.now());
    let stats = deps.store.host_stats(tenant_id, service_id, &month).await?;
    let service = deps.store.service(tenant_id, service_id).await?.ok_or(ServiceError::UnknownService)?;
    let others: Vec<_> =
        service.hosts().filter(|id| *id != agent_id).map(|id| stats.get(id).cloned().unwrap_or_default()).collect();
    let joining = !service.members.contains_key(agent_id);
    deps.store.set_member(tenant_id, service_id, agent_id, kind, priority).await?;
    if joining && !others.is_empty() {
        deps.store.start_host_count(tenant_id, service_id, &month, agent_id, joining_count(&others)).await?;
    }
    Ok(priority.unwrap_or_else(|| service.priority(agent_id)))
}

/// Whether the service is gone (`false`: the same call again carries on), and how many
/// conversations went back to their agents this run.
pub async fn remove(deps: &Deps, tenant_id: &str, service: &Service) -> Result<(bool, u32), ServiceError> {
    let deadline = Instant::now() + RUN_BUDGET;
    let mut partitions = vec![keys::service_queue(tenant_id, &service.id)];
    partitions.extend(service.members.keys().map(|agent| keys::inbox_of(tenant_id, agent)));
    let mut moved = 0;
    let mut before: Option<String> = None;
    loop {
        if Instant::now() > deadline {
            return Ok((false, moved));
        }
        let page = deps.store.inbox_page(&partitions, before.as_deref(), PAGE).await?;
        for (_, activity) in &page.entries {
            let Some((conversation, link_hash)) = deps.store.conversation(tenant_id, &activity.conversation_id).await?
            else {
                continue;
            };
            let through =
                conversation.assignee.as_ref().map(|a| a.service_id.as_str()).or(conversation.service_id.as_deref());
            if through != Some(service.id.as_str()) {
                continue;
            }
            let Some((agent, _)) = deps.store.agent(tenant_id, &conversation.agent_id).await? else { continue };
            let (after, event) = release(&conversation, &agent, service);
            let message = Message::event(deps.clock.now(), Author::System, event);
            match deps.store.save_conversation(tenant_id, &conversation, &after, &link_hash, &message, None).await {
                Ok(()) => moved += 1,
                Err(StoreError::Conflict(_)) => return Ok((false, moved)),
                Err(err) => return Err(err.into()),
            }
        }
        if !page.more {
            break;
        }
        before = page.entries.last().map(|(sort, _)| sort.clone());
    }
    deps.store.delete_service(tenant_id, service).await?;
    Ok((true, moved))
}
