//! A guest's privacy requests (admin, T7): everything the tenant holds about an address, as JSON
//! with an iCalendar file of its meetings; its erasure, with a receipt; and (T4) all of its
//! sessions revoked at once.

use serde_json::json;

use super::suppressions::percent_decoded;
use crate::app::privacy::{self, PrivacyError};
use crate::app::{self, Deps};
use crate::domain::conversation::Viewer;
use crate::domain::time::render_utc;
use crate::domain::validation;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::{ConversationSummary, MeetingView};
use crate::http::{auth, json, Response};

fn address(ctx: &Ctx) -> Result<String, Problem> {
    Ok(validation::email("email", &percent_decoded(ctx.param("email")))?)
}

/// GET /v1/guests/{email}/export
pub async fn export(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let email = address(ctx)?;
    let found = privacy::export(deps, &admin.id, &email).await?;
    let viewer = Viewer::Outsider(Some(email.clone()));
    let messages: Vec<_> = found
        .messages
        .iter()
        .map(|(conversation, m)| {
            let shown = found.conversations.iter().find(|c| c.id == *conversation);
            json!({
                "conversation_id": conversation,
                "at": render_utc(m.at),
                "text": m.text(),
                "author": shown.map(|c| c.author_name(&m.by)),
            })
        })
        .collect();
    let sessions: Vec<_> = found
        .sessions
        .iter()
        .map(|s| json!({ "id": s.id, "created_at": render_utc(s.created_at), "last_used": s.last_used }))
        .collect();
    let suppressions: Vec<_> = found
        .suppressions
        .iter()
        .map(|s| json!({ "reason": s.reason, "at": render_utc(s.at), "conversation_id": s.conversation_id }))
        .collect();
    app::audit::record(deps, &admin.id, &admin.by, "guest.exported", app::audit::A_GUEST, "").await;
    Ok(json(
        200,
        &json!({
            "email": found.email,
            "meetings": found.meetings.iter().map(MeetingView::from).collect::<Vec<_>>(),
            "conversations": found.conversations.iter().map(|c| ConversationSummary::new(c, &viewer)).collect::<Vec<_>>(),
            "messages": messages,
            "sessions": sessions,
            "suppressions": suppressions,
            "calendar": found.calendar,
        }),
    ))
}

/// POST /v1/guests/{email}/erase: 200 with the receipt once done, 202 while it goes on (the same
/// call again carries on).
pub async fn erase(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let email = address(ctx)?;
    let receipt = privacy::erase(deps, &admin.id, &email).await?;
    if receipt.done {
        let target = format!("erasure:{}", receipt.erasure.id);
        let detail = format!(
            "{} meetings cancelled, {} messages erased",
            receipt.erasure.cancelled.len(),
            receipt.erasure.messages
        );
        app::audit::record(deps, &admin.id, &admin.by, "guest.erased", &target, detail).await;
    }
    Ok(json(if receipt.done { 200 } else { 202 }, &privacy::receipt_json(&receipt)))
}

/// DELETE /v1/guests/{email}/sessions (T4): every session of the address ends now.
pub async fn revoke_sessions(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let email = address(ctx)?;
    let revoked = app::guest::revoke_all(deps, &admin.id, &email).await?;
    let detail = format!("{revoked} sessions");
    app::audit::record(deps, &admin.id, &admin.by, "guest.sessions_revoked", app::audit::A_GUEST, detail).await;
    Ok(json(200, &json!({ "revoked": revoked })))
}

impl From<PrivacyError> for Problem {
    fn from(err: PrivacyError) -> Self {
        match err {
            PrivacyError::Store(err) => err.into(),
        }
    }
}
