//! Who is calling (SPEC §5): the operator, a tenant admin, an agent. Each check is one read of an
//! item keyed by the tenant the token names, so a token can only ever open its own tenant.

use super::problem::Problem;
use super::request::Ctx;
use crate::app::change::Actor;
use crate::app::{self, Deps};
use crate::domain::conversation::{Conversation, Viewer};
use crate::domain::directory::{Agent, AgentRole, Tenant};
use crate::domain::identity::console_session_stands;
use crate::domain::meeting::Meeting;
use crate::secrets::{self, TokenKind};
use crate::store::{CredentialKind, SessionRecord};

/// An authenticated agent and what a save of its record needs.
pub struct AgentCaller {
    pub tenant_id: String,
    pub agent: Agent,
    /// The hash of an API token of before tokens were credentials (kept as it is by a save).
    pub token_hash: String,
    /// The console session the caller came with (AC1), if that is how.
    pub session_id: Option<String>,
}

impl AgentCaller {
    /// Who acted, as the audit trail names an agent (T8).
    pub fn by(&self) -> String {
        format!("agent:{}", self.agent.id)
    }
}

/// A tenant admin: the tenant, and who acted (for the audit trail, T8).
pub struct AdminCaller {
    pub tenant: Tenant,
    /// `key:<id>` (an admin key) or `agent:<id>` (an agent with the admin role).
    pub by: String,
}

impl std::ops::Deref for AdminCaller {
    type Target = Tenant;

    fn deref(&self) -> &Tenant {
        &self.tenant
    }
}

fn presented(ctx: &Ctx) -> Result<&str, Problem> {
    ctx.bearer().ok_or_else(|| Problem::unauthorized("send `Authorization: Bearer <key or token>`"))
}

/// The cookie that carries an agent's console session (AC1): `__Host-` (set by this origin only,
/// `Secure`, path `/`), `HttpOnly` (no script reads it) and `SameSite=Strict` (no other site's
/// request carries it). See `docs/console.md` for why a cookie and not a header.
pub const CONSOLE_COOKIE: &str = "__Host-console";

/// The header every console write carries: a request from another origin cannot set it without
/// a CORS preflight this API never grants, so a forged form or cross-origin script is refused
/// even where the browser sent the cookie (OWASP's custom-request-header defence).
pub const CONSOLE_WRITE_HEADER: (&str, &str) = ("x-requested-with", "console");

/// The console session in the cookie, when the request has no `Authorization` header: only an
/// agent session is read from it, and a write must carry [`CONSOLE_WRITE_HEADER`].
fn console_session(ctx: &Ctx) -> Result<Option<secrets::Token>, Problem> {
    let Some(text) = ctx.cookie(CONSOLE_COOKIE) else { return Ok(None) };
    let Some(token) = secrets::parse(text).filter(|t| t.kind == TokenKind::AgentSession) else { return Ok(None) };
    let (name, value) = CONSOLE_WRITE_HEADER;
    if !matches!(ctx.method(), "GET" | "HEAD") && ctx.header(name) != Some(value) {
        return Err(Problem::forbidden(format!("a console request that changes something carries `{name}: {value}`")));
    }
    Ok(Some(token))
}

/// The credential in the `Authorization` header or, without one, the console's session cookie.
fn header_or_console(ctx: &Ctx) -> Result<Option<secrets::Token>, Problem> {
    match ctx.bearer() {
        Some(text) => parsed(text).map(Some),
        None => console_session(ctx),
    }
}

fn parsed(text: &str) -> Result<secrets::Token, Problem> {
    secrets::parse(text).ok_or_else(|| Problem::unauthorized("the bearer token is not valid"))
}

/// The token from the header or, only for the kinds a link may carry on this route, from
/// `?token=`. Agent and admin credentials never travel in a URL (URLs end up in logs, histories
/// and calendar services' subscription lists).
fn header_or_link(ctx: &Ctx, link_kinds: &[TokenKind], missing: &str) -> Result<secrets::Token, Problem> {
    if let Some(token) = header_or_console(ctx)? {
        return Ok(token);
    }
    let text = ctx.link_token().ok_or_else(|| Problem::unauthorized(missing.to_string()))?;
    let token = parsed(text)?;
    if !link_kinds.contains(&token.kind) {
        return Err(Problem::unauthorized("this token may only be sent in the Authorization header"));
    }
    Ok(token)
}

/// The credential of one of `kinds` (from the header, or the console's cookie), or a refusal.
fn token_of(ctx: &Ctx, kinds: &[TokenKind], needed: &str) -> Result<secrets::Token, Problem> {
    let missing = || Problem::unauthorized("send `Authorization: Bearer <key or token>`");
    let token = header_or_console(ctx)?.ok_or_else(missing)?;
    if !kinds.contains(&token.kind) {
        return Err(Problem::forbidden(format!("this endpoint needs {needed}")));
    }
    Ok(token)
}

/// An agent's API token or console session.
const AGENT_KINDS: &[TokenKind] = &[TokenKind::Agent, TokenKind::AgentSession];

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

/// A tenant admin: an admin key (T4: one of up to five, each revocable; a tenant's first key of
/// before named keys is named by the tenant's own id), or an agent with the admin role (AC3).
pub async fn admin(deps: &Deps, ctx: &Ctx) -> Result<AdminCaller, Problem> {
    let token = token_of(ctx, &[TokenKind::Admin, TokenKind::Agent, TokenKind::AgentSession], "a tenant admin key")?;
    if token.kind != TokenKind::Admin {
        let caller = verify_agent(deps, token).await?;
        if caller.agent.role != AgentRole::Admin {
            return Err(Problem::forbidden("this endpoint needs a tenant admin key or an agent with the admin role"));
        }
        let by = caller.by();
        let (tenant, _) = deps.store.tenant(&caller.tenant_id).await?.ok_or_else(|| Problem::not_found("tenant"))?;
        return Ok(AdminCaller { tenant, by });
    }
    let invalid = || Problem::unauthorized("the admin key is not valid (it may have been revoked)");
    let first_of_before = token.subject_id == token.tenant_id;
    let (tenant, key) = tokio::join!(deps.store.tenant(&token.tenant_id), async {
        match first_of_before {
            true => Ok(None),
            false => deps.store.credential(&token.tenant_id, CredentialKind::Admin, &token.subject_id).await,
        }
    });
    let (tenant, first_hash) = tenant?.ok_or_else(invalid)?;
    let key = key?;
    let hash = match &key {
        Some(key) => key.hash.clone(),
        None if first_of_before => first_hash,
        None => return Err(invalid()),
    };
    if hash.is_empty() || !secrets::matches(&token.secret, &hash) {
        return Err(invalid());
    }
    tracing::Span::current().record("tenant", tenant.id.as_str());
    if let Some(key) = &key {
        deps.store.touch_credential(&tenant.id, key, deps.clock.now()).await;
    }
    Ok(AdminCaller { tenant, by: format!("key:{}", token.subject_id) })
}

pub async fn agent(deps: &Deps, ctx: &Ctx) -> Result<AgentCaller, Problem> {
    let token = token_of(ctx, AGENT_KINDS, "an agent token")?;
    verify_agent(deps, token).await
}

/// The agent whose calendar feed is read: by its own token in the header, or by the feed's
/// read-only token in `?token=` (what a calendar app subscribes with).
pub async fn calendar_feed_reader(deps: &Deps, ctx: &Ctx) -> Result<(String, Agent), Problem> {
    let token = header_or_link(ctx, &[TokenKind::CalendarFeed], "send the calendar feed's token")?;
    match token.kind {
        TokenKind::Agent | TokenKind::AgentSession => {
            verify_agent(deps, token).await.map(|caller| (caller.tenant_id, caller.agent))
        }
        TokenKind::CalendarFeed => {
            let (hash, agent) = tokio::join!(
                deps.store.calendar_feed_token(&token.tenant_id, &token.subject_id),
                deps.store.agent(&token.tenant_id, &token.subject_id)
            );
            match (hash?, agent?) {
                (Some(feed), Some((agent, _))) if secrets::matches(&token.secret, &feed.hash) => {
                    active(&agent)?;
                    tracing::Span::current().record("tenant", token.tenant_id.as_str());
                    deps.store.touch_calendar_feed_token(&token.tenant_id, &agent.id, &feed, deps.clock.now()).await;
                    Ok((token.tenant_id, agent))
                }
                _ => Err(Problem::unauthorized("the calendar feed's token is not valid (it may have been revoked)")),
            }
        }
        _ => Err(Problem::forbidden("this endpoint needs the calendar feed's token or an agent token")),
    }
}

/// An agent's API token or console session, and the agent active.
async fn verify_agent(deps: &Deps, token: secrets::Token) -> Result<AgentCaller, Problem> {
    match token.kind {
        TokenKind::AgentSession => verify_console_session(deps, token).await,
        _ => verify_agent_token(deps, token).await,
    }
}

/// AC1: a console session stands (7 days, 12 idle hours), its agent active and its sessions not
/// revoked since it opened.
async fn verify_console_session(deps: &Deps, token: secrets::Token) -> Result<AgentCaller, Problem> {
    let now = deps.clock.now();
    let invalid = || Problem::unauthorized("the console session has ended; sign in again");
    let session = deps.store.session(&token.tenant_id, &token.subject_id).await?.ok_or_else(invalid)?;
    let stands = console_session_stands(session.created_at, session.last_used.as_deref(), now)
        && session.expires_at > now.timestamp()
        && secrets::matches(&token.secret, &session.token_hash);
    let agent_id = session.agent_id.as_deref().filter(|_| stands).ok_or_else(invalid)?;
    let (agent, legacy_hash, _) =
        deps.store.agent_with_credential(&token.tenant_id, agent_id).await?.ok_or_else(invalid)?;
    active(&agent)?;
    if agent.sessions_after.is_some_and(|after| session.created_at <= after) {
        return Err(invalid());
    }
    tracing::Span::current().record("tenant", token.tenant_id.as_str());
    deps.store.touch_session(&token.tenant_id, &session, now).await;
    Ok(AgentCaller { tenant_id: token.tenant_id, agent, token_hash: legacy_hash, session_id: Some(session.id) })
}

/// An agent's API token (T4, T5): its credential (or, for an agent of before, the hash on the
/// agent), and the agent active.
async fn verify_agent_token(deps: &Deps, token: secrets::Token) -> Result<AgentCaller, Problem> {
    let (tenant_id, agent_id) = (&token.tenant_id, &token.subject_id);
    let invalid = || Problem::unauthorized("the agent token is not valid (it may have been replaced)");
    let (agent, legacy_hash, credential) =
        deps.store.agent_with_credential(tenant_id, agent_id).await?.ok_or_else(invalid)?;
    let hash = match &credential {
        Some(credential) => credential.hash.clone(),
        None => legacy_hash.clone(),
    };
    if hash.is_empty() || !secrets::matches(&token.secret, &hash) {
        return Err(invalid());
    }
    active(&agent)?;
    tracing::Span::current().record("tenant", tenant_id.as_str());
    if let Some(credential) = &credential {
        deps.store.touch_credential(tenant_id, credential, deps.clock.now()).await;
    }
    Ok(AgentCaller { tenant_id: token.tenant_id, agent, token_hash: legacy_hash, session_id: None })
}

/// T5: a deactivated agent's every credential is refused.
fn active(agent: &Agent) -> Result<(), Problem> {
    match agent.active {
        true => Ok(()),
        false => Err(Problem::unauthorized("this agent is deactivated")),
    }
}

/// A meeting and the caller allowed to see and change it.
pub struct MeetingAccess {
    pub tenant_id: String,
    pub actor: Actor,
    pub meeting: Meeting,
    pub manage_token_hash: String,
}

/// The guest session that came with a request to `tenant_id` (G3), in the header only, if it is
/// valid now. A token of another kind or another tenant, or none, is no session (and is not
/// read); a session token of this tenant that is not valid is refused.
pub async fn guest_session(deps: &Deps, ctx: &Ctx, tenant_id: &str) -> Result<Option<SessionRecord>, Problem> {
    let Some(text) = ctx.bearer() else {
        return Ok(None);
    };
    let token = parsed(text)?;
    if token.kind != TokenKind::GuestSession || token.tenant_id != tenant_id {
        return Ok(None);
    }
    valid_session(deps, &token).await.map(Some)
}

/// The guest session a guest-only endpoint needs, with its tenant.
pub async fn signed_in_guest(deps: &Deps, ctx: &Ctx) -> Result<(String, SessionRecord), Problem> {
    let token = token_of(ctx, &[TokenKind::GuestSession], "a guest session")?;
    let session = valid_session(deps, &token).await?;
    Ok((token.tenant_id, session))
}

/// A guest session token's session, if it is valid now; refused otherwise.
async fn valid_session(deps: &Deps, token: &secrets::Token) -> Result<SessionRecord, Problem> {
    match app::guest::session(deps, token).await? {
        Some(session) => {
            tracing::Span::current().record("tenant", token.tenant_id.as_str());
            Ok(session)
        }
        None => Err(Problem::unauthorized("the guest session is not valid (it may have expired or been signed out)")),
    }
}

/// The guest's manage token opens its own meeting only; a guest session opens the meetings booked
/// with its address; an agent token opens the agent's own meetings only. Anything else is "no such
/// meeting", so ids cannot be probed.
pub async fn meeting(deps: &Deps, ctx: &Ctx, meeting_id: &str) -> Result<MeetingAccess, Problem> {
    let token = header_or_link(ctx, &[TokenKind::Manage], "send the manage token or an agent token")?;
    let not_found = || Problem::not_found("meeting");
    match token.kind {
        TokenKind::Manage => {
            if token.subject_id != meeting_id {
                return Err(not_found());
            }
            let (meeting, hash) = deps.store.meeting(&token.tenant_id, meeting_id).await?.ok_or_else(not_found)?;
            if !secrets::matches(&token.secret, &hash) {
                return Err(Problem::unauthorized("the manage token is not valid"));
            }
            tracing::Span::current().record("tenant", token.tenant_id.as_str());
            let manage_token = secrets::compose(TokenKind::Manage, &token.tenant_id, &token.subject_id, &token.secret);
            let actor = Actor::Guest { manage_token: Some(manage_token) };
            Ok(MeetingAccess { tenant_id: token.tenant_id, actor, meeting, manage_token_hash: hash })
        }
        TokenKind::GuestSession => {
            let tenant_id = token.tenant_id.clone();
            let (session, found) =
                tokio::join!(valid_session(deps, &token), deps.store.meeting(&tenant_id, meeting_id));
            let session = session?;
            let (meeting, hash) = found?.ok_or_else(not_found)?;
            if meeting.guest.email != session.email {
                return Err(not_found());
            }
            Ok(MeetingAccess {
                tenant_id,
                actor: Actor::Guest { manage_token: None },
                meeting,
                manage_token_hash: hash,
            })
        }
        TokenKind::Agent | TokenKind::AgentSession => {
            let tenant_id = token.tenant_id.clone();
            let (caller, found) = tokio::join!(verify_agent(deps, token), deps.store.meeting(&tenant_id, meeting_id));
            let caller = caller?;
            let (meeting, hash) = found?.ok_or_else(not_found)?;
            if meeting.agent_id != caller.agent.id {
                return Err(not_found());
            }
            Ok(MeetingAccess {
                tenant_id,
                actor: Actor::Agent(Box::new(caller.agent)),
                meeting,
                manage_token_hash: hash,
            })
        }
        _ => Err(Problem::forbidden("this endpoint needs a manage token or an agent token")),
    }
}

/// A conversation and how the caller sees it.
pub struct ConversationAccess {
    pub tenant_id: String,
    pub viewer: Viewer,
    pub conversation: Conversation,
    pub link_token_hash: String,
    /// Whether the caller is a member who proved who they are (an agent, a guest session, the
    /// manage token of a verified meeting): only they may change it (G4).
    pub verified: bool,
}

/// Members (the agent; a guest through a session, the member link its emails carry, or the
/// manage token of one of its meetings) and anyone holding the public link may read a
/// conversation.
pub async fn conversation(deps: &Deps, ctx: &Ctx, conversation_id: &str) -> Result<ConversationAccess, Problem> {
    let not_found = || Problem::not_found("conversation");
    // G11: a member's link, signed for this conversation and this member's address.
    if let Some(link) = ctx.bearer().or_else(|| ctx.link_token()).and_then(secrets::parse_link) {
        if link.kind != secrets::LinkKind::ConversationMember || link.conversation_id != conversation_id {
            return Err(not_found());
        }
        if !link.verify(deps.notifier.signer.key().await?) {
            return Err(Problem::unauthorized("the conversation link is not valid"));
        }
        let (conversation, link_token_hash) =
            deps.store.conversation(&link.tenant_id, conversation_id).await?.ok_or_else(not_found)?;
        // The member must still be one (an erased or removed address is not).
        let email = conversation
            .member_email(|email| secrets::address_digest(email) == link.member)
            .ok_or_else(not_found)?
            .to_string();
        tracing::Span::current().record("tenant", link.tenant_id.as_str());
        let viewer = Viewer::Outsider(Some(email));
        return Ok(ConversationAccess {
            tenant_id: link.tenant_id,
            viewer,
            conversation,
            link_token_hash,
            verified: true,
        });
    }
    let token = header_or_link(
        ctx,
        &[TokenKind::ConversationLink, TokenKind::Manage],
        "send a token or the conversation link",
    )?;
    let tenant_id = token.tenant_id.clone();
    let found = deps.store.conversation(&tenant_id, conversation_id);
    let (viewer, found, verified) = match token.kind {
        TokenKind::Agent | TokenKind::AgentSession => {
            let (caller, found) = tokio::join!(verify_agent(deps, token), found);
            (Viewer::Agent(caller?.agent.id), found?, true)
        }
        TokenKind::GuestSession => {
            let (session, found) = tokio::join!(valid_session(deps, &token), found);
            let session = session?;
            let found = found?;
            if !found.as_ref().is_some_and(|(c, _)| c.has_email(&session.email)) {
                return Err(not_found());
            }
            (Viewer::Outsider(Some(session.email)), found, true)
        }
        TokenKind::Manage => {
            let (meeting, found) = tokio::join!(deps.store.meeting(&tenant_id, &token.subject_id), found);
            let invalid = || Problem::unauthorized("the manage token is not valid");
            let (meeting, hash) = meeting?.ok_or_else(invalid)?;
            if !secrets::matches(&token.secret, &hash) {
                return Err(invalid());
            }
            if meeting.conversation_id != conversation_id {
                return Err(not_found());
            }
            (Viewer::Outsider(Some(meeting.guest.email)), found?, meeting.verified)
        }
        TokenKind::ConversationLink => {
            let found = found.await?;
            match &found {
                Some((_, hash)) if token.subject_id == conversation_id && secrets::matches(&token.secret, hash) => {}
                _ => return Err(not_found()),
            }
            (Viewer::Outsider(None), found, false)
        }
        TokenKind::Admin | TokenKind::CalendarFeed | TokenKind::HoldLink | TokenKind::SignInLink => {
            return Err(Problem::forbidden("conversations are for their members"))
        }
    };
    let (conversation, link_token_hash) = found.ok_or_else(not_found)?;
    if let Viewer::Agent(agent_id) = &viewer {
        // C6: an unassigned conversation is read by the colleagues of its services too (that is
        // how they decide to take it); once assigned, by its members only.
        if !conversation.has_agent(agent_id) {
            let services = deps.store.services(&tenant_id).await?;
            if !crate::domain::assignment::in_service_queue(&conversation, agent_id, &services) {
                return Err(not_found());
            }
        }
    }
    tracing::Span::current().record("tenant", tenant_id.as_str());
    Ok(ConversationAccess { tenant_id, viewer, conversation, link_token_hash, verified })
}
