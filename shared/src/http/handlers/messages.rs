//! A conversation's timeline (C4, C5): read it a page at a time, write in it, mark it read,
//! mute its digests. Members write; the public link reads only.

use serde::Deserialize;
use serde_json::json;

use crate::app::{self, Deps};
use crate::domain::conversation::Viewer;
use crate::domain::timeline::{MAX_MESSAGE_CHARS, MAX_MESSAGE_LINES, PAGE_DEFAULT, PAGE_MAX};
use crate::domain::validation;
use crate::http::auth;
use crate::http::handlers::booking::idempotency_key;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::MessageView;
use crate::http::{json, Response};
use crate::store::{keys, PageOf};

/// A cursor from the query (`before`, `after`, `up_to`): a message's id as the API gave it.
fn cursor(field: &str, value: &str) -> Result<String, Problem> {
    keys::message_sk_of_cursor(value).ok_or_else(|| Problem::invalid(field, "a message id as the API returned it"))
}

/// GET /v1/conversations/{id}/messages?before=|after=&limit=: a page, oldest first.
pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let page = match (ctx.query("before"), ctx.query("after")) {
        (Some(_), Some(_)) => return Err(Problem::invalid("after", "ask for `before` or `after`, not both")),
        (Some(before), None) => PageOf::Before(cursor("before", before)?),
        (None, Some(after)) => PageOf::After(cursor("after", after)?),
        (None, None) => PageOf::Newest,
    };
    let limit = ctx.limit(PAGE_DEFAULT, PAGE_MAX)?;
    let access = auth::conversation(deps, ctx, &ctx.id("id", "conversation")?).await?;
    let c = &access.conversation;
    let timeline = app::talk::read(deps, &access.tenant_id, &c.id, &page, limit).await?;
    let messages = MessageView::page(c, &access.viewer, &timeline.page);
    let first = messages.first().map(|m| m.id.clone());
    let last = messages.last().map(|m| m.id.clone());
    Ok(json(
        200,
        &json!({
            "messages": messages,
            "older": if timeline.page.more_before { first } else { None },
            "newer": if timeline.page.more_after { last.clone() } else { None },
            // Where to ask from for what comes next (`?after=`), even when nothing newer exists yet.
            "latest": last,
            "unread": timeline.activity.unread(&access.viewer),
        }),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Post {
    text: String,
}

/// POST /v1/conversations/{id}/messages: a member writes (C4).
pub async fn post(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::conversation(deps, ctx, &ctx.id("id", "conversation")?).await?;
    if !access.conversation.may_post(&access.viewer) {
        let detail = match access.viewer {
            Viewer::Outsider(None) => "the public link reads; sign in or use your meeting's link to write",
            _ => "only the conversation's members may write in it",
        };
        return Err(Problem::forbidden(detail));
    }
    let key = idempotency_key(ctx)?;
    let body: Post = ctx.json()?;
    let text = validation::message_text("text", &body.text, MAX_MESSAGE_CHARS, MAX_MESSAGE_LINES)?;
    let posted = app::talk::post(deps, &access.tenant_id, &access.conversation, &access.viewer, text, key).await?;
    let view = MessageView::new(&access.conversation, &access.viewer, &posted.sk, &posted.message);
    let mut response = json(201, &json!({ "message": view }));
    if posted.replayed {
        response.headers_mut().insert("idempotent-replayed", http::HeaderValue::from_static("true"));
    }
    Ok(response)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Read {
    /// The last message read; everything when omitted.
    #[serde(default)]
    up_to: Option<String>,
}

/// PUT /v1/conversations/{id}/read: the caller's read position moves forward (C5).
pub async fn read(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::conversation(deps, ctx, &ctx.id("id", "conversation")?).await?;
    let body: Read = ctx.json()?;
    let up_to = body.up_to.as_deref().map(|c| cursor("up_to", c)).transpose()?;
    let reader = identified(&access.viewer)?;
    let unread =
        app::talk::mark_read(deps, &access.tenant_id, &access.conversation.id, reader, up_to.as_deref()).await?;
    Ok(json(200, &json!({ "unread": unread })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Mute {
    muted: bool,
}

/// PUT /v1/conversations/{id}/mute: no digests of this conversation for the caller (C5).
pub async fn mute(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::conversation(deps, ctx, &ctx.id("id", "conversation")?).await?;
    let body: Mute = ctx.json()?;
    let member = identified(&access.viewer)?;
    if !access.conversation.may_post(member) {
        return Err(Problem::forbidden("only the conversation's members get its emails"));
    }
    app::talk::mute(deps, &access.tenant_id, &access.conversation.id, member, body.muted).await?;
    Ok(json(200, &json!({ "muted": body.muted })))
}

/// A read position or a mute belongs to someone: the public link is no one.
fn identified(viewer: &Viewer) -> Result<&Viewer, Problem> {
    match viewer {
        Viewer::Outsider(None) => Err(Problem::forbidden("the public link has no read position; sign in")),
        other => Ok(other),
    }
}
