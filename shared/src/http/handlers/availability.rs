//! GET/PUT /v1/me/availability: an agent's own hours and booking settings.

use crate::domain::availability::Availability;
use crate::domain::validation::Validate;
use crate::http::deps::Deps;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::{auth, json, Response};

pub async fn get(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    Ok(json(200, &caller.agent.availability))
}

/// Replaces the whole document; omitted settings take their defaults. The booking page snapshot
/// under the agent's slug is refreshed in the same transaction, so the next slot lookup sees it.
pub async fn put(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let availability: Availability = ctx.json()?;
    availability.validate()?;
    let mut agent = caller.agent.clone();
    agent.availability = availability;
    agent.version += 1;
    deps.store.save_agent(&caller.tenant_id, &agent, &caller.agent, &caller.token_hash).await?;
    Ok(json(200, &agent.availability))
}
