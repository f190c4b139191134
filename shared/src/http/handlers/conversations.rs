//! GET and PATCH /v1/conversations/{id}: read a conversation as a member or by its public link,
//! and rename it for everyone (C1–C3).

use serde::Deserialize;
use serde_json::json;

use crate::app;
use crate::app::Deps;
use crate::domain::conversation::{Author, Viewer};
use crate::domain::validation;
use crate::http::auth;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::ConversationView;
use crate::http::{json, Response};

pub async fn get(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::conversation(deps, ctx, &ctx.id("id", "conversation")?).await?;
    let messages = deps.store.messages(&access.tenant_id, &access.conversation.id).await?;
    Ok(json(200, &ConversationView::new(&access.conversation, &access.viewer, &messages)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rename {
    /// The new title for everyone; `null` goes back to each viewer's default.
    title: Option<String>,
}

/// Members may rename; a public-link reader may not.
pub async fn rename(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::conversation(deps, ctx, &ctx.id("id", "conversation")?).await?;
    let by = match &access.viewer {
        Viewer::Agent(id) => Author::agent(id),
        Viewer::Outsider(Some(_)) if access.verified => Author::Guest,
        Viewer::Outsider(Some(_)) => {
            return Err(Problem::forbidden("an unverified booking's link cannot rename its conversation"))
        }
        Viewer::Outsider(None) => return Err(Problem::forbidden("the public link can read, not rename")),
    };
    let body: Rename = ctx.json()?;
    let title = match &body.title {
        Some(title) => Some(validation::text("title", title, 100)?),
        None => None,
    };
    let after =
        app::rename::rename(deps, &access.tenant_id, &access.conversation, &access.link_token_hash, by, title).await?;
    let messages = deps.store.messages(&access.tenant_id, &after.id).await?;
    Ok(json(200, &json!(ConversationView::new(&after, &access.viewer, &messages))))
}
