//! POST /v1/unsubscribe/{token} (G7, RFC 8058): the one-click unsubscribe an email's
//! `List-Unsubscribe-Post` header offers; a mail client posts `List-Unsubscribe=One-Click`, the
//! page behind the link posts nothing: the token in the path is all it takes.

use serde_json::json;

use crate::app::unsubscribe::{self, UnsubscribeError};
use crate::app::Deps;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::{json, Response};

pub async fn post(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let done = unsubscribe::unsubscribe(deps, ctx.param("token")).await.map_err(|err| match err {
        UnsubscribeError::NotFound => Problem::not_found("unsubscribe link"),
        UnsubscribeError::Store(err) => err.into(),
        UnsubscribeError::Signing(err) => err.into(),
    })?;
    Ok(json(200, &json!({ "unsubscribed": true, "email": done.email, "conversation": done.conversation })))
}
