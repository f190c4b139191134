//! A conversation as a whole: read it (as a member, a colleague of its service, or by its public
//! link), rename it for everyone (C1–C3, C6).

use serde::Deserialize;

use crate::app;
use crate::app::Deps;
use crate::domain::conversation::{Author, Conversation, Viewer};
use crate::domain::timeline::PAGE_DEFAULT;
use crate::domain::validation;
use crate::http::auth;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::ConversationView;
use crate::http::{json, Response};
use crate::store::PageOf;

/// The conversation as `viewer` sees it, with the newest page of its timeline.
pub(super) async fn view(
    deps: &Deps,
    tenant_id: &str,
    conversation: &Conversation,
    viewer: &Viewer,
) -> Result<Response, Problem> {
    let timeline = app::talk::read(deps, tenant_id, &conversation.id, &PageOf::Newest, PAGE_DEFAULT).await?;
    Ok(json(200, &ConversationView::new(conversation, viewer, &timeline.page, &timeline.activity)))
}

pub async fn get(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::conversation(deps, ctx, &ctx.id("id", "conversation")?).await?;
    view(deps, &access.tenant_id, &access.conversation, &access.viewer).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rename {
    /// The new title for everyone; `null` goes back to each viewer's default.
    title: Option<String>,
}

/// Members may rename; a public-link reader may not, nor an unverified booking's link (G4).
pub async fn rename(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::conversation(deps, ctx, &ctx.id("id", "conversation")?).await?;
    let by = match &access.viewer {
        Viewer::Agent(id) if access.conversation.has_agent(id) => Author::agent(id),
        Viewer::Agent(_) => return Err(Problem::forbidden("only the conversation's members may rename it")),
        // As who they are: the guest, or an additional member, by their own address.
        Viewer::Outsider(Some(email)) if access.verified => Author::Member(email.clone()),
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
    view(deps, &access.tenant_id, &after, &access.viewer).await
}
