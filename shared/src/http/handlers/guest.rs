//! The guest's identity (G3): sign in by email code without booking, list one's meetings and
//! conversations with the tenant's agents, sign out.

use crate::app;
use crate::i18n::Lang;
use serde::Deserialize;
use serde_json::json;

use crate::app::guest;
use crate::app::Deps;
use crate::domain::conversation::Viewer;
use crate::domain::directory::BookingPage;
use crate::domain::time::render_utc;
use crate::domain::validation;
use crate::http::auth;
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::{ConversationSummary, MeetingView};
use crate::http::{json, Response};
use crate::secrets;
use crate::store::Page;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignInRequest {
    /// Where the guest signs in: a booking page of the tenant, or a conversation's page (its
    /// public reference, as in `/c/{reference}`).
    #[serde(default)]
    slug: Option<String>,
    #[serde(default)]
    conversation: Option<String>,
    email: String,
    /// The page's language (L1); else `Accept-Language`, else the tenant's default.
    #[serde(default)]
    language: Option<Lang>,
}

/// The booking page a sign-in speaks for: the one named, or the conversation's agent's own.
async fn sign_in_page(deps: &Deps, body: &SignInRequest) -> Result<BookingPage, Problem> {
    match (&body.slug, &body.conversation) {
        (Some(slug), None) => {
            validation::slug("slug", slug).map_err(|_| Problem::not_found("booking page"))?;
            match deps.store.page(slug, true).await?.ok_or_else(|| Problem::not_found("booking page"))? {
                Page::Agent(page) => Ok(*page),
                // A service's page: the sign-in speaks for the service (its first host's page,
                // named for the service).
                Page::Service(service) => {
                    let first = service.members.first().ok_or_else(|| Problem::not_found("booking page"))?;
                    let (host, _) = deps
                        .store
                        .agent(&service.tenant_id, &first.agent_id)
                        .await?
                        .ok_or_else(|| Problem::not_found("booking page"))?;
                    let page = service.for_host(&host, crate::domain::hosts::HostReason::OnlyFree);
                    Ok(BookingPage { agent_name: service.service_name.clone(), ..page })
                }
            }
        }
        (None, Some(reference)) => {
            let not_found = || Problem::not_found("conversation");
            let (tenant_id, id) = secrets::split_public_id(reference).ok_or_else(not_found)?;
            let (conversation, _) = deps.store.conversation(&tenant_id, &id).await?.ok_or_else(not_found)?;
            let (agent, _) = deps.store.agent(&tenant_id, &conversation.agent_id).await?.ok_or_else(not_found)?;
            Ok(BookingPage::for_agent(&tenant_id, &agent))
        }
        _ => Err(Problem::invalid("slug", "send the booking page's `slug` or the `conversation` reference")),
    }
}

/// POST /v1/guest/sign-in: a code to the address (at most five an hour).
pub async fn start(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let body: SignInRequest = ctx.json()?;
    let email = validation::email("email", &body.email)?;
    let page = sign_in_page(deps, &body).await?;
    let language = app::language::of_guest(deps, body.language, ctx.header("accept-language"), &page.tenant_id).await?;
    let (id, expires_at) = guest::start_sign_in(deps, &page, &email, language, ctx.client()).await?;
    Ok(json(202, &json!({ "sign_in": { "id": id, "email": email, "expires_at": render_utc(expires_at) } })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignInCode {
    id: String,
    /// The six digits from the email.
    #[serde(default)]
    code: Option<String>,
    /// Or the token of the email's one-click link (G8).
    #[serde(default)]
    token: Option<String>,
}

/// POST /v1/guest/sign-in/confirm: the code (or the email's link) back, a session out.
pub async fn confirm(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let body: SignInCode = ctx.json()?;
    let (tenant_id, id) = secrets::split_public_id(&body.id).ok_or_else(|| Problem::not_found("sign-in"))?;
    let proof = match (body.code.as_deref().map(str::trim), body.token.as_deref()) {
        (Some(code), None) if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) => {
            guest::SignInProof::Code(code)
        }
        (None, Some(token)) if token.len() <= 200 => guest::SignInProof::Link(token),
        _ => return Err(Problem::invalid("code", "the six digits from the email, or the link's `token`")),
    };
    let (session, token) = guest::finish_sign_in(deps, &tenant_id, &id, proof, false).await?;
    let expires_at = chrono::DateTime::from_timestamp(session.expires_at, 0).unwrap_or_default();
    Ok(json(
        201,
        &json!({ "session": { "token": token, "email": session.email, "expires_at": render_utc(expires_at) } }),
    ))
}

/// GET /v1/guest/meetings: the signed-in guest's meetings and conversations with the tenant's agents.
pub async fn list(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let (tenant_id, session) = auth::signed_in_guest(deps, ctx).await?;
    let (meetings, conversations) = guest::listing(deps, &tenant_id, &session).await?;
    let viewer = Viewer::Outsider(Some(session.email.clone()));
    Ok(json(
        200,
        &json!({
            "email": session.email,
            "meetings": meetings.iter().map(MeetingView::from).collect::<Vec<_>>(),
            "conversations": conversations.iter().map(|c| ConversationSummary::new(c, &viewer)).collect::<Vec<_>>(),
        }),
    ))
}

/// DELETE /v1/guest/session: signs out; the token stops working at once.
pub async fn sign_out(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let (tenant_id, session) = auth::signed_in_guest(deps, ctx).await?;
    deps.store.revoke_session(&tenant_id, &session.id).await?;
    Ok(crate::http::no_content())
}
