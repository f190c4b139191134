//! GET /v1/audit (admin, T8): the tenant's admin actions, newest first, a page at a time.

use serde_json::json;

use crate::app::Deps;
use crate::domain::time::render_utc;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::{auth, json, Response};
use crate::store::keys;

pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let limit = ctx.limit(50, 200)?;
    let before = match ctx.query("before") {
        Some(b) if b.len() <= 80 && b.starts_with(keys::AUDIT_PREFIX) => Some(b),
        Some(_) => return Err(Problem::invalid("before", "a cursor as the API returned it")),
        None => None,
    };
    let page = deps.store.audit_page(&admin.id, before, limit).await?;
    let entries: Vec<_> = page
        .entries
        .iter()
        .map(|e| json!({ "at": render_utc(e.at), "by": e.by, "action": e.action, "target": e.target, "detail": e.detail }))
        .collect();
    Ok(json(200, &json!({ "entries": entries, "next": page.next })))
}
