//! GET, PATCH, DELETE /v1/meetings/{id}: the guest (manage token, header or `?token=`) or the
//! agent reads, reschedules, changes the duration or subject, or cancels a meeting (E1–E3).

use crate::app::change::{self, Actor, Current};
use crate::app::{self, Deps};
use crate::domain::meeting_change::MeetingChanges;
use crate::http::auth::{self, MeetingAccess};
use crate::http::problem::{Problem, ProblemKind};
use crate::http::request::Ctx;
use crate::http::views::MeetingView;
use crate::http::{json, Response};

/// The meeting as the caller sees it: an agent in the agent's zone, a guest in the guest's.
fn seen(meeting: &crate::domain::meeting::Meeting, actor: &Actor) -> Response {
    let zone = match actor {
        Actor::Agent(agent) => Some(agent.availability.time_zone),
        _ => meeting.guest.time_zone,
    };
    json(200, &MeetingView::seen_in(meeting, zone))
}

/// E3: a stale manage link shows the meeting as it is now, cancelled or moved.
pub async fn get(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, &ctx.id("id", "meeting")?).await?;
    Ok(seen(&access.meeting, &access.actor))
}

pub async fn change(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, &ctx.id("id", "meeting")?).await?;
    let changes = ctx.json::<MeetingChanges>()?.validate()?;
    let after = change::change(deps, current(&access), &access.actor, changes).await?;
    Ok(seen(&after, &access.actor))
}

/// DELETE cancels: the meeting stays readable, its time and the guest's place are released.
pub async fn cancel_meeting(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, &ctx.id("id", "meeting")?).await?;
    let after = change::cancel(deps, current(&access), &access.actor).await?;
    Ok(seen(&after, &access.actor))
}

/// POST /v1/meetings/{id}/manage-token (G11): a new manage link; the old one stops working at once
/// and the guest is mailed the new one. A guest who asks gets it in the answer too; an agent does
/// not (an agent never holds a guest's token).
pub async fn reissue_manage_token(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let access = auth::meeting(deps, ctx, &ctx.id("id", "meeting")?).await?;
    let meeting = &access.meeting;
    let agent = match &access.actor {
        Actor::Agent(agent) => agent.contact(),
        Actor::Guest { .. } => {
            let found = deps.store.agent(&access.tenant_id, &meeting.agent_id).await?;
            found.map(|(agent, _)| agent.contact()).ok_or_else(|| Problem::not_found("meeting"))?
        }
    };
    let token = app::manage::reissue(deps, &access.tenant_id, meeting, &access.manage_token_hash, agent)
        .await?
        .ok_or_else(|| Problem::new(409, ProblemKind::Conflict, "Replaced meanwhile", "the link was just replaced"))?;
    Ok(match access.actor {
        Actor::Guest { .. } => {
            json(201, &serde_json::json!({ "manage_token": token, "emailed_to": meeting.guest.email }))
        }
        Actor::Agent(_) => json(202, &serde_json::json!({ "emailed_to": meeting.guest.email })),
    })
}

fn current(access: &MeetingAccess) -> Current<'_> {
    Current { tenant_id: &access.tenant_id, meeting: &access.meeting, manage_token_hash: &access.manage_token_hash }
}
