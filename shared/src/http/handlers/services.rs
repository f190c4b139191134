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
        slug: None,
        bookable: false,
        priorities: Default::default(),
        durations: vec![30],
        revision: 0,
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
    /// S10: higher goes first; kept when left out.
    #[serde(default)]
    priority: Option<i32>,
}

/// PUT /v1/services/{id}/members/{agent_id} with `{"kind": "static" | "dynamic", "priority"?}`.
pub async fn set_member(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let body: Membership = ctx.json()?;
    let (service_id, agent_id) = path_ids(ctx)?;
    if body.priority.is_some_and(|p| !(-100..=100).contains(&p)) {
        return Err(Problem::invalid("priority", "a whole number from -100 to 100"));
    }
    let priority =
        crate::app::services::set_member(deps, &tenant.id, &service_id, &agent_id, body.kind, body.priority).await?;
    let detail = format!("{agent_id} {:?} priority {priority}", body.kind).to_lowercase();
    crate::app::audit::record(deps, &tenant.id, &tenant.by, "service.member_set", &service_id, detail).await;
    Ok(json(200, &json!({ "service_id": service_id, "agent_id": agent_id, "kind": body.kind, "priority": priority })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ServiceChanges {
    name: Option<String>,
    /// S9: the service's own booking page; `null` takes it down.
    #[serde(default, deserialize_with = "crate::http::request::sent")]
    slug: Option<Option<String>>,
    bookable: Option<bool>,
    durations: Option<Vec<u16>>,
}

/// PATCH /v1/services/{id} (admin): its name, its page's slug, whether guests may book it, the
/// durations its page offers.
pub async fn update(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "service")?;
    let body: ServiceChanges = ctx.json()?;
    let before = deps.store.service(&tenant.id, &id).await?.ok_or_else(|| Problem::not_found("service"))?;
    let mut after = before.clone();
    if let Some(name) = &body.name {
        after.name = validation::text("name", name, 100)?;
    }
    if let Some(slug) = &body.slug {
        after.slug = slug.as_deref().map(|s| validation::slug("slug", s)).transpose()?;
    }
    if let Some(bookable) = body.bookable {
        after.bookable = bookable;
    }
    if let Some(durations) = &body.durations {
        let fine = !durations.is_empty()
            && durations.len() <= 10
            && durations.iter().all(|d| (5..=180).contains(d) && d % 5 == 0);
        if !fine {
            return Err(Problem::invalid("durations", "one to ten durations, multiples of 5 from 5 to 180 minutes"));
        }
        after.durations = durations.clone();
    }
    after.revision = before.revision + 1;
    deps.store.save_service(&tenant.id, &after, &before).await?;
    crate::app::audit::record(deps, &tenant.id, &tenant.by, "service.changed", &id, after.name.clone()).await;
    Ok(json(200, &ServiceView::from(&after)))
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
