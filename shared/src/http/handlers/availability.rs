//! GET/PUT /v1/me/availability: an agent's own hours and booking settings; POST/GET
//! /v1/me/booking-links: extra links limited to some dates and durations (A5).

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use crate::app::Deps;
use crate::domain::availability::Availability;
use crate::domain::directory::{BookingLink, ConnectedCalendar, LinkLimits, MAX_CALENDARS};
use crate::domain::validation::{self, FieldError, Validate};
use crate::feeds::fetch::check_url;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::{auth, json, Response};
use crate::secrets;

pub async fn get(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    Ok(json(200, &caller.agent.availability))
}

/// Replaces the whole document; omitted settings take their defaults. The booking page snapshot
/// under the agent's slug is refreshed in the same transaction, so the next slot lookup sees it.
pub async fn put(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let availability = ctx.json::<Availability>()?.keeping(&caller.agent.availability);
    availability.validate()?;
    let mut agent = caller.agent.clone();
    agent.availability = availability;
    agent.version += 1;
    deps.store.save_agent(&caller.tenant_id, &agent, &caller.agent, &caller.token_hash).await?;
    Ok(json(200, &agent.availability))
}

/// PATCH /v1/me/availability: a JSON merge patch (RFC 7396) of the document. What is sent
/// changes, what is not stays: an object merges into the setting's object, so
/// `{"weekly_hours": {"tuesday": [...]}}` changes Tuesday alone; a `null` resets a setting to its
/// default; a list is replaced whole. The result is checked as a whole document.
pub async fn patch(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let changes: serde_json::Value = ctx.json()?;
    if !changes.is_object() {
        return Err(Problem::malformed("send an object of the settings to change"));
    }
    let mut document = serde_json::to_value(&caller.agent.availability).expect("settings serialise");
    merge_patch(&mut document, changes);
    let availability: Availability = crate::http::request::shaped(document)?;
    availability.validate()?;
    let mut agent = caller.agent.clone();
    agent.availability = availability;
    agent.version += 1;
    deps.store.save_agent(&caller.tenant_id, &agent, &caller.agent, &caller.token_hash).await?;
    Ok(json(200, &agent.availability))
}

/// RFC 7396 onto our own document: it recurses only where the document has an object, so its
/// depth is the document's (a handful of levels), never the patch's.
fn merge_patch(document: &mut serde_json::Value, patch: serde_json::Value) {
    match (document, patch) {
        (serde_json::Value::Object(target), serde_json::Value::Object(changes)) => {
            for (key, change) in changes {
                if change.is_null() {
                    target.remove(&key);
                } else if let Some(slot) = target.get_mut(&key).filter(|v| v.is_object()) {
                    merge_patch(slot, change);
                } else {
                    target.insert(key, change);
                }
            }
        }
        (document, patch) => *document = patch,
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewLink {
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    first_date: Option<NaiveDate>,
    #[serde(default)]
    last_date: Option<NaiveDate>,
    #[serde(default)]
    durations: Option<Vec<u16>>,
}

/// POST /v1/me/booking-links: a new public slug showing only the given dates (on the agent's wall
/// clock) and durations. The server enforces the limits on slots and bookings alike.
pub async fn create_link(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let body: NewLink = ctx.json()?;
    let agent = &caller.agent;
    let slug = match &body.slug {
        Some(slug) => validation::slug("slug", slug)?,
        None => agent.link_slug(&secrets::new_id()[..6]),
    };
    let limits = LinkLimits { first_date: body.first_date, last_date: body.last_date, durations: body.durations };
    let link = BookingLink { slug, limits, created_at: deps.clock.now() };
    let after = agent.with_link(link.clone())?;
    deps.store.save_agent(&caller.tenant_id, &after, agent, &caller.token_hash).await?;
    crate::app::audit::record(deps, &caller.tenant_id, &caller.by(), "link.created", &link.slug, "").await;
    Ok(json(201, &link_view(&link)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkChanges {
    /// `null` lifts the limit; leaving a field out keeps it.
    #[serde(default, deserialize_with = "crate::http::request::sent")]
    first_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::http::request::sent")]
    last_date: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "crate::http::request::sent")]
    durations: Option<Option<Vec<u16>>>,
}

/// PATCH /v1/me/booking-links/{slug} (T6): new limits for a link; the fields sent change, a
/// `null` lifts one. Meetings already booked through it keep the limits they were booked with.
pub async fn change_link(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let slug = ctx.slug()?;
    let body: LinkChanges = ctx.json()?;
    let agent = &caller.agent;
    let link = agent.links.iter().find(|l| l.slug == slug).ok_or_else(|| Problem::not_found("booking link"))?;
    let mut limits = link.limits.clone();
    if let Some(first) = body.first_date {
        limits.first_date = first;
    }
    if let Some(last) = body.last_date {
        limits.last_date = last;
    }
    if let Some(durations) = body.durations {
        limits.durations = durations;
    }
    let changed = BookingLink { limits, ..link.clone() };
    let after = agent.with_changed_link(changed.clone())?;
    deps.store.save_agent(&caller.tenant_id, &after, agent, &caller.token_hash).await?;
    crate::app::audit::record(deps, &caller.tenant_id, &caller.by(), "link.changed", slug, "").await;
    Ok(json(200, &link_view(&changed)))
}

/// DELETE /v1/me/booking-links/{slug} (T6): the link's page answers 404 from now on; meetings
/// booked through it stay.
pub async fn remove_link(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let slug = ctx.slug()?;
    let agent = &caller.agent;
    let after = agent.without_link(slug).ok_or_else(|| Problem::not_found("booking link"))?;
    deps.store.save_agent(&caller.tenant_id, &after, agent, &caller.token_hash).await?;
    crate::app::audit::record(deps, &caller.tenant_id, &caller.by(), "link.removed", slug, "").await;
    Ok(crate::http::no_content())
}

pub async fn list_links(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    Ok(json(200, &json!({ "links": caller.agent.links.iter().map(link_view).collect::<Vec<_>>() })))
}

fn link_view(link: &BookingLink) -> serde_json::Value {
    json!({
        "slug": link.slug,
        "first_date": link.limits.first_date,
        "last_date": link.limits.last_date,
        "durations": link.limits.durations,
        "page": format!("/b/{}", link.slug),
        "created_at": crate::domain::time::render_utc(link.created_at),
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Calendars {
    /// The feeds' secret iCalendar addresses (Google: "Secret address in iCal format";
    /// Outlook: "Publish calendar", the ICS link).
    feeds: Vec<String>,
}

/// PUT /v1/me/calendars: replaces the connected feeds. They are read at the next slot lookup.
pub async fn put_calendars(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let body: Calendars = ctx.json()?;
    if body.feeds.len() > MAX_CALENDARS {
        return Err(FieldError::new("feeds", format!("at most {MAX_CALENDARS} calendars")).into());
    }
    let mut calendars: Vec<ConnectedCalendar> = Vec::new();
    for (i, url) in body.feeds.iter().enumerate() {
        check_url(url.trim(), deps.feeds.policy())
            .map_err(|e| FieldError::new(format!("feeds[{i}]"), e.to_string()))?;
        let id = secrets::hash(url.trim())[..16].to_string();
        if !calendars.iter().any(|c| c.id == id) {
            calendars.push(ConnectedCalendar { id, url: url.trim().to_string() });
        }
    }
    let mut after = caller.agent.clone();
    after.calendars = calendars;
    after.version += 1;
    deps.store.save_agent(&caller.tenant_id, &after, &caller.agent, &caller.token_hash).await?;
    // Read at once, so the answer says whether each works (one that never worked adds no busy
    // time: the agent must know now, not when a guest books over it).
    calendars_view(deps, &caller.tenant_id, &after, true).await
}

/// GET /v1/me/calendars: the feeds and how their last reads went (no fetch here).
pub async fn get_calendars(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    calendars_view(deps, &caller.tenant_id, &caller.agent, false).await
}

/// The agent's calendars with how each stands; `read` refreshes them first.
async fn calendars_view(
    deps: &Deps,
    tenant_id: &str,
    agent: &crate::domain::directory::Agent,
    read: bool,
) -> Result<Response, Problem> {
    let zone = agent.availability.time_zone;
    let reader = deps.calendars();
    let (_, statuses) = reader.busy(tenant_id, &agent.id, &agent.calendars, zone, deps.clock.now(), read).await?;
    let listed: Vec<_> = agent
        .calendars
        .iter()
        .zip(statuses)
        .map(|(c, s)| {
            json!({ "id": c.id, "url": c.url, "status": s.status, "stale": s.stale, "updated_at": s.updated_at, "error": s.error })
        })
        .collect();
    Ok(json(200, &json!({ "calendars": listed })))
}
