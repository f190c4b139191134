//! GET /v1/me/conversations: the agent's inbox (C6), newest activity first, a page at a time.

use serde_json::json;

use crate::app::{self, Deps};
use crate::domain::conversation::Viewer;
use crate::domain::timeline::{PAGE_DEFAULT, PAGE_MAX};
use crate::http::auth;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::InboxEntryView;
use crate::http::{json, Response};

pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let limit = ctx.limit(PAGE_DEFAULT, PAGE_MAX)?;
    // The cursor is the last entry's place in the index: a time and a conversation id.
    let before = match ctx.query("before") {
        None => None,
        Some(raw) if raw.len() <= 64 && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b"-:.#".contains(&b)) => {
            Some(raw)
        }
        Some(_) => return Err(Problem::invalid("before", "the `next` cursor of the previous page")),
    };
    let inbox = app::inbox::inbox(deps, &caller.tenant_id, &caller.agent, before, limit).await?;
    let viewer = Viewer::Agent(caller.agent.id.clone());
    let entries: Vec<InboxEntryView> =
        inbox.entries.iter().map(|e| InboxEntryView::new(&e.conversation, &e.activity, e.member, &viewer)).collect();
    Ok(json(200, &json!({ "conversations": entries, "next": inbox.next })))
}
