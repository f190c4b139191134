//! POST /v1/holds/{id}/confirm and /resend: a guest confirms a hold with the emailed code or the
//! one-click link's token (G2), and gets the meeting, its manage token and a guest session (G3);
//! or asks for a new code. Public: the hold's id names its tenant; the code is the credential.

use serde::Deserialize;

use crate::app::confirm::{self, Proof};
use crate::app::Deps;
use crate::http::handlers::booking::booked;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::Response;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Confirmation {
    /// The six digits from the email.
    #[serde(default)]
    code: Option<String>,
    /// The one-click link's token, as the confirmation page sends it.
    #[serde(default)]
    token: Option<String>,
}

fn hold_id(ctx: &Ctx) -> Result<(String, String), Problem> {
    ctx.public_id("id", "hold")
}

pub async fn confirm(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let (tenant_id, id) = hold_id(ctx)?;
    let body: Confirmation = ctx.json()?;
    let proof = match (&body.code, &body.token) {
        (Some(code), None) if code.len() <= 16 => Proof::Code(code.trim()),
        (None, Some(token)) if token.len() <= 200 => Proof::Link(token),
        _ => return Err(Problem::invalid("code", "send the six-digit `code`, or the link's `token`")),
    };
    tracing::Span::current().record("tenant", tenant_id.as_str());
    Ok(booked(confirm::confirm(deps, &tenant_id, &id, proof).await?))
}

pub async fn resend(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let (tenant_id, id) = hold_id(ctx)?;
    confirm::resend(deps, &tenant_id, &id, ctx.client()).await?;
    Ok(crate::http::no_content())
}
