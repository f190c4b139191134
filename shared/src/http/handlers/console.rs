//! The console's session (AC1): sign in by email code, who is signed in, sign out; and the
//! admin ending all of an agent's sessions (T4). The session travels only in the console's
//! cookie (see `auth::CONSOLE_COOKIE` and `docs/console.md`).

use serde::Deserialize;
use serde_json::json;

use crate::app::{self, console, Deps};
use crate::domain::identity::CONSOLE_SESSION_DAYS;
use crate::domain::time::render_utc;
use crate::domain::validation;
use crate::http::auth::{self, CONSOLE_COOKIE};
use crate::http::problem::Problem;
use crate::http::request::Ctx;
use crate::http::views::AgentView;
use crate::http::{json, Response};
use crate::secrets;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignInRequest {
    email: String,
    /// The tenant, for an address that is an agent of more than one.
    #[serde(default)]
    tenant_id: Option<String>,
}

/// POST /v1/console/sign-in: a code to the agent's address. Answered the same whether or not
/// the address is an agent's.
pub async fn start(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let body: SignInRequest = ctx.json()?;
    let email = validation::email("email", &body.email)?;
    let hint = body.tenant_id.as_deref().filter(|t| t.len() == 20 && t.bytes().all(|b| b.is_ascii_hexdigit()));
    let (id, expires_at) = console::start(deps, &email, hint, ctx.client()).await?;
    Ok(json(202, &json!({ "sign_in": { "id": id, "email": email, "expires_at": render_utc(expires_at) } })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignInCode {
    id: String,
    code: String,
}

/// POST /v1/console/sign-in/confirm: the code back; the session in the cookie (never the body).
pub async fn confirm(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let body: SignInCode = ctx.json()?;
    let (tenant_id, id) = secrets::split_public_id(&body.id).ok_or_else(|| Problem::not_found("sign-in"))?;
    let code = body.code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::invalid("code", "the six digits from the email"));
    }
    let (_, token, agent) = console::finish(deps, &tenant_id, &id, code).await?;
    let mut response = json(201, &json!({ "agent": AgentView::new(&agent, None) }));
    let cookie = format!(
        "{CONSOLE_COOKIE}={token}; Path=/; Max-Age={}; HttpOnly; Secure; SameSite=Strict",
        CONSOLE_SESSION_DAYS * 86_400
    );
    response.headers_mut().insert("set-cookie", cookie.parse().expect("a valid header"));
    Ok(response)
}

/// GET /v1/console/me: who is signed in, and what they may see.
pub async fn me(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    let tenant = deps.store.tenant(&caller.tenant_id).await?.map(|(t, _)| t);
    Ok(json(
        200,
        &json!({
            "agent": AgentView::new(&caller.agent, None),
            "tenant": { "id": caller.tenant_id, "name": tenant.map(|t| t.name).unwrap_or_default() },
        }),
    ))
}

/// DELETE /v1/console/session: signed out; the session is gone and the cookie cleared.
pub async fn sign_out(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let caller = auth::agent(deps, ctx).await?;
    if let Some(session) = &caller.session_id {
        deps.store.revoke_session(&caller.tenant_id, session).await?;
    }
    let mut response = crate::http::no_content();
    let cleared = format!("{CONSOLE_COOKIE}=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
    response.headers_mut().insert("set-cookie", cleared.parse().expect("a valid header"));
    Ok(response)
}

/// DELETE /v1/agents/{id}/sessions (admin, T4): every console session of the agent ends now.
pub async fn end_sessions(deps: &Deps, ctx: &Ctx) -> Result<Response, Problem> {
    let admin = auth::admin(deps, ctx).await?;
    let id = ctx.id("id", "agent")?;
    app::credentials::end_agent_sessions(deps, &admin.id, &id).await?.ok_or_else(|| Problem::not_found("agent"))?;
    app::audit::record(deps, &admin.id, &admin.by, "agent.sessions_ended", &id, "").await;
    Ok(crate::http::no_content())
}
