//! Operator and tenant-admin endpoints: tenants, PBXs (sites) and agents.

use chrono_tz::Tz;
use serde::Deserialize;
use serde_json::json;

use crate::app::Deps;
use crate::domain::availability::{optional_zone_name, zone_name, Availability};
use crate::domain::directory::{Agent, Pbx, Tenant};
use crate::domain::identity::Verification;
use crate::domain::validation::{self, FieldError};
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::{AgentView, PbxView};
use crate::http::{auth, json, Response};
use crate::secrets::{self, TokenKind};

const MAX_NAME: usize = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTenant {
    name: String,
    #[serde(default)]
    max_meetings_per_guest: Option<u16>,
    /// What new agents start with (G1); `always` when left out.
    #[serde(default)]
    guest_verification: Verification,
}

/// POST /v1/tenants (operator): returns the admin key, once.
pub async fn create_tenant(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    auth::operator(deps, ctx)?;
    let body: NewTenant = ctx.json()?;
    let cap = body.max_meetings_per_guest.unwrap_or(2);
    if !(1..=100).contains(&cap) {
        return Err(FieldError::new("max_meetings_per_guest", "between 1 and 100").into());
    }
    let tenant = Tenant {
        id: secrets::new_id(),
        name: validation::text("name", &body.name, MAX_NAME)?,
        max_meetings_per_guest: cap,
        guest_verification: body.guest_verification,
        created_at: deps.clock.now(),
    };
    let key = secrets::issue(TokenKind::Admin, &tenant.id, &tenant.id);
    deps.store.create_tenant(&tenant, &key.hash).await?;
    tracing::Span::current().record("tenant", tenant.id.as_str());
    Ok(json(
        201,
        &json!({
            "tenant": {
                "id": tenant.id,
                "name": tenant.name,
                "max_meetings_per_guest": tenant.max_meetings_per_guest,
                "guest_verification": tenant.guest_verification,
            },
            "admin_key": key.token,
        }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewPbx {
    name: String,
}

pub async fn create_pbx(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let body: NewPbx = ctx.json()?;
    let pbx = Pbx {
        id: secrets::new_id(),
        name: validation::text("name", &body.name, MAX_NAME)?,
        created_at: deps.clock.now(),
    };
    deps.store.create_pbx(&tenant.id, &pbx).await?;
    Ok(json(201, &PbxView::from(&pbx)))
}

pub async fn list_pbxs(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let pbxs = deps.store.pbxs(&tenant.id).await?;
    Ok(json(200, &json!({ "pbxs": pbxs.iter().map(PbxView::from).collect::<Vec<_>>() })))
}

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
}

/// POST /v1/agents (admin): returns the agent token, once.
pub async fn create_agent(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let body: NewAgent = ctx.json()?;
    let name = validation::text("name", &body.name, MAX_NAME)?;
    let slug = match &body.slug {
        Some(slug) => validation::slug("slug", slug)?,
        None => generated_slug(&name),
    };
    let mut availability = Availability::new(body.time_zone);
    availability.max_meetings_per_guest = tenant.max_meetings_per_guest;
    availability.guest_verification = Some(tenant.guest_verification);
    let agent = Agent {
        id: secrets::new_id(),
        email: validation::email("email", &body.email)?,
        pbx_id: id_field("pbx_id", &body.pbx_id)?,
        name,
        slug,
        availability,
        links: Vec::new(),
        calendars: Vec::new(),
        created_at: deps.clock.now(),
        version: 1,
    };
    let token = secrets::issue(TokenKind::Agent, &tenant.id, &agent.id);
    deps.store.create_agent(&tenant.id, &agent, &token.hash).await?;
    Ok(json(201, &json!({ "agent": AgentView::from(&agent), "token": token.token })))
}

pub async fn list_agents(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let agents = deps.store.agents(&tenant.id).await?;
    Ok(json(200, &json!({ "agents": agents.iter().map(AgentView::from).collect::<Vec<_>>() })))
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
}

/// PATCH /v1/agents/{id} (admin): changes only the fields sent.
pub async fn update_agent(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let body: AgentChanges = ctx.json()?;
    let id = ctx.id("id", "agent")?;
    let (previous, token_hash) = deps.store.agent(&tenant.id, &id).await?.ok_or_else(|| Problem::not_found("agent"))?;
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
    agent.version += 1;
    deps.store.save_agent(&tenant.id, &agent, &previous, &token_hash).await?;
    Ok(json(200, &AgentView::from(&agent)))
}

/// Identifiers are 20 hex digits; anything else cannot name a record.
pub fn id_field(field: &str, value: &str) -> Result<String, FieldError> {
    if value.len() == 20 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(FieldError::new(field, "not an identifier issued by this service"))
    }
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

/// GET /v1/usage?month=YYYY-MM (admin): bookings counted for billing; the current month by default.
pub async fn usage(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let month = match ctx.query("month") {
        Some(month) => {
            let valid =
                chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").is_ok() && month.len() == 7;
            if !valid {
                return Err(Problem::invalid("month", "a month as YYYY-MM"));
            }
            month.to_string()
        }
        None => crate::domain::time::billing_month(deps.clock.now()),
    };
    let usage = deps.store.usage(&tenant.id, &month).await?;
    Ok(json(
        200,
        &json!({
            "tenant_id": tenant.id,
            "month": month,
            "bookings": usage.bookings,
            "booked_by_guests": usage.booked_by_guests,
            "booked_by_agents": usage.booked_by_agents,
        }),
    ))
}
