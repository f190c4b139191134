//! A tenant's admin keys (T4): up to five, named; a new one is shown once; the list says when
//! each was last used (to the hour); revoking one refuses it at once (never the last one).

use serde::Deserialize;
use serde_json::json;

use crate::app::credentials::{self, CredentialError};
use crate::app::{self, Deps};
use crate::domain::validation;
use crate::http::problem::{limit_reached, Problem, ProblemKind};
use crate::http::request::Ctx;
use crate::http::views::AdminKeyView;
use crate::http::{auth, json, Response};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewKey {
    name: String,
}

/// POST /v1/admin-keys: the key, once.
pub async fn create(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let body: NewKey = ctx.json()?;
    let name = validation::text("name", &body.name, 60)?;
    let (key, token) = credentials::create_admin_key(deps, &admin.id, &name).await?;
    app::audit::record(deps, &admin.id, &admin.by, "admin_key.created", &key.id, name).await;
    Ok(json(201, &json!({ "key": AdminKeyView::from(&key), "admin_key": token })))
}

/// GET /v1/admin-keys: every key standing, with when it was last used.
pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let (keys, tenant) = tokio::join!(deps.store.admin_keys(&admin.id), deps.store.tenant(&admin.id));
    let keys = keys?;
    let mut views: Vec<AdminKeyView> = keys.iter().map(AdminKeyView::from).collect();
    if tenant?.is_some_and(|(_, first)| !first.is_empty()) {
        views.insert(0, AdminKeyView::first_of_before(&admin.tenant));
    }
    Ok(json(200, &json!({ "keys": views })))
}

/// DELETE /v1/admin-keys/{id}: refused from now on.
pub async fn revoke(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "admin key")?;
    credentials::revoke_admin_key(deps, &admin.id, &id).await?;
    app::audit::record(deps, &admin.id, &admin.by, "admin_key.revoked", &id, "").await;
    Ok(crate::http::no_content())
}

impl From<CredentialError> for Problem {
    fn from(err: CredentialError) -> Self {
        let detail = err.to_string();
        match err {
            CredentialError::TooMany => limit_reached(crate::domain::places::PlaceKind::AdminKey),
            CredentialError::NotFound => Problem::not_found("admin key"),
            CredentialError::Last => Problem::new(409, ProblemKind::LastAdminKey, "The last admin key", detail),
            CredentialError::Store(err) => err.into(),
        }
    }
}
