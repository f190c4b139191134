//! Agents signing in to the console (AC1): by email code, as guests do, into a console session
//! (7 days, 12 idle hours) kept hashed and carried only in the console's cookie. The API token
//! stays for integrations; the browser never holds it.

use chrono::{DateTime, Utc};

use super::deliver::deliver_now;
use super::guest::{finish_sign_in, GuestError, SignInProof};
use super::places::Claims;
use super::Deps;
use crate::domain::directory::Agent;
use crate::domain::identity::Challenge;
use crate::domain::notification::{code_mail, CodeMail, Reason};
use crate::domain::places::PlaceKind;
use crate::secrets;
use crate::store::{SessionRecord, SignIn, StoreError};

/// The most tenants one address is looked up in: an address that is an agent of more tenants
/// signs in to the one named, or the first found.
const TENANTS_PER_ADDRESS: usize = 10;

/// A sign-in started: its public id and when its code expires. An address that is no active
/// agent's gets an id too (nothing is stored or sent): the answer does not say who is an agent.
pub async fn start(
    deps: &Deps,
    email: &str,
    tenant_hint: Option<&str>,
    client: &str,
) -> Result<(String, DateTime<Utc>), GuestError> {
    let now = deps.clock.now();
    let Some((tenant_id, agent)) = find(deps, email, tenant_hint).await? else {
        let decoy = secrets::public_id(&secrets::new_id(), &secrets::new_id());
        return Ok((decoy, Challenge::new(String::new(), now).expiry()));
    };
    let id = secrets::new_id();
    let code = secrets::new_code();
    let challenge = Challenge::new(secrets::code_hash(&id, &code), now);
    let expires_at = challenge.expiry();
    let public_id = secrets::public_id(&tenant_id, &id);
    let sign_in = SignIn {
        id: id.clone(),
        email: agent.email.clone(),
        challenge,
        link_hash: String::new(),
        agent_id: Some(agent.id.clone()),
    };
    let to = agent.recipient();
    let mail = CodeMail { code, expires_at, confirm: None, sign_in: None, booking: None };
    let out = code_mail(secrets::new_id(), &tenant_id, Reason::ConsoleSignIn, to, agent.contact(), mail, now);
    // The same budgets as a guest's codes (G5, G8): per address, and per requesting client.
    let mut claims = Claims::new(&tenant_id);
    claims.add_codes(&agent.email, client, now);
    for _ in 0..4 {
        let places = claims.claims(&id);
        match deps.store.start_sign_in(&tenant_id, &sign_in, &places, std::slice::from_ref(&out), now).await? {
            Ok(()) => {
                deliver_now(deps, &tenant_id, &out.notification.id).await;
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

/// The active agent an address names: in the tenant named, or the first of its tenants.
async fn find(deps: &Deps, email: &str, tenant_hint: Option<&str>) -> Result<Option<(String, Agent)>, StoreError> {
    for row in deps.store.agents_by_email(email, TENANTS_PER_ADDRESS).await? {
        if tenant_hint.is_some_and(|hint| hint != row.tenant_id) {
            continue;
        }
        if let Some((agent, _)) = deps.store.agent(&row.tenant_id, &row.agent_id).await? {
            if agent.active && agent.email.eq_ignore_ascii_case(email) {
                return Ok(Some((row.tenant_id, agent)));
            }
        }
    }
    Ok(None)
}

/// The code checked: the console session (to set in the cookie) and its agent.
pub async fn finish(
    deps: &Deps,
    tenant_id: &str,
    id: &str,
    code: &str,
) -> Result<(SessionRecord, String, Agent), GuestError> {
    let (session, token) = finish_sign_in(deps, tenant_id, id, SignInProof::Code(code), true).await?;
    let agent_id = session.agent_id.as_deref().unwrap_or_default();
    match deps.store.agent(tenant_id, agent_id).await? {
        Some((agent, _)) if agent.active => Ok((session, token, agent)),
        // Deactivated meanwhile: the session opens nothing.
        _ => {
            deps.store.revoke_session(tenant_id, &session.id).await?;
            Err(GuestError::Gone)
        }
    }
}
