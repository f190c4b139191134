//! PUT /v1/conversations/{id}/assignee: an agent assigns a conversation to themself ("assign to
//! me") or to an agent of a service (S2–S8; the rules are `app::assign`'s).

use serde::Deserialize;

use super::admin::id_field;
use crate::app::assign::Assignment;
use crate::app::{self, Deps};
use crate::domain::conversation::Viewer;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::{auth, Response};

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

/// GET /v1/conversations/{id}/assignees: the services and static members the caller may assign
/// the conversation to (S5–S8), for the console's lists.
pub async fn options(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let conversation_id = ctx.id("id", "conversation")?;
    let choices = app::assign::options(deps, &caller.tenant_id, &conversation_id, &caller.agent).await?;
    let services: Vec<_> = choices
        .iter()
        .map(|(service, members)| {
            let members: Vec<_> =
                members.iter().map(|a| serde_json::json!({ "agent_id": a.id, "name": a.name })).collect();
            serde_json::json!({ "id": service.id, "name": service.name, "members": members })
        })
        .collect();
    Ok(crate::http::json(200, &serde_json::json!({ "services": services })))
}

pub async fn assign(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let body: AssignRequest = ctx.json()?;
    let conversation_id = ctx.id("id", "conversation")?;
    let assignee_id = body
        .agent_id
        .as_deref()
        .map(|id| id_field("agent_id", id).map_err(|_| Problem::unknown_agent()))
        .transpose()?;
    let service_id = body.service_id.as_deref().map(|id| id_field("service_id", id)).transpose()?;
    let after = app::assign::assign(
        deps,
        Assignment {
            tenant_id: &caller.tenant_id,
            conversation_id: &conversation_id,
            assigner: &caller.agent,
            assignee_id: assignee_id.as_deref(),
            service_id: service_id.as_deref(),
        },
    )
    .await?;
    super::conversations::view(deps, &caller.tenant_id, &after, &Viewer::Agent(caller.agent.id.clone())).await
}
