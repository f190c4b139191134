//! Who is calling (SPEC §5): the operator, a tenant admin, an agent. Each check is one read of an
//! item keyed by the tenant the token names, so a token can only ever open its own tenant.

use super::deps::Deps;
use super::problem::Problem;
use super::request::Ctx;
use crate::domain::directory::{Agent, Tenant};
use crate::secrets::{self, TokenKind};

/// An authenticated agent and what a save of its record needs.
pub struct AgentCaller {
    pub tenant_id: String,
    pub agent: Agent,
    pub token_hash: String,
}

fn presented(ctx: &Ctx) -> Result<&str, Problem> {
    ctx.bearer().ok_or_else(|| Problem::unauthorized("send `Authorization: Bearer <key or token>`"))
}

fn token_of(ctx: &Ctx, kind: TokenKind, needed: &str) -> Result<secrets::Token, Problem> {
    let token =
        secrets::parse(presented(ctx)?).ok_or_else(|| Problem::unauthorized("the bearer token is not valid"))?;
    if token.kind != kind {
        return Err(Problem::forbidden(format!("this endpoint needs {needed}")));
    }
    Ok(token)
}

pub fn operator(deps: &Deps, ctx: &Ctx) -> Result<(), Problem> {
    let key = presented(ctx)?;
    let Some(hash) = &deps.config.operator_key_hash else {
        return Err(Problem::forbidden("operator access is not configured on this deployment"));
    };
    if secrets::matches(key, hash) {
        Ok(())
    } else if secrets::parse(key).is_some() {
        Err(Problem::forbidden("this endpoint needs the operator key"))
    } else {
        Err(Problem::unauthorized("the operator key is not valid"))
    }
}

pub async fn admin(deps: &Deps, ctx: &Ctx) -> Result<Tenant, Problem> {
    let token = token_of(ctx, TokenKind::Admin, "a tenant admin key")?;
    match deps.store.tenant(&token.tenant_id).await? {
        Some((tenant, hash)) if secrets::matches(&token.secret, &hash) => {
            tracing::Span::current().record("tenant", tenant.id.as_str());
            Ok(tenant)
        }
        _ => Err(Problem::unauthorized("the admin key is not valid")),
    }
}

pub async fn agent(deps: &Deps, ctx: &Ctx) -> Result<AgentCaller, Problem> {
    let token = token_of(ctx, TokenKind::Agent, "an agent token")?;
    match deps.store.agent(&token.tenant_id, &token.subject_id).await? {
        Some((agent, hash)) if secrets::matches(&token.secret, &hash) => {
            tracing::Span::current().record("tenant", token.tenant_id.as_str());
            Ok(AgentCaller { tenant_id: token.tenant_id, agent, token_hash: hash })
        }
        _ => Err(Problem::unauthorized("the agent token is not valid")),
    }
}
