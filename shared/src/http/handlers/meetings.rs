//! GET, PATCH, DELETE /v1/meetings/{id}: the guest (manage token, header or `?token=`) or the
//! agent reads, reschedules, changes the duration or subject, or cancels a meeting (E1–E3).

use crate::app::change::{self, Current};
use crate::app::Deps;
use crate::domain::meeting_change::MeetingChanges;
use crate::http::auth::{self, MeetingAccess};
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::MeetingView;
use crate::http::{json, Response};

/// E3: a stale manage link shows the meeting as it is now, cancelled or moved.
pub async fn get(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, &ctx.id("id", "meeting")?).await?;
    Ok(json(200, &MeetingView::from(&access.meeting)))
}

pub async fn change(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, &ctx.id("id", "meeting")?).await?;
    let changes = ctx.json::<MeetingChanges>()?.validate()?;
    let after = change::change(deps, current(&access), &access.actor, changes).await?;
    Ok(json(200, &MeetingView::from(&after)))
}

/// DELETE cancels: the meeting stays readable, its time and the guest's place are released.
pub async fn cancel_meeting(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, &ctx.id("id", "meeting")?).await?;
    let after = change::cancel(deps, current(&access), &access.actor).await?;
    Ok(json(200, &MeetingView::from(&after)))
}

fn current(access: &MeetingAccess) -> Current<'_> {
    Current { tenant_id: &access.tenant_id, meeting: &access.meeting, manage_token_hash: &access.manage_token_hash }
}
