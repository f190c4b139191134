//! A guest's identity (G3): sessions, signing in by email code without booking, the guest's own
//! list of meetings and conversations with the tenant's agents, and signing out.

use crate::i18n::Lang;
use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

use super::deliver::deliver_now;
use super::places::Claims;
use super::Deps;
use crate::domain::conversation::Conversation;
use crate::domain::directory::BookingPage;
use crate::domain::identity::{Challenge, Verdict, CONSOLE_SESSION_DAYS, SESSION_DAYS};
use crate::domain::meeting::Meeting;
use crate::domain::notification::{code_mail, CodeMail, ConfirmLink, Reason, Recipient, Role};
use crate::domain::places::PlaceKind;
use crate::secrets::{self, Token, TokenKind};
use crate::store::{SessionRecord, SignIn, StoreError};

#[derive(Debug, Error)]
pub enum GuestError {
    #[error("no such sign-in")]
    NotFound,
    #[error("that code is not right; {left} tries left")]
    WrongCode { left: u32 },
    #[error("the code has expired or was used up; ask for a new one")]
    Gone,
    /// The address's codes for the hour, or the client's (G5, G8).
    #[error("too many codes for the hour ({0:?})")]
    TooManyCodes(PlaceKind),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A new session for an address: its record (to store) and its token (to hand over once).
pub fn new_session(tenant_id: &str, email: &str, now: DateTime<Utc>) -> (SessionRecord, String) {
    opened(tenant_id, email, None, now)
}

/// A session: a guest's (30 days), or with `agent_id` an agent's console session (AC1: 7 days,
/// and 12 idle hours, see `identity::console_session_stands`).
fn opened(tenant_id: &str, email: &str, agent_id: Option<&str>, now: DateTime<Utc>) -> (SessionRecord, String) {
    let id = secrets::new_id();
    let (kind, days) = match agent_id {
        None => (TokenKind::GuestSession, SESSION_DAYS),
        Some(_) => (TokenKind::AgentSession, CONSOLE_SESSION_DAYS),
    };
    let token = secrets::issue(kind, tenant_id, &id);
    let record = SessionRecord {
        id,
        email: email.to_string(),
        token_hash: token.hash,
        created_at: now,
        expires_at: (now + Duration::days(days)).timestamp(),
        last_used: None,
        agent_id: agent_id.map(str::to_string),
    };
    (record, token.token)
}

/// The session a guest token opens, if it is valid now: one read of a tenant-keyed item.
pub async fn session(deps: &Deps, token: &Token) -> Result<Option<SessionRecord>, StoreError> {
    if token.kind != TokenKind::GuestSession {
        return Ok(None);
    }
    let found = deps.store.session(&token.tenant_id, &token.subject_id).await?;
    let now = deps.clock.now();
    let valid = found.filter(|s| s.expires_at > now.timestamp() && secrets::matches(&token.secret, &s.token_hash));
    if let Some(session) = &valid {
        deps.store.touch_session(&token.tenant_id, session, now).await;
    }
    Ok(valid)
}

/// Sends a code to `email` so its owner can sign in: at most five codes an hour to an address
/// (G5), and a bound on the codes one client asks for (G8). The email carries the code and a
/// one-click link, so its recipient gets in whoever asked for it and whatever the budget says.
/// Returns the sign-in's public id and when its code expires. The email is in `language`.
pub async fn start_sign_in(
    deps: &Deps,
    page: &BookingPage,
    email: &str,
    language: Lang,
    client: &str,
) -> Result<(String, DateTime<Utc>), GuestError> {
    let now = deps.clock.now();
    let tenant_id = &page.tenant_id;
    let id = secrets::new_id();
    let code = secrets::new_code();
    let link = secrets::issue(TokenKind::SignInLink, tenant_id, &id);
    let challenge = Challenge::new(secrets::code_hash(&id, &code), now);
    let expires_at = DateTime::from_timestamp(challenge.expires_at, 0).unwrap_or(now);
    let public_id = secrets::public_id(tenant_id, &id);
    let sign_in = SignIn { id: id.clone(), email: email.to_string(), challenge, link_hash: link.hash, agent_id: None };
    let to = Recipient {
        email: email.to_string(),
        name: None,
        role: Role::Guest,
        time_zone: page.availability.time_zone,
        language,
    };
    let mail = CodeMail {
        code,
        expires_at,
        confirm: None,
        sign_in: Some(ConfirmLink { hold_id: public_id.clone(), token: link.token }),
        booking: None,
    };
    let email_out = code_mail(secrets::new_id(), tenant_id, Reason::SignIn, to, page.agent_contact(), mail, now);
    let mut claims = Claims::new(tenant_id);
    claims.add_codes(email, client, now);
    for _ in 0..4 {
        let places = claims.claims(&id);
        match deps.store.start_sign_in(tenant_id, &sign_in, &places, std::slice::from_ref(&email_out), now).await? {
            Ok(()) => {
                deliver_now(deps, tenant_id, &email_out.notification.id).await;
                return Ok((public_id, expires_at));
            }
            Err(refused) => {
                if let Err(kind) = claims.repair(&deps.store, &refused, now).await? {
                    return Err(GuestError::TooManyCodes(kind));
                }
            }
        }
    }
    Err(GuestError::TooManyCodes(PlaceKind::CodeSent))
}

/// What a guest signing in presents: the code, or the email's one-click link.
pub enum SignInProof<'a> {
    Code(&'a str),
    Link(&'a str),
}

/// Checks a sign-in's code (or its link): a session for its address (an agent's console session
/// for an agent's sign-in, which only `agent` finishes), or why not.
pub async fn finish_sign_in(
    deps: &Deps,
    tenant_id: &str,
    id: &str,
    proof: SignInProof<'_>,
    agent: bool,
) -> Result<(SessionRecord, String), GuestError> {
    let now = deps.clock.now();
    let sign_in = deps.store.sign_in(tenant_id, id).await?.filter(|s| s.agent_id.is_some() == agent);
    let sign_in = sign_in.ok_or(GuestError::NotFound)?;
    if sign_in.challenge.expired(now) {
        return Err(GuestError::Gone);
    }
    // As for a hold's code: the try is taken before the code is compared (`store::challenges`).
    let Some(taken) = deps.store.take_sign_in_try(tenant_id, &sign_in).await? else {
        return Err(GuestError::Gone);
    };
    let right = match proof {
        SignInProof::Code(code) => secrets::code_matches(id, code, &sign_in.challenge.code_hash),
        SignInProof::Link(text) => secrets::parse(text).is_some_and(|token| {
            token.kind == TokenKind::SignInLink
                && token.tenant_id == tenant_id
                && token.subject_id == id
                && !sign_in.link_hash.is_empty()
                && secrets::matches(&token.secret, &sign_in.link_hash)
        }),
    };
    match sign_in.challenge.at_try(taken).judge(right, now) {
        Verdict::Right => {
            let (record, token) = opened(tenant_id, &sign_in.email, sign_in.agent_id.as_deref(), now);
            if deps.store.finish_sign_in(tenant_id, &sign_in, &record, now).await? {
                Ok((record, token))
            } else {
                Err(GuestError::Gone)
            }
        }
        Verdict::Wrong { left } => Err(GuestError::WrongCode { left }),
        Verdict::Exhausted | Verdict::Expired => Err(GuestError::Gone),
    }
}

/// Revokes every session of an address (T4, by the admin); how many there were.
pub async fn revoke_all(deps: &Deps, tenant_id: &str, email: &str) -> Result<usize, StoreError> {
    let mut revoked = 0;
    for entry in deps.store.guest_entries(tenant_id, email, 1000).await? {
        if entry.kind == crate::store::IndexKind::Session {
            deps.store.revoke_session(tenant_id, &entry.id).await?;
            deps.store.drop_entry(tenant_id, email, &entry).await?;
            revoked += 1;
        }
    }
    Ok(revoked)
}

/// Everything a signed-in guest has with the tenant's agents.
pub async fn listing(
    deps: &Deps,
    tenant_id: &str,
    session: &SessionRecord,
) -> Result<(Vec<Meeting>, Vec<Conversation>), StoreError> {
    deps.store.guest_index(tenant_id, &session.email).await
}
