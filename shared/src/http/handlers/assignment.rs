//! PUT /v1/conversations/{id}/assignee: an agent assigns a conversation to themself ("assign to
//! me") or to an agent of a service (S2–S7). One conditional write: two agents assigning at
//! once leave one consistent result.

use rand::Rng;
use serde::Deserialize;

use super::admin::id_field;
use crate::domain::assignment::{assign as assign_to, choose_service};
use crate::domain::conversation::{Message, Viewer};
use crate::domain::notification::{assignment_event, Notification, Reason};
use crate::http::deps::Deps;
use crate::http::handlers::announce;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::ConversationView;
use crate::http::{auth, json, Response};
use crate::secrets;
use crate::store::OutboxEntry;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AssignRequest {
    /// The assignee; the caller when omitted ("assign to me").
    #[serde(default)]
    agent_id: Option<String>,
    /// The service to assign through; found from the assignee when omitted.
    #[serde(default)]
    service_id: Option<String>,
}

pub async fn assign(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let body: AssignRequest = ctx.json()?;
    let tenant_id = &caller.tenant_id;
    let conversation_id = ctx.id("id", "conversation")?;
    let (conversation, link_token_hash) = deps
        .store
        .conversation(tenant_id, &conversation_id)
        .await?
        .ok_or_else(|| Problem::not_found("conversation"))?;

    let assignee = match body.agent_id.as_deref() {
        None => caller.agent.clone(),
        Some(id) if id == caller.agent.id => caller.agent.clone(),
        Some(id) => {
            let unknown = || {
                Problem::new(422, "unknown-agent", "Unknown agent", "no such agent in this tenant")
                    .with_field("agent_id")
            };
            let id = id_field("agent_id", id).map_err(|_| unknown())?;
            deps.store.agent(tenant_id, &id).await?.ok_or_else(unknown)?.0
        }
    };
    if let Some(id) = &body.service_id {
        id_field("service_id", id)?;
    }
    let services = deps.store.services(tenant_id).await?;
    let service =
        choose_service(&services, &conversation.pbx_id, &caller.agent, &assignee, body.service_id.as_deref(), |n| {
            rand::rng().random_range(0..n)
        })?;

    let now = deps.clock.now();
    let by = format!("agent:{}", caller.agent.id);
    let (after, event) = assign_to(&conversation, &assignee, service, &by, now);
    let message = Message { at: now, by, event };
    let notification = Notification {
        id: secrets::new_id(),
        tenant_id: tenant_id.clone(),
        reason: Reason::Assigned,
        meeting: None,
        agent: assignee.contact(),
        recipients: Vec::new(),
        manage_token: None,
        conversation_link: None,
        event: assignment_event(tenant_id, &after, now),
        created_at: now,
    };
    let entry = OutboxEntry { notification, due_at: now };
    deps.store.save_conversation(tenant_id, &conversation, &after, &link_token_hash, &message, Some(&entry)).await?;
    announce::deliver_now(deps, tenant_id, &entry.notification.id).await;

    let messages = deps.store.messages(tenant_id, &after.id).await?;
    Ok(json(200, &ConversationView::new(&after, &Viewer::Agent(caller.agent.id.clone()), &messages)))
}
