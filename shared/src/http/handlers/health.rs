//! GET /v1/health: the API answers and its table does too.

use serde_json::json;

use crate::app::Deps;
use crate::domain::time::render_utc;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::{json, Response};

pub async fn get(deps: &Deps, _ctx: &Ctx) -> Result<Response, Problem> {
    deps.store.ping().await?;
    Ok(json(200, &json!({ "status": "ok", "store": "ok", "time": render_utc(deps.clock.now()) })))
}
