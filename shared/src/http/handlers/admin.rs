//! Operator and tenant-admin endpoints: tenants, PBXs (sites) and agents.

use crate::i18n::Lang;
use serde::Deserialize;
use serde_json::json;

use crate::app::{self, Deps};
use crate::domain::directory::{Pbx, Tenant, MIN_RETENTION_DAYS};
use crate::domain::identity::Verification;
use crate::domain::places::PlaceKind;
use crate::domain::validation::{self, FieldError};
use crate::http::problem::{Problem, ProblemKind};
use crate::http::request::Ctx;
use crate::http::views::PbxView;
use crate::http::{auth, json, Response};
use crate::secrets;
use crate::store::{Claim, Scope};

pub(super) const MAX_NAME: usize = 100;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewTenant {
    name: String,
    #[serde(default)]
    max_meetings_per_guest: Option<u16>,
    /// What new agents start with (G1); `always` when left out.
    #[serde(default)]
    guest_verification: Verification,
    /// Its guests' bookings a minute; the deployment's default when left out.
    #[serde(default)]
    bookings_per_minute: Option<u32>,
    #[serde(default)]
    default_language: Lang,
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
        retention_days: None,
        created_at: deps.clock.now(),
        bookings_per_minute: match body.bookings_per_minute {
            Some(n) if !(1..=100_000).contains(&n) => {
                return Err(FieldError::new("bookings_per_minute", "from 1 to 100000").into())
            }
            other => other,
        },
        default_language: body.default_language,
    };
    // The first of its (at most five) admin keys, in the first place.
    let (first, token) = app::credentials::new_admin_key(&tenant.id, "first key", tenant.created_at);
    let place = Claim {
        kind: PlaceKind::AdminKey,
        scope: Scope::Tenant,
        place: 0,
        holder: &first.id,
        until: chrono::DateTime::from_timestamp(253_402_214_400, 0).unwrap_or_default(),
    };
    deps.store.create_tenant(&tenant, &first, &place).await?;
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
            "admin_key": token,
            "admin_key_id": first.id,
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
    app::audit::record(deps, &tenant.id, &tenant.by, "pbx.created", &pbx.id, "").await;
    Ok(json(201, &PbxView::from(&pbx)))
}

pub async fn list_pbxs(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let tenant = auth::admin(deps, ctx).await?;
    let pbxs = deps.store.pbxs(&tenant.id).await?;
    Ok(json(200, &json!({ "pbxs": pbxs.iter().map(PbxView::from).collect::<Vec<_>>() })))
}

/// DELETE /v1/pbxs/{id} (admin, T6): only when nothing belongs to it (no agent, active or not,
/// and no service).
pub async fn delete_pbx(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "PBX")?;
    let (pbxs, agents, services) =
        tokio::join!(deps.store.pbxs(&admin.id), deps.store.agents(&admin.id), deps.store.services(&admin.id));
    if !pbxs?.iter().any(|p| p.id == id) {
        return Err(Problem::not_found("PBX"));
    }
    let agents = agents?.iter().filter(|a| a.pbx_id == id).count();
    let services = services?.iter().filter(|s| s.pbx_id == id).count();
    let not_empty = || {
        Problem::new(
            409,
            ProblemKind::NotEmpty,
            "The PBX is not empty",
            format!("{agents} agents and {services} services belong to it; move or remove them first"),
        )
    };
    if agents + services > 0 || !deps.store.delete_pbx(&admin.id, &id).await? {
        return Err(not_empty());
    }
    app::audit::record(deps, &admin.id, &admin.by, "pbx.removed", &id, "").await;
    Ok(crate::http::no_content())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TenantSettings {
    /// T7: days after which past meetings and their conversations are erased; `null` keeps them.
    /// Left as it is when not sent.
    #[serde(default, deserialize_with = "present")]
    retention_days: Option<Option<u16>>,
    /// L1: the language of guests whose browser names none of ours.
    #[serde(default)]
    default_language: Option<Lang>,
}

/// A field that was sent (even as `null`), as opposed to one left out.
fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// GET /v1/tenant (admin): the tenant's settings.
pub async fn get_tenant(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    Ok(json(200, &tenant_view(&admin)))
}

/// PATCH /v1/tenant (admin): the retention (T7), at least 30 days, or none; the guests'
/// default language (L1). Only the fields sent change.
pub async fn update_tenant(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let body: TenantSettings = ctx.json()?;
    if body.retention_days.flatten().is_some_and(|d| !(MIN_RETENTION_DAYS..=3650).contains(&d)) {
        return Err(Problem::invalid("retention_days", format!("from {MIN_RETENTION_DAYS} to 3650 days, or null")));
    }
    let before = admin.tenant.clone();
    let mut tenant = before.clone();
    if let Some(days) = body.retention_days {
        tenant.retention_days = days;
    }
    if let Some(language) = body.default_language {
        tenant.default_language = language;
    }
    deps.store.save_tenant_settings(&tenant.id, body.retention_days, body.default_language).await?;
    if let Some(days) = body.retention_days {
        deps.store.set_retention(&tenant.id, days).await?;
    }
    // The audit trail says what changed, from what to what; a setting sent as it was is no change.
    let days = |d: Option<u16>| d.map_or("kept for ever".to_string(), |d| format!("{d} days"));
    if tenant.retention_days != before.retention_days {
        let detail = format!("{} → {}", days(before.retention_days), days(tenant.retention_days));
        app::audit::record(deps, &tenant.id, &admin.by, "tenant.retention_changed", &tenant.id, detail).await;
    }
    if tenant.default_language != before.default_language {
        let detail = format!("{} → {}", before.default_language.code(), tenant.default_language.code());
        app::audit::record(deps, &tenant.id, &admin.by, "tenant.language_changed", &tenant.id, detail).await;
    }
    Ok(json(200, &tenant_view(&tenant)))
}

fn tenant_view(tenant: &Tenant) -> serde_json::Value {
    json!({
        "id": tenant.id,
        "name": tenant.name,
        "max_meetings_per_guest": tenant.max_meetings_per_guest,
        "guest_verification": tenant.guest_verification,
        "retention_days": tenant.retention_days,
        "default_language": tenant.default_language,
    })
}

/// Identifiers are 20 hex digits; anything else cannot name a record.
pub fn id_field(field: &str, value: &str) -> Result<String, FieldError> {
    if value.len() == 20 && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(value.to_ascii_lowercase())
    } else {
        Err(FieldError::new(field, "not an identifier issued by this service"))
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
