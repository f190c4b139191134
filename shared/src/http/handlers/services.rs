//! Admin endpoints for services (call groups) and their static or dynamic members (S1).

use serde::Deserialize;
use serde_json::json;

use super::admin::id_field;
use crate::app::Deps;
use crate::domain::assignment::{MemberKind, Service};
use crate::domain::validation;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::ServiceView;
use crate::http::{auth, json, Response};
use crate::secrets;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewService {
    name: String,
    pbx_id: String,
}

/// POST /v1/services: a call group on one of the tenant's PBXs.
pub async fn create(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let body: NewService = ctx.json()?;
    let service = Service {
        id: secrets::new_id(),
        name: validation::text("name", &body.name, 100)?,
        pbx_id: id_field("pbx_id", &body.pbx_id)?,
        members: Default::default(),
        created_at: deps.clock.now(),
    };
    deps.store.create_service(&tenant.id, &service).await?;
    crate::app::audit::record(deps, &tenant.id, &tenant.by, "service.created", &service.id, service.name.clone()).await;
    Ok(json(201, &ServiceView::from(&service)))
}

pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let services = deps.store.services(&tenant.id).await?;
    Ok(json(200, &json!({ "services": services.iter().map(ServiceView::from).collect::<Vec<_>>() })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Membership {
    kind: MemberKind,
}

/// PUT /v1/services/{id}/members/{agent_id} with `{"kind": "static" | "dynamic"}`.
pub async fn set_member(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let body: Membership = ctx.json()?;
    let (service_id, agent_id) = path_ids(ctx)?;
    deps.store.set_member(&tenant.id, &service_id, &agent_id, body.kind).await?;
    let detail = format!("{agent_id} {:?}", body.kind).to_lowercase();
    crate::app::audit::record(deps, &tenant.id, &tenant.by, "service.member_set", &service_id, detail).await;
    Ok(json(200, &json!({ "service_id": service_id, "agent_id": agent_id, "kind": body.kind })))
}

pub async fn remove_member(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let (service_id, agent_id) = path_ids(ctx)?;
    deps.store.remove_member(&tenant.id, &service_id, &agent_id).await?;
    crate::app::audit::record(deps, &tenant.id, &tenant.by, "service.member_removed", &service_id, agent_id).await;
    Ok(crate::http::no_content())
}

/// DELETE /v1/services/{id} (T6): its conversations go back to their agents' queues, then it
/// goes. 204 once gone; 202 while it goes on (the same call again carries on).
pub async fn remove(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "service")?;
    let services = deps.store.services(&admin.id).await?;
    let service = services.iter().find(|s| s.id == id).ok_or_else(|| Problem::not_found("service"))?;
    let (gone, moved) = crate::app::services::remove(deps, &admin.id, service).await?;
    if !gone {
        return Ok(json(202, &json!({ "done": false, "conversations_moved": moved })));
    }
    crate::app::audit::record(deps, &admin.id, &admin.by, "service.removed", &id, service.name.clone()).await;
    Ok(crate::http::no_content())
}

fn path_ids(ctx: &Ctx) -> Result<(String, String), Problem> {
    Ok((ctx.id("id", "service")?, ctx.id("agent_id", "agent")?))
}
