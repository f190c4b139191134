//! The tenant's agents (admin): create (the API token shown once), list (with when each token was
//! last used), change (name, email, PBX, zone, slug, role), reissue a token (T4), deactivate with
//! the offboarding of T5 and its report, reactivate.

use crate::i18n::Lang;
use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::json;

use super::admin::{id_field, MAX_NAME};
use crate::app::offboard::{self, Disposal};
use crate::app::{self, Deps};
use crate::domain::availability::{optional_zone_name, zone_name, Availability};
use crate::domain::directory::{Agent, AgentRole};
use crate::domain::validation;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::{AgentView, OffboardingView};
use crate::http::{auth, json, Response};
use crate::secrets::{self, TokenKind};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewAgent {
    name: String,
    email: String,
    pbx_id: String,
    #[serde(with = "zone_name")]
    time_zone: Tz,
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    role: AgentRole,
    /// The tenant's default language when not given.
    #[serde(default)]
    language: Option<Lang>,
}

/// POST /v1/agents (admin): returns the agent token, once.
pub async fn create(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let body: NewAgent = ctx.json()?;
    let name = validation::text("name", &body.name, MAX_NAME)?;
    let slug = match &body.slug {
        Some(slug) => validation::slug("slug", slug)?,
        None => generated_slug(&name),
    };
    let mut availability = Availability::new(body.time_zone);
    availability.max_meetings_per_guest = admin.max_meetings_per_guest;
    availability.guest_verification = Some(admin.guest_verification);
    let now = deps.clock.now();
    let agent = Agent {
        id: secrets::new_id(),
        email: validation::email("email", &body.email)?,
        pbx_id: id_field("pbx_id", &body.pbx_id)?,
        name,
        slug,
        availability,
        links: Vec::new(),
        calendars: Vec::new(),
        created_at: now,
        version: 1,
        active: true,
        role: body.role,
        sessions_after: None,
        language: body.language.unwrap_or(admin.tenant.default_language),
    };
    let token = secrets::issue(TokenKind::Agent, &admin.id, &agent.id);
    let credential = app::credentials::agent_token(&agent.id, token.hash, now);
    deps.store.create_agent(&admin.id, &agent, &credential).await?;
    app::audit::record(deps, &admin.id, &admin.by, "agent.created", &agent.id, format!("role {:?}", agent.role)).await;
    Ok(json(201, &json!({ "agent": AgentView::new(&agent, None), "token": token.token })))
}

/// GET /v1/agents (admin): every agent, with when their API token was last used.
pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let (agents, tokens) = tokio::join!(deps.store.agents(&admin.id), deps.store.agent_tokens(&admin.id));
    let (agents, tokens) = (agents?, tokens?);
    let views: Vec<AgentView> = agents
        .iter()
        .map(|a| AgentView::new(a, tokens.iter().find(|t| t.id == a.id).and_then(|t| t.last_used.as_deref())))
        .collect();
    Ok(json(200, &json!({ "agents": views })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgentChanges {
    name: Option<String>,
    email: Option<String>,
    pbx_id: Option<String>,
    #[serde(default, with = "optional_zone_name")]
    time_zone: Option<Tz>,
    slug: Option<String>,
    role: Option<AgentRole>,
    language: Option<Lang>,
}

/// PATCH /v1/agents/{id} (admin): changes only the fields sent.
pub async fn update(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let body: AgentChanges = ctx.json()?;
    let id = ctx.id("id", "agent")?;
    let (previous, token_hash) = deps.store.agent(&admin.id, &id).await?.ok_or_else(|| Problem::not_found("agent"))?;
    let mut agent = previous.clone();
    if let Some(name) = &body.name {
        agent.name = validation::text("name", name, MAX_NAME)?;
    }
    if let Some(email) = &body.email {
        agent.email = validation::email("email", email)?;
    }
    if let Some(pbx_id) = &body.pbx_id {
        agent.pbx_id = id_field("pbx_id", pbx_id)?;
    }
    if let Some(zone) = body.time_zone {
        agent.availability.time_zone = zone;
    }
    if let Some(slug) = &body.slug {
        agent.slug = validation::slug("slug", slug)?;
    }
    if let Some(role) = body.role {
        agent.role = role;
    }
    if let Some(language) = body.language {
        agent.language = language;
    }
    agent.version += 1;
    deps.store.save_agent(&admin.id, &agent, &previous, &token_hash).await?;
    let changed: Vec<&str> = [
        ("name", body.name.is_some()),
        ("email", body.email.is_some()),
        ("pbx", body.pbx_id.is_some()),
        ("time zone", body.time_zone.is_some()),
        ("slug", body.slug.is_some()),
        ("role", body.role.is_some()),
        ("language", body.language.is_some()),
    ]
    .iter()
    .filter_map(|(what, sent)| sent.then_some(*what))
    .collect();
    app::audit::record(deps, &admin.id, &admin.by, "agent.changed", &agent.id, changed.join(", ")).await;
    Ok(json(200, &AgentView::new(&agent, None)))
}

/// POST /v1/agents/{id}/token (admin, T4): a new API token, shown once; the old one is refused
/// from now on.
pub async fn reissue_token(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "agent")?;
    deps.store.agent(&admin.id, &id).await?.ok_or_else(|| Problem::not_found("agent"))?;
    let token = app::credentials::reissue_agent_token(deps, &admin.id, &id).await?;
    app::audit::record(deps, &admin.id, &admin.by, "agent.token_reissued", &id, "").await;
    Ok(json(201, &json!({ "agent_id": id, "token": token })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Deactivation {
    /// What becomes of the agent's future meetings: handed over to a free colleague, or cancelled.
    meetings: Disposal,
}

/// POST /v1/agents/{id}/deactivate (admin, T5): the agent is refused everywhere at once, leaves
/// every service, their conversations wait in their services' queues, and each future meeting
/// is handed over or cancelled. A long offboarding answers 202 with what it has done so far; the
/// same call again carries on (and a finished one answers its report again).
pub async fn deactivate(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "agent")?;
    let body: Deactivation = ctx.json()?;
    let report = offboard::deactivate(deps, &admin.id, &id, body.meetings).await?;
    if report.done && report.newly_done {
        let detail = format!("{} meetings handed over, {} cancelled", report.handed_over(), report.cancelled());
        app::audit::record(deps, &admin.id, &admin.by, "agent.deactivated", &id, detail).await;
    }
    Ok(json(if report.done { 200 } else { 202 }, &OffboardingView::from(&report)))
}

/// POST /v1/agents/{id}/reactivate (admin, T5): access again; services and meetings stay as the
/// offboarding left them.
pub async fn reactivate(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "agent")?;
    let agent = offboard::reactivate(deps, &admin.id, &id).await?;
    app::audit::record(deps, &admin.id, &admin.by, "agent.reactivated", &id, "").await;
    Ok(json(200, &AgentView::new(&agent, None)))
}

/// `ada-lovelace-3f9a1c`: readable, and unguessable enough that two agents never collide.
fn generated_slug(name: &str) -> String {
    let mut base: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    base.truncate(40);
    let base = base.trim_end_matches('-');
    let suffix = &secrets::new_id()[..6];
    if base.is_empty() {
        format!("agent-{suffix}")
    } else {
        format!("{base}-{suffix}")
    }
}
